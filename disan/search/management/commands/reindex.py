"""``disan reindex``: rebuild the search index from the catalog."""

from django.core.management.base import BaseCommand, CommandError

from disan.search import get_backend
from disan.search.exceptions import SearchError
from disan.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from every online document in the catalog."

    def handle(self, *args, **options):
        try:
            count = reindex_all()
        except SearchError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(f"Indexed {count} documents into {get_backend().location}.")

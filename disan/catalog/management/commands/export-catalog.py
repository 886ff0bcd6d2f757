"""``disan export-catalog FILE``: write the catalog as a CSV or XLSX inventory."""

from django.core.management.base import BaseCommand, CommandError

from disan.catalog.importing.exceptions import InventoryFileError
from disan.catalog.importing.export import export_catalog


class Command(BaseCommand):
    help = (
        "Write every document of the catalog to FILE (.csv or .xlsx) with the "
        "columns `disan import` reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .xlsx file to write")
        parser.add_argument(
            "--headers",
            choices=["vi", "en"],
            default="vi",
            help="language of the headers (default vi)",
        )

    def handle(self, *args, **options):
        try:
            count = export_catalog(options["file"], language=options["headers"])
        except (InventoryFileError, OSError) as err:
            raise CommandError(str(err)) from err
        self.stdout.write(f"Wrote {count} documents to {options['file']}")

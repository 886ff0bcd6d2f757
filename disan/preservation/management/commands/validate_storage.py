"""`disan validate_storage`: run ocfl-py's validator over the storage root."""

from django.core.management.base import BaseCommand, CommandError

from disan.preservation.storage import get_store


class Command(BaseCommand):
    help = "Validate the OCFL storage root of masters and every object in it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-digests",
            action="store_true",
            help="Check structure and inventories only, not content digests.",
        )

    def handle(self, *args, **options):
        store = get_store()
        report = store.validate(check_digests=not options["no_digests"])
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        for error in report.errors:
            self.stderr.write(f"error: {error}")
        if not report.valid:
            raise CommandError(
                f"OCFL storage root {store.root} is invalid: "
                f"{len(report.errors)} error(s), listed above."
            )
        self.stdout.write(f"OCFL storage root {store.root} is valid.")

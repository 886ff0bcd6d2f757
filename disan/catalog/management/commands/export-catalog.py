"""``disan export-catalog FILE``: write the catalog as a CSV or XLSX inventory."""

from django.core.management.base import BaseCommand, CommandError

from disan.catalog.importing.exceptions import InventoryFileError
from disan.catalog.importing.export import export_catalog
from disan.catalog.importing.kinds import KINDS
from disan.catalog.management.overwrite import refuse_to_overwrite


class Command(BaseCommand):
    help = (
        "Write every document of the catalog, or with --kind files every "
        "archival file, to FILE (.csv or .xlsx) with the columns `disan import` "
        "reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .xlsx file to write")
        parser.add_argument(
            "--headers",
            choices=["vi", "en"],
            default="vi",
            help="language of the headers (default vi)",
        )
        parser.add_argument(
            "--kind",
            choices=list(KINDS),
            default="documents",
            help="write documents (default) or archival files (hồ sơ)",
        )
        parser.add_argument(
            "--force", action="store_true", help="overwrite FILE if it exists"
        )

    def handle(self, *args, **options):
        refuse_to_overwrite(options["file"], options["force"])
        try:
            kind = KINDS[options["kind"]]
            count = export_catalog(
                options["file"], language=options["headers"], kind=kind
            )
        except (InventoryFileError, OSError) as err:
            raise CommandError(str(err)) from err
        self.stdout.write(f"Wrote {count} {kind.noun} to {options['file']}")

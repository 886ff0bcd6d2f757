"""`disan export DOCUMENT --format bagit|eark [--output DIR]`."""

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disan.catalog.models import HeritageDocument
from disan.core.text import nfc
from disan.preservation.export import FORMATS, ExportError, export_package


class Command(BaseCommand):
    help = "Write a document's archival package (BagIt or E-ARK CSIP)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("document", help="the document's identifier or uuid")
        parser.add_argument("--format", choices=FORMATS, default="eark")
        parser.add_argument(
            "--output", default=".", help="folder to write the package into"
        )

    def handle(self, *args, **options):
        document = _find(nfc(options["document"]))
        try:
            path = export_package(
                document, options["format"], Path(options["output"]).resolve()
            )
        except ExportError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(str(path))


def _find(key):
    document = HeritageDocument.objects.filter(identifier=key).first()
    if document is None:
        try:
            document = HeritageDocument.objects.filter(pk=uuid.UUID(key)).first()
        except ValueError:
            document = None
    if document is None:
        raise CommandError(
            f"No document has the identifier or uuid {key!r}; see the staff "
            "pages or `disan ingest` for the documents on record."
        )
    return document

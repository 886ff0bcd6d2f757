"""`disan bag validate PATH`: check a BagIt bag, a folder or a zip file."""

import sys

from django.core.management.base import BaseCommand

from disan.core.text import nfc
from disan.preservation.bagit import opened_bag


class Command(BaseCommand):
    help = "Work with BagIt bags. `disan bag validate PATH` checks one bag."
    # Reading a bag needs neither the database nor the web layer.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        validate = actions.add_parser(
            "validate",
            help="Validate a bag (folder or .zip); exit 1 if it is invalid.",
        )
        validate.add_argument("path", help="the bag folder, or a .zip of one")

    def handle(self, *args, **options):
        path = options["path"]
        with opened_bag(path) as (_folder, report):
            for warning in report.warnings:
                self.stdout.write(f"warning: {nfc(str(warning))}")
            for error in report.errors:
                self.stdout.write(f"error: {nfc(str(error))}")
        if report.valid:
            self.stdout.write(
                f"{nfc(path)} is a valid bag (BagIt {report.version}, "
                f"{len(report.payload)} payload files, "
                f"{len(report.warnings)} warning(s))."
            )
            return
        self.stdout.write(
            f"{nfc(path)} is not a valid bag: {len(report.errors)} error(s), "
            "listed above."
        )
        sys.exit(1)

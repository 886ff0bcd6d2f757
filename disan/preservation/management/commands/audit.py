"""`disan audit`: re-hash every copy of every stored object and report."""

import json

from django.core.management.base import BaseCommand, CommandError

from disan.core.exceptions import DisanError
from disan.preservation.audit import audit, resolve_objects
from disan.preservation.console import held_back, same_terminal
from disan.preservation.replicas import copies as configured_copies

# Loggers whose lines this command prints itself.
PRINTED = ("disan.preservation.audit", "disan.preservation.alerts")


class Command(BaseCommand):
    help = (
        "Check the fixity of every OCFL object in the storage root and its "
        "replicas; exit 1 if any file is damaged, missing or unexpected."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--object",
            action="append",
            dest="objects",
            metavar="ID",
            help=(
                "Audit only this object: a document's identifier or uuid, or an "
                "OCFL object id (repeatable)."
            ),
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the report as JSON."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Hashing processes (default: one per core).",
        )

    def handle(self, *args, **options):
        try:
            copies = configured_copies()
            object_ids = None
            if options["objects"]:
                object_ids = resolve_objects(options["objects"], copies)
            with held_back(PRINTED, same_terminal(self.stdout)):
                report = audit(object_ids, workers=options["workers"], copies=copies)
        except DisanError as err:
            # An unknown object, or a replica that cannot be reached or is
            # misconfigured.
            raise CommandError(str(err), returncode=2) from err
        if options["json"]:
            self.stdout.write(
                json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
            )
        else:
            self._write_text(report)
        if not report.ok:
            failed = sum(not result.ok for result in report.objects)
            raise CommandError(
                f"Fixity audit failed for {failed} of {len(report.objects)} "
                "object(s); run `disan repair` to restore them from intact copies.",
                returncode=1,
            )

    def _write_text(self, report):
        for result in report.objects:
            if result.ok:
                continue
            self.stdout.write(f"{result.object_id}")
            for copy in result.copies:
                for fault in copy.faults:
                    path = fault.path or "(object)"
                    self.stdout.write(
                        f"  [{copy.label}] {fault.code} {path}: {fault.detail}"
                    )
            for path in result.lost:
                self.stdout.write(f"  LOST {path}")
        mb = report.bytes / 1e6
        self.stdout.write(
            f"Audited {len(report.objects)} object(s), {report.files} file(s), "
            f"{mb:.1f} MB in {report.seconds:.1f} s: "
            + ("all intact." if report.ok else "FAILURES above.")
        )

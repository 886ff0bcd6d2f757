"""`disan repair`: restore damaged copies of stored objects from intact ones."""

import json

from django.core.management.base import BaseCommand, CommandError

from disan.core.exceptions import DisanError
from disan.preservation.audit import resolve_objects
from disan.preservation.console import held_back, same_terminal
from disan.preservation.repair import repair
from disan.preservation.replicas import copies as configured_copies

# Loggers whose lines this command prints itself.
PRINTED = (
    "disan.preservation.audit",
    "disan.preservation.alerts",
    "disan.preservation.repair",
    "disan.preservation.restore",
    "disan.preservation.bucket",
)


class Command(BaseCommand):
    help = (
        "Restore every damaged or missing file of every copy from a copy whose "
        "file matches the inventory; damaged files go to DISAN_HOME/quarantine. "
        "Exit 1 if a file is lost in every copy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--object",
            action="append",
            dest="objects",
            metavar="ID",
            help=(
                "Repair only this object: a document's identifier or uuid, or an "
                "OCFL object id (repeatable)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be done; change nothing.",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the actions as JSON."
        )

    def handle(self, *args, **options):
        try:
            copies = configured_copies()
            object_ids = None
            if options["objects"]:
                object_ids = resolve_objects(options["objects"], copies)
            with held_back(PRINTED, same_terminal(self.stdout)):
                report = repair(object_ids, dry_run=options["dry_run"], copies=copies)
        except DisanError as err:
            # An unknown object, or a replica that cannot be reached or is
            # misconfigured.
            raise CommandError(str(err), returncode=2) from err
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "dry_run": report.dry_run,
                        "ok": report.ok,
                        "actions": [action.as_dict() for action in report.actions],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            prefix = "would be " if report.dry_run else ""
            for action in report.actions:
                word = (
                    action.action.upper()
                    if action.action == "lost"
                    else prefix + action.action
                )
                path = action.path or "(object)"
                line = f"{action.object_id} [{action.copy}] {path}: {word}"
                self.stdout.write(f"{line} {action.detail}".rstrip())
            if not report.actions:
                self.stdout.write("Nothing to repair: every copy is intact.")
        if not report.ok:
            problems = []
            if report.lost:
                problems.append(
                    f"{len(report.lost)} file(s) lost in every copy: restore them "
                    "from a backup"
                )
            if report.failed:
                problems.append(
                    f"{len(report.failed)} repair(s) failed: see the reasons above, "
                    "then run `disan repair` again"
                )
            raise CommandError("; ".join(problems) + ".", returncode=1)

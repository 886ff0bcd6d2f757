"""``disan import FILE``: load a CSV or XLSX inventory into the catalog."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disan.catalog.importing.exceptions import InventoryFileError
from disan.catalog.importing.export import write_template
from disan.catalog.importing.kinds import DOCUMENTS, KINDS
from disan.catalog.importing.service import import_inventory
from disan.catalog.management.overwrite import refuse_to_overwrite


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX inventory of documents or of archival files "
        "(headers in Vietnamese or English; legacy Vietnamese encodings read; "
        "the headers tell which, or --kind). Nothing is written unless "
        "every row is valid, or --valid-only is given. With --template, write "
        "an empty inventory with every column to FILE instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .xlsx inventory")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row, write nothing"
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="write the valid rows even if some are invalid",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print each row (values, date range, errors) as a JSON line",
        )
        parser.add_argument(
            "--template",
            action="store_true",
            help="write an empty inventory with every column to FILE",
        )
        parser.add_argument(
            "--headers",
            choices=["vi", "en"],
            default="vi",
            help="language of the template's headers (default vi)",
        )
        parser.add_argument(
            "--kind",
            choices=list(KINDS),
            help="what the inventory lists: documents or files (hồ sơ); "
            "default: told by the headers (documents for a template)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="with --template, overwrite FILE if it exists",
        )
        parser.add_argument("--chunk-size", type=int, default=1000)

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        kind = KINDS.get(options["kind"])
        if options["template"]:
            refuse_to_overwrite(options["file"], options["force"])
            try:
                write_template(options["file"], options["headers"], kind or DOCUMENTS)
            except (InventoryFileError, OSError) as err:
                raise CommandError(str(err)) from err
            self.stdout.write(
                _("Wrote an empty inventory to %(file)s") % {"file": options["file"]}
            )
            return

        on_row = self._json_row if options["json"] else self._text_row
        try:
            summary = import_inventory(
                options["file"],
                dry_run=options["dry_run"],
                valid_only=options["valid_only"],
                on_row=on_row,
                chunk_size=max(1, options["chunk_size"]),
                kind=kind,
            )
        except InventoryFileError as err:
            raise CommandError(str(err)) from err

        if options["json"]:
            self.stdout.write(
                json.dumps({"summary": summary.as_json()}, ensure_ascii=False)
            )
        else:
            self._text_summary(summary)
        # A dry run fails exactly when the same import for real would.
        if summary.invalid and not options["valid_only"]:
            if summary.dry_run:
                message = _(
                    "%(count)s invalid row(s): dry run. Correct them, or give "
                    "--valid-only to write the valid rows."
                )
            else:
                message = _(
                    "%(count)s invalid row(s): nothing was written. Correct "
                    "them, or give --valid-only to write the valid rows."
                )
            raise CommandError(message % {"count": summary.invalid})

    def _json_row(self, row):
        self.stdout.write(json.dumps(row.as_json(), ensure_ascii=False))

    def _text_row(self, row):
        show = row.errors or row.warnings or self.verbosity >= 2
        if not show:
            return
        label = _("line %(line)s") % {"line": row.line}
        if row.identifier:
            label += f" ({row.identifier})"
        self.stdout.write(f"{label}: {ACTIONS[row.action]}")
        for error in row.errors:
            column = f"{error['column']}: " if error["column"] else ""
            self.stdout.write(
                "  " + _("error: %(message)s") % {"message": column + error["message"]}
            )
        for warning in row.warnings:
            self.stdout.write("  " + _("warning: %(message)s") % {"message": warning})

    def _text_summary(self, summary):
        if summary.dry_run:
            outcome = _("dry run, nothing written")
        elif summary.written:
            outcome = _("written")
        else:
            outcome = _("nothing written")
        if summary.new_units:
            self.stdout.write(
                _(
                    "New holding units, not in the catalog before this "
                    "inventory: %(units)s. Check their spelling: a misspelt "
                    "name makes a unit of its own."
                )
                % {"units": ", ".join(summary.new_units)}
            )
        if summary.ignored_columns:
            self.stdout.write(
                _("Row-number column ignored: %(columns)s")
                % {"columns": ", ".join(summary.ignored_columns)}
            )
        self.stdout.write(
            _(
                "%(source)s (%(encoding)s): %(rows)s rows, %(created)s new, "
                "%(updated)s updated, %(unchanged)s unchanged, %(invalid)s "
                "invalid; %(outcome)s"
            )
            % {**summary.as_json(), "outcome": outcome}
        )


# A row's action as the text report names it.
ACTIONS = {
    "create": gettext_lazy("create"),
    "update": gettext_lazy("update"),
    "unchanged": gettext_lazy("unchanged"),
    "invalid": gettext_lazy("invalid"),
}

"""Check one row of an inventory and turn it into model field values."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from disan.catalog.encodings import encoding_damage
from disan.catalog.importing.exceptions import InventoryFileError
from disan.catalog.importing.kinds import DOCUMENTS, is_row_number
from disan.catalog.importing.readers import Formula
from disan.catalog.importing.values import CellError


@dataclass
class RowResult:
    """One row: its values for the model, its date, errors and outcome.

    ``action`` is ``create``, ``update``, ``unchanged`` or ``invalid``.
    """

    line: int
    identifier: str = ""
    values: dict = field(default_factory=dict)
    date: object = None
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    action: str = ""
    changed: list = field(default_factory=list)
    # Field -> its header as the sheet writes it, for messages.
    headers: dict = field(default_factory=dict, repr=False)

    def error(self, column, message):
        self.errors.append({"column": column, "message": str(message)})

    def refused_columns(self):
        """Return the columns (headers) the row has errors under."""
        return {error["column"] for error in self.errors}

    def as_json(self):
        """Return the row as plain JSON data: values, date range, errors."""
        values = {name: _plain(value) for name, value in self.values.items()}
        return {
            "line": self.line,
            "identifier": self.identifier,
            "action": self.action,
            "values": values,
            "date": self.date.as_dict() if self.date else None,
            "changed": self.changed,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "_meta"):
        return str(value)
    return value


class RowParser:
    """Read rows under one header row; the header is checked on creation.

    ``kind`` is the kind of inventory (:data:`~disan.catalog.importing.kinds.DOCUMENTS`
    unless given). A row-number column (STT…) is accepted and its values
    ignored; its header is in ``ignored``.
    """

    def __init__(self, header, source, kind=DOCUMENTS):
        self.kind = kind
        self.source = source
        self.columns = []
        self.ignored = []
        self.written = {}
        problems = []
        for name in header:
            column = kind.column_for(name) if name else None
            if name and column is None and is_row_number(name):
                self.ignored.append(name)
            elif name and column is None:
                problems.append(_("unknown column '%(name)s'") % {"name": name})
            elif column is not None and column.field in self.written:
                problems.append(
                    _(
                        "columns '%(first)s' and '%(second)s' are both "
                        "%(header)s; keep one"
                    )
                    % {
                        "first": self.written[column.field],
                        "second": name,
                        "header": f"'{column.header}'",
                    }
                )
            if column is not None:
                self.written.setdefault(column.field, name)
            self.columns.append(column)
        fields = {column.field for column in self.columns if column}
        problems += kind.missing_columns(fields)
        if problems:
            accepted = ", ".join(column.header for column in kind.columns)
            raise InventoryFileError(
                source,
                "; ".join(problems)
                + ". "
                + _("Accepted columns (in Vietnamese or English): %(columns)s")
                % {"columns": accepted},
                _("header row"),
            )
        self.present = fields
        self.model_fields = kind.model_fields()

    def parse(self, line, cells, lookups):
        """Return the :class:`RowResult` of one row of ``cells``."""
        row = RowResult(line=line, headers=self.written)
        extra = [cell for cell in cells[len(self.columns) :] if cell]
        if extra:
            row.error(
                "",
                _(
                    "%(values)s values for %(columns)s columns; quote values "
                    "that contain the separator"
                )
                % {
                    "values": len(self.columns) + len(extra),
                    "columns": len(self.columns),
                },
            )

        # Each cell on its own: an empty cell leaves the field as it is.
        refs = {}
        for column, cell in zip(self.columns, cells, strict=False):
            if column is None or not cell:
                continue
            header = self.written[column.field]
            if isinstance(cell, Formula):
                row.error(header, _("a formula; paste the value instead"))
                continue
            damage = encoding_damage(cell)
            if damage:
                row.error(header, damage)
                continue
            try:
                value = column.read(cell, lookups)
            except CellError as err:
                row.error(header, err)
                continue
            if column.field == "date_written":
                self._date(row, value)
            elif column.field in self.model_fields:
                row.values[column.field] = value
            else:
                refs[column.field] = value

        # Then the record's key, and the catalog's own rules over the whole row.
        self.kind.finish(row, refs, lookups)
        return row

    def _date(self, row, parsed):
        row.date = parsed
        row.warnings += parsed.warnings
        row.values["date_written"] = parsed.written
        for name, value in self.kind.date_values(parsed).items():
            # A year or day given in its own column wins over the one read here.
            if name in self.model_fields and name not in row.values:
                row.values[name] = value

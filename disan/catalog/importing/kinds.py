"""The two kinds of inventory: documents (tài liệu) and archival files (hồ sơ).

A kind holds what differs between them: its columns, its model, the field a
re-import updates by, how a written date fills the model's date fields, and
the catalog rules a row is checked by. Reading, the report, the all-or-nothing
transaction and export are shared.
"""

from abc import ABC, abstractmethod
from functools import cached_property

from django.utils.translation import gettext as _

from disan.catalog.importing.columns import COLUMNS, ROW_NUMBER_NAMES
from disan.catalog.importing.exceptions import InventoryFileError
from disan.catalog.importing.file_columns import FILE_COLUMNS
from disan.catalog.importing.values import CellError, bare, fold
from disan.catalog.validation import (
    check_archival_file,
    check_document,
    compose_file_code,
    edtf_days,
    instance_values,
    split_file_code,
    written_span,
)

_ROW_NUMBERS = {key for name in ROW_NUMBER_NAMES for key in (fold(name), bare(name))}


def is_row_number(name):
    """Whether a header names a row-number column (STT, Số TT, No.…)."""
    return fold(name) in _ROW_NUMBERS or bare(name) in _ROW_NUMBERS


class Kind(ABC):
    """What one kind of inventory imports into, and how."""

    name = ""
    noun = ""
    columns = ()
    # The model field a re-import finds its record by.
    key = ""
    # Related records an export writes a cell of.
    related = ()
    # Field -> the field whose refused cell already covers its problems.
    covered_by = {}

    @abstractmethod
    def model(self):
        """Return the model the inventory's rows are records of."""

    def missing_columns(self, fields):
        """Return what a header with columns for ``fields`` lacks."""
        return [
            _("no '%(header)s' (%(english)s) column")
            % {"header": column.header, "english": column.names[1]}
            for column in self.columns
            if column.required and column.field not in fields
        ]

    @cached_property
    def index(self):
        """Every accepted header name (folded, and bare) -> its column."""
        table = {}
        for column in self.columns:
            for name in (column.field, *column.names):
                table.setdefault(fold(name), column)
                table.setdefault(bare(name), column)
        return table

    def column_for(self, name):
        return self.index.get(fold(name))

    def queryset(self):
        """Return the records a re-import looks its rows up in."""
        return self.model().objects.all()

    def model_fields(self):
        return {field.name for field in self.model()._meta.concrete_fields}

    def export_columns(self):
        """Return the columns written on export and in templates."""
        fields = self.model_fields()
        return [column for column in self.columns if column.field in fields]

    @cached_property
    def create_only(self):
        return {column.field for column in self.columns if column.create_only}

    def date_values(self, parsed):
        """Return the model values a date as written adds, besides the text."""
        return {}

    @abstractmethod
    def finish(self, row, refs, lookups):
        """Set ``row.identifier`` and check the row against the catalog's rules.

        ``refs`` holds the cells read for columns that are not model fields.
        """

    def problems_of(self, record):
        """Return the catalog's problems with a record about to be written."""
        return []

    def header_of(self, field, written=None):
        """Return the header of the column for ``field``, or ``field`` itself.

        ``written`` maps fields to the headers a sheet wrote them with; those
        win over the Vietnamese header, so a message names what the user sees.
        """
        if written and field in written:
            return written[field]
        for column in self.columns:
            if column.field == field:
                return column.header
        return field

    def problems_of_new(self, values):
        """Return ``(field, message)`` for what a new record must be given."""
        return []

    def report(self, row, problems):
        """Add ``problems`` (``(field, message)`` pairs) to ``row``'s errors.

        Each is reported under its field's header, unless the row already
        refused that column, or the column :attr:`covered_by` names for the
        field. Return whether any was added.
        """
        refused = row.refused_columns()
        found = False
        for field, message in problems:
            header = self.header_of(field, row.headers)
            cover = self.covered_by.get(field)
            if cover and self.header_of(cover, row.headers) in refused:
                continue
            if header not in refused:
                row.error(header, message)
                found = True
        return found

    def settle(self, row, stored):
        """Add to ``row.values`` what follows from them and the ``stored``
        record (``None`` for a new one), before the row is compared and
        written."""
        return


class Documents(Kind):
    name = "documents"
    noun = "documents"
    columns = COLUMNS
    key = "identifier"
    related = ("holding_unit", "collection", "archival_file")

    def model(self):
        from disan.catalog.models import HeritageDocument

        return HeritageDocument

    def date_values(self, parsed):
        return {
            "year_start": parsed.year_start,
            "year_end": parsed.year_end,
            "date_edtf": parsed.edtf,
        }

    def settle(self, row, stored):
        """A Hán or Nôm document given no reading direction reads right to left.

        As ``disan ingest`` does, a row that names Hán or Nôm among its
        languages or scripts (:func:`~disan.catalog.vocabularies.reads_vertically`)
        and leaves “Hướng đọc” empty makes a new document right to left. An
        existing document is turned only when the row gives languages or
        scripts, the record then reads vertically, and its direction is
        still the default left to right and has never been anything else:
        a direction someone changed to left to right stays. A row that says
        “Hướng đọc” always has its way.
        """
        from disan.catalog.models import ReadingDirection
        from disan.catalog.vocabularies import reads_vertically

        values = row.values
        if "reading_direction" in values:
            return
        if stored is None:
            if reads_vertically(values.get("languages"), values.get("scripts")):
                values["reading_direction"] = ReadingDirection.RIGHT_TO_LEFT.value
            return
        if not {"languages", "scripts"} & values.keys():
            return
        if stored.reading_direction != ReadingDirection.LEFT_TO_RIGHT:
            return
        if not reads_vertically(
            values.get("languages", stored.languages),
            values.get("scripts", stored.scripts),
        ):
            return
        left_to_right = ReadingDirection.LEFT_TO_RIGHT.value
        if stored.history.exclude(reading_direction=left_to_right).exists():
            return
        values["reading_direction"] = ReadingDirection.RIGHT_TO_LEFT.value

    def finish(self, row, refs, lookups):
        row.identifier = row.values.get("identifier", "")
        if not row.identifier:
            row.error(
                self.header_of("identifier", row.headers),
                _("missing; every row needs an identifier"),
            )
        # Every rule at once; a cell already refused is not reported again.
        self.report(
            row, [(problem.field, problem) for problem in check_document(row.values)]
        )


class Files(Kind):
    name = "files"
    noun = "archival files"
    columns = FILE_COLUMNS
    key = "file_code"
    related = ("fonds__holding_unit", "series")
    # A file code that cannot be split says which parts to fill in.
    covered_by = {part: "file_code" for part in ("agency_code", "year", "file_number")}

    def model(self):
        from disan.catalog.models import ArchivalFile

        return ArchivalFile

    def queryset(self):
        return self.model().objects.select_related(*self.related)

    def export_columns(self):
        return list(self.columns)

    def missing_columns(self, fields):
        """A file is found by its code, or by the three parts it is made of."""
        missing = super().missing_columns(fields)
        parts = ("agency_code", "year", "file_number")
        if "file_code" not in fields and not all(part in fields for part in parts):
            missing.append(
                f"no '{self.header_of('file_code')}' (file code) column, nor "
                + ", ".join(f"'{self.header_of(part)}'" for part in parts)
            )
        return missing

    def date_values(self, parsed):
        """The first and last day of a date written to the day, as dates."""
        if parsed.calendar != "gregorian":
            return {}
        spans = [edtf_days(end) for end in parsed.edtf.split("/")]
        if None in spans or any(first != last for first, last in spans):
            return {}
        return {"start_date": spans[0][0], "end_date": spans[-1][1]}

    def settle(self, row, stored):
        """Start and end dates follow a changed “Thời gian” on re-import.

        A row that changes the dates as written and gives no start or end
        date has them read from the new text when it is written to the day
        (:meth:`date_values`, when the row is read). Otherwise a stored start
        or end date the new text no longer covers is cleared, as is every
        stored one when the new text sets no bounds (“khoảng 1966”): neither
        is kept silently against the new dates. One the text still covers
        stays, since it is more precise than the text.
        """
        values = row.values
        if stored is None or "date_written" not in values:
            return
        if values["date_written"] == stored.date_written:
            return
        span = written_span(values["date_written"])
        for name in ("start_date", "end_date"):
            day = getattr(stored, name)
            if name in values or day is None:
                continue
            if span is None or not span[0] <= day <= span[1]:
                values[name] = None

    def finish(self, row, refs, lookups):
        values, headers = row.values, row.headers
        fonds_code, series_code = values.pop("fonds", ""), values.pop("series", "")
        if fonds_code:
            try:
                values["fonds"] = lookups.fonds(fonds_code, refs.get("holding_unit"))
            except CellError as err:
                row.error(self.header_of("fonds", headers), err)
        else:
            row.error(
                self.header_of("fonds", headers), _("missing; every file is in a fonds")
            )
        if series_code and values.get("fonds") is not None:
            try:
                values["series"] = lookups.series(values["fonds"], series_code)
            except CellError as err:
                row.error(self.header_of("series", headers), err)

        given = values.pop("file_code", "")
        names = ("agency_code", "year", "file_number")
        refused = row.refused_columns()
        if given and any(values.get(name) in (None, "") for name in names):
            # The parts a row leaves out are read from its file code.
            parts = split_file_code(given)
            missing = [
                self.header_of(name, headers)
                for name in names
                if values.get(name) in (None, "")
                and self.header_of(name, headers) not in refused
            ]
            if parts is None and missing:
                row.error(
                    self.header_of("file_code", headers),
                    _(
                        "'%(code)s' is not an agency code, a year and a file "
                        "number joined by dots (000.00.31.H26.2024.15); correct "
                        "it or fill in %(columns)s"
                    )
                    % {"code": given, "columns": ", ".join(missing)},
                )
            elif parts is not None:
                for name, part in zip(names, parts, strict=True):
                    if values.get(name) in (None, ""):
                        values[name] = part
        parts = [values.get(name) for name in names]
        if all(part not in (None, "") for part in parts):
            values["file_code"] = compose_file_code(*parts)
            if given and given != values["file_code"]:
                row.error(
                    self.header_of("file_code", headers),
                    _(
                        "'%(given)s' is not the agency code, year and file number "
                        "joined (%(joined)s); correct one or the other"
                    )
                    % {"given": given, "joined": values["file_code"]},
                )
        # A row is labelled with the code it gives, if it gives one.
        row.identifier = given or values.get("file_code", "")
        # The catalog's rules are checked on the whole record, the row's
        # values over the stored ones (or the defaults), when it is written.

    def problems_of_new(self, values):
        """A new file says how reliable it is: no default is assumed."""
        if values.get("reliability"):
            return []
        return [
            (
                "reliability",
                _(
                    "missing for a new file; write Bản gốc điện tử (born "
                    "digital), Số hóa (digitized) or Hỗn hợp (mixed)"
                ),
            )
        ]

    def problems_of(self, record):
        return check_archival_file(instance_values(record))


DOCUMENTS = Documents()
FILES = Files()
KINDS = {kind.name: kind for kind in (DOCUMENTS, FILES)}


def detect_kind(header, source):
    """Return the kind of inventory a header row names.

    A header with columns only a file inventory has (“Thời hạn bảo quản”,
    “Mã phông”…) and none only a document inventory has is a file
    inventory; one with both is refused, asking for ``--kind``; any other
    is a document inventory, as every inventory was before files were.
    """
    names = [name for name in header if name]
    file_only = [
        name
        for name in names
        if FILES.column_for(name) and not DOCUMENTS.column_for(name)
    ]
    document_only = [
        name
        for name in names
        if DOCUMENTS.column_for(name) and not FILES.column_for(name)
    ]
    if file_only and document_only:
        raise InventoryFileError(
            source,
            "the header names columns of a document inventory ("
            + ", ".join(document_only)
            + ") and of a file inventory ("
            + ", ".join(file_only)
            + "); give --kind documents or --kind files",
            "header row",
        )
    return FILES if file_only else DOCUMENTS

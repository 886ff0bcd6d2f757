"""Read the rows of a CSV or XLSX inventory lazily, as NFC text.

A reader yields ``(line, cells)`` one row at a time, so an inventory of any
length is read in flat memory. CSV bytes go through
:func:`~disan.catalog.encodings.detect_encoding` (TCVN3, VNI, VIQR,
Windows-1258 or UTF-8); every cell of either format goes through
:func:`~disan.catalog.encodings.fix_mojibake`. Hostile files are refused
before they are parsed: binary data as CSV, a workbook that is not a zip
archive, or one whose parts would inflate past a limit (a zip bomb).
"""

import csv
import datetime
import logging
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from disan.catalog.encodings import decode, detect_encoding, fix_mojibake
from disan.catalog.importing.exceptions import InventoryFileError
from disan.core.text import nfc

logger = logging.getLogger(__name__)

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
# Longest cell accepted, in characters (the longest text field is 100,000).
MAX_FIELD_CHARS = 1_000_000
# csv reads a cell up to this long, so a longer one than MAX_FIELD_CHARS is
# named by its column; past it, only by its line.
CSV_FIELD_CHARS = 16 * MAX_FIELD_CHARS
MAX_COLUMNS = 200
# A workbook may inflate to at most this many bytes, and no part larger
# than a megabyte may inflate more than this many times its packed size.
MAX_XLSX_BYTES = 2 * 1024**3
MAX_XLSX_RATIO = 200
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 1024 * 1024


def open_inventory(path):
    """Return a reader for the inventory at ``path``, chosen by its extension."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix in CSV_SUFFIXES:
        return CsvInventory(path)
    if suffix in XLSX_SUFFIXES:
        return XlsxInventory(path)
    if suffix == ".xls":
        raise InventoryFileError(
            nfc(path.name),
            "old Excel 97-2003 workbooks are not read; save it as .xlsx",
        )
    raise InventoryFileError(
        nfc(path.name), "unknown kind of file; give a .csv or .xlsx inventory"
    )


def clean_cell(value):
    """Return a cell as stripped NFC text, mojibake repaired; "" if empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = fix_mojibake(nfc(str(value))).strip()
    # An apostrophe written before a formula sign kept a spreadsheet from
    # running it (see export.neutralize); the value is what follows it.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


class CsvInventory:
    """Rows of a CSV file in any of the encodings Vietnamese files come in."""

    def __init__(self, path):
        self.path = Path(path)
        self.name = nfc(self.path.name)
        self.encoding = None
        self.delimiter = None

    def _sample(self):
        try:
            with self.path.open("rb") as handle:
                sample = handle.read(SAMPLE_BYTES)
        except OSError as err:
            raise InventoryFileError(
                self.name, f"cannot be read ({err.strerror})"
            ) from err
        if b"\x00" in sample:
            raise InventoryFileError(
                self.name,
                "holds binary data (NUL bytes), not text; export the "
                'spreadsheet again as "CSV UTF-8"',
            )
        return sample

    def rows(self):
        """Yield ``(line number, cells)``; the first row is the header."""
        sample = self._sample()
        self.encoding = detect_encoding(sample)
        first_line = decode(sample.split(b"\n", 1)[0][:SAMPLE_BYTES], self.encoding)
        self.delimiter = _delimiter(first_line)
        logger.info(
            "Reading %s as %s, separated by %r",
            self.name,
            self.encoding,
            self.delimiter,
        )
        with self.path.open("rb") as handle:
            reader = csv.reader(
                self._lines(handle), delimiter=self.delimiter, strict=False
            )
            yield from self._records(reader)

    def _records(self, reader):
        line = 1
        header = []
        try:
            for values in _within_field_limit(reader):
                self._check_lengths(values, header, line)
                header = header or values
                if len(values) > MAX_COLUMNS:
                    raise InventoryFileError(
                        self.name,
                        f"{len(values)} columns, more than {MAX_COLUMNS}; "
                        "check the separator",
                        f"line {line}",
                    )
                yield line, [clean_cell(value) for value in values]
                line = reader.line_num + 1
        except csv.Error as err:
            if "field larger than field limit" in str(err):
                raise InventoryFileError(
                    self.name,
                    _(
                        "a cell is longer than %(limit)s characters, the most "
                        "an inventory cell may hold; shorten it or put the text "
                        "in a file"
                    )
                    % {"limit": f"{MAX_FIELD_CHARS:,}"},
                    _("line %(line)s") % {"line": line},
                ) from err
            raise InventoryFileError(
                self.name, f"not valid CSV ({err})", f"line {reader.line_num}"
            ) from err
        except UnicodeDecodeError as err:
            raise InventoryFileError(
                self.name,
                f"not {self.encoding} after the start "
                f"(byte 0x{err.object[err.start]:02x}); "
                'save the whole file again as "CSV UTF-8"',
                f"line {reader.line_num + 1}",
            ) from err

    def _check_lengths(self, values, header, line):
        for number, value in enumerate(values, 1):
            if len(value) > MAX_FIELD_CHARS:
                name = header[number - 1].strip() if number <= len(header) else ""
                column = name or str(number)
                raise InventoryFileError(
                    self.name,
                    _(
                        "the cell of column '%(column)s' holds %(count)s characters, "
                        "more than the %(limit)s an inventory cell may hold; "
                        "shorten it or put the text in a file"
                    )
                    % {
                        "column": column,
                        "count": f"{len(value):,}",
                        "limit": f"{MAX_FIELD_CHARS:,}",
                    },
                    _("line %(line)s") % {"line": line},
                )

    def _lines(self, handle):
        # Line by line, so a bad byte is reported on its own line.
        for raw in handle:
            yield decode(raw, self.encoding)


def _within_field_limit(reader):
    """Yield the records of a csv ``reader`` read under ``CSV_FIELD_CHARS``.

    csv's field size limit is global to the process: it is raised only while
    a record is read, so a caller that stops early (at a bad header, say)
    leaves no other CSV reader with the raised limit.
    """
    while True:
        previous = csv.field_size_limit(CSV_FIELD_CHARS)
        try:
            values = next(reader, None)
        finally:
            csv.field_size_limit(previous)
        if values is None:
            return
        yield values


def _delimiter(first_line):
    """Return the separator under which the header names the most columns."""
    from disan.catalog.importing.kinds import KINDS
    from disan.catalog.importing.values import fold

    known = set()
    for kind in KINDS.values():
        known.update(kind.index)

    def score(delimiter):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(fold(cell) in known for cell in cells), len(cells)

    return max(DELIMITERS, key=score)


class XlsxInventory:
    """Rows of the first worksheet of an XLSX workbook, read in streaming mode."""

    def __init__(self, path):
        self.path = Path(path)
        self.name = nfc(self.path.name)
        self.encoding = "xlsx"

    def _check_archive(self):
        try:
            with zipfile.ZipFile(self.path) as archive:
                members = archive.infolist()
        except OSError as err:
            raise InventoryFileError(
                self.name, f"cannot be read ({err.strerror})"
            ) from err
        except zipfile.BadZipFile as err:
            raise InventoryFileError(
                self.name,
                "not an XLSX workbook (not a zip archive); save it again "
                "as an Excel workbook (.xlsx)",
            ) from err
        total = sum(member.file_size for member in members)
        if total > MAX_XLSX_BYTES:
            raise InventoryFileError(
                self.name,
                f"would inflate to {total} bytes, over the limit of "
                f"{MAX_XLSX_BYTES}; split the inventory",
            )
        for member in members:
            packed = max(member.compress_size, 1)
            if (
                member.file_size > 1024**2
                and member.file_size / packed > MAX_XLSX_RATIO
            ):
                raise InventoryFileError(
                    self.name,
                    f"part {member.filename} inflates {member.file_size // packed} "
                    f"times (more than {MAX_XLSX_RATIO}): refused as a zip bomb",
                )

    def rows(self):
        """Yield ``(row number, cells)``; the first row is the header."""
        import openpyxl

        self._check_archive()
        try:
            workbook = openpyxl.load_workbook(
                self.path, read_only=True, data_only=False
            )
        except Exception as err:
            # openpyxl raises many kinds of errors for broken workbooks.
            raise InventoryFileError(
                self.name,
                f"cannot be opened as a workbook ({type(err).__name__}: {err}); "
                "open it in a spreadsheet and save it again as .xlsx",
            ) from err
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            for row in sheet.iter_rows():
                if len(row) > MAX_COLUMNS:
                    raise InventoryFileError(
                        self.name,
                        f"more than {MAX_COLUMNS} columns",
                        f"row {row[0].row}",
                    )
                cells = [self._cell(cell) for cell in row]
                number = next((cell.row for cell in row if hasattr(cell, "row")), 0)
                yield number, cells
        finally:
            workbook.close()

    def _cell(self, cell):
        if getattr(cell, "data_type", None) == "f":
            return Formula(str(cell.value))
        return clean_cell(cell.value)


class Formula(str):
    """The text of a formula found in a workbook cell; never imported."""

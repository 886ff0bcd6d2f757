"""Write the catalog, or an empty inventory, as CSV or XLSX.

Documents or archival files: the columns are those the import of the same
kind reads (see :mod:`~disan.catalog.importing.kinds`), so an exported file
imports back unchanged. Text that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe; import removes it.
"""

import csv
import datetime
import logging
from pathlib import Path

from disan.catalog.importing.exceptions import InventoryFileError
from disan.catalog.importing.kinds import DOCUMENTS
from disan.catalog.importing.readers import CSV_SUFFIXES, XLSX_SUFFIXES
from disan.core.text import nfc

logger = logging.getLogger(__name__)

FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """Return text a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_SIGNS):
        return "'" + value
    return value


def headers(language="vi", kind=DOCUMENTS):
    """Return the header row, in Vietnamese (``vi``) or English (``en``)."""
    position = 0 if language == "vi" else 1
    return [column.names[position] for column in kind.export_columns()]


def cell(record, column, language="vi"):
    """Return ``record``'s value for ``column`` as an inventory cell.

    Under Vietnamese headers a choice is written as its Vietnamese name
    (``Vĩnh viễn``, ``Công khai``), which import reads back as the same code;
    under English headers, as its code.
    """
    value = getattr(record, column.field)
    if value is None:
        return ""
    labels = getattr(column.read, "labels", None)
    if labels is not None and language == "vi" and value in labels:
        return labels[value]
    if column.field == "holding_unit":
        return neutralize(value.name)
    if column.field == "collection":
        return value.slug
    if column.field == "archival_file":
        return value.file_code
    if column.field in ("fonds", "series"):
        return neutralize(value.code)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return neutralize("; ".join(value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return neutralize(value)


def export_catalog(path, documents=None, language="vi", kind=DOCUMENTS):
    """Write ``documents`` (default: every record of ``kind``) to ``path``.

    Return the count. The format follows the extension: ``.csv`` (UTF-8
    with a BOM, which spreadsheets need to read Vietnamese) or ``.xlsx``.
    """
    if documents is None:
        documents = kind.model().objects.order_by(kind.key)
    records = documents.select_related(*kind.related).iterator(chunk_size=2000)
    chosen = kind.export_columns()
    rows = ([cell(record, column, language) for column in chosen] for record in records)
    return _write(Path(path), headers(language, kind), rows)


def write_template(path, language="vi", kind=DOCUMENTS):
    """Write an empty inventory of ``kind`` with every column to ``path``."""
    _write(Path(path), headers(language, kind), iter(()))


def _write(path, header, rows):
    suffix = path.suffix.casefold()
    if suffix in CSV_SUFFIXES:
        count = _write_csv(path, header, rows)
    elif suffix in XLSX_SUFFIXES:
        count = _write_xlsx(path, header, rows)
    else:
        raise InventoryFileError(
            nfc(path.name), "unknown kind of file; name it .csv or .xlsx"
        )
    logger.info("Wrote %d rows to %s", count, path)
    return count


def _write_csv(path, header, rows):
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_xlsx(path, header, rows):
    import openpyxl

    # Write-only mode streams rows to disk instead of keeping the sheet.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh mục")
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    workbook.save(path)
    return count

"""Read descriptive metadata handed over with a batch and check it.

A batch may carry ``metadata.csv`` at its top (one row per document, found
by its ``folder`` or ``identifier`` column) and ``metadata.json`` in a
document folder. Keys may be written in English or Vietnamese; values of
the controlled fields may use the Vietnamese words catalogers use.

Languages are ISO 639 codes, with one addition: ``nom`` stands for
Vietnamese written in Nôm, which ISO 639 has no code for, so that "Hán Nôm"
can be kept as ``["lzh", "nom"]``. Scripts are ISO 15924 codes; Nôm is
written with Han characters, so it is ``Hani``.
"""

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field

from django.utils import translation

from disan.catalog.importing.values import CellError, written_date
from disan.catalog.models import (
    AccessLevel,
    HeritageStatus,
    ReadingDirection,
    default_access_level,
)
from disan.catalog.vocabularies import reads_vertically
from disan.core.text import nfc
from disan.ingest.exceptions import MetadataError

# Limits on what a batch may hand over, against runaway or hostile files.
MAX_CSV_BYTES = 32 * 1024 * 1024
MAX_CSV_ROWS = 100_000
MAX_JSON_BYTES = 1024 * 1024

# Canonical key -> the names a column or key may have (compared casefolded).
KEY_NAMES = {
    "folder": ["folder", "thư mục"],
    "identifier": ["identifier", "id", "mã", "số hiệu", "ký hiệu", "mã số"],
    "title": ["title", "tiêu đề", "tên", "tên tài liệu", "nhan đề"],
    "original_title": ["original title", "tên gốc", "nhan đề gốc", "tiêu đề gốc"],
    "doc_type": ["type", "doc type", "loại", "loại tài liệu", "thể loại"],
    "date_written": ["date", "date written", "niên đại", "thời gian", "ngày tháng"],
    "year_start": ["year start", "năm bắt đầu", "từ năm"],
    "year_end": ["year end", "năm kết thúc", "đến năm"],
    "languages": ["languages", "language", "ngôn ngữ"],
    "scripts": ["scripts", "script", "chữ viết", "văn tự"],
    "holding_unit": ["holding unit", "đơn vị", "đơn vị lưu giữ", "nơi lưu giữ"],
    "heritage_status": ["heritage status", "tình trạng di sản", "cấp di sản"],
    "access_level": ["access level", "access", "mức truy cập", "quyền truy cập"],
    "reading_direction": ["reading direction", "hướng đọc"],
    "description": ["description", "mô tả", "ghi chú"],
}
LANGUAGE_NAMES = {
    "vi": ["vi", "vie", "tiếng việt", "việt", "quốc ngữ"],
    "lzh": ["lzh", "hán", "hán văn", "chữ hán", "văn ngôn", "literary chinese"],
    "zh": ["zh", "zho", "chi", "tiếng trung", "tiếng hoa"],
    "nom": ["nom", "nôm", "chữ nôm"],
    "fr": ["fr", "fra", "fre", "tiếng pháp"],
    "en": ["en", "eng", "tiếng anh"],
}
SCRIPT_NAMES = {
    "Latn": ["latn", "latinh", "la tinh", "quốc ngữ", "chữ quốc ngữ"],
    "Hani": ["hani", "hán", "chữ hán", "nôm", "chữ nôm", "hán nôm"],
    "Hant": ["hant", "phồn thể", "hán phồn thể"],
    "Hans": ["hans", "giản thể", "hán giản thể"],
}
HERITAGE_NAMES = {
    HeritageStatus.INVENTORIED: ["inventoried", "kiểm kê", "đã kiểm kê"],
    HeritageStatus.REGISTERED: ["registered", "đăng ký", "đã đăng ký"],
    HeritageStatus.NATIONAL: ["national", "quốc gia", "di sản tư liệu quốc gia"],
    HeritageStatus.MOW_ASIA_PACIFIC: [
        "mow_asia_pacific",
        "mow asia pacific",
        "khu vực",
        "châu á - thái bình dương",
    ],
    HeritageStatus.MOW_INTERNATIONAL: [
        "mow_international",
        "mow international",
        "unesco",
        "thế giới",
        "di sản tư liệu thế giới",
    ],
}
ACCESS_NAMES = {
    AccessLevel.PUBLIC: ["public", "công khai", "mở"],
    AccessLevel.CONDITIONAL: ["conditional", "hạn chế", "có điều kiện"],
    AccessLevel.SECRET: ["secret", "mật", "tối mật", "tuyệt mật"],
}
DIRECTION_NAMES = {
    ReadingDirection.LEFT_TO_RIGHT: ["left-to-right", "ltr", "trái sang phải"],
    ReadingDirection.RIGHT_TO_LEFT: ["right-to-left", "rtl", "phải sang trái"],
}
TEXT_LIMITS = {
    "identifier": 255,
    "title": 1000,
    "original_title": 1000,
    "doc_type": 100,
    "date_written": 255,
    "holding_unit": 255,
    "description": 100_000,
}


@dataclass
class DocumentMetadata:
    """Checked descriptive metadata of one document, all text in NFC."""

    identifier: str
    title: str
    original_title: str = ""
    doc_type: str = ""
    date_written: str = ""
    year_start: int | None = None
    year_end: int | None = None
    languages: list = field(default_factory=list)
    scripts: list = field(default_factory=list)
    holding_unit: str = ""
    heritage_status: str = HeritageStatus.INVENTORIED.value
    # Without a word on access, a new document is not published: see
    # DISAN_DEFAULT_ACCESS_LEVEL. One already in the catalog keeps its level.
    access_level: str = field(default_factory=default_access_level)
    reading_direction: str = ReadingDirection.LEFT_TO_RIGHT.value
    description: str = ""
    # The keys the metadata gave a value for; the others hold defaults. A
    # document already in the catalog keeps its access level when the batch
    # names none (see the identify step).
    named: list = field(default_factory=list, compare=False)


def _fold(text):
    """Return ``text`` in a form for comparing names: NFC, casefolded."""
    text = unicodedata.normalize("NFC", str(text)).casefold().strip()
    return " ".join(text.replace("_", " ").split())


def _lookup(names):
    return {_fold(name): value for value, group in names.items() for name in group}


_KEYS = _lookup(KEY_NAMES)
_LANGUAGES = _lookup(LANGUAGE_NAMES)
_SCRIPTS = _lookup(SCRIPT_NAMES)
_CHOICES = {
    "heritage_status": _lookup(HERITAGE_NAMES),
    "access_level": _lookup(ACCESS_NAMES),
    "reading_direction": _lookup(DIRECTION_NAMES),
}


def canonical_key(name):
    """Return the canonical key for a column or key name, or ``None``."""
    return _KEYS.get(_fold(name))


# --- Reading files ----------------------------------------------------------


def read_metadata_csv(path):
    """Return the rows of ``metadata.csv`` as dicts with canonical keys.

    Each row has a ``folder`` key: the folder column, or else the
    identifier, which then names the folder. Raises :class:`MetadataError`
    listing every problem found.
    """
    name = nfc(path.name)
    text = _read_text(path, name, MAX_CSV_BYTES)
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Vietnamese separate columns with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        keys, errors = _csv_keys(header)
        if errors:
            raise MetadataError(name, errors)
        rows = []
        for values in reader:
            if reader.line_num > MAX_CSV_ROWS + 1:
                raise MetadataError(
                    name, [("rows", f"more than {MAX_CSV_ROWS} rows; split the batch")]
                )
            if not any(value.strip() for value in values):
                continue
            rows.append(_csv_row(keys, values, reader.line_num, errors))
    except csv.Error as err:
        raise MetadataError(name, [(f"line {reader.line_num}", str(err))]) from err

    _check_folders(rows, errors)
    if errors:
        raise MetadataError(name, errors)
    return rows


def _csv_keys(header):
    keys, errors = [], []
    for column in header:
        key = canonical_key(column) if column.strip() else None
        if key is None and column.strip():
            errors.append(
                (
                    nfc(column.strip()),
                    "unknown column; see the accepted names in README.md (A batch)",
                )
            )
        elif key in keys:
            errors.append((key, "given in two columns; keep one"))
        keys.append(key)
    if not errors and not {"folder", "identifier"} & set(keys):
        errors.append(
            (
                "folder",
                "no 'folder' or 'identifier' column; add one naming "
                "each document's folder",
            )
        )
    return keys, errors


def _csv_row(keys, values, line, errors):
    if len(values) > len(keys):
        errors.append(
            (
                f"line {line}",
                f"{len(values)} values for {len(keys)} "
                "columns; quote values that contain the separator",
            )
        )
    row = {key: nfc(value) for key, value in zip(keys, values, strict=False) if key}
    row["folder"] = (row.get("folder") or row.get("identifier") or "").strip()
    if not row["folder"]:
        errors.append((f"line {line}", "no folder or identifier given"))
    return row


def _check_folders(rows, errors):
    seen = set()
    for row in rows:
        if row["folder"] and row["folder"] in seen:
            errors.append((row["folder"], "named by two rows; keep one"))
        seen.add(row["folder"])


def read_metadata_json(path):
    """Return the object in a document's ``metadata.json``, keys canonical."""
    name = nfc(path.name)
    text = _read_text(path, name, MAX_JSON_BYTES)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise MetadataError(
            name,
            [
                (
                    "json",
                    f"not valid JSON ({err.msg} at line {err.lineno}, column "
                    f"{err.colno}); check it with a JSON validator",
                )
            ],
        ) from err
    if not isinstance(data, dict):
        raise MetadataError(name, [("json", "must be one object {...} of fields")])

    metadata, errors = {}, []
    for key, value in data.items():
        canonical = canonical_key(key)
        if canonical is None:
            errors.append(
                (nfc(key), "unknown key; see the accepted names in README.md (A batch)")
            )
        elif not _is_plain(value):
            errors.append((canonical, "must be text, a number or a list of text"))
        else:
            metadata[canonical] = nfc(value) if isinstance(value, str) else value
    if errors:
        raise MetadataError(name, errors)
    return metadata


def _is_plain(value):
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return value is None or isinstance(value, str | int | float)


def _read_text(path, name, limit):
    try:
        size = path.stat().st_size
        if size > limit:
            raise MetadataError(
                name, [("file", f"{size} bytes, over the limit of {limit}; split it")]
            )
        data = path.read_bytes()
    except OSError as err:
        problem = ("file", f"cannot be read ({err.strerror})")
        raise MetadataError(name, [problem]) from err
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        raise MetadataError(
            name,
            [
                (
                    "encoding",
                    f"not UTF-8 (byte 0x{data[err.start]:02x} at position "
                    f"{err.start}); save it again as UTF-8 "
                    '("CSV UTF-8" in a spreadsheet)',
                )
            ],
        ) from err


# --- Checking values --------------------------------------------------------


def normalize_metadata(raw, *, source):
    """Check ``raw`` metadata and return a :class:`DocumentMetadata`.

    ``raw`` holds keys in English or Vietnamese; its ``folder`` value is the
    default identifier and title. ``source`` names where it came from in
    the error. Every invalid field is reported in one :class:`MetadataError`.
    """
    values, errors = {}, []
    for key, value in raw.items():
        canonical = canonical_key(key)
        if canonical is None:
            errors.append((nfc(str(key)), "unknown field"))
        elif value not in (None, "", []):
            values[canonical] = value
    folder = _text(values.pop("folder", ""), "folder", errors)

    # Free text fields.
    result = {}
    for name, limit in TEXT_LIMITS.items():
        text = _text(values.get(name, ""), name, errors)
        if len(text) > limit:
            errors.append((name, f"longer than {limit} characters"))
        result[name] = text
    result["identifier"] = result["identifier"] or folder
    result["title"] = result["title"] or folder or result["identifier"]
    if not result["identifier"]:
        errors.append(("identifier", "missing; give an identifier or a folder"))

    # Controlled vocabularies.
    result["languages"] = _codes(
        values.get("languages"), _LANGUAGES, "languages", errors
    )
    result["scripts"] = _codes(values.get("scripts"), _SCRIPTS, "scripts", errors)
    for name, choices in _CHOICES.items():
        if name in values:
            result[name] = _choice(values[name], choices, name, errors)
    if "reading_direction" not in values and reads_vertically(
        result["languages"], result["scripts"]
    ):
        result["reading_direction"] = ReadingDirection.RIGHT_TO_LEFT.value

    # Years: given, or read from the date as written, which is held to the
    # rule of `disan import` and the staff form (readable, not past its
    # reign era, not after this year). Ingest reports its problems in
    # English, so the date's message is read in English too.
    start = end = None
    if result["date_written"]:
        try:
            with translation.override("en"):
                written = written_date(result["date_written"], None)
        except CellError as err:
            errors.append(("date_written", str(err)))
        else:
            start, end = written.year_start, written.year_end
    result["year_start"] = _year(values.get("year_start"), start, "year_start", errors)
    result["year_end"] = _year(values.get("year_end"), end, "year_end", errors)
    if None not in (result["year_start"], result["year_end"]) and (
        result["year_start"] > result["year_end"]
    ):
        errors.append(("year_end", "earlier than year_start"))

    if errors:
        raise MetadataError(source, errors)
    return DocumentMetadata(**result, named=sorted(values))


def _text(value, name, errors):
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        errors.append((name, "must be text"))
        return ""
    text = nfc(value).strip()
    if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in text):
        errors.append((name, "contains control characters"))
    return text


def _codes(value, names, name, errors):
    if value is None:
        return []
    if isinstance(value, str):
        items = value.replace(";", ",").replace("/", ",").split(",")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = value
    else:
        errors.append((name, "must be text or a list of text"))
        return []
    codes = []
    for item in filter(None, (_fold(item) for item in items)):
        found = names.get(item) or _pair(item, names)
        if found is None:
            accepted = ", ".join(sorted({code for code in names.values()}))
            errors.append((name, f"unknown value '{item}'; use {accepted}"))
            continue
        for code in found if isinstance(found, list) else [found]:
            if code not in codes:
                codes.append(code)
    return codes


def _pair(item, names):
    """Read "Hán Nôm" and the like as two names, when both are known."""
    parts = item.split()
    if len(parts) == 2:
        found = [names.get(part) for part in parts]
        if None not in found:
            return found
    return None


def _choice(value, choices, name, errors):
    found = choices.get(_fold(value)) if isinstance(value, str) else None
    if found is None:
        accepted = ", ".join(sorted({str(choice) for choice in choices.values()}))
        errors.append((name, f"unknown value '{nfc(str(value))}'; use {accepted}"))
        return ""
    return found.value


def _year(value, default, name, errors):
    if value is None:
        return default
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if not is_int or not -9999 <= value <= 9999:
        errors.append((name, f"'{nfc(str(value))}' is not a year"))
        return None
    return value

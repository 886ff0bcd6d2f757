"""Check archival files and documents field by field.

Model ``clean()`` and bulk import use the same checks: each takes a mapping
of field name to value and returns every :class:`Problem` found, so a row of
an inventory is reported whole rather than one error at a time. Messages
are gettext strings: they read in Vietnamese or English by the active
language.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

from disan.catalog.dates import DateError, parse_date
from disan.catalog.vocabularies import (
    LANGUAGES,
    BackupStatus,
    CarrierType,
    Ownership,
    Reliability,
    Retention,
    document_types,
)

# Agency identifier of Decision 20/2020/QĐ-TTg, e.g. 000.00.31.H26 (Hanoi).
AGENCY_CODE = re.compile(r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}")
# The file's number, optionally with its notation: 15, 015.VP, 3.TCCB-VT.
FILE_NUMBER = re.compile(r"[0-9]{1,6}(?:\.[0-9A-ZĐ]+(?:-[0-9A-ZĐ]+)*)?")
ORDINAL_DIGITS = 7
MAX_ORDINAL = 10**ORDINAL_DIGITS - 1
EARLIEST_YEAR = 1000
# Most open first; a document may not be more open than its file.
ACCESS_ORDER = ("public", "conditional", "secret")
# A file code's year: four digits (the agency code's groups have two or three).
_CODE_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Problem:
    """One rule a field breaks: a stable ``code`` and a message."""

    field: str
    code: str
    message: object
    params: dict = field(default_factory=dict)

    def __str__(self):
        return str(self.message) % self.params

    def as_error(self):
        return ValidationError(self.message, code=self.code, params=self.params)


def compose_file_code(agency_code, year, file_number):
    """Return the file code: agency code, year and file number, dot-joined."""
    return f"{agency_code}.{year}.{file_number}"


def split_file_code(code):
    """Return ``(agency code, year, file number)`` of a file code, or ``None``.

    A file code is the agency code, the year and the file number joined by
    dots (:func:`compose_file_code`); the number may hold dots itself
    (``15.VP``), the agency code too (``000.00.31.H26``). The year is the
    first group of four digits after the first group.
    """
    groups = code.split(".")
    for position in range(1, len(groups) - 1):
        if _CODE_YEAR.fullmatch(groups[position]):
            return (
                ".".join(groups[:position]),
                int(groups[position]),
                ".".join(groups[position + 1 :]),
            )
    return None


def compose_document_code(file_code, ordinal):
    """Return the document code: the file code and a 7-digit ordinal."""
    return f"{file_code}.{int(ordinal):0{ORDINAL_DIGITS}d}"


def instance_values(instance):
    """Return a model instance's field values, related objects as objects."""
    values = {}
    for model_field in instance._meta.concrete_fields:
        try:
            values[model_field.name] = getattr(instance, model_field.name)
        except ObjectDoesNotExist:
            values[model_field.name] = None
    return values


def raise_problems(problems):
    """Raise one :class:`CatalogValidationError` carrying every problem."""
    from disan.catalog.exceptions import CatalogValidationError

    if problems:
        raise CatalogValidationError(problems)


def check_archival_file(values, today=None):
    """Return the problems of an archival file's ``values`` (field -> value)."""
    today = today or datetime.date.today()
    problems = []
    _check_file_code(values, today, problems)
    _require(values, "title", problems)
    _check_choice(values, "retention", Retention, problems)
    if values.get("retention") == Retention.OTHER and not _text(
        values, "retention_note"
    ):
        problems.append(
            Problem(
                "retention_note",
                "retention_note_required",
                _("Retention is “other”: write the retention period here."),
            )
        )
    _check_choice(values, "access_mode", _access_choices(), problems)
    _check_languages(values, problems)
    _check_file_dates(values, today, problems)
    _check_choice(values, "reliability", Reliability, problems)
    if values.get("reliability") == Reliability.DIGITIZED and not _text(
        values, "paper_file_code"
    ):
        problems.append(
            Problem(
                "paper_file_code",
                "paper_file_code_required",
                _("A digitized file must carry the code of its paper file."),
            )
        )
    _check_choice(values, "backup_status", BackupStatus, problems)
    _check_keywords(values, problems)
    _check_series_in_fonds(values, problems)
    return problems


def check_document(values, today=None):
    """Return the problems of a document's ``values`` (field -> value)."""
    today = today or datetime.date.today()
    problems = []
    _require(values, "identifier", problems)
    _require(values, "title", problems)
    _check_choice(values, "carrier_type", CarrierType, problems)
    _check_choice(values, "ownership", Ownership, problems)
    _check_choice(values, "access_level", _access_choices(), problems)
    _check_languages(values, problems)
    _check_year_order(values, problems)
    _check_document_type(values, problems)
    _check_ordinal(values, problems)
    year_start = values.get("year_start")
    if isinstance(year_start, int) and year_start > today.year:
        problems.append(
            Problem(
                "year_start",
                "year_future",
                _(
                    "Start year %(value)s is after this year (%(year)s): a"
                    " document cannot be dated in the future."
                ),
                {"value": year_start, "year": today.year},
            )
        )
    issue_date = values.get("issue_date")
    if isinstance(issue_date, datetime.date) and issue_date > today:
        problems.append(
            Problem(
                "issue_date",
                "issue_date_future",
                _("Issue date %(value)s is in the future."),
                {"value": issue_date.isoformat()},
            )
        )
    _check_against_file(values, problems)
    return problems


# --- File code and ordinal -------------------------------------------------


def _check_file_code(values, today, problems):
    agency_code = _text(values, "agency_code")
    if not agency_code:
        problems.append(_missing("agency_code"))
    elif not AGENCY_CODE.fullmatch(agency_code):
        problems.append(
            Problem(
                "agency_code",
                "agency_code_format",
                _(
                    "Agency code “%(value)s” is not an agency identifier such"
                    " as 000.00.31.H26 (four dot-separated groups)."
                ),
                {"value": agency_code},
            )
        )
    year = values.get("year")
    last_year = today.year
    if year in (None, ""):
        problems.append(_missing("year"))
    elif not isinstance(year, int) or not EARLIEST_YEAR <= year <= last_year:
        problems.append(
            Problem(
                "year",
                "year_range",
                _("Year “%(value)s” must be a year from %(first)s to %(last)s."),
                {"value": year, "first": EARLIEST_YEAR, "last": last_year},
            )
        )
    number = _text(values, "file_number")
    if not number:
        problems.append(_missing("file_number"))
    elif not FILE_NUMBER.fullmatch(number):
        problems.append(
            Problem(
                "file_number",
                "file_number_format",
                _(
                    "File number “%(value)s” must be up to six digits,"
                    " optionally followed by a dot and a notation (15, 15.VP)."
                ),
                {"value": number},
            )
        )


def _check_ordinal(values, problems):
    ordinal = values.get("document_ordinal")
    has_file = values.get("archival_file") is not None
    if ordinal is None:
        if has_file:
            problems.append(
                Problem(
                    "document_ordinal",
                    "ordinal_required",
                    _("A document in an archival file needs its ordinal in the file."),
                )
            )
        return
    if not has_file:
        problems.append(
            Problem(
                "archival_file",
                "file_required",
                _("An ordinal is given but no archival file: choose the file."),
            )
        )
    if not isinstance(ordinal, int) or not 1 <= ordinal <= MAX_ORDINAL:
        problems.append(
            Problem(
                "document_ordinal",
                "ordinal_range",
                _("Ordinal “%(value)s” must be a whole number from 1 to %(last)s."),
                {"value": ordinal, "last": MAX_ORDINAL},
            )
        )


def _check_document_type(values, problems):
    code = _text(values, "document_type")
    if code and code not in document_types():
        problems.append(
            Problem(
                "document_type",
                "document_type_unknown",
                _(
                    "Document type “%(value)s” is not in the national list of"
                    " document types; use one of its codes (QD, CV, BC…)."
                ),
                {"value": code},
            )
        )


# --- Relations ----------------------------------------------------------------


def _check_series_in_fonds(values, problems):
    series, fonds = values.get("series"), values.get("fonds")
    if series is not None and fonds is not None and series.fonds_id != fonds.pk:
        problems.append(
            Problem(
                "series",
                "series_other_fonds",
                _("Series “%(value)s” belongs to another fonds than this file's."),
                {"value": series.code},
            )
        )


def _check_against_file(values, problems):
    archival_file = values.get("archival_file")
    if archival_file is None:
        return
    unit = values.get("holding_unit")
    file_unit = archival_file.fonds.holding_unit
    if unit is not None and unit.pk != file_unit.pk:
        problems.append(
            Problem(
                "archival_file",
                "file_other_unit",
                _("Archival file %(value)s is held by %(unit)s, not by this unit."),
                {"value": archival_file.file_code, "unit": file_unit.name},
            )
        )
    level = values.get("access_level")
    if level in ACCESS_ORDER and ACCESS_ORDER.index(level) < ACCESS_ORDER.index(
        archival_file.access_mode
    ):
        problems.append(
            Problem(
                "access_level",
                "access_more_open_than_file",
                _(
                    "Access level “%(value)s” is more open than the access mode"
                    " of its file (%(mode)s)."
                ),
                {"value": level, "mode": archival_file.access_mode},
            )
        )


# --- Plain fields -----------------------------------------------------------


def _text(values, name):
    value = values.get(name)
    return value.strip() if isinstance(value, str) else value


def _missing(name):
    return Problem(name, "required", _("This field is required."))


def _require(values, name, problems):
    if not _text(values, name):
        problems.append(_missing(name))


def _access_choices():
    from disan.catalog.models import AccessLevel

    return AccessLevel


def _check_choice(values, name, choices, problems):
    value = values.get(name)
    if value in (None, ""):
        return
    if value not in choices.values:
        problems.append(
            Problem(
                name,
                "invalid_choice",
                _("“%(value)s” is not one of: %(choices)s."),
                {"value": value, "choices": ", ".join(choices.values)},
            )
        )


def _check_languages(values, problems):
    languages = values.get("languages") or []
    if not isinstance(languages, list):
        languages = [languages]
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        problems.append(
            Problem(
                "languages",
                "language_unknown",
                _("Unknown language code(s) %(value)s; use %(choices)s."),
                {
                    "value": ", ".join(map(str, unknown)),
                    "choices": ", ".join(LANGUAGES),
                },
            )
        )


def _check_keywords(values, problems):
    keywords = values.get("keywords") or []
    if not isinstance(keywords, list) or not all(
        isinstance(word, str) and word.strip() for word in keywords
    ):
        problems.append(
            Problem(
                "keywords",
                "keywords_format",
                _("Keywords must be a list of non-empty words or phrases."),
            )
        )


def _check_date_order(values, first, last, problems):
    start, end = values.get(first), values.get(last)
    if (
        isinstance(start, datetime.date)
        and isinstance(end, datetime.date)
        and end < start
    ):
        problems.append(
            Problem(
                last,
                "end_before_start",
                _("End date %(end)s is before start date %(start)s."),
                {"end": end.isoformat(), "start": start.isoformat()},
            )
        )


# A date in EDTF as the date reader writes one end: 1966, 1966-05, 1966-05-03,
# or a decade, 196X.
_EDTF_DAY = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")
_EDTF_DECADE = re.compile(r"([0-9]{3})X")


def edtf_days(end):
    """Return the first and last day of one EDTF end, or ``None``."""
    decade = _EDTF_DECADE.fullmatch(end)
    if decade:
        year = int(decade[1]) * 10
        first, last = (year, 1, 1), (year + 9, 12, 31)
    else:
        match = _EDTF_DAY.fullmatch(end)
        if match is None:
            return None
        year, month, day = (int(part) if part else None for part in match.groups())
        if month is None:
            first, last = (year, 1, 1), (year, 12, 31)
        elif day is None:
            first = (year, month, 1)
            last = (year, month, calendar.monthrange(year, month)[1])
        else:
            first = last = (year, month, day)
    if first[0] < datetime.MINYEAR or last[0] > datetime.MAXYEAR:
        return None
    return datetime.date(*first), datetime.date(*last)


@lru_cache(maxsize=4096)
def written_span(written):
    """Return the first and last day a date as written covers, or ``None``.

    ``None`` when the text is empty or cannot be read, when an end is open
    (“trước 1966”), approximate or uncertain (“khoảng 1966”, “1966?”), or
    when it lists dates: the text then sets no bounds a day can be held to.
    A date in a reign era spans the Gregorian years its lunar days fall in.
    """
    written = (written or "").strip()
    if not written:
        return None
    try:
        parsed = parse_date(written)
    except DateError:
        return None
    ends = [edtf_days(end) for end in parsed.edtf.split("/")]
    if None in ends:
        return None
    return ends[0][0], ends[-1][1]


def _check_file_dates(values, today, problems):
    """A file's start and end dates: not after today, in order, and within
    the dates as written when those set bounds."""
    labels = {
        "start_date": _("Start date %(value)s is after today (%(today)s)."),
        "end_date": _("End date %(value)s is after today (%(today)s)."),
    }
    for name, message in labels.items():
        day = values.get(name)
        if isinstance(day, datetime.date) and day > today:
            problems.append(
                Problem(
                    name,
                    f"{name}_future",
                    message,
                    {"value": day.isoformat(), "today": today.isoformat()},
                )
            )
    _check_date_order(values, "start_date", "end_date", problems)
    written = _text(values, "date_written")
    span = written_span(written) if isinstance(written, str) else None
    if span is None:
        return
    outside = {
        "start_date": _(
            "Start date %(value)s lies outside the dates as written"
            ", “%(written)s”, which run from %(first)s to %(last)s."
        ),
        "end_date": _(
            "End date %(value)s lies outside the dates as written"
            ", “%(written)s”, which run from %(first)s to %(last)s."
        ),
    }
    for name, message in outside.items():
        day = values.get(name)
        if isinstance(day, datetime.date) and not span[0] <= day <= span[1]:
            problems.append(
                Problem(
                    name,
                    "outside_date_written",
                    message,
                    {
                        "value": day.isoformat(),
                        "written": written,
                        "first": span[0].isoformat(),
                        "last": span[1].isoformat(),
                    },
                )
            )


def _check_year_order(values, problems):
    start, end = values.get("year_start"), values.get("year_end")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        problems.append(
            Problem(
                "year_end",
                "end_before_start",
                _("End year %(end)s is before start year %(start)s."),
                {"end": end, "start": start},
            )
        )

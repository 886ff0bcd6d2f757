"""Read dates as catalogues write them: Gregorian, centuries, reign eras.

Catalogues of Hán-Nôm documents give dates as free text: a year, a full
day, a range, a century, or a year of a reign era in quốc ngữ or in Hán
("Cảnh Hưng năm thứ 30", "景興三十年十二月"). :func:`parse_date` keeps the
text as written and adds a normalized EDTF string and a span of Gregorian
years; :func:`parse_year_range` gives the span alone, or Nones.

Era years are lunar years. Year *N* of an era whose first year is *Y* is
the lunar year that begins in late January or February of Gregorian year
*Y + N − 1* and ends in the next one, so a date in the 11th or 12th lunar
month may fall in the next Gregorian year; the span says so
(``1769/1770``). A year with no month is given as its conventional
Gregorian year (``1769``) even though its last weeks fall in the next one,
as the published chronologies do.

Error messages are gettext strings with named placeholders: a
:class:`DateError` reads in the language active when it is turned into
text, Vietnamese or English.
"""

import calendar
import csv
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from disan.core.exceptions import DisanError
from disan.core.text import nfc, strip_diacritics

DATA_DIR = Path(__file__).resolve().parent / "data"

# Tone marks of Vietnamese, as combining characters after NFD.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
# The word for century, the number of one, and the parts of one (see
# _CENTURY_PARTS) as the patterns below write them.
_CENTURY_WORD = r"(?:thế\s*k[ỷỉ]|tk)\.?\s*"
_CENTURY_NUMBER = r"[ivxlc]+|\d{1,2}"
_CENTURY_PART_WORDS = r"nửa\s+(?:đầu|sau|cuối)|đầu|giữa|cuối"
_CENTURY = re.compile(
    rf"{_CENTURY_WORD}({_CENTURY_NUMBER})"
    rf"(?:\s*(?:[-–—]|đến)\s*({_CENTURY_NUMBER}))?(?![\w])",
    re.IGNORECASE,
)
# Roman numerals of centuries 1 to 99, in their usual form.
_ROMAN_NUMERAL = re.compile(
    r"(?=[ivxl])(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})", re.IGNORECASE
)
# A century or a part of one: early, mid and late are its thirds, and the
# halves are years 1-50 and 51-100 (see parse_date).
_CENTURY_PARTS = {
    "": (1, 100),
    "đầu": (1, 33),
    "giữa": (34, 66),
    "cuối": (67, 100),
    "nửa đầu": (1, 50),
    "nửa sau": (51, 100),
    "nửa cuối": (51, 100),
}
_CENTURY_PART_TEXT = (
    rf"(?:(?:{_CENTURY_PART_WORDS})\s+)?{_CENTURY_WORD}(?:{_CENTURY_NUMBER})(?![\w])"
)
_CENTURY_PART = re.compile(
    rf"(?:(?P<part>{_CENTURY_PART_WORDS})\s+)?{_CENTURY_WORD}"
    rf"(?P<number>{_CENTURY_NUMBER})",
    re.IGNORECASE,
)
# Two parts of centuries side by side: "cuối thế kỷ XVIII đầu thế kỷ XIX".
_CENTURY_PAIR = re.compile(
    rf"(?P<first>{_CENTURY_PART_TEXT})\s*,?\s*(?P<last>{_CENTURY_PART_TEXT})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(\d{3,4})(?!\d)")
_HAN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_TENS = {"十": 10, "廿": 20, "卅": 30, "卌": 40}
_HAN_NUMBER = "[〇零一二三四五六七八九十廿卅卌百]+"
_HAN_DATE = re.compile(
    rf"^\s*(?P<year>元|{_HAN_NUMBER})\s*年"
    rf"(?:\s*(?P<leap>閏)?\s*(?P<month>正|臘|冬|{_HAN_NUMBER})\s*月)?"
    rf"(?:\s*(?:初)?(?P<day>{_HAN_NUMBER})\s*日)?"
)
_VI_UNITS = {
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "nhăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
_VI_NUMBER = (
    r"(?:(?:một|mốt|hai|ba|bốn|tư|năm|lăm|nhăm|sáu|bảy|bẩy|tám|chín"
    r"|mười|mươi|linh|lẻ)\s*)+"
)
_ERA_YEAR = re.compile(
    r"^\s*(?:\((?P<dynasty>[^()]{1,30})\))?\s*,?\s*(?:n[aă]m\s+)?(?:th[uứ]\s+)?"
    rf"(?P<year>\d{{1,3}}(?!\d)|nguy[eê]n(?:\s+ni[eê]n)?\b|{_VI_NUMBER}(?!\s*\d))",
    re.IGNORECASE,
)
_LUNAR_MONTH = re.compile(
    r"tháng\s+(?P<leap1>nhuận\s+)?(?P<month>\d{1,2}|giêng|chạp|một|"
    r"mười\s+một|mười\s+hai|mười|hai|ba|tư|năm|sáu|bảy|tám|chín)"
    r"(?P<leap2>\s+nhuận)?",
    re.IGNORECASE,
)
_LUNAR_MONTH_NAMES = {
    "giêng": 1,
    "một": 11,
    "chạp": 12,
    "mười một": 11,
    "mười hai": 12,
    "mười": 10,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_LUNAR_DAY = re.compile(r"ngày\s+(?:mồng\s+|mùng\s+)?(\d{1,2})(?!\d)", re.IGNORECASE)
_RANGE_SEPARATOR = re.compile(r"\s*(?:[–—]|\s-\s|\bđến\b|\btới\b|\bto\b)\s*", re.I)
_ALTERNATIVE = re.compile(r"\s+(?:hoặc|hay|or)\s+", re.IGNORECASE)
_APPROXIMATE = re.compile(
    r"^(?:khoảng|chừng|ước|circa|ca\.|c\.|~)\s*(?:năm\s+)?", re.IGNORECASE
)
_BEFORE = re.compile(r"^(?:trước|before)\s+(?:năm\s+)?", re.IGNORECASE)
_AFTER = re.compile(r"^(?:sau|after)\s+(?:năm\s+)?", re.IGNORECASE)
_DECADE = re.compile(
    r"^(?:thập\s+niên|những\s+năm|các\s+năm)\s+(\d{3})0$|^(\d{3})0s$", re.I
)
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_NUMERIC = re.compile(r"^(?:(\d{1,2})[/.\-])?(\d{1,2})[/.\-](\d{3,4})$")
_WORDED = re.compile(
    r"^(?:ngày\s+(\d{1,2})\s*,?\s*)?(?:tháng\s+(\d{1,2})\s*,?\s*)?(?:năm\s+)?(\d{3,4})$",
    re.IGNORECASE,
)
_GLOSS = re.compile(r"\(([^()]*)\)")


class DateError(DisanError, ValueError):
    """A written date that cannot be read; the message says how to write it.

    ``message`` is a lazy gettext string and ``params`` its named values;
    ``str()`` gives the message in the active language.
    """

    def __init__(self, message, params=None):
        self.message = message
        self.params = params or {}
        super().__init__(message, self.params)

    def __str__(self):
        if self.params:
            return str(self.message % self.params)
        return str(self.message)


@dataclass(frozen=True)
class Dynasty:
    code: str
    name: str
    han: str
    aliases: tuple


@dataclass(frozen=True)
class ReignEra:
    """One reign era (niên hiệu) of the table in ``data/reign_eras.csv``."""

    dynasty: Dynasty
    name: str
    han: str
    first_year: int
    last_year: int
    monarch: str
    preferred: bool
    aliases: tuple

    @property
    def label(self):
        return (
            f"{self.name} {self.han} ({self.dynasty.name}, "
            f"{self.first_year}–{self.last_year})"
        )

    def gregorian_year(self, number):
        """Return the Gregorian year in which lunar year ``number`` began."""
        return self.first_year + number - 1


@dataclass
class ParsedDate:
    """A date as written, with its EDTF form and its span of years."""

    written: str
    edtf: str
    year_start: int | None
    year_end: int | None
    calendar: str = "gregorian"
    era: str = ""
    era_year: int | None = None
    lunar_month: int | None = None
    leap_month: bool = False
    lunar_day: int | None = None
    warnings: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


# --- The reign-era table ------------------------------------------------------


@lru_cache(maxsize=4096)
def syllable_key(word):
    """Return ``word`` casefolded with its tone mark moved to the end.

    "Hòa" and "Hoà" (old and new tone placement) get the same key.
    """
    decomposed = unicodedata.normalize("NFD", nfc(word).casefold())
    tones = "".join(char for char in decomposed if char in _TONES)
    base = "".join(char for char in decomposed if char not in _TONES)
    return unicodedata.normalize("NFC", base) + tones


@lru_cache(maxsize=4096)
def folded_key(word):
    """Return ``word`` without any diacritic, ``đ`` read as ``d``."""
    return strip_diacritics(word).casefold()


def _words(text):
    return re.findall(r"\w+", nfc(text))


@lru_cache(maxsize=1)
def dynasties():
    """Return the dynasties of ``data/dynasties.csv`` by code."""
    with open(DATA_DIR / "dynasties.csv", encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Dynasty(
                code=row["code"],
                name=nfc(row["name"]),
                han=row["han"],
                aliases=tuple(nfc(a) for a in row["aliases"].split(";") if a),
            )
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def reign_eras():
    """Return every reign era of ``data/reign_eras.csv``, oldest first."""
    known = dynasties()
    with open(DATA_DIR / "reign_eras.csv", encoding="utf-8", newline="") as handle:
        return tuple(
            ReignEra(
                dynasty=known[row["dynasty"]],
                name=nfc(row["era"]),
                han=row["han"],
                first_year=int(row["first_year"]),
                last_year=int(row["last_year"]),
                monarch=nfc(row["monarch"]),
                preferred=row["preferred"] == "yes",
                aliases=tuple(nfc(a) for a in row["aliases"].split(";") if a),
            )
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=1)
def _era_index():
    """Return lookups by syllable keys, folded keys and Hán name."""
    by_key, by_folded, by_han = {}, {}, {}
    for era in reign_eras():
        for name in (era.name, era.han, *era.aliases):
            if _is_han(name):
                by_han.setdefault(name, []).append(era)
                continue
            words = _words(name)
            by_key.setdefault(tuple(map(syllable_key, words)), []).append(era)
            by_folded.setdefault(tuple(map(folded_key, words)), []).append(era)
    return by_key, by_folded, by_han


def _is_han(text):
    return any(unicodedata.name(char, "").startswith("CJK") for char in text)


def find_eras(name):
    """Return the eras called ``name`` (quốc ngữ, with or without tones, or Hán)."""
    by_key, by_folded, by_han = _era_index()
    name = nfc(name).strip()
    if _is_han(name):
        return list(by_han.get(name, []))
    words = _words(name)
    return list(
        by_key.get(tuple(map(syllable_key, words)))
        or by_folded.get(tuple(map(folded_key, words)))
        or []
    )


@lru_cache(maxsize=1024)
def _dynasty_codes(name):
    """Return the codes of dynasties a qualifier such as "nhà Lê" names."""
    wanted = tuple(map(syllable_key, _words(name)))
    codes = set()
    for dynasty in dynasties().values():
        for alias in (dynasty.name, dynasty.code, *dynasty.aliases):
            if _is_han(alias) and alias == name.strip():
                codes.add(dynasty.code)
            elif tuple(map(syllable_key, _words(alias))) == wanted:
                codes.add(dynasty.code)
        if dynasty.han == name.strip():
            codes.add(dynasty.code)
    return frozenset(codes)


def choose_era(candidates, dynasty=None, warnings=None):
    """Return the era meant among ``candidates`` sharing one name.

    ``dynasty`` (a name or code) narrows the choice; without it the era
    marked preferred in the table is taken and a warning names the others.
    """
    if dynasty:
        codes = _dynasty_codes(dynasty) | {dynasty}
        matching = [era for era in candidates if era.dynasty.code in codes]
        if not matching:
            names = ", ".join(era.label for era in candidates)
            raise DateError(
                _(
                    "the era %(era)s does not belong to the dynasty "
                    "'%(dynasty)s'; it is one of: %(eras)s"
                ),
                {"era": candidates[0].name, "dynasty": dynasty, "eras": names},
            )
        candidates = matching
    if len(candidates) == 1:
        return candidates[0]
    chosen = next((era for era in candidates if era.preferred), candidates[0])
    if warnings is not None:
        others = "; ".join(era.label for era in candidates)
        warnings.append(
            f"ambiguous era name {chosen.name}: {others}; read as "
            f"{chosen.dynasty.name}; write the dynasty before the era to choose"
        )
    return chosen


# --- Parsing ------------------------------------------------------------------


def parse_date(text, dynasty=None):
    """Return a :class:`ParsedDate` for a written date, or ``None`` if empty.

    Reads Gregorian dates (``1867``, ``12/1867``, ``03/12/1867``,
    ``1867-12-03``, ``ngày 3 tháng 12 năm 1867``), ranges and alternatives
    of them, decades, centuries (``thế kỷ XIX``) and their parts,
    qualifiers (``khoảng``, ``trước``, ``sau``, a trailing ``?``),
    reign-era dates in quốc ngữ or Hán, and an era alone (its whole span).
    A Gregorian gloss in brackets after an era date is checked against it.
    ``dynasty`` chooses among eras sharing a name. Raises
    :class:`DateError` for text it cannot read.

    The ends of a range may differ in precision (``1966 - 03/1967`` is
    ``1966/1967-03``) and are joined by a dash, with or without spaces
    (``01/01/1966-31/12/1966``), or by ``đến``/``tới``
    (``Từ 03/01/2024 đến 28/11/2024``); a day at either end must be a day
    of the calendar, and the range must not end before it starts.

    ``khoảng``, ``circa``, ``c.`` or ``ca.`` before a date makes it
    approximate (EDTF ``1890~``) and a ``?`` after it uncertain
    (``1890?``); both give ``%``. Its years stay those written: the
    qualifier carries the doubt.

    Parts of a century are read by this convention, in years of the
    century: early (``đầu``) 1–33, mid (``giữa``) 34–66, late (``cuối``)
    67–100, first half (``nửa đầu``) 1–50, second half (``nửa sau``,
    ``nửa cuối``) 51–100. So ``cuối thế kỷ XIX`` is ``1867/1900``, ``đầu
    thế kỷ XX`` ``1901/1933``, ``giữa thế kỷ XVIII`` ``1734/1766`` and
    ``nửa sau thế kỷ XIX`` ``1851/1900``. Two parts make a range
    (``cuối thế kỷ XVIII – đầu thế kỷ XIX`` is ``1767/1833``), with or
    without a dash between them.
    """
    written = nfc(text or "").strip()
    if not written:
        return None
    warnings = []

    # A dynasty written in brackets after the era is a qualifier, not a gloss.
    main = written
    for gloss in _GLOSS.findall(written):
        if _dynasty_codes(gloss) and not dynasty:
            dynasty = gloss.strip()
            main = main.replace(f"({gloss})", " ")
    glosses = _GLOSS.findall(main)
    main = " ".join(_GLOSS.sub(" ", main).split()).strip(" ,;.")

    # A reign-era date wins; its Gregorian gloss, if any, is only checked.
    parsed = _era_date(main, written, dynasty, warnings)
    if parsed is not None:
        for gloss in glosses:
            _check_gloss(parsed, gloss)
        return parsed

    # Then a Gregorian date, in the text or in its brackets.
    for candidate in [_without_era(main), *glosses]:
        parsed = _gregorian(candidate, written) if candidate else None
        if parsed is not None:
            era = _era_named_in(main, dynasty, warnings)
            parsed.era = era.label if era else ""
            parsed.warnings = warnings
            return parsed

    # Last, an era named alone stands for its whole span.
    era = _era_named_in(main, dynasty, warnings)
    if era is not None:
        return ParsedDate(
            written=written,
            edtf=f"{era.first_year}/{era.last_year}",
            year_start=era.first_year,
            year_end=era.last_year,
            calendar="lunar",
            era=era.label,
            warnings=warnings,
        )
    raise DateError(
        _(
            "cannot read the date '%(date)s'; write a year (1867), a month "
            "(12/1867), a day (03/12/1867), a range (1865–1882), a century "
            "(thế kỷ XIX) or a reign year (Tự Đức năm thứ 20, 嗣德二十年)"
        ),
        {"date": written},
    )


def parse_year_range(text):
    """Return ``(first year, last year)`` for a written date, or Nones.

    ``"1867"``, ``"12/1867"`` and ``"03/12/1867"`` give ``(1867, 1867)``;
    ``"1865–1882"`` and ``"Tự Đức (1865–1882)"`` give ``(1865, 1882)``;
    ``"thế kỷ XIX"`` gives ``(1801, 1900)``; ``"Tự Đức năm thứ 20"`` gives
    ``(1867, 1867)``. Text that :func:`parse_date` cannot read gives the
    smallest and largest three- or four-digit numbers in it, and text with
    none gives ``(None, None)``.
    """
    try:
        parsed = parse_date(text)
    except DateError:
        parsed = None
    if parsed is not None:
        return parsed.year_start, parsed.year_end
    years = [int(match) for match in _YEAR.findall(nfc(text or ""))]
    if not years:
        return None, None
    return min(years), max(years)


def _or_later(year):
    return gettext("%(year)s or later") % {"year": year}


_or_later_lazy = lazy(_or_later, str)


def check_not_future(parsed, this_year=None):
    """Raise :class:`DateError` if ``parsed`` lies wholly after this year.

    A document is made by now. ``disan import``, ``disan ingest`` and the
    staff form refuse such a date with this one message; ``this_year`` is
    the local year unless given.
    """
    if this_year is None:
        this_year = timezone.localdate().year
    first, last = parsed.year_start, parsed.year_end
    if first is None or first <= this_year:
        return
    if last is None:
        span = _or_later_lazy(first)
    else:
        span = str(first) if last == first else f"{first}–{last}"
    raise DateError(
        _(
            "'%(date)s' is read as %(span)s, after this year (%(year)s); "
            "a document cannot be dated in the future"
        ),
        {"date": parsed.written, "span": span, "year": this_year},
    )


# --- Reign eras ---------------------------------------------------------------


def _era_date(text, written, dynasty, warnings):
    """Return the reign-era date in ``text``, or ``None`` if there is none."""
    found = _han_era_date(text, dynasty, warnings) or _quoc_ngu_era_date(
        text, dynasty, warnings
    )
    if found is None:
        return None
    era, number, month, leap, day = found
    if number < 1 or number > 99:
        raise DateError(
            _(
                "year %(year)s of %(era)s in '%(date)s' is not a reign year; "
                "reign years count from 1"
            ),
            {"year": number, "era": era.name, "date": written},
        )
    length = era.last_year - era.first_year + 1
    if number > length:
        raise DateError(
            ngettext_lazy(
                "year %(year)s of %(era)s in '%(date)s' is past the end of the "
                "era: %(era_span)s has %(years)s year, %(era)s 1 to "
                "%(era)s %(years)s",
                "year %(year)s of %(era)s in '%(date)s' is past the end of the "
                "era: %(era_span)s has %(years)s years, %(era)s 1 to "
                "%(era)s %(years)s",
                "years",
            ),
            {
                "year": number,
                "era": era.name,
                "date": written,
                "era_span": era.label,
                "years": length,
            },
        )
    if month is not None and not 1 <= month <= 12:
        raise DateError(
            _("lunar month %(month)s in '%(date)s' is not 1 to 12"),
            {"month": month, "date": written},
        )
    if day is not None and not 1 <= day <= 30:
        raise DateError(
            _("lunar day %(day)s in '%(date)s' is not 1 to 30"),
            {"day": day, "date": written},
        )

    year = era.gregorian_year(number)
    first, last = _lunar_span(year, month, leap, day)
    return ParsedDate(
        written=written,
        edtf=str(first) if first == last else f"{first}/{last}",
        year_start=first,
        year_end=last,
        calendar="lunar",
        era=era.label,
        era_year=number,
        lunar_month=month,
        leap_month=leap,
        lunar_day=day,
        warnings=warnings,
    )


def _lunar_span(year, month, leap, day):
    """Return the Gregorian years a day of lunar year ``year`` may fall in.

    The 11th month holds the winter solstice, so it begins between about
    22 November and 22 December; the 12th (and a leap 11th) begins between
    about 21 December and 21 January. Earlier months end within ``year``.

    # Limitation: a leap 11th month pushes the 12th to late January; that
    # has not happened in the years of the table, so it is not modelled.
    """
    if month is None or (month <= 10) or (month == 11 and not leap):
        if month == 11 and (day is None or day > 10):
            return year, year + 1
        return year, year
    if month == 12 and leap:
        return year + 1, year + 1
    if day is not None and day >= 12:
        return year + 1, year + 1
    return year, year + 1


def _han_era_date(text, dynasty, warnings):
    _, _, by_han = _era_index()
    for name in sorted(by_han, key=len, reverse=True):
        start = text.find(name)
        if start < 0:
            continue
        match = _HAN_DATE.match(text[start + len(name) :])
        if match is None:
            continue
        qualifier = dynasty or _han_dynasty_before(text[:start])
        era = choose_era(by_han[name], qualifier, warnings)
        month = None
        if match["month"]:
            month = {"正": 1, "冬": 11, "臘": 12}.get(match["month"])
            month = month or han_number(match["month"])
        day = han_number(match["day"]) if match["day"] else None
        number = 1 if match["year"] == "元" else han_number(match["year"])
        return era, number, month, bool(match["leap"]), day
    return None


def _han_dynasty_before(prefix):
    prefix = prefix.rstrip().removesuffix("朝").rstrip()
    for dynasty in dynasties().values():
        for name in (dynasty.han, *filter(_is_han, dynasty.aliases)):
            if name and prefix.endswith(name):
                return dynasty.code
    return None


def han_number(text):
    """Return the value of a Hán numeral such as 三十, 廿五 or 一百二十."""
    total, current = 0, 0
    for char in text:
        if char in _HAN_DIGITS:
            current = current * 10 + _HAN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char in _HAN_TENS:
            total += _HAN_TENS[char]
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise DateError(_("'%(number)s' is not a Hán numeral"), {"number": text})
    return total + current


def vietnamese_number(text):
    """Return the value of a number in words, such as "ba mươi lăm"."""
    total, current = 0, 0
    for word in nfc(text).casefold().split():
        if word == "mười":
            total += 10
        elif word == "mươi":
            total += (current or 1) * 10
            current = 0
        elif word in ("linh", "lẻ"):
            continue
        elif word in _VI_UNITS:
            current = _VI_UNITS[word]
        else:
            raise DateError(
                _("'%(number)s' is not a number in words"), {"number": text}
            )
    return total + current


def _quoc_ngu_era_date(text, dynasty, warnings):
    match = _era_match(text)
    if match is None:
        return None
    eras, start, end = match
    year = _ERA_YEAR.match(text[end:])
    if year is None:
        return None
    qualifier = dynasty or year["dynasty"] or _dynasty_before(text[:start])
    era = choose_era(eras, qualifier, warnings)
    token = year["year"].strip().casefold()
    if token.isdigit():
        number = int(token)
    elif token.startswith(("nguyên", "nguyen")):
        number = 1
    else:
        number = vietnamese_number(token)

    rest = text[:start] + " " + text[end + year.end() :]
    month, leap = None, False
    month_match = _LUNAR_MONTH.search(rest)
    if month_match:
        word = " ".join(month_match["month"].casefold().split())
        month = int(word) if word.isdigit() else _LUNAR_MONTH_NAMES[word]
        leap = bool(month_match["leap1"] or month_match["leap2"])
    day_match = _LUNAR_DAY.search(rest)
    day = int(day_match[1]) if day_match else None
    return era, number, month, leap, day


def _era_match(text):
    """Return ``(eras, start, end)`` of the longest era name in ``text``."""
    by_key, by_folded, _ = _era_index()
    tokens = list(re.finditer(r"\w+", text))
    best = None
    for index in range(len(tokens)):
        for size in (4, 3, 2):
            window = tokens[index : index + size]
            if len(window) < size:
                continue
            words = [token[0] for token in window]
            eras = by_key.get(tuple(map(syllable_key, words))) or by_folded.get(
                tuple(map(folded_key, words))
            )
            if eras and (best is None or size > best[3]):
                best = (eras, window[0].start(), window[-1].end(), size)
                break
    return best[:3] if best else None


def _without_era(text):
    """Return ``text`` without the era name in it, if any."""
    match = _era_match(text)
    if match is None:
        return text
    _, start, end = match
    prefix = text[:start]
    qualifier = _dynasty_before(prefix)
    if qualifier:
        prefix = prefix[: prefix.casefold().rfind(qualifier.casefold())]
    return " ".join((prefix + " " + text[end:]).split())


def _dynasty_before(prefix):
    words = _words(prefix)
    for size in (3, 2, 1):
        if len(words) >= size:
            name = " ".join(words[-size:])
            if _dynasty_codes(name):
                return name
    return None


def _era_named_in(text, dynasty, warnings):
    han = [name for name in _era_index()[2] if name in text]
    if han:
        name = max(han, key=len)
        start = text.find(name)
        qualifier = dynasty or _han_dynasty_before(text[:start])
        return choose_era(_era_index()[2][name], qualifier, warnings)
    match = _era_match(text)
    if match is None:
        return None
    eras, start, _ = match
    return choose_era(eras, dynasty or _dynasty_before(text[:start]), warnings)


def _check_gloss(parsed, gloss):
    try:
        other = _gregorian(gloss.strip(), gloss)
    except DateError:
        other = None
    if other is None:
        return
    if other.year_end < parsed.year_start or other.year_start > parsed.year_end:
        parsed.warnings.append(
            f"the bracketed date ({gloss.strip()}) does not match "
            f"{parsed.era.split(' (')[0]} year {parsed.era_year} = {parsed.edtf}"
        )


# --- Gregorian dates ----------------------------------------------------------


class _Span(NamedTuple):
    """One date read from text: its EDTF ends, years and extreme days.

    A single day, month or year has the same ``start`` and ``end``; a
    century or decade keeps its first and last year apart. ``earliest`` and
    ``latest`` are ``(year, month, day)`` tuples for ordering the ends of a
    range, ``None`` for an open end.
    """

    start: str
    end: str
    first: int | None
    last: int | None
    earliest: tuple | None
    latest: tuple | None

    @property
    def edtf(self):
        return self.start if self.start == self.end else f"{self.start}/{self.end}"

    @property
    def is_point(self):
        return self.start == self.end and None not in (self.first, self.last)


def _gregorian(text, written):
    """Return the Gregorian date, range or century in ``text``, or ``None``."""
    century = _CENTURY.fullmatch(text.strip())
    if century:
        first = _century_number(century.group(1))
        last = _century_number(century.group(2)) if century.group(2) else first
        if first and last and first <= last:
            start, end = (first - 1) * 100 + 1, last * 100
            return ParsedDate(written, f"{start:04d}/{end:04d}", start, end)

    alternatives = _ALTERNATIVE.split(text)
    if len(alternatives) > 1:
        parts = [_single(part, written) for part in alternatives]
        if not all(part is not None and part.is_point for part in parts):
            return None
        edtf = "[" + ",".join(part.start for part in parts) + "]"
        return ParsedDate(
            written, edtf, min(p.first for p in parts), max(p.last for p in parts)
        )

    text = re.sub(r"^(?:từ|from)\s+", "", text, flags=re.IGNORECASE)
    sides = _range_sides(text, written)
    if sides is not None:
        first, last = (_single(side, written) for side in sides)
        if first is None or last is None:
            return None
        if None in (first.earliest, last.latest):
            return None  # "trước"/"sau" already leave the range open
        if first.earliest > last.latest:
            raise DateError(
                _(
                    "the range '%(date)s' ends before it starts; "
                    "write the earlier date first"
                ),
                {"date": written},
            )
        return ParsedDate(written, f"{first.start}/{last.end}", first.first, last.last)

    single = _single(text, written)
    if single is None:
        return None
    return ParsedDate(written, single.edtf, single.first, single.last)


def _range_sides(text, written):
    """Return the two sides of a range written in ``text``, or ``None``.

    The ends may be joined by a dash with spaces or without (``1966-1967``,
    ``01/01/1966-31/12/1966``), an en or em dash, or ``đến``/``tới``; two
    parts of centuries may also be written side by side (``cuối thế kỷ
    XVIII đầu thế kỷ XIX``). A plain hyphen also joins the parts of one date
    (``1867-12-03``, ``12-1867``), so text that reads as one date is one
    date, and a hyphen that could split the text in more than one way does
    not split it. A range with one end missing raises :class:`DateError`.
    """
    sides = _RANGE_SEPARATOR.split(text, maxsplit=1)
    if len(sides) == 2:
        _check_both_ends(sides, written)
        return sides
    years = re.fullmatch(r"(\d{3,4})\s*-\s*(\d{3,4})", text)
    if years:
        return [years[1], years[2]]
    centuries = _CENTURY_PAIR.fullmatch(text)
    if centuries:
        return [centuries["first"], centuries["last"]]
    if "-" not in text or _dates_like(text):
        return None
    if text.startswith("-"):
        _check_both_ends(["", text[1:]], written)
    if text.endswith("-"):
        _check_both_ends([text[:-1], ""], written)
    # One date has at most two hyphens (1867-12-03), a range of two five.
    if text.startswith("-") or text.endswith("-") or text.count("-") > 5:
        return None
    splits = []
    for match in re.finditer("-", text):
        left, right = text[: match.start()], text[match.end() :]
        if _dates_like(left) and _dates_like(right):
            splits.append([left, right])
    return splits[0] if len(splits) == 1 else None


def _check_both_ends(sides, written):
    """Raise :class:`DateError` if one side of a range is empty, one a date."""
    sides = [side.strip(" ,;") for side in sides]
    if all(sides) or not any(sides):
        return
    given = next(side for side in sides if side)
    if not _dates_like(given):
        return
    raise DateError(
        _(
            "the range '%(date)s' has only one end; write both "
            "(01/01/1966–31/12/1966), or write 'trước' or 'sau' before "
            "one date (sau 01/01/1966)"
        ),
        {"date": written},
    )


def _dates_like(text):
    """Return whether ``text`` is written as one date, valid or not."""
    try:
        return _single(text, text) is not None
    except DateError:
        return True


def _single(text, written):
    """Return the :class:`_Span` of one date, or ``None``.

    A leading ``trước``/``sau`` (before, after) leaves one end open; a
    leading ``khoảng``, ``circa``, ``c.`` or ``ca.`` marks the date
    approximate (EDTF ``~``) and a trailing ``?`` uncertain (``?``), both
    (``%``), without widening its years.
    """
    text = text.strip(" ,;")
    for pattern, open_start in ((_BEFORE, True), (_AFTER, False)):
        if pattern.match(text):
            inner = _qualified(pattern.sub("", text), written)
            if inner is None or not inner.is_point:
                return None
            if open_start:
                return _Span("..", inner.end, None, inner.last, None, inner.latest)
            return _Span(inner.start, "..", inner.first, None, inner.earliest, None)
    return _qualified(text, written)


def _qualified(text, written):
    """Return the :class:`_Span` of one date with its qualifiers, or ``None``."""
    text = text.strip(" ,;")
    uncertain = text.endswith("?")
    text = text.rstrip("?").strip()
    approximate = bool(_APPROXIMATE.match(text))
    text = _APPROXIMATE.sub("", text)
    qualifier = "%" if uncertain and approximate else "?" if uncertain else ""
    qualifier = qualifier or ("~" if approximate else "")

    decade = _DECADE.match(text)
    if decade:
        start = int(decade[1] or decade[2]) * 10
        edtf = f"{start // 10}X{qualifier}"
        return _Span(edtf, edtf, start, start + 9, (start, 1, 1), (start + 9, 12, 31))

    century = _CENTURY_PART.fullmatch(text)
    if century:
        number = _century_number(century["number"])
        if not number:
            return None
        part = " ".join(century["part"].casefold().split()) if century["part"] else ""
        low, high = _CENTURY_PARTS[part]
        start, end = (number - 1) * 100 + low, (number - 1) * 100 + high
        return _Span(
            f"{start:04d}{qualifier}",
            f"{end:04d}{qualifier}",
            start,
            end,
            (start, 1, 1),
            (end, 12, 31),
        )

    day, month, year = _day_month_year(text)
    if year is None:
        return None
    _check_day(day, month, year, written)
    edtf = f"{year:04d}"
    if month:
        edtf += f"-{month:02d}"
    if day:
        edtf += f"-{day:02d}"
    edtf += qualifier
    return _Span(
        edtf,
        edtf,
        year,
        year,
        (year, month or 1, day or 1),
        (year, month or 12, day or 31),
    )


def _day_month_year(text):
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WORDED, "dmy")):
        match = pattern.match(text)
        if match:
            values = dict(zip(order, match.groups(), strict=True))
            return tuple(
                int(values[key]) if values[key] else None for key in ("d", "m", "y")
            )
    return None, None, None


def _check_day(day, month, year, written):
    if month is not None and not 1 <= month <= 12:
        raise DateError(
            _("month %(month)s in '%(date)s' is not 1 to 12; write day/month/year"),
            {"month": month, "date": written},
        )
    if day is None:
        return
    if month is None:
        raise DateError(
            _("'%(date)s' gives a day but no month; write day/month/year"),
            {"date": written},
        )
    if year < 1:
        raise DateError(
            _(
                "'%(date)s' is not a day of the calendar (there is no year 0); "
                "write day/month/year"
            ),
            {"date": written},
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateError(
            _(
                "'%(date)s' is not a day of the calendar (month %(month)s of "
                "%(year)s has %(days)s days); write day/month/year"
            ),
            {"date": written, "month": month, "year": year, "days": days},
        )


def _century_number(token):
    """Return the number of a century written in Roman or Arabic digits.

    Roman numerals are read in their usual form only (XIX, not XVIIII).
    """
    if token.isdigit():
        return int(token)
    if not _ROMAN_NUMERAL.fullmatch(token):
        return 0
    values = [_ROMAN[char] for char in token.casefold()]
    total = 0
    for value, following in zip(values, values[1:] + [0], strict=True):
        total += -value if value < following else value
    return total

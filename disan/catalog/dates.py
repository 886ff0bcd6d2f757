"""Read a span of years from a date as catalogues write it.

Catalogues of Hán-Nôm documents give dates as free text: a year, a full
day, a range, a reign with its years in brackets, or a century. Only the
years are needed for filtering and sorting; the text itself is kept as
written elsewhere.
"""

import re

from disan.core.text import nfc

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_CENTURY_NUMBER = r"([ivxlc]+|\d{1,2})"
_CENTURY = re.compile(
    r"(?:thế\s*k[ỷỉ]|tk)\.?\s*"
    + _CENTURY_NUMBER
    + r"(?:\s*(?:[-–—]|đến)\s*"
    + _CENTURY_NUMBER
    + r")?(?![\w])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(\d{3,4})(?!\d)")


def parse_year_range(text):
    """Return ``(first year, last year)`` for a written date, or Nones.

    ``"1867"``, ``"12/1867"`` and ``"03/12/1867"`` give ``(1867, 1867)``;
    ``"1865–1882"`` and ``"Tự Đức (1865–1882)"`` give ``(1865, 1882)``;
    ``"thế kỷ XIX"``, ``"TK XIX"`` and ``"thế kỷ 19"`` give ``(1801, 1900)``.
    Text with no year in it gives ``(None, None)``.

    # Limitation: a reign year alone ("Tự Đức năm thứ 18") is not converted
    # to the Gregorian calendar yet; such dates give (None, None) until a
    # table of reign eras is added.
    """
    text = nfc(text or "").strip()
    if not text:
        return None, None

    # A century, or a span of centuries, counts from year 1 of the first.
    century = _CENTURY.search(text)
    if century:
        first = _century_number(century.group(1))
        last = _century_number(century.group(2)) if century.group(2) else first
        if first and last and first <= last:
            return (first - 1) * 100 + 1, last * 100

    # Otherwise every three- or four-digit number is a year; day and month
    # numbers have at most two digits.
    years = [int(match) for match in _YEAR.findall(text)]
    if not years:
        return None, None
    return min(years), max(years)


def _century_number(token):
    """Return the number of a century written in Roman or Arabic digits."""
    if token.isdigit():
        return int(token)
    values = [_ROMAN[char] for char in token.casefold()]
    total = 0
    for value, following in zip(values, values[1:] + [0], strict=True):
        total += -value if value < following else value
    return total

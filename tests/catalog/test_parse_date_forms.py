"""Dates as file inventories write them: day ranges, parts of centuries,
approximate and uncertain years; and what reads their EDTF form."""

import datetime
import time

import pytest
from django.utils import translation

from disan.catalog.dates import DateError, check_not_future, parse_date
from disan.catalog.importing.kinds import FILES
from disan.catalog.importing.values import CellError, day, written_date
from disan.search.backends.base import centuries


def reading(text):
    parsed = parse_date(text)
    return parsed.edtf, parsed.year_start, parsed.year_end


@pytest.mark.parametrize(
    ("text", "edtf", "first", "last"),
    [
        ("cuối thế kỷ 19", "1867/1900", 1867, 1900),
        ("cuối thế kỷ XIX", "1867/1900", 1867, 1900),
        ("Cuối thế kỉ XIX", "1867/1900", 1867, 1900),
        ("đầu thế kỷ XX", "1901/1933", 1901, 1933),
        ("Đầu TK 20", "1901/1933", 1901, 1933),
        ("giữa thế kỷ XVIII", "1734/1766", 1734, 1766),
        ("nửa đầu thế kỷ XIX", "1801/1850", 1801, 1850),
        ("nửa sau thế kỷ XIX", "1851/1900", 1851, 1900),
        ("nửa cuối thế kỷ 19", "1851/1900", 1851, 1900),
        ("đầu thế kỷ IV", "0301/0333", 301, 333),
        ("thế kỷ IV", "0301/0400", 301, 400),
        ("cuối thế kỷ XVIII – đầu thế kỷ XIX", "1767/1833", 1767, 1833),
        ("cuối thế kỷ XVIII đầu thế kỷ XIX", "1767/1833", 1767, 1833),
        ("cuối TK 18, đầu TK 19", "1767/1833", 1767, 1833),
        ("thế kỷ XVIII - nửa đầu thế kỷ XIX", "1701/1850", 1701, 1850),
        ("khoảng cuối thế kỷ XIX", "1867~/1900~", 1867, 1900),
    ],
)
def test_parts_of_a_century(text, edtf, first, last):
    assert reading(text) == (edtf, first, last)


def test_parts_of_a_century_fall_in_its_facet():
    for text in ("đầu thế kỷ XIX", "giữa thế kỷ XIX", "cuối thế kỷ XIX"):
        parsed = parse_date(text)
        assert centuries(parsed.year_start, parsed.year_end) == [19]
    both = parse_date("cuối thế kỷ XVIII đầu thế kỷ XIX")
    assert centuries(both.year_start, both.year_end) == [18, 19]


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("năm 1890", "1890"),
        ("1890", "1890"),
        ("khoảng năm 1890", "1890~"),
        ("khoảng 1890", "1890~"),
        ("Khoảng năm 1890", "1890~"),
        ("circa 1890", "1890~"),
        ("c. 1890", "1890~"),
        ("c.1890", "1890~"),
        ("ca. 1890", "1890~"),
        ("năm 1890?", "1890?"),
        ("1890?", "1890?"),
        ("khoảng năm 1890?", "1890%"),
        ("khoảng 12/1890", "1890-12~"),
    ],
)
def test_approximate_and_uncertain_years_keep_their_years(text, edtf):
    assert reading(text) == (edtf, 1890, 1890)


def test_a_range_with_one_end_says_so_in_vietnamese():
    with pytest.raises(DateError) as caught:
        parse_date("01/01/1966-")
    with translation.override("vi"):
        assert str(caught.value) == (
            "khoảng thời gian “01/01/1966-” chỉ có một mốc; hãy ghi cả hai mốc "
            "(01/01/1966–31/12/1966), hoặc ghi “trước” hay “sau” trước một mốc "
            "(sau 01/01/1966)"
        )


def test_a_late_century_in_the_future_is_read_then_refused():
    parsed = parse_date("cuối thế kỷ 99")
    assert (parsed.edtf, parsed.year_start, parsed.year_end) == (
        "9867/9900",
        9867,
        9900,
    )
    with pytest.raises(DateError, match="cannot be dated in the future"):
        check_not_future(parsed, this_year=2025)
    with pytest.raises(CellError):
        written_date("cuối thế kỷ 99", None)


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "1-" * 50_000,
        "-" * 100_000,
        "01/01/1966-" * 10_000,
        "01/01/1966-31/12/1966 " * 5_000,
        "thế kỷ " + "x" * 100_000,
        "cuối thế kỷ " + "c" * 100_000,
        "cuối thế kỷ XIX " * 10_000,
        "trước " * 5_000 + "1900",
        "khoảng " * 10_000 + "1890",
        "đến " * 20_000,
    ],
)
def test_very_long_text_is_refused_quickly(text):
    started = time.monotonic()
    with pytest.raises(DateError):
        parse_date(text)
    assert time.monotonic() - started < 5


def test_many_alternatives_are_read_quickly():
    started = time.monotonic()
    parsed = parse_date("01/01/1966 hoặc " * 5_000 + "1967")
    assert time.monotonic() - started < 5
    assert (parsed.year_start, parsed.year_end) == (1966, 1967)
    assert parsed.edtf.startswith("[1966-01-01,1966-01-01,")


def test_a_file_inventory_range_of_days_gives_the_first_and_last_day():
    for text in ("01/01/1966-31/12/1966", "Từ 01/01/1966 đến 31/12/1966"):
        assert FILES.date_values(parse_date(text)) == {
            "start_date": datetime.date(1966, 1, 1),
            "end_date": datetime.date(1966, 12, 31),
        }
    # Months, approximate days and centuries are no days.
    for text in ("1/1966-12/1966", "khoảng 01/01/1966", "cuối thế kỷ XIX"):
        assert FILES.date_values(parse_date(text)) == {}


@pytest.mark.parametrize(
    "text", ["khoảng 03/12/1867", "03/12/1867?", "01/01/1966-31/12/1966"]
)
def test_a_day_column_refuses_an_approximate_day_or_a_range(text):
    with pytest.raises(CellError, match="is not one day"):
        day(text, None)

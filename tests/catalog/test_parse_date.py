"""Gregorian dates, ranges and centuries read into EDTF and a year span."""

import pytest

from disan.catalog.dates import DateError, parse_date


@pytest.mark.parametrize(
    ("text", "edtf", "first", "last"),
    [
        ("1867", "1867", 1867, 1867),
        ("năm 939", "0939", 939, 939),
        ("12/1867", "1867-12", 1867, 1867),
        ("03/12/1867", "1867-12-03", 1867, 1867),
        ("3.12.1867", "1867-12-03", 1867, 1867),
        ("1867-12-03", "1867-12-03", 1867, 1867),
        ("ngày 3 tháng 12 năm 1867", "1867-12-03", 1867, 1867),
        ("tháng 12 năm 1867", "1867-12", 1867, 1867),
        ("1865–1882", "1865/1882", 1865, 1882),
        ("1865-1882", "1865/1882", 1865, 1882),
        ("từ 1865 đến 1882", "1865/1882", 1865, 1882),
        ("03/12/1867 - 05/01/1868", "1867-12-03/1868-01-05", 1867, 1868),
        ("khoảng 1867", "1867~", 1867, 1867),
        ("1867?", "1867?", 1867, 1867),
        ("khoảng năm 1802 hoặc 1803", "[1802~,1803]", 1802, 1803),
        ("thập niên 1930", "193X", 1930, 1939),
        ("những năm 1930", "193X", 1930, 1939),
        ("trước năm 1900", "../1900", None, 1900),
        ("sau năm 1945", "1945/..", 1945, None),
        ("thế kỷ XIX", "1801/1900", 1801, 1900),
        ("Thế kỉ XVIII – XIX", "1701/1900", 1701, 1900),
        ("TK 19", "1801/1900", 1801, 1900),
        # One date written with hyphens stays one date.
        ("03-12-1867", "1867-12-03", 1867, 1867),
        ("12-1867", "1867-12", 1867, 1867),
        ("1867-12", "1867-12", 1867, 1867),
        # Ranges of days, months and years, as file inventories write them.
        ("01/01/1966-31/12/1966", "1966-01-01/1966-12-31", 1966, 1966),
        ("01/01/1966–31/12/1966", "1966-01-01/1966-12-31", 1966, 1966),
        ("01/01/1966—31/12/1966", "1966-01-01/1966-12-31", 1966, 1966),
        ("01/01/1966 - 31/12/1966", "1966-01-01/1966-12-31", 1966, 1966),
        ("01/01/1966 -31/12/1966", "1966-01-01/1966-12-31", 1966, 1966),
        ("01/01/1966 đến 31/12/1966", "1966-01-01/1966-12-31", 1966, 1966),
        ("Từ 03/01/2024 đến 28/11/2024", "2024-01-03/2024-11-28", 2024, 2024),
        ("03/01/2024 – 28/11/2024", "2024-01-03/2024-11-28", 2024, 2024),
        ("1.1.1966-31.12.1966", "1966-01-01/1966-12-31", 1966, 1966),
        ("01-01-1966-31-12-1966", "1966-01-01/1966-12-31", 1966, 1966),
        ("1966-01-01-1966-12-31", "1966-01-01/1966-12-31", 1966, 1966),
        ("1/1966 - 12/1966", "1966-01/1966-12", 1966, 1966),
        ("1/1966-12/1966", "1966-01/1966-12", 1966, 1966),
        ("1966 - 03/1967", "1966/1967-03", 1966, 1967),
        ("1966-03/1967", "1966/1967-03", 1966, 1967),
        ("12/1966-1967", "1966-12/1967", 1966, 1967),
        ("khoảng 1890-1900", "1890~/1900", 1890, 1900),
        # A range within one day, and one whose ends share a year.
        ("03/01/2024-03/01/2024", "2024-01-03/2024-01-03", 2024, 2024),
        ("1967 - 03/1967", "1967/1967-03", 1967, 1967),
    ],
)
def test_gregorian_dates(text, edtf, first, last):
    parsed = parse_date(text)
    assert (parsed.edtf, parsed.year_start, parsed.year_end) == (edtf, first, last)
    assert parsed.calendar == "gregorian"


def test_empty_date_is_none():
    assert parse_date("  ") is None
    assert parse_date(None) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/1867", "'31/02/1867' is not a day of the calendar"),
        ("13/1867", "month 13 in '13/1867' is not 1 to 12"),
        ("1882–1865", "the range '1882–1865' ends before it starts"),
        ("không rõ", "cannot read the date 'không rõ'"),
        ("=cmd|' /C calc'!A0", "cannot read the date"),
        # Broken ranges and centuries.
        ("01/01/1966-", "the range '01/01/1966-' has only one end"),
        ("-31/12/1966", "the range '-31/12/1966' has only one end"),
        ("01/01/1966 –", "the range '01/01/1966 –' has only one end"),
        ("– 31/12/1966", "the range '– 31/12/1966' has only one end"),
        ("01/01/1966 đến", "the range '01/01/1966 đến' has only one end"),
        ("01/01/1966-31/02/1966", "'01/01/1966-31/02/1966' is not a day"),
        ("31/02/1966-01/03/1966", "'31/02/1966-01/03/1966' is not a day"),
        ("01/01/1966 - 31/02/1966", "(month 2 of 1966 has 28 days)"),
        ("01/13/1966-31/12/1966", "month 13 in '01/13/1966-31/12/1966'"),
        ("31/12/1966-01/01/1966", "ends before it starts"),
        ("31/12/1966 đến 01/01/1966", "ends before it starts"),
        ("03/1967 - 1966", "ends before it starts"),
        ("12/1966-11/1966", "ends before it starts"),
        ("đầu thế kỷ XX - cuối thế kỷ XIX", "ends before it starts"),
        ("-", "cannot read the date '-'"),
        ("--", "cannot read the date"),
        ("-31/12/1966-", "cannot read the date"),
        ("01/01/1966--31/12/1966", "cannot read the date"),
        ("1966-13-1967", "cannot read the date"),
        ("abc-31/12/1966", "cannot read the date"),
        ("trước 1900 - 1950", "cannot read the date"),
        ("trước 1900 hoặc 1950", "cannot read the date"),
        ("cuối thế kỷ", "cannot read the date"),
        ("cuối thế kỷ 0", "cannot read the date"),
        ("cuối thế kỷ 100", "cannot read the date"),
        ("cuối thế kỷ XIXX", "cannot read the date"),
        ("thế kỷ IIII", "cannot read the date"),
        ("cuối năm thế kỷ XIX", "cannot read the date"),
    ],
)
def test_unreadable_dates_say_why(text, message):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert message in str(caught.value)


def test_date_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_date("không rõ")


def test_a_date_error_reads_in_the_language_active_when_it_is_shown():
    from django.utils import translation

    from disan.catalog.importing.values import CellError, written_date

    with pytest.raises(DateError) as caught:
        parse_date("29/02/1867")
    with translation.override("vi"):
        assert str(caught.value) == (
            "“29/02/1867” không phải là một ngày có trong lịch (tháng 2 năm 1867"
            " có 28 ngày); hãy ghi theo thứ tự ngày/tháng/năm"
        )
    with translation.override("en"):
        assert str(caught.value) == (
            "'29/02/1867' is not a day of the calendar (month 2 of 1867 has 28"
            " days); write day/month/year"
        )
    # Import keeps each date's reading for the next row: the kept error still
    # reads in the language of each use.
    for language, start in (("vi", "không đọc được"), ("en", "cannot read")):
        with translation.override(language), pytest.raises(CellError) as cell:
            written_date("mùa xuân", None)
        assert str(cell.value).startswith(start)


def test_a_day_needs_a_month_and_a_year_after_zero():
    with pytest.raises(DateError, match="there is no year 0"):
        parse_date("01/01/0000")

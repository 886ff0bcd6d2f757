"""Years read from dates as catalogues write them."""

import unicodedata

import pytest

from disan.catalog.dates import parse_year_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1867", (1867, 1867)),
        ("12/1867", (1867, 1867)),
        ("03/12/1867", (1867, 1867)),
        ("1865–1882", (1865, 1882)),
        ("1865-1882", (1865, 1882)),
        ("Tự Đức (1865–1882)", (1865, 1882)),
        ("thế kỷ XIX", (1801, 1900)),
        ("Thế kỉ XIX", (1801, 1900)),
        ("TK XIX", (1801, 1900)),
        ("tk. 19", (1801, 1900)),
        ("thế kỷ 19", (1801, 1900)),
        ("thế kỷ XVIII – XIX", (1701, 1900)),
        ("thế kỷ IV", (301, 400)),
        ("năm 939", (939, 939)),
        ("khoảng năm 1802 hoặc 1803", (1802, 1803)),
        ("", (None, None)),
        (None, (None, None)),
        ("   ", (None, None)),
        ("Tự Đức năm thứ 18", (1865, 1865)),
        ("không rõ niên đại", (None, None)),
    ],
)
def test_parse_year_range(text, expected):
    assert parse_year_range(text) == expected


def test_decomposed_vietnamese_is_read_like_composed():
    text = unicodedata.normalize("NFD", "Thế kỷ XIX")
    assert parse_year_range(text) == (1801, 1900)

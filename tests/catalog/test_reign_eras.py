"""Reign-era dates read in quốc ngữ and Hán, and the era table itself."""

import csv
import unicodedata
from pathlib import Path

import pytest

from disan.catalog.dates import (
    DATA_DIR,
    DateError,
    find_eras,
    han_number,
    parse_date,
    reign_eras,
    vietnamese_number,
)

# (written date, EDTF, first year, last year)
KNOWN_CONVERSIONS = [
    ("Cảnh Hưng năm thứ 30", "1769", 1769, 1769),
    ("Tự Đức 20", "1867", 1867, 1867),
    ("Minh Mệnh thứ 3", "1822", 1822, 1822),
    ("景興三十年", "1769", 1769, 1769),
    ("景興卅年", "1769", 1769, 1769),
    ("嗣德二十年", "1867", 1867, 1867),
    ("嗣德廿年", "1867", 1867, 1867),
    ("明命三年", "1822", 1822, 1822),
    ("嘉隆元年", "1802", 1802, 1802),
    ("Gia Long nguyên niên", "1802", 1802, 1802),
    ("Minh Mạng năm thứ ba", "1822", 1822, 1822),
    ("Thiệu Trị năm thứ 7", "1847", 1847, 1847),
    ("紹治七年", "1847", 1847, 1847),
    ("Thành Thái năm thứ 10", "1898", 1898, 1898),
    ("Duy Tân 3", "1909", 1909, 1909),
    ("啓定九年", "1924", 1924, 1924),
    ("啟定九年", "1924", 1924, 1924),
    ("Bảo Đại năm thứ 20", "1945", 1945, 1945),
    ("Đồng Khánh 3", "1888", 1888, 1888),
    ("Hồng Đức năm thứ hai mươi tám", "1497", 1497, 1497),
    ("洪德元年", "1470", 1470, 1470),
    ("Quang Thuận 8", "1467", 1467, 1467),
    ("Chính Hòa năm thứ 18", "1697", 1697, 1697),
    ("Chính Hoà 18", "1697", 1697, 1697),
    ("正和十八年", "1697", 1697, 1697),
    ("Vĩnh Thịnh 1", "1705", 1705, 1705),
    ("Bảo Thái năm thứ 2", "1721", 1721, 1721),
    ("Long Đức nguyên niên", "1732", 1732, 1732),
    ("Chiêu Thống 1", "1787", 1787, 1787),
    ("Quang Trung năm thứ 5", "1792", 1792, 1792),
    ("光中五年", "1792", 1792, 1792),
    ("Cảnh Thịnh 1", "1793", 1793, 1793),
    ("Thái Đức năm thứ 1", "1778", 1778, 1778),
    ("Minh Đức 1", "1527", 1527, 1527),
    ("Sùng Khang năm thứ 10", "1575", 1575, 1575),
    ("Hoằng Định 1", "1601", 1601, 1601),
    ("Dương Hòa 1", "1635", 1635, 1635),
    ("Cảnh Trị năm thứ 9", "1671", 1671, 1671),
    ("Hưng Long 1", "1293", 1293, 1293),
    ("Thiệu Phong 1", "1341", 1341, 1341),
    ("Xương Phù năm thứ 12", "1388", 1388, 1388),
    ("Long Phù 1", "1101", 1101, 1101),
    ("Lý Thuận Thiên năm thứ 5", "1014", 1014, 1014),
    ("李順天元年", "1010", 1010, 1010),
    ("Thuận Thiên (Lý) 1", "1010", 1010, 1010),
    ("Lê Thuận Thiên 1", "1428", 1428, 1428),
    ("Trần Đại Định 1", "1369", 1369, 1369),
    ("Canh Hung nam thu 30", "1769", 1769, 1769),
    ("năm Cảnh Hưng thứ 30", "1769", 1769, 1769),
]


@pytest.mark.parametrize(("text", "edtf", "first", "last"), KNOWN_CONVERSIONS)
def test_known_reign_year_conversions(text, edtf, first, last):
    parsed = parse_date(text)
    assert (parsed.edtf, parsed.year_start, parsed.year_end) == (edtf, first, last)
    assert parsed.calendar == "lunar"
    assert parsed.written == text


def test_at_least_thirty_known_conversions_with_han_forms():
    han = [row for row in KNOWN_CONVERSIONS if "年" in row[0]]
    assert len(KNOWN_CONVERSIONS) >= 30
    assert len(han) == 13


@pytest.mark.parametrize(
    ("text", "edtf", "first", "last", "month", "day", "leap"),
    [
        ("tháng 12 năm Cảnh Hưng thứ 30", "1769/1770", 1769, 1770, 12, None, False),
        ("tháng Chạp năm Cảnh Hưng thứ 30", "1769/1770", 1769, 1770, 12, None, False),
        ("景興三十年十二月", "1769/1770", 1769, 1770, 12, None, False),
        ("景興三十年臘月初五日", "1769/1770", 1769, 1770, 12, 5, False),
        ("景興三十年十二月十五日", "1770", 1770, 1770, 12, 15, False),
        ("ngày 20 tháng 11 năm Tự Đức thứ 20", "1867/1868", 1867, 1868, 11, 20, False),
        ("ngày mồng 5 tháng 11 năm Tự Đức thứ 20", "1867", 1867, 1867, 11, 5, False),
        ("tháng Giêng năm Tự Đức thứ 20", "1867", 1867, 1867, 1, None, False),
        ("嗣德二十年正月", "1867", 1867, 1867, 1, None, False),
        ("tháng 10 năm Tự Đức thứ 20", "1867", 1867, 1867, 10, None, False),
        ("tháng 12 nhuận năm Tự Đức thứ 20", "1868", 1868, 1868, 12, None, True),
        ("嗣德二十年閏十一月", "1867/1868", 1867, 1868, 11, None, True),
    ],
)
def test_late_lunar_months_may_fall_in_the_next_year(
    text, edtf, first, last, month, day, leap
):
    parsed = parse_date(text)
    assert (parsed.edtf, parsed.year_start, parsed.year_end) == (edtf, first, last)
    assert (parsed.lunar_month, parsed.lunar_day, parsed.leap_month) == (
        month,
        day,
        leap,
    )


def test_ambiguous_era_name_takes_the_preferred_dynasty_and_warns():
    parsed = parse_date("Thuận Thiên năm thứ 5")
    assert (parsed.edtf, parsed.era) == ("1432", "Thuận Thiên 順天 (Lê sơ, 1428–1433)")
    assert parsed.warnings == [
        "ambiguous era name Thuận Thiên: Thuận Thiên 順天 (Lý, 1010–1028); "
        "Thuận Thiên 順天 (Lê sơ, 1428–1433); read as Lê sơ; write the dynasty "
        "before the era to choose"
    ]


def test_dynasty_argument_chooses_among_eras_of_one_name():
    assert parse_date("大定五年", dynasty="ly").edtf == "1144"
    assert parse_date("Đại Định 2", dynasty="Trần").edtf == "1370"


def test_dynasty_that_never_used_the_era_is_an_error():
    with pytest.raises(DateError) as caught:
        parse_date("Tự Đức 20", dynasty="Lý")
    assert str(caught.value) == (
        "the era Tự Đức does not belong to the dynasty 'Lý'; it is one of: "
        "Tự Đức 嗣德 (Nguyễn, 1848–1883)"
    )


def test_year_past_the_end_of_an_era_is_an_error_naming_its_span():
    with pytest.raises(DateError) as caught:
        parse_date("Tự Đức năm thứ 40")
    assert str(caught.value) == (
        "year 40 of Tự Đức in 'Tự Đức năm thứ 40' is past the end of the era: "
        "Tự Đức 嗣德 (Nguyễn, 1848–1883) has 36 years, Tự Đức 1 to Tự Đức 36"
    )
    with pytest.raises(DateError, match=r"Gia Long 嘉隆 \(Nguyễn, 1802–1819\)"):
        parse_date("Gia Long 30")
    with pytest.raises(DateError, match="past the end of the era"):
        parse_date("嗣德四十年")
    assert parse_date("Tự Đức năm thứ 36").edtf == "1883"


def test_gregorian_gloss_that_disagrees_is_reported():
    parsed = parse_date("Cảnh Hưng 30 (1770)")
    assert parsed.edtf == "1769"
    assert parsed.warnings == [
        "the bracketed date (1770) does not match Cảnh Hưng 景興 year 30 = 1769"
    ]
    assert parse_date("Cảnh Hưng 30 (1769)").warnings == []


def test_era_named_alone_spans_the_whole_era():
    parsed = parse_date("thời Tự Đức")
    span = (parsed.edtf, parsed.year_start, parsed.year_end)
    assert span == ("1848/1883", 1848, 1883)
    gloss = parse_date("Tự Đức (1865–1882)")
    assert (gloss.edtf, gloss.era) == ("1865/1882", "Tự Đức 嗣德 (Nguyễn, 1848–1883)")


def test_decomposed_and_new_tone_placement_read_alike():
    nfd = unicodedata.normalize("NFD", "Cảnh Hưng năm thứ 30")
    assert parse_date(nfd).edtf == "1769"
    assert parse_date(nfd).written == "Cảnh Hưng năm thứ 30"
    assert parse_date("Thiên Tư Gia Thuỵ 1").edtf == "1186"


@pytest.mark.parametrize("text", ["Tự Đức năm thứ 0", "Cảnh Hưng 120"])
def test_reign_year_out_of_range_is_an_error(text):
    with pytest.raises(DateError, match="is not a reign year"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("三十", 30), ("廿五", 25), ("卅", 30), ("十五", 15), ("十", 10), ("百二十", 120)],
)
def test_han_numerals(text, value):
    assert han_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("ba mươi", 30), ("hai mươi mốt", 21), ("mười lăm", 15), ("bốn mươi tư", 44)],
)
def test_vietnamese_numbers_in_words(text, value):
    assert vietnamese_number(text) == value


def test_era_table_is_well_formed():
    eras = reign_eras()
    assert len(eras) == 132
    names = {(era.dynasty.code, era.name) for era in eras}
    assert len(names) == len(eras)
    for era in eras:
        assert era.first_year <= era.last_year, era.name
        assert era.name == unicodedata.normalize("NFC", era.name)
    dynasties = [era.dynasty.code for era in eras]
    for code in ("ly", "tran", "le_so", "mac", "le_trung_hung", "tay_son", "nguyen"):
        assert code in dynasties


def test_every_shared_name_has_exactly_one_preferred_era():
    shared = {}
    for era in reign_eras():
        shared.setdefault(era.name, []).append(era)
    shared = {name: eras for name, eras in shared.items() if len(eras) > 1}
    assert sorted(shared) == ["Thuận Thiên", "Đại Định"]
    for eras in shared.values():
        assert sum(era.preferred for era in eras) == 1


def test_eras_of_one_dynasty_follow_each_other():
    rows = list(csv.DictReader((DATA_DIR / "reign_eras.csv").open(encoding="utf-8")))
    for previous, current in zip(rows, rows[1:], strict=False):
        same = previous["dynasty"] == current["dynasty"]
        if same and current["dynasty"] != "tay_son":
            assert int(current["first_year"]) in (
                int(previous["last_year"]),
                int(previous["last_year"]) + 1,
            ), current["era"]


def test_sources_are_documented():
    sources = (Path(DATA_DIR) / "SOURCES.md").read_text(encoding="utf-8")
    assert "Đại Việt sử ký toàn thư" in sources
    assert "Khâm định Việt sử thông giám cương mục" in sources


def test_find_eras_without_diacritics():
    assert [era.han for era in find_eras("tu duc")] == ["嗣德"]
    assert [era.dynasty.code for era in find_eras("順天")] == ["ly", "le_so"]

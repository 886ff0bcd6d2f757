"""`disan import`: a Hán or Nôm document given no reading direction reads
right to left, as `disan ingest` makes it; a direction someone set stays."""

import pytest

from disan.catalog.models import DocumentStatus, HeritageDocument
from tests.catalog.conftest import make_document
from tests.catalog.test_import import rows_of, write

pytestmark = pytest.mark.django_db

RTL, LTR = "right-to-left", "left-to-right"


def direction(identifier):
    return HeritageDocument.objects.get(identifier=identifier).reading_direction


def recorded(identifier, **extra):
    extra.setdefault("status", DocumentStatus.RECORDED)
    return make_document(identifier, f"Tài liệu {identifier}", **extra)


def test_a_new_han_or_nom_document_reads_right_to_left(tmp_path):
    path = write(
        tmp_path,
        "a.csv",
        [
            "Mã tài liệu,Tiêu đề,Ngôn ngữ,Chữ viết,Hướng đọc",
            "HN-1,Đại Nam nhất thống chí,Hán Nôm,,",
            "HN-2,Truyện Kiều,,chữ Nôm,",
            "HN-3,Hán văn in ngang,hán,,trái sang phải",
            "QN-4,Bản đồ Hà Nội,tiếng Việt,Latinh,",
            "QN-5,Không ngôn ngữ,,,",
        ],
    )
    summary, rows = rows_of(path)
    assert [row.errors for row in rows] == [[]] * 5
    assert [
        direction(identifier) for identifier in ("HN-1", "HN-2", "HN-3", "QN-4", "QN-5")
    ] == [RTL, RTL, LTR, LTR, LTR]


def test_without_a_direction_column_too(tmp_path):
    path = write(
        tmp_path, "a.csv", ["Mã tài liệu,Tiêu đề,Ngôn ngữ", "HN-1,Hương ước,hán"]
    )
    rows_of(path)
    assert direction("HN-1") == RTL


def test_an_update_naming_han_turns_a_default_direction(tmp_path):
    recorded("HN-1", languages=["vi"])
    path = write(
        tmp_path, "a.csv", ["Mã tài liệu,Tiêu đề,Ngôn ngữ", "HN-1,Hương ước,hán"]
    )
    summary, rows = rows_of(path)
    assert (rows[0].errors, rows[0].action) == ([], "update")
    assert set(rows[0].changed) == {"title", "languages", "reading_direction"}
    assert direction("HN-1") == RTL


def test_an_update_of_a_han_document_imported_left_to_right_is_turned(tmp_path):
    # As imported before Hán documents were read right to left.
    recorded("HN-1", languages=["lzh"], reading_direction=LTR)
    path = write(
        tmp_path, "a.csv", ["Mã tài liệu,Tiêu đề,Chữ viết", "HN-1,Tài liệu HN-1,Hán"]
    )
    summary, rows = rows_of(path)
    assert rows[0].changed == ["scripts", "reading_direction"]
    assert direction("HN-1") == RTL


def test_a_direction_someone_set_is_never_overridden(tmp_path):
    # Set right to left, then turned back to left to right by hand.
    document = recorded("HN-1", languages=["lzh"], reading_direction=RTL)
    document.reading_direction = LTR
    document.save()
    kept_rtl = recorded("HN-2", languages=["lzh"], reading_direction=RTL)
    recorded("HN-3", languages=["vi"])
    path = write(
        tmp_path,
        "a.csv",
        [
            "Mã tài liệu,Tiêu đề,Ngôn ngữ,Hướng đọc",
            "HN-1,Tài liệu HN-1,hán,",
            # Now in Vietnamese: a direction on record is not reset either.
            f"HN-2,{kept_rtl.title},tiếng Việt,",
            # The row's own direction always has its way.
            "HN-3,Tài liệu HN-3,hán,trái sang phải",
        ],
    )
    summary, rows = rows_of(path)
    assert [row.errors for row in rows] == [[], [], []]
    assert [direction(f"HN-{n}") for n in (1, 2, 3)] == [LTR, RTL, LTR]
    assert "reading_direction" not in rows[0].changed


def test_an_update_giving_no_languages_leaves_the_direction(tmp_path):
    recorded("HN-1", languages=["lzh"], reading_direction=LTR)
    path = write(tmp_path, "a.csv", ["Mã tài liệu,Tiêu đề", "HN-1,Tên mới"])
    summary, rows = rows_of(path)
    assert rows[0].changed == ["title"]
    assert direction("HN-1") == LTR

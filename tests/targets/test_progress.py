"""Progress counts: digitized and online, per holding unit, within what one may see."""

import pytest

from disan.catalog.models import AccessLevel, DocumentStatus, HeritageStatus
from disan.targets.services import Tally, progress_rows
from tests.portal.factories import make_document, make_unit, make_user

REG = HeritageStatus.REGISTERED
NAT = HeritageStatus.NATIONAL
INV = HeritageStatus.INVENTORIED
ONLINE = DocumentStatus.ONLINE
PROCESSING = DocumentStatus.PROCESSING
RECORDED = DocumentStatus.RECORDED


@pytest.fixture
def holdings(db):
    """Two units: a museum with 6 documents, a library with 3, one unassigned."""
    museum = make_unit("bao-tang", "Bảo tàng Hà Nội")
    library = make_unit("thu-vien", "Thư viện Hà Nội")
    make_unit("ban-quan-ly", "Ban quản lý di tích Văn Miếu")
    rows = [
        # unit, heritage, status, pages, access
        (museum, REG, ONLINE, 2, AccessLevel.PUBLIC),
        (museum, NAT, ONLINE, 1, AccessLevel.PUBLIC),
        (museum, REG, PROCESSING, 3, AccessLevel.PUBLIC),
        (museum, INV, RECORDED, 0, AccessLevel.PUBLIC),
        (museum, NAT, ONLINE, 1, AccessLevel.SECRET),
        (museum, INV, RECORDED, 0, AccessLevel.CONDITIONAL),
        (library, INV, ONLINE, 1, AccessLevel.PUBLIC),
        (library, REG, RECORDED, 0, AccessLevel.PUBLIC),
        (library, INV, RECORDED, 0, AccessLevel.PUBLIC),
        (None, REG, ONLINE, 1, AccessLevel.PUBLIC),
    ]
    for number, (unit, heritage, status, pages, access) in enumerate(rows, start=1):
        make_document(
            f"HN-{number:04d}",
            f"Tư liệu số {number}",
            unit=unit,
            heritage=heritage,
            status=status,
            pages=pages,
            access=access,
            derivatives=False,
        )
    return museum, library


def _by_name(rows):
    return {
        ("Tổng" if row.is_total else getattr(row.holding_unit, "name", None)): (
            row.registered,
            row.all_documents,
        )
        for row in rows
    }


def test_anonymous_counts_public_documents_only(holdings):
    rows = _by_name(progress_rows(None))
    assert rows == {
        "Ban quản lý di tích Văn Miếu": (Tally(0, 0, 0), Tally(0, 0, 0)),
        "Bảo tàng Hà Nội": (Tally(3, 3, 2), Tally(4, 3, 2)),
        "Thư viện Hà Nội": (Tally(1, 0, 0), Tally(3, 1, 1)),
        None: (Tally(1, 1, 1), Tally(1, 1, 1)),
        "Tổng": (Tally(5, 4, 3), Tally(8, 5, 4)),
    }


def test_rows_come_in_unit_order_then_unassigned_then_total(holdings):
    rows = progress_rows(None)
    names = [getattr(row.holding_unit, "name", None) for row in rows]
    assert names == [
        "Ban quản lý di tích Văn Miếu",
        "Bảo tàng Hà Nội",
        "Thư viện Hà Nội",
        None,
        None,
    ]
    assert [row.is_total for row in rows] == [False, False, False, False, True]


def test_secret_permission_counts_everything(holdings):
    rows = _by_name(progress_rows(make_user("giám-đốc", "view_secret_document")))
    assert rows["Bảo tàng Hà Nội"] == (Tally(4, 4, 3), Tally(6, 4, 3))
    assert rows["Tổng"] == (Tally(6, 5, 4), Tally(10, 6, 5))


def test_percentages_to_one_decimal():
    assert Tally(3, 2, 1).digitized_percent == 66.7
    assert Tally(3, 2, 1).online_percent == 33.3
    assert Tally(8, 5, 4).online_percent == 50.0
    assert Tally(0, 0, 0).online_percent is None


def test_progress_page_shows_counts_and_says_public_only(client, holdings):
    response = client.get("/progress/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiến độ số hóa" in html
    assert "Các số liệu này chỉ tính tài liệu công khai." in html
    assert "<td>8</td>" in html
    assert '<td>5 <span class="percent">(62,5 %)</span></td>' in html
    assert '<td>4 <span class="percent">(50,0 %)</span></td>' in html
    assert "Chưa có đơn vị lưu giữ" in html


def test_progress_page_for_permitted_user_has_no_public_only_note(client, holdings):
    client.force_login(make_user("giám-đốc", "view_secret_document"))
    html = client.get("/progress/").content.decode()
    assert "Các số liệu này chỉ tính tài liệu công khai." not in html
    assert "<td>10</td>" in html
    assert '<td>6 <span class="percent">(60,0 %)</span></td>' in html

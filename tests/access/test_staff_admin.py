"""The staff interface lists documents through the access policy."""

import pytest
from django.contrib.auth.models import Permission, User

from disan.catalog.models import AccessLevel, HoldingUnit
from tests.portal.factories import make_document, make_unit


@pytest.fixture
def documents(db):
    unit = make_unit("bao-tang", "Bảo tàng Hà Nội")
    make_document(
        "HN-0001", "Thư tịch công khai", unit=unit, pages=1, derivatives=False
    )
    make_document(
        "HN-0002", "Hương ước có điều kiện", unit=unit, access=AccessLevel.CONDITIONAL
    )
    make_document(
        "HN-0003", "Mật chỉ triều Nguyễn", unit=unit, access=AccessLevel.SECRET
    )
    return unit


def _staff(username, *codenames):
    """A staff member of the Hà Nội museum, the unit holding every document."""
    user = User.objects.create_user(
        username, password="mật-khẩu-dài-123", is_staff=True
    )
    HoldingUnit.objects.get(code="bao-tang").members.add(user)
    for codename in ("view_heritagedocument", *codenames):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_staff_without_secret_permission_do_not_see_secret_documents(client, documents):
    client.force_login(_staff("nhân-viên"))
    html = client.get("/staff/catalog/heritagedocument/").content.decode()
    assert "Thư tịch công khai" in html
    assert "Hương ước có điều kiện" not in html
    assert "Mật chỉ triều Nguyễn" not in html


def test_staff_with_secret_permission_see_all_documents(client, documents):
    client.force_login(_staff("trưởng-phòng", "view_secret_document"))
    html = client.get("/staff/catalog/heritagedocument/").content.decode()
    for title in (
        "Thư tịch công khai",
        "Hương ước có điều kiện",
        "Mật chỉ triều Nguyễn",
    ):
        assert title in html


def test_document_change_page_shows_pages_read_only(client, documents):
    admin = User.objects.create_superuser("quản-trị", password="mật-khẩu-dài-123")
    client.force_login(admin)
    from disan.catalog.models import HeritageDocument

    doc = HeritageDocument.objects.get(identifier="HN-0001")
    response = client.get(f"/staff/catalog/heritagedocument/{doc.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "trang-001.jpg" in html
    assert 'name="pages-0-label"' not in html
    assert 'name="master_files-0-sequence"' not in html


def test_staff_index_is_in_vietnamese(client, documents):
    admin = User.objects.create_superuser("quản-trị", password="mật-khẩu-dài-123")
    client.force_login(admin)
    html = client.get(
        "/staff/catalog/heritagedocument/?status__exact=online"
    ).content.decode()
    assert "Thư tịch công khai" in html
    assert "Đã số hóa và trực tuyến" in html

"""The staff interface speaks Vietnamese first, English on request."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.portal.factories import make_document, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("quan-tri", password="mật-khẩu-đủ-dài-2024")
    client.force_login(user)
    return user


def test_the_staff_index_has_vietnamese_titles_and_app_names(client, staff):
    page = client.get(reverse("admin:index")).content.decode()
    assert "Django" not in page
    assert "Disan – Trang quản trị nghiệp vụ" in page
    assert "Biên mục, tiếp nhận và bảo quản" in page
    for app in ("Hình ảnh IIIF", "Tiếp nhận", "Bảo quản"):
        assert f">{app}<" in page
    for english in (">Iiif<", ">Ingest<", ">Preservation<"):
        assert english not in page


def test_the_staff_index_is_english_on_request(client, staff):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content
    page = page.decode()
    assert "Disan staff interface" in page
    assert ">IIIF<" in page and ">Ingest<" in page


def test_a_documents_form_labels_are_vietnamese(client, staff):
    document = make_document(
        "HN-BT-0100", "Gia phả họ Nguyễn", unit=make_unit("bt", "Bảo tàng")
    )
    page = client.get(
        reverse("admin:catalog_heritagedocument_change", args=[document.pk])
    ).content.decode()
    for label in (
        "Đơn vị lưu giữ",
        "Bộ sưu tập",
        "Từ năm",
        "Đến năm",
        "Trạng thái xử lý",
        "Đối tượng OCFL",
        "Số trang",
        "Tệp gốc",
    ):
        assert label in page, label
    for english in ("Holding unit", "Year start", "Ocfl object id", "Page count"):
        assert english not in page, english

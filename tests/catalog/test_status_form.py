"""Staff interface: a heritage status decision the rules refuse is a form error."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from disan.catalog.actions import change_status
from disan.catalog.models import HeritageStatus, HeritageStatusChange
from tests.catalog.conftest import make_document, make_staff, make_unit

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:catalog_heritagestatuschange_add")
PERMS = [
    "view_heritagedocument",
    "add_heritagestatuschange",
    "view_heritagestatuschange",
    "change_heritage_status",
]
PDF = "%PDF-1.4\n% Quyết định\n".encode()


@pytest.fixture
def curator(client):
    unit = make_unit()
    user = make_staff("thu-ha", unit, perms=PERMS)
    client.force_login(user)
    return unit


def post(client, document, to_status, *, day=None, upload=None):
    upload = upload or SimpleUploadedFile("quyet-dinh.pdf", PDF, "application/pdf")
    return client.post(
        ADD_URL,
        {
            "document": str(document.pk),
            "to_status": to_status,
            "decision_number": "12/QĐ-SVHTT",
            "decision_date": (day or datetime.date(2024, 3, 1)).isoformat(),
            "issuing_authority": "Sở Văn hóa và Thể thao Hà Nội",
            "decision_file": upload,
        },
    )


def errors(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def test_a_status_the_document_already_has_is_a_form_error(client, curator):
    document = make_document(
        "HN-MB-101", "Mộc bản", curator, heritage_status=HeritageStatus.REGISTERED
    )
    response = post(client, document, HeritageStatus.REGISTERED)
    assert errors(response)["to_status"] == ["HN-MB-101 đã ở tình trạng “registered”."]
    assert HeritageStatusChange.objects.count() == 0


def test_a_unesco_register_before_the_national_list_is_a_form_error(client, curator):
    document = make_document("HN-MB-102", "Châu bản", curator)
    response = post(client, document, HeritageStatus.MOW_ASIA_PACIFIC)
    assert "Danh mục di sản tư liệu quốc gia" in errors(response)["to_status"][0]
    document.refresh_from_db()
    assert document.heritage_status == HeritageStatus.INVENTORIED


def test_a_decision_dated_after_today_is_refused(client, curator):
    document = make_document("HN-MB-103", "Địa bạ", curator)
    response = post(
        client, document, HeritageStatus.REGISTERED, day=datetime.date(2099, 3, 15)
    )
    assert errors(response)["decision_date"] == [
        "Ngày quyết định 15/03/2099 sau ngày hôm nay."
    ]
    response = post(
        client, document, HeritageStatus.REGISTERED, day=timezone.localdate()
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.heritage_status == HeritageStatus.REGISTERED


def test_the_decision_file_must_be_a_pdf_or_an_image_by_content(client, curator):
    document = make_document("HN-MB-104", "Hương ước", curator)
    program = SimpleUploadedFile("evil.exe", b"MZ\x90\x00" + b"\x00" * 60)
    disguised = SimpleUploadedFile("quyet-dinh.pdf", b"MZ\x90\x00" + b"\x00" * 60)
    for upload in (program, disguised):
        response = post(client, document, HeritageStatus.REGISTERED, upload=upload)
        assert errors(response)["decision_file"] == [
            "Tệp quyết định phải là tệp PDF hoặc ảnh (PDF, JPEG, PNG, TIFF)."
        ]
    scan = SimpleUploadedFile("scan.bin", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    response = post(client, document, HeritageStatus.REGISTERED, upload=scan)
    assert response.status_code == 302
    assert HeritageStatusChange.objects.count() == 1


def test_a_decision_file_over_the_limit_is_refused(client, curator, monkeypatch):
    monkeypatch.setattr(change_status, "DECISION_FILE_MAX_BYTES", 100)
    document = make_document("HN-MB-105", "Gia phả", curator)
    upload = SimpleUploadedFile("quyet-dinh.pdf", PDF + b"\x00" * 200)
    response = post(client, document, HeritageStatus.REGISTERED, upload=upload)
    assert errors(response)["decision_file"] == [
        "Tệp quyết định có dung lượng 227\xa0byte; dung lượng tối đa được nhận là"
        " 100\xa0byte."
    ]

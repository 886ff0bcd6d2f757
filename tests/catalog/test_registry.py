"""Heritage status decisions: history, stored file, permission, rules."""

import datetime

import pytest
from django.core.files.base import ContentFile

from disan.catalog.actions.change_status import change_heritage_status
from disan.catalog.exceptions import CatalogPermissionDenied, StatusChangeError
from disan.catalog.models import HeritageStatus, HeritageStatusChange
from tests.catalog.conftest import make_document, make_staff, make_unit

pytestmark = pytest.mark.django_db

DECISION_PDF = "%PDF-1.4\n% Quyết định\n".encode()


def decide(document, to_status, user, number, day, authority):
    return change_heritage_status(
        document,
        to_status,
        user=user,
        decision_number=number,
        decision_date=day,
        issuing_authority=authority,
        decision_file=ContentFile(DECISION_PDF, name="Quyết định số 1.pdf"),
    )


def test_each_decision_is_kept_in_order_and_moves_the_status(media_root):
    unit = make_unit()
    curator = make_staff("thu-ha", unit, perms=["change_heritage_status"])
    document = make_document("HN-MB-001", "Mộc bản chùa Bổ Đà", unit)

    decide(
        document,
        HeritageStatus.REGISTERED,
        curator,
        "12/QĐ-SVHTT",
        datetime.date(2023, 3, 1),
        "Sở Văn hóa và Thể thao Hà Nội",
    )
    decide(
        document,
        HeritageStatus.NATIONAL,
        curator,
        "1426/QĐ-TTg",
        datetime.date(2024, 11, 20),
        "Thủ tướng Chính phủ",
    )
    decide(
        document,
        HeritageStatus.MOW_ASIA_PACIFIC,
        curator,
        "MOWCAP-2026-07",
        datetime.date(2026, 5, 8),
        "Ủy ban Ký ức Thế giới khu vực châu Á - Thái Bình Dương",
    )

    document.refresh_from_db()
    assert document.heritage_status == HeritageStatus.MOW_ASIA_PACIFIC
    rows = list(
        HeritageStatusChange.objects.filter(document=document).values_list(
            "from_status", "to_status", "decision_number", "changed_by__username"
        )
    )
    assert rows == [
        ("inventoried", "registered", "12/QĐ-SVHTT", "thu-ha"),
        ("registered", "national", "1426/QĐ-TTg", "thu-ha"),
        ("national", "mow_asia_pacific", "MOWCAP-2026-07", "thu-ha"),
    ]
    first = HeritageStatusChange.objects.filter(document=document).first()
    # Django's storage turns spaces into underscores; the diacritics stay.
    assert first.decision_file.name == (
        f"heritage/decisions/{document.pk}/Quyết_định_số_1.pdf"
    )
    assert (media_root / first.decision_file.name).read_bytes() == DECISION_PDF
    # The document's own edit history names the decision.
    assert document.history.first().history_change_reason == "MOWCAP-2026-07"
    assert document.history.first().history_user.username == "thu-ha"


def test_staff_of_another_unit_may_not_change_the_status():
    document = make_document("HN-SP-002", "Sắc phong làng Đông Ngạc", make_unit())
    other = make_unit("thu-vien-ha-noi", "Thư viện Hà Nội")
    stranger = make_staff("minh-đức", other, perms=["change_heritage_status"])

    with pytest.raises(CatalogPermissionDenied) as caught:
        decide(
            document,
            HeritageStatus.REGISTERED,
            stranger,
            "5/QĐ",
            datetime.date(2024, 1, 2),
            "Sở Văn hóa và Thể thao Hà Nội",
        )
    assert str(caught.value) == (
        "minh-đức may not change the heritage status of HN-SP-002: it needs"
        " the “record heritage status decisions” permission and membership of"
        " the document's holding unit."
    )
    assert HeritageStatusChange.objects.count() == 0


def test_member_without_the_permission_is_refused():
    unit = make_unit()
    document = make_document("HN-SP-003", "Sắc phong", unit)
    member = make_staff("lan-anh", unit)
    with pytest.raises(CatalogPermissionDenied):
        decide(
            document,
            HeritageStatus.REGISTERED,
            member,
            "5/QĐ",
            datetime.date(2024, 1, 2),
            "Sở Văn hóa và Thể thao Hà Nội",
        )


def test_unesco_register_needs_the_national_list_first():
    unit = make_unit()
    curator = make_staff("thu-ha", unit, perms=["change_heritage_status"])
    document = make_document("HN-CB-004", "Châu bản triều Nguyễn", unit)
    with pytest.raises(StatusChangeError) as caught:
        decide(
            document,
            HeritageStatus.MOW_INTERNATIONAL,
            curator,
            "UNESCO-1",
            datetime.date(2024, 1, 2),
            "UNESCO",
        )
    assert str(caught.value) == (
        "HN-CB-004 must be on the national list of documentary heritage"
        " before it is entered on a UNESCO register."
    )


def test_same_status_and_missing_decision_fields_are_refused():
    unit = make_unit()
    curator = make_staff("thu-ha", unit, perms=["change_heritage_status"])
    document = make_document("HN-GP-005", "Gia phả họ Nguyễn", unit)
    with pytest.raises(StatusChangeError) as same:
        decide(
            document,
            HeritageStatus.INVENTORIED,
            curator,
            "1/QĐ",
            datetime.date(2024, 1, 2),
            "Sở",
        )
    assert str(same.value) == "HN-GP-005 already has the status “inventoried”."
    with pytest.raises(StatusChangeError) as missing:
        change_heritage_status(
            document,
            HeritageStatus.REGISTERED,
            user=curator,
            decision_number="",
            decision_date=None,
            issuing_authority="Sở",
            decision_file=None,
        )
    assert str(missing.value) == (
        "A status change needs decision_number, decision_date, decision_file"
        " of the decision."
    )
    assert HeritageStatusChange.objects.count() == 0

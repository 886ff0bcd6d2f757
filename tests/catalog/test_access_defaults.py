"""A record made without an access level is not published by default."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from disan.catalog.importing.kinds import FILES
from disan.catalog.importing.service import import_inventory
from disan.catalog.models import (
    AccessLevel,
    ArchivalFile,
    Fonds,
    HeritageDocument,
    default_access_level,
)
from tests.catalog.conftest import make_document, make_staff, make_unit
from tests.catalog.test_import import write

pytestmark = pytest.mark.django_db

AGENCY = "000.00.31.H26"
FILE_HEADER = (
    "Mã phông,Mã định danh cơ quan,Năm hình thành hồ sơ,Số và ký hiệu hồ sơ,"
    "Tiêu đề hồ sơ,Thời gian,Thời hạn bảo quản,Mức độ tin cậy,Mã hồ sơ giấy"
)
FILE_ROW = (
    f"P-01,{AGENCY},2024,15,Hồ sơ xếp hạng đình Đông Ngạc,2024,Vĩnh viễn,Số hóa,HSG-15"
)


def inventory(tmp_path, *lines):
    return write(tmp_path, "mục lục.csv", lines)


def level_of(identifier):
    return HeritageDocument.objects.get(identifier=identifier).access_level


# --- The model --------------------------------------------------------------


def test_a_new_document_or_file_is_conditional():
    document = HeritageDocument.objects.create(identifier="HN-1", title="Sắc phong")
    fonds = Fonds.objects.create(holding_unit=make_unit(), code="P-01", name="Phông")
    archival_file = ArchivalFile(
        fonds=fonds, agency_code=AGENCY, year=2024, file_number="1", title="Hồ sơ"
    )

    assert document.access_level == AccessLevel.CONDITIONAL
    assert archival_file.access_mode == AccessLevel.CONDITIONAL


def test_the_default_is_the_setting(settings):
    settings.DISAN_DEFAULT_ACCESS_LEVEL = "public"

    document = HeritageDocument.objects.create(identifier="HN-1", title="Sắc phong")

    assert document.access_level == AccessLevel.PUBLIC


def test_a_default_that_is_no_access_level_is_refused(settings):
    settings.DISAN_DEFAULT_ACCESS_LEVEL = "công khai"

    with pytest.raises(ImproperlyConfigured, match="DISAN_DEFAULT_ACCESS_LEVEL"):
        default_access_level()


def test_a_stored_document_keeps_its_level_when_the_default_changes(settings):
    make_document("HN-1", "Sắc phong", access_level=AccessLevel.PUBLIC)
    settings.DISAN_DEFAULT_ACCESS_LEVEL = "secret"

    document = HeritageDocument.objects.get()
    document.save()

    assert level_of("HN-1") == "public"


# --- disan import -----------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        ("Mã tài liệu,Tiêu đề,Mức truy cập", "HN-1,Sắc phong,"),
        ("Mã tài liệu,Tiêu đề", "HN-1,Sắc phong"),
    ],
    ids=["empty cell", "no column"],
)
def test_import_makes_a_new_document_conditional(tmp_path, lines):
    summary = import_inventory(inventory(tmp_path, *lines))

    assert summary.created == 1
    assert level_of("HN-1") == "conditional"


def test_import_makes_a_new_document_public_when_the_default_says_so(
    tmp_path, settings
):
    settings.DISAN_DEFAULT_ACCESS_LEVEL = "public"

    import_inventory(inventory(tmp_path, "Mã tài liệu,Tiêu đề", "HN-1,Sắc phong"))

    assert level_of("HN-1") == "public"


def test_import_publishes_what_its_row_says_is_public(tmp_path):
    import_inventory(
        inventory(tmp_path, "Mã tài liệu,Tiêu đề,Mức truy cập", "HN-1,Sắc phong,mở")
    )

    assert level_of("HN-1") == "public"


@pytest.mark.parametrize(
    "lines",
    [
        ("Mã tài liệu,Tiêu đề,Mức truy cập", "HN-1,Sắc phong làng Cổ Nhuế,"),
        ("Mã tài liệu,Tiêu đề", "HN-1,Sắc phong làng Cổ Nhuế"),
    ],
    ids=["empty cell", "no column"],
)
def test_import_keeps_the_level_of_a_document_it_updates(tmp_path, lines):
    make_document("HN-1", "Sắc phong", access_level=AccessLevel.PUBLIC)
    make_document("HN-2", "Hương ước", access_level=AccessLevel.SECRET)

    summary = import_inventory(inventory(tmp_path, *lines, "HN-2,Hương ước làng Mọc"))

    assert summary.updated == 2
    assert (level_of("HN-1"), level_of("HN-2")) == ("public", "secret")


@pytest.mark.parametrize(
    "header, row",
    [
        (FILE_HEADER + ",Chế độ sử dụng", FILE_ROW + ","),
        (FILE_HEADER, FILE_ROW),
    ],
    ids=["empty cell", "no column"],
)
def test_import_makes_a_new_archival_file_conditional(tmp_path, header, row):
    Fonds.objects.create(holding_unit=make_unit(), code="P-01", name="Phông")

    summary = import_inventory(inventory(tmp_path, header, row), kind=FILES)

    assert summary.created == 1, summary
    assert ArchivalFile.objects.get().access_mode == "conditional"


# --- The staff form ---------------------------------------------------------


@pytest.mark.parametrize("default", ["conditional", "public"])
def test_the_add_form_starts_at_the_default(client, settings, default):
    settings.DISAN_DEFAULT_ACCESS_LEVEL = default
    client.force_login(make_staff("quản-trị", superuser=True))

    documents = client.get(reverse("admin:catalog_heritagedocument_add"))
    files = client.get(reverse("admin:catalog_archivalfile_add"))

    assert documents.context["adminform"].form["access_level"].value() == default
    assert files.context["adminform"].form["access_mode"].value() == default

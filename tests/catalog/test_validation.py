"""Field-by-field validation of archival files and documents."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from disan.catalog.exceptions import CatalogValidationError
from disan.catalog.models import ArchivalFile, Series
from disan.catalog.validation import (
    check_archival_file,
    check_document,
    compose_document_code,
    compose_file_code,
)
from disan.catalog.vocabularies import Retention, document_types
from tests.catalog.conftest import make_document, make_file, make_unit

VALID_FILE = {
    "agency_code": "000.00.31.H26",
    "year": 2024,
    "file_number": "15.VP",
    "title": "Hồ sơ công nhận bảo vật quốc gia",
    "retention": "permanent",
    "access_mode": "public",
    "languages": ["vi", "lzh"],
    "reliability": "born_digital",
    "backup_status": "backed_up",
    "keywords": ["Hán Nôm", "sắc phong"],
}


def problems_of(values):
    return [(p.field, p.code, str(p)) for p in check_archival_file(values)]


def test_a_valid_file_has_no_problems():
    assert problems_of(VALID_FILE) == []


def test_codes_are_agency_year_number_and_a_seven_digit_ordinal():
    file_code = compose_file_code("000.00.31.H26", 2024, "15.VP")
    assert file_code == "000.00.31.H26.2024.15.VP"
    assert compose_document_code(file_code, 42) == "000.00.31.H26.2024.15.VP.0000042"
    assert compose_document_code(file_code, 9_999_999) == (
        "000.00.31.H26.2024.15.VP.9999999"
    )


def test_retention_choices_are_the_circulars():
    assert Retention.values == ["permanent", "70", "50", "30", "20", "10", "other"]


def test_each_wrong_field_is_named_with_the_reason():
    values = VALID_FILE | {
        "agency_code": "H26-SVH",
        "year": 3024,
        "file_number": "số 15",
        "retention": "99",
        "languages": ["vi", "han-nom"],
        "start_date": datetime.date(2024, 5, 1),
        "end_date": datetime.date(2023, 5, 1),
        "keywords": ["", "đình"],
    }
    last = datetime.date.today().year
    assert problems_of(values) == [
        (
            "agency_code",
            "agency_code_format",
            "Agency code “H26-SVH” is not an agency identifier such as"
            " 000.00.31.H26 (four dot-separated groups).",
        ),
        (
            "year",
            "year_range",
            f"Year “3024” must be a year from 1000 to {last}.",
        ),
        (
            "file_number",
            "file_number_format",
            "File number “số 15” must be up to six digits, optionally followed"
            " by a dot and a notation (15, 15.VP).",
        ),
        (
            "retention",
            "invalid_choice",
            "“99” is not one of: permanent, 70, 50, 30, 20, 10, other.",
        ),
        (
            "languages",
            "language_unknown",
            "Unknown language code(s) han-nom; use vi, lzh, nom, zh, fr, en.",
        ),
        (
            "end_date",
            "end_before_start",
            "End date 2023-05-01 is before start date 2024-05-01.",
        ),
        (
            "keywords",
            "keywords_format",
            "Keywords must be a list of non-empty words or phrases.",
        ),
    ]


def test_messages_read_in_vietnamese_when_vietnamese_is_active():
    values = VALID_FILE | {"reliability": "digitized", "paper_file_code": ""}
    with translation.override("vi"):
        assert problems_of(values) == [
            (
                "paper_file_code",
                "paper_file_code_required",
                "Hồ sơ số hóa phải ghi mã hồ sơ giấy của nó.",
            )
        ]
    with translation.override("en"):
        assert problems_of(values) == [
            (
                "paper_file_code",
                "paper_file_code_required",
                "A digitized file must carry the code of its paper file.",
            )
        ]


def test_digitized_file_with_its_paper_code_passes_and_mixed_needs_none():
    assert (
        problems_of(
            VALID_FILE | {"reliability": "digitized", "paper_file_code": "H26.1998.07"}
        )
        == []
    )
    assert problems_of(VALID_FILE | {"reliability": "mixed"}) == []


def test_other_retention_needs_its_period_written():
    assert problems_of(VALID_FILE | {"retention": "other"}) == [
        (
            "retention_note",
            "retention_note_required",
            "Retention is “other”: write the retention period here.",
        )
    ]


def test_missing_required_fields_are_each_reported():
    assert [(field, code) for field, code, _ in problems_of({})] == [
        ("agency_code", "required"),
        ("year", "required"),
        ("file_number", "required"),
        ("title", "required"),
    ]


@pytest.mark.django_db
def test_model_clean_raises_one_error_keyed_by_field():
    archival_file = make_file()
    archival_file.reliability = "digitized"
    archival_file.agency_code = "0.0.H26"
    with pytest.raises(CatalogValidationError) as caught:
        archival_file.clean()
    assert [p.code for p in caught.value.problems] == [
        "agency_code_format",
        "paper_file_code_required",
    ]
    # Forms call full_clean(), which keeps the messages beside their fields.
    with pytest.raises(ValidationError) as caught:
        archival_file.full_clean()
    assert caught.value.message_dict == {
        "agency_code": [
            "Agency code “0.0.H26” is not an agency identifier such as"
            " 000.00.31.H26 (four dot-separated groups)."
        ],
        "paper_file_code": ["A digitized file must carry the code of its paper file."],
    }


@pytest.mark.django_db
def test_saved_file_gets_its_code_and_documents_theirs():
    archival_file = make_file(number="7")
    document = make_document(
        "HN-HS-0001",
        "Tờ trình xếp hạng di tích",
        archival_file=archival_file,
        document_ordinal=3,
    )
    assert ArchivalFile.objects.get().file_code == "000.00.31.H26.2024.7"
    assert document.document_code == "000.00.31.H26.2024.7.0000003"
    assert make_document("HN-HS-0002", "Ảnh").document_code == ""


@pytest.mark.django_db
def test_series_of_another_fonds_is_refused():
    archival_file = make_file()
    other_fonds = archival_file.fonds.__class__.objects.create(
        holding_unit=archival_file.fonds.holding_unit, code="P-02", name="Phông khác"
    )
    archival_file.series = Series.objects.create(
        fonds=other_fonds, code="M-1", title="Mục lục 1"
    )
    problems = check_archival_file(
        {**VALID_FILE, "fonds": archival_file.fonds, "series": archival_file.series}
    )
    assert [(p.field, str(p)) for p in problems] == [
        ("series", "Series “M-1” belongs to another fonds than this file's.")
    ]


def test_document_type_comes_from_the_national_list():
    types = document_types()
    assert types["QD"].name_vi == "Quyết định"
    assert types["QD"].abbreviation == "QĐ"
    assert types["TTR"].name_vi == "Tờ trình"
    problems = check_document(
        {"identifier": "HN-1", "title": "Công văn", "document_type": "CONGVAN"}
    )
    assert [(p.field, str(p)) for p in problems] == [
        (
            "document_type",
            "Document type “CONGVAN” is not in the national list of document"
            " types; use one of its codes (QD, CV, BC…).",
        )
    ]


@pytest.mark.django_db
def test_document_in_a_file_needs_an_ordinal_in_range_and_no_more_open_access():
    archival_file = make_file(access_mode="conditional")
    values = {
        "identifier": "HN-2",
        "title": "Quyết định",
        "holding_unit": make_unit(),
        "archival_file": archival_file,
        "document_ordinal": 10_000_000,
        "access_level": "public",
        "issue_date": datetime.date(2030, 1, 1),
    }
    problems = check_document(values, today=datetime.date(2026, 1, 1))
    assert [(p.field, p.code, str(p)) for p in problems] == [
        (
            "document_ordinal",
            "ordinal_range",
            "Ordinal “10000000” must be a whole number from 1 to 9999999.",
        ),
        ("issue_date", "issue_date_future", "Issue date 2030-01-01 is in the future."),
        (
            "access_level",
            "access_more_open_than_file",
            "Access level “public” is more open than the access mode of its file"
            " (conditional).",
        ),
    ]
    other_unit = make_unit("thu-vien-ha-noi", "Thư viện Hà Nội")
    problems = check_document(
        values
        | {
            "holding_unit": other_unit,
            "document_ordinal": None,
            "access_level": "secret",
        },
        today=datetime.date(2031, 1, 1),
    )
    assert [(p.field, str(p)) for p in problems] == [
        (
            "document_ordinal",
            "A document in an archival file needs its ordinal in the file.",
        ),
        (
            "archival_file",
            "Archival file 000.00.31.H26.2024.15 is held by Bảo tàng Hà Nội, not by"
            " this unit.",
        ),
    ]


def test_a_start_year_after_this_year_is_an_error():
    values = {"identifier": "HN-3", "title": "Sắc phong", "year_start": 2027}
    problems = check_document(values, today=datetime.date(2026, 12, 31))
    assert [(p.field, p.code, str(p)) for p in problems] == [
        (
            "year_start",
            "year_future",
            "Start year 2027 is after this year (2026): a document cannot be"
            " dated in the future.",
        )
    ]
    assert check_document(values, today=datetime.date(2027, 1, 1)) == []
    with translation.override("vi"):
        assert str(problems[0]).startswith("Năm bắt đầu 2027 sau năm nay (2026)")

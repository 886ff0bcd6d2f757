"""`disan export-catalog` and `disan import --template`: the same columns back out."""

import csv

import openpyxl
import pytest
from django.core.management import call_command

from disan.catalog.importing.export import headers, neutralize
from disan.catalog.importing.service import import_inventory
from disan.catalog.models import HeritageDocument
from tests.catalog.conftest import make_document, make_file, make_unit

pytestmark = pytest.mark.django_db

INJECTION = "=cmd|' /C calc'!A0"


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_xlsx(path):
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = [["" if v is None else v for v in row] for row in workbook.active.values]
    workbook.close()
    return rows


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_has_every_column_and_no_rows(tmp_path, suffix, language):
    path = tmp_path / f"mẫu{suffix}"
    call_command("import", str(path), "--template", "--headers", language)
    rows = read_csv(path) if suffix == ".csv" else read_xlsx(path)
    assert rows == [headers(language)]
    assert len(rows[0]) == 36
    assert rows[0][:3] == (
        ["Mã tài liệu", "Tiêu đề", "Niên đại"]
        if language == "vi"
        else ["identifier", "title", "date"]
    )
    summary = import_inventory(path)
    assert (summary.rows, summary.invalid, summary.written) == (0, 0, True)


def test_neutralize_formula_signs():
    assert [neutralize(v) for v in ["=1+1", "+84", "-3", "@SUM(A1)", "Hà Nội", 7]] == [
        "'=1+1",
        "'+84",
        "'-3",
        "'@SUM(A1)",
        "Hà Nội",
        7,
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(tmp_path, suffix):
    unit = make_unit()
    archival_file = make_file(unit)
    make_document(
        "ĐNNTC-01",
        "Đại Nam nhất thống chí",
        unit,
        date_written="Tự Đức năm thứ 20",
        date_edtf="1867",
        year_start=1867,
        year_end=1867,
        languages=["lzh", "nom"],
        description=INJECTION,
        archival_file=archival_file,
        document_ordinal=1,
        access_level="conditional",
    )
    make_document("HN-2", "-- Hương ước", unit, carrier_type="stone")
    path = tmp_path / f"xuất{suffix}"
    call_command("export-catalog", str(path))

    rows = read_csv(path) if suffix == ".csv" else read_xlsx(path)
    assert len(rows) == 3
    # Sorted by identifier, code point by code point: Đ comes after H.
    assert [row[0] for row in rows[1:]] == ["HN-2", "ĐNNTC-01"]
    first = dict(zip(rows[0], rows[2], strict=True))
    assert first["Mô tả"] == "'" + INJECTION
    assert first["Ngôn ngữ"] == "lzh; nom"
    assert first["Mã hồ sơ"] == archival_file.file_code
    assert first["Đơn vị lưu giữ"] == "Bảo tàng Hà Nội"
    assert dict(zip(rows[0], rows[1], strict=True))["Tiêu đề"] == "'-- Hương ước"

    summary = import_inventory(path)
    assert (summary.unchanged, summary.updated, summary.invalid) == (2, 0, 0)
    assert HeritageDocument.objects.get(identifier="ĐNNTC-01").description == INJECTION


def test_export_to_an_unknown_kind_of_file_is_refused(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(
        CommandError, match="unknown kind of file; name it .csv or .xlsx"
    ):
        call_command("export-catalog", str(tmp_path / "out.ods"))


def test_commands_and_bench_are_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for text in (
        "`disan import FILE [--dry-run] [--valid-only] [--json]`",
        "`disan import --template FILE`",
        "`disan export-catalog FILE",
        "bench/import.py",
    ):
        assert text in readme

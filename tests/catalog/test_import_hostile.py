"""Broken, hostile and huge inventories: refused with a reason, nothing written."""

import csv
import os
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.utils import translation

from disan.catalog.importing.exceptions import InventoryFileError
from disan.catalog.importing.readers import MAX_XLSX_RATIO, open_inventory
from disan.catalog.importing.service import import_inventory
from disan.catalog.models import HeritageDocument

pytestmark = pytest.mark.django_db


def refused(path):
    with pytest.raises(InventoryFileError) as caught:
        import_inventory(path)
    assert HeritageDocument.objects.count() == 0
    return str(caught.value)


def test_binary_junk_with_nul_bytes(tmp_path):
    path = tmp_path / "rác.csv"
    path.write_bytes(os.urandom(4096) + b"\x00" + os.urandom(4096))
    assert refused(path) == (
        "rác.csv: holds binary data (NUL bytes), not text; export the "
        'spreadsheet again as "CSV UTF-8"'
    )


def test_binary_junk_without_nul_bytes_fails_on_its_header(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(1, 256)) * 30)
    assert refused(path).startswith("junk.csv, header row: unknown column")


def test_a_jpeg_named_csv(tmp_path):
    scan = (
        __import__("pathlib").Path(__file__).resolve().parents[2]
        / ".."
        / "shared"
        / "samples"
    )
    jpeg = next(scan.rglob("*.jpg"))
    path = tmp_path / "ảnh.csv"
    path.write_bytes(jpeg.read_bytes())
    assert refused(path) == (
        "ảnh.csv: holds binary data (NUL bytes), not text; export the "
        'spreadsheet again as "CSV UTF-8"'
    )


def test_wrong_delimiter_is_found_from_the_header(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("identifier|title|description\nA-1|Sắc phong|x, y; z\n")
    summary = import_inventory(path)
    assert summary.created == 1
    assert HeritageDocument.objects.get().description == "x, y; z"


def test_unusable_delimiter_names_the_unknown_column(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("identifier:title\nA-1:Sắc phong\n")
    assert refused(path).startswith(
        "a.csv, header row: unknown column 'identifier:title'"
    )


def test_a_reader_paused_between_rows_leaves_the_csv_field_limit_as_it_was(
    tmp_path,
):
    path = tmp_path / "a.csv"
    path.write_text("identifier:title\nA-1:Sắc phong\n")
    before = csv.field_size_limit()
    rows = open_inventory(path).rows()

    # As when an import stops at a header it refuses, before reading on.
    assert next(rows) == (1, ["identifier:title"])
    assert csv.field_size_limit() == before
    rows.close()


def test_row_with_more_values_than_columns(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("identifier,title\nA-1,Hà Nội, 1873,x\n")
    rows = []
    import_inventory(path, on_row=rows.append)
    assert rows[0].errors == [
        {
            "column": "",
            "message": "4 values for 2 columns; quote values that contain the "
            "separator",
        }
    ]


def test_field_over_the_csv_limit_is_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('identifier,title\nA-1,"' + "ạ" * 1_000_001 + '"\n')
    message = refused(path)
    assert message == (
        "a.csv, line 2: the cell of column 'title' holds 1,000,001 characters, "
        "more than the 1,000,000 an inventory cell may hold; shorten it or put "
        "the text in a file"
    )


def test_field_past_what_csv_reads_is_refused_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr("disan.catalog.importing.readers.MAX_FIELD_CHARS", 1000)
    monkeypatch.setattr("disan.catalog.importing.readers.CSV_FIELD_CHARS", 2000)
    path = tmp_path / "a.csv"
    path.write_text(
        'identifier,title\nA-1,Hà Nội\n"A-2\nx",Huế\nA-3,"' + "ạ" * 3000 + '"\n'
    )
    assert refused(path) == (
        "a.csv, line 5: a cell is longer than 1,000 characters, the most an "
        "inventory cell may hold; shorten it or put the text in a file"
    )


def test_field_over_the_limit_names_its_column_in_vietnamese(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Mã tài liệu,Tiêu đề\nA-1," + "ạ" * 1_000_001 + "\n")
    with translation.override("vi"):
        message = refused(path)
    assert message == (
        "a.csv, dòng 2: ô của cột “Tiêu đề” có 1,000,001 ký tự, quá 1,000,000 "
        "ký tự mà một ô của danh mục được phép chứa; hãy rút ngắn hoặc đưa văn "
        "bản vào một tệp"
    )


def test_huge_field_under_the_csv_limit_is_a_row_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("identifier,title,description\nA-1,Hà Nội," + "ư" * 200_000 + "\n")
    rows = []
    summary = import_inventory(path, on_row=rows.append)
    assert rows[0].errors == [
        {
            "column": "description",
            "message": "200000 characters, over the limit of 100000",
        }
    ]
    assert summary.written is False


def test_control_characters_are_a_row_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("identifier,title\nA-1,Hà\x07Nội\n")
    rows = []
    import_inventory(path, on_row=rows.append)
    assert rows[0].errors == [
        {"column": "title", "message": "contains control characters; retype the text"}
    ]


def test_invalid_utf8_after_the_sample_is_refused_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr("disan.catalog.importing.readers.SAMPLE_BYTES", 64)
    path = tmp_path / "a.csv"
    lines = ["identifier,title"] + [f"A-{n},Hà Nội" for n in range(10)]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"B-1,\xff\xfe\n")
    message = refused(path)
    assert message == (
        "a.csv, line 12: not utf-8 after the start (byte 0xff); save the whole "
        'file again as "CSV UTF-8"'
    )


def test_empty_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"")
    assert refused(path) == "a.csv: is empty; add a header row"


def test_old_excel_and_unknown_extensions(tmp_path):
    assert refused(tmp_path / "a.xls") == (
        "a.xls: old Excel 97-2003 workbooks are not read; save it as .xlsx"
    )
    assert refused(tmp_path / "a.pdf") == (
        "a.pdf: unknown kind of file; give a .csv or .xlsx inventory"
    )


def test_xlsx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("identifier,title\n")
    assert refused(path) == (
        "a.xlsx: not an XLSX workbook (not a zip archive); save it again as an "
        "Excel workbook (.xlsx)"
    )


@pytest.mark.parametrize("name", ["gone.xlsx", "gone.csv"])
def test_a_missing_file_is_missing_whatever_its_kind(tmp_path, name):
    assert refused(tmp_path / name) == (
        f"{name}: cannot be read (No such file or directory)"
    )


def test_zip_bomb_xlsx_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (64 * 1024**2))
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    message = refused(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    packed = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").compress_size
    assert message == (
        "bom.xlsx: part xl/worksheets/sheet1.xml inflates "
        f"{64 * 1024**2 // packed} "
        f"times (more than {MAX_XLSX_RATIO}): refused as a zip bomb"
    )
    assert peak < 5 * 1024**2


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert refused(path).startswith("a.xlsx: cannot be opened as a workbook (")


def test_xlsx_formula_cell_is_a_row_error_and_mojibake_is_repaired(tmp_path):
    path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["identifier", "title", "description"])
    sheet.append(["A-1", "TiÕng ViÖt", '=HYPERLINK("http://x","y")'])
    sheet.append(["A-2", "Tieáng Vieät", 1867])
    workbook.save(path)
    rows = []
    summary = import_inventory(path, valid_only=True, on_row=rows.append)
    assert rows[0].errors == [
        {"column": "description", "message": "a formula; paste the value instead"}
    ]
    assert rows[1].values == {
        "identifier": "A-2",
        "title": "Tiếng Việt",
        "description": "1867",
    }
    assert summary.created == 1


def test_csv_formula_text_is_kept_as_text(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("identifier,title\nA-1,\"=cmd|' /C calc'!A0\"\n")
    import_inventory(path)
    assert HeritageDocument.objects.get().title == "=cmd|' /C calc'!A0"

"""`disan import` of file inventories (mục lục hồ sơ), template and export."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from disan.catalog.importing.export import headers
from disan.catalog.importing.kinds import DOCUMENTS, FILES
from disan.catalog.importing.service import import_inventory
from disan.catalog.models import ArchivalFile, Fonds, HeritageDocument, Series
from tests.catalog.conftest import make_file, make_unit
from tests.catalog.test_export import INJECTION, read_csv, read_xlsx
from tests.catalog.test_import import rows_of, write

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã phông",
    "Mã nhóm hồ sơ",
    "Mã hồ sơ",
    "Mã định danh cơ quan",
    "Năm hình thành hồ sơ",
    "Số và ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Thời gian",
    "Thời hạn bảo quản",
    "Chế độ sử dụng",
    "Ngôn ngữ",
    "Từ khóa",
    "Tổng số văn bản",
    "Số lượng tờ",
    "Mức độ tin cậy",
    "Mã hồ sơ giấy",
    "Ghi chú",
]
AGENCY = "000.00.31.H26"
ROWS = [
    [
        "P-01",
        "NHS-01",
        f"{AGENCY}.2024.15",
        AGENCY,
        "2024",
        "15",
        "Hồ sơ xếp hạng di tích đình Đông Ngạc, quận Bắc Từ Liêm",
        "Từ 03/01/2024 đến 28/11/2024",
        "Vĩnh viễn",
        "Công khai",
        "Tiếng Việt",
        "di tích; xếp hạng; đình Đông Ngạc",
        "12",
        "48",
        "Số hóa từ bản giấy",
        "HSG-2024-15",
        "",
    ],
    [
        "P-01",
        "",
        f"{AGENCY}.2024.16.VP",
        AGENCY,
        "2024",
        "16.VP",
        "Hồ sơ tổ chức lễ hội Gióng đền Sóc",
        "2024",
        "70 năm",
        "hạn chế",
        "vi",
        "lễ hội",
        "5",
        "20",
        "bản gốc điện tử",
        "",
        "Giấy ố vàng",
    ],
    [
        "P-01",
        "NHS-01",
        "",
        AGENCY,
        "2023",
        "3",
        "Hồ sơ tu bổ Văn Miếu - Quốc Tử Giám",
        "12/2023",
        "20",
        "",
        "",
        "",
        "",
        "",
        "hỗn hợp",
        "",
        "",
    ],
]


@pytest.fixture
def fonds():
    fonds = Fonds.objects.create(
        holding_unit=make_unit(),
        code="P-01",
        name="Phông Sở Văn hóa và Thể thao Hà Nội",
    )
    Series.objects.create(fonds=fonds, code="NHS-01", title="Di tích")
    return fonds


def csv_lines(rows):
    lines = []
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(row)
        lines.append(buffer.getvalue().rstrip("\r\n"))
    return lines


def write_inventory(tmp_path, name, rows, encoding="utf-8"):
    if name.endswith(".xlsx"):
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(tmp_path / name)
        return tmp_path / name
    return write(tmp_path, name, csv_lines(rows), encoding)


def errors_by_line(rows):
    return {row.line: row.errors for row in rows if row.errors}


@pytest.mark.parametrize("name", ["mục lục hồ sơ.csv", "mục lục hồ sơ.xlsx"])
def test_a_vietnamese_file_inventory_creates_files(tmp_path, fonds, name):
    path = write_inventory(tmp_path, name, [HEADER, *ROWS])
    summary, rows = rows_of(path)

    assert [row.errors for row in rows] == [[], [], []]
    assert (summary.kind, summary.created, summary.written) == ("files", 3, True)
    assert not HeritageDocument.objects.exists()
    first = ArchivalFile.objects.get(file_code=f"{AGENCY}.2024.15")
    assert (first.fonds, first.series.code) == (fonds, "NHS-01")
    assert first.title == "Hồ sơ xếp hạng di tích đình Đông Ngạc, quận Bắc Từ Liêm"
    assert first.date_written == "Từ 03/01/2024 đến 28/11/2024"
    assert (first.start_date, first.end_date) == (
        datetime.date(2024, 1, 3),
        datetime.date(2024, 11, 28),
    )
    assert (first.retention, first.access_mode, first.languages) == (
        "permanent",
        "public",
        ["vi"],
    )
    assert first.keywords == ["di tích", "xếp hạng", "đình Đông Ngạc"]
    assert (first.document_count, first.sheet_count) == (12, 48)
    assert (first.reliability, first.paper_file_code) == ("digitized", "HSG-2024-15")
    assert first.history.first().history_change_reason == f"import {name}"
    second = ArchivalFile.objects.get(file_code=f"{AGENCY}.2024.16.VP")
    assert (second.retention, second.access_mode, second.series) == (
        "70",
        "conditional",
        None,
    )
    # A year is no day: the start and end days stay empty.
    assert (second.date_written, second.start_date) == ("2024", None)
    assert second.note == "Giấy ố vàng"
    third = ArchivalFile.objects.get(file_code=f"{AGENCY}.2023.3")
    assert (third.retention, third.reliability) == ("20", "mixed")


def numbered(row, number, **cells):
    """``row`` as file ``number`` (no file code), with ``cells`` by header."""
    row = list(row)
    row[2], row[5] = "", number
    for header, value in cells.items():
        row[HEADER.index(header.replace("_", " "))] = value
    return row


BAD_ROWS = [
    # Retention no circular knows.
    numbered(ROWS[1], "21", Thời_hạn_bảo_quản="15 năm"),
    # Digitized, without the code of its paper file.
    numbered(ROWS[0], "22", Mức_độ_tin_cậy="số hóa", Mã_hồ_sơ_giấy=""),
    # A fonds that is not on record.
    numbered(ROWS[2], "23", Mã_phông="P-99"),
    # A file code that is not the agency code, year and number joined.
    numbered(ROWS[2], "24", Mã_hồ_sơ=f"{AGENCY}.2023.4"),
]


def test_bad_rows_roll_everything_back_naming_their_columns(tmp_path, fonds):
    rows = [HEADER, ROWS[0], *BAD_ROWS]
    path = write_inventory(tmp_path, "a.csv", rows)
    summary, results = rows_of(path)

    assert (summary.created, summary.invalid, summary.written) == (1, 4, False)
    assert not ArchivalFile.objects.exists()
    assert errors_by_line(results) == {
        3: [
            {
                "column": "Thời hạn bảo quản",
                "message": "'15 năm' is not one of: permanent, 70, 50, 30, 20, 10, "
                "other (or their Vietnamese names)",
            }
        ],
        4: [
            {
                "column": "Mã hồ sơ giấy",
                "message": "A digitized file must carry the code of its paper file.",
            }
        ],
        5: [
            {
                "column": "Mã phông",
                "message": "no fonds 'P-99'; create the fonds in the staff "
                "interface first or correct its number",
            }
        ],
        6: [
            {
                "column": "Mã hồ sơ",
                "message": f"'{AGENCY}.2023.4' is not the agency code, year and "
                f"file number joined ({AGENCY}.2023.24); correct one or the other",
            }
        ],
    }


def test_the_model_rules_name_their_column(tmp_path, fonds):
    row = ROWS[2][:3] + ["H26", "2999", "15/VP"] + ROWS[2][6:]
    path = write_inventory(tmp_path, "a.csv", [HEADER, row])
    summary, results = rows_of(path)
    columns = [error["column"] for error in results[0].errors]
    assert columns == [
        "Mã định danh cơ quan",
        "Năm hình thành hồ sơ",
        "Số và ký hiệu hồ sơ",
    ]
    assert results[0].errors[0]["message"].startswith("Agency code “H26” is not")


def test_valid_only_writes_the_valid_rows(tmp_path, fonds):
    path = write_inventory(tmp_path, "a.csv", [HEADER, *ROWS, *BAD_ROWS])
    summary, rows = rows_of(path, valid_only=True)
    assert (summary.created, summary.invalid, summary.written) == (3, 4, True)
    assert ArchivalFile.objects.count() == 3


def test_dry_run_checks_everything_and_writes_nothing(tmp_path, fonds, capsys):
    path = write_inventory(tmp_path, "a.csv", [HEADER, *ROWS])
    call_command("import", str(path), "--dry-run")
    assert "3 rows, 3 new" in capsys.readouterr().out
    assert not ArchivalFile.objects.exists()


def test_reimport_updates_by_file_code(tmp_path, fonds):
    import_inventory(write_inventory(tmp_path, "a.csv", [HEADER, *ROWS]))
    changed = list(ROWS[1])
    changed[6] = "Hồ sơ tổ chức lễ hội Gióng đền Sóc năm 2024"
    path = write_inventory(tmp_path, "b.csv", [HEADER, ROWS[0], changed])
    summary, rows = rows_of(path)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert rows[1].changed == ["title"]
    updated = ArchivalFile.objects.get(file_code=f"{AGENCY}.2024.16.VP")
    assert updated.title.endswith("năm 2024")
    assert updated.history.count() == 2
    assert ArchivalFile.objects.count() == 3


def test_an_update_is_checked_against_the_stored_file(tmp_path, fonds):
    make_file(
        fonds.holding_unit,
        number="15",
        reliability="digitized",
        paper_file_code="HSG-15",
    )
    path = write_inventory(
        tmp_path,
        "a.csv",
        [
            ["Mã phông", "Mã hồ sơ", "Mã hồ sơ giấy", "Ghi chú"],
            ["P-01", f"{AGENCY}.2024.15", "", "Đã kiểm tra"],
        ],
    )
    summary, rows = rows_of(path)
    assert (rows[0].errors, summary.updated) == ([], 1)
    assert ArchivalFile.objects.get().note == "Đã kiểm tra"


def test_a_fonds_number_two_units_use_needs_the_unit(tmp_path, fonds):
    other = make_unit("thu-vien-ha-noi", "Thư viện Hà Nội")
    Fonds.objects.create(holding_unit=other, code="P-01", name="Phông Thư viện")
    path = write_inventory(tmp_path, "a.csv", [HEADER, ROWS[1]])
    summary, rows = rows_of(path, dry_run=True)
    assert rows[0].errors == [
        {
            "column": "Mã phông",
            "message": "fonds 'P-01' is held by more than one unit (Bảo tàng Hà "
            "Nội, Thư viện Hà Nội); add a 'Đơn vị lưu giữ' (holding unit) column "
            "to say which",
        }
    ]
    path = write_inventory(
        tmp_path, "b.csv", [["Đơn vị lưu giữ", *HEADER], ["Thư viện Hà Nội", *ROWS[1]]]
    )
    summary, rows = rows_of(path)
    assert ArchivalFile.objects.get().fonds.holding_unit == other


def test_headers_tell_a_file_inventory_from_a_document_inventory(tmp_path, fonds):
    english = ["fonds", "file code", "agency code", "year", "file number", "title"]
    path = write_inventory(
        tmp_path, "a.csv", [english, ["P-01", "", AGENCY, "2024", "15", "Hồ sơ"]]
    )
    assert import_inventory(path).kind == "files"

    path = write_inventory(tmp_path, "b.csv", [["Mã tài liệu", "Tiêu đề"], ["A", "B"]])
    assert import_inventory(path).kind == "documents"

    ambiguous = ["Mã tài liệu", "Mã hồ sơ", "Tiêu đề", "Thời hạn bảo quản"]
    path = write_inventory(tmp_path, "c.csv", [ambiguous, ["A", "", "B", "20"]])
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path))
    assert str(caught.value) == (
        "c.csv, header row: the header names columns of a document inventory "
        "(Mã tài liệu) and of a file inventory (Thời hạn bảo quản); give --kind "
        "documents or --kind files"
    )
    # --kind settles it: the other kind's columns are then unknown.
    with pytest.raises(CommandError, match="unknown column 'Mã tài liệu'"):
        call_command("import", str(path), "--kind", "files")
    with pytest.raises(CommandError, match="unknown column 'Thời hạn bảo quản'"):
        call_command("import", str(path), "--kind", "documents")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_a_legacy_encoded_file_inventory_lands_as_nfc(tmp_path, fonds, encoding):
    path = write_inventory(tmp_path, f"{encoding}.csv", [HEADER, *ROWS], encoding)
    summary, rows = rows_of(path)
    assert (summary.encoding, summary.kind, summary.created) == (encoding, "files", 3)
    titles = sorted(ArchivalFile.objects.values_list("title", flat=True))
    assert titles == sorted(row[6] for row in ROWS)
    first = ArchivalFile.objects.get(file_code=f"{AGENCY}.2024.15")
    assert first.keywords == ["di tích", "xếp hạng", "đình Đông Ngạc"]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_file_template_has_every_column_and_no_rows(tmp_path, suffix, language):
    path = tmp_path / f"mẫu hồ sơ{suffix}"
    call_command(
        "import", str(path), "--template", "--kind", "files", "--headers", language
    )
    rows = read_csv(path) if suffix == ".csv" else read_xlsx(path)
    assert rows == [headers(language, FILES)]
    assert rows[0][:3] == (
        ["Mã hồ sơ", "Mã phông", "Mã nhóm hồ sơ"]
        if language == "vi"
        else ["file code", "fonds", "series"]
    )
    assert headers(language, FILES) != headers(language, DOCUMENTS)
    summary = import_inventory(path)
    assert (summary.kind, summary.rows, summary.written) == ("files", 0, True)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_of_files_then_import_changes_nothing(tmp_path, fonds, suffix):
    import_inventory(write_inventory(tmp_path, "a.csv", [HEADER, *ROWS]))
    make_file(
        fonds.holding_unit,
        number="17",
        title=INJECTION,
        note="-- ghi chú",
        keywords=["+84", "đình"],
        retention="other",
        retention_note="Đến khi hết hiệu lực",
        backup_mode=True,
        backup_status="backed_up",
    )
    path = tmp_path / f"xuất hồ sơ{suffix}"
    call_command("export-catalog", str(path), "--kind", "files")

    rows = read_csv(path) if suffix == ".csv" else read_xlsx(path)
    assert rows[0] == headers("vi", FILES)
    assert len(rows) == 5
    exported = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    injected = exported[f"{AGENCY}.2024.17"]
    assert injected["Tiêu đề hồ sơ"] == "'" + INJECTION
    assert injected["Ghi chú"] == "'-- ghi chú"
    assert injected["Từ khóa"] == "'+84; đình"
    assert injected["Chế độ dự phòng"] == "có"
    assert exported[f"{AGENCY}.2024.15"]["Mã nhóm hồ sơ"] == "NHS-01"
    assert exported[f"{AGENCY}.2024.15"]["Thời gian bắt đầu"] == "03/01/2024"

    summary, results = rows_of(path)
    assert [row.errors for row in results] == [[]] * 4
    assert (summary.kind, summary.unchanged, summary.updated) == ("files", 4, 0)
    assert ArchivalFile.objects.get(file_code=f"{AGENCY}.2024.17").title == INJECTION


def test_exported_choices_read_in_vietnamese_and_each_label_imports(tmp_path, fonds):
    import_inventory(write_inventory(tmp_path, "a.csv", [HEADER, *ROWS]))
    path = tmp_path / "xuất.csv"
    call_command("export-catalog", str(path), "--kind", "files")
    rows = read_csv(path)
    first = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    first = first[f"{AGENCY}.2024.15"]
    assert first["Thời hạn bảo quản"] == "Vĩnh viễn"
    assert first["Chế độ sử dụng"] == "Công khai"
    assert first["Mức độ tin cậy"] == "Số hóa"
    assert first["Tình trạng dự phòng"] == "Chưa dự phòng"
    # Every label an export writes is read back as its own code.
    for column in (*FILES.columns, *DOCUMENTS.columns):
        for code, label in getattr(column.read, "labels", {}).items():
            assert column.read(label, None) == code


def test_a_row_number_column_is_ignored(tmp_path, fonds, capsys):
    rows = [["STT", *HEADER], *([str(n), *row] for n, row in enumerate(ROWS, 1))]
    path = write_inventory(tmp_path, "a.csv", rows)
    call_command("import", str(path))
    assert ArchivalFile.objects.count() == 3
    assert "Row-number column ignored: STT" in capsys.readouterr().out


def test_the_file_code_alone_gives_agency_code_year_and_number(tmp_path, fonds):
    header = ["Mã phông", "Mã hồ sơ", "Tiêu đề hồ sơ", "Mức độ tin cậy"]
    rows = [
        header,
        ["P-01", f"{AGENCY}.1968.01", "Hồ sơ A", "số hóa"],
        ["P-01", f"{AGENCY}.1968.02.VP", "Hồ sơ B", "hỗn hợp"],
    ]
    summary, results = rows_of(write_inventory(tmp_path, "a.csv", rows))
    assert [row.errors for row in results][1] == []
    assert results[0].errors == [
        {
            "column": "Mã hồ sơ giấy",
            "message": "A digitized file must carry the code of its paper file.",
        }
    ]
    rows[1][3] = "bản gốc điện tử"
    summary, results = rows_of(write_inventory(tmp_path, "a.csv", rows))
    assert summary.created == 2
    second = ArchivalFile.objects.get(file_code=f"{AGENCY}.1968.02.VP")
    assert (second.agency_code, second.year, second.file_number) == (
        AGENCY,
        1968,
        "02.VP",
    )


def test_a_wrong_file_code_labels_the_row_with_what_was_typed(tmp_path, fonds):
    rows = [
        HEADER,
        numbered(ROWS[2], "1", Mã_hồ_sơ=f"{AGENCY}.2023.01"),
        numbered(ROWS[2], "1", Mã_hồ_sơ=f"{AGENCY}.2023.9"),
    ]
    summary, results = rows_of(write_inventory(tmp_path, "a.csv", rows))
    assert results[1].identifier == f"{AGENCY}.2023.9"
    assert results[1].errors == [
        {
            "column": "Mã hồ sơ",
            "message": f"'{AGENCY}.2023.9' is not the agency code, year and file "
            f"number joined ({AGENCY}.2023.1); correct one or the other",
        }
    ]
    # A code that cannot be split, with its parts missing: one error.
    rows = [["Mã phông", "Mã hồ sơ", "Tiêu đề hồ sơ"], ["P-01", "H26-15", "A"]]
    summary, results = rows_of(write_inventory(tmp_path, "b.csv", rows))
    assert [error["column"] for error in results[0].errors] == [
        "Mã hồ sơ",
        "Mức độ tin cậy",
    ]


def test_a_new_file_needs_its_reliability(tmp_path, fonds):
    header = [name for name in HEADER if name != "Mức độ tin cậy"]
    rows = [header, [cell for n, cell in enumerate(ROWS[2]) if n != 14]]
    summary, results = rows_of(write_inventory(tmp_path, "a.csv", rows))
    assert results[0].errors == [
        {
            "column": "Mức độ tin cậy",
            "message": "missing for a new file; write Bản gốc điện tử (born "
            "digital), Số hóa (digitized) or Hỗn hợp (mixed)",
        }
    ]
    # A file on record keeps the reliability it has.
    import_inventory(write_inventory(tmp_path, "b.csv", [HEADER, ROWS[2]]))
    summary, results = rows_of(write_inventory(tmp_path, "a.csv", rows))
    assert (results[0].errors, summary.unchanged) == ([], 1)
    assert ArchivalFile.objects.get().reliability == "mixed"


def test_every_error_of_a_row_is_reported_at_once(tmp_path, fonds):
    row = ROWS[2][:3] + ["H26", "2023", "3"] + ROWS[2][6:]
    row[7] = "31/02/2023"
    row[6] = ""
    summary, results = rows_of(write_inventory(tmp_path, "a.csv", [HEADER, row]))
    assert [error["column"] for error in results[0].errors] == [
        "Thời gian",
        "Mã định danh cơ quan",
        "Tiêu đề hồ sơ",
    ]


def test_a_repeated_column_names_both_headers(tmp_path, fonds):
    rows = [[*HEADER, "Tiêu đề"], [*ROWS[0], "x"]]
    with pytest.raises(CommandError) as caught:
        call_command("import", str(write_inventory(tmp_path, "a.csv", rows)))
    assert (
        "columns 'Tiêu đề hồ sơ' and 'Tiêu đề' are both 'Tiêu đề hồ sơ'; keep one"
        in str(caught.value)
    )


@pytest.mark.parametrize("command", ["import", "export-catalog"])
def test_an_existing_file_is_not_overwritten_without_force(tmp_path, command):
    path = tmp_path / "danh mục.csv"
    path.write_text("Mã tài liệu,Tiêu đề\nA-1,Hà Nội\n")
    options = ["--template"] if command == "import" else []
    with pytest.raises(CommandError) as caught:
        call_command(command, str(path), *options)
    assert caught.value.returncode == 2
    assert str(caught.value) == f"{path} exists; give --force to overwrite it"
    assert path.read_text() == "Mã tài liệu,Tiêu đề\nA-1,Hà Nội\n"
    call_command(command, str(path), *options, "--force")
    assert read_csv(path)[0][:2] == ["Mã tài liệu", "Tiêu đề"]


def test_the_report_reads_in_vietnamese(tmp_path, fonds, capsys):
    from django.utils import translation

    rows = [["STT", *HEADER], ["1", *numbered(ROWS[2], "1", Mã_phông="P-99")]]
    path = write_inventory(tmp_path, "a.csv", rows)
    with translation.override("vi"), pytest.raises(CommandError) as caught:
        call_command("import", str(path))
    assert str(caught.value) == (
        "1 dòng không hợp lệ: không ghi gì. Hãy sửa các dòng đó, hoặc dùng "
        "--valid-only để ghi các dòng hợp lệ."
    )
    out = capsys.readouterr().out
    assert f"dòng 2 ({AGENCY}.2023.1): không hợp lệ\n" in out
    assert (
        "  lỗi: Mã phông: không có phông “P-99”; hãy tạo phông trong giao diện "
        "quản trị trước hoặc sửa số phông\n" in out
    )
    assert "Bỏ qua cột số thứ tự: STT" in out
    assert "1 dòng, 0 mới, 0 cập nhật, 0 không đổi, 1 không hợp lệ; không ghi gì" in out


DATED = ["Mã phông", "Mã hồ sơ", "Thời gian", "Thời gian bắt đầu", "Thời gian kết thúc"]


def dated(tmp_path, *rows, reliability="Hỗn hợp", title="Hồ sơ di tích"):
    header = [*DATED, "Mức độ tin cậy", "Tiêu đề hồ sơ"]
    lines = [
        ["P-01", f"{AGENCY}.2024.{number}", *cells, reliability, title]
        for number, *cells in rows
    ]
    return write_inventory(tmp_path, "a.csv", [header, *lines])


def test_start_and_end_dates_after_today_are_refused(tmp_path, fonds):
    from django.utils import translation

    soon = datetime.date.today() + datetime.timedelta(days=1)
    path = dated(
        tmp_path,
        ["1", "", "01/01/2030", "31/12/2031"],
        ["2", "", "", "05/06/2099"],
        ["3", "", "01/01/2024", soon.strftime("%d/%m/%Y")],
    )
    with translation.override("vi"):
        summary, rows = rows_of(path)
    assert (summary.invalid, summary.written) == (3, False)
    today = datetime.date.today().isoformat()
    assert rows[0].errors == [
        {
            "column": "Thời gian bắt đầu",
            "message": f"Thời gian bắt đầu 2030-01-01 sau ngày hôm nay ({today}): "
            "hồ sơ không thể có thời gian ở tương lai.",
        },
        {
            "column": "Thời gian kết thúc",
            "message": f"Thời gian kết thúc 2031-12-31 sau ngày hôm nay ({today}): "
            "hồ sơ không thể có thời gian ở tương lai.",
        },
    ]
    assert [error["column"] for error in rows[1].errors] == ["Thời gian kết thúc"]
    assert [error["column"] for error in rows[2].errors] == ["Thời gian kết thúc"]


def test_an_end_before_the_start_is_refused(tmp_path, fonds):
    path = dated(tmp_path, ["1", "", "28/11/2024", "03/01/2024"])
    summary, rows = rows_of(path)
    assert rows[0].errors == [
        {
            "column": "Thời gian kết thúc",
            "message": "End date 2024-01-03 is before start date 2024-11-28.",
        }
    ]


def test_days_outside_the_dates_as_written_are_refused_naming_both(tmp_path, fonds):
    from django.utils import translation

    path = dated(
        tmp_path,
        ["1", "2023", "05/06/2023", "03/01/2024"],
        ["2", "05/2023", "01/05/2023", "31/05/2023"],
        ["3", "khoảng 2023", "01/01/2022", ""],
        ["4", "Từ 03/01/2023 đến 28/11/2023", "02/01/2023", "28/11/2023"],
    )
    with translation.override("vi"):
        summary, rows = rows_of(path)
    assert rows[0].errors == [
        {
            "column": "Thời gian kết thúc",
            "message": "Thời gian kết thúc 2024-01-03 nằm ngoài Thời gian (như ghi) "
            "“2023”, tức từ 2023-01-01 đến 2023-12-31.",
        }
    ]
    # A month spans its days; an approximate date sets no bounds.
    assert (rows[1].errors, rows[2].errors) == ([], [])
    assert [error["column"] for error in rows[3].errors] == ["Thời gian bắt đầu"]
    assert "Từ 03/01/2023 đến 28/11/2023" in rows[3].errors[0]["message"]


def test_a_new_date_as_written_recomputes_or_clears_the_days(tmp_path, fonds):
    for number in ("1", "2", "3", "4"):
        make_file(
            fonds.holding_unit,
            number=number,
            reliability="mixed",
            title="Hồ sơ di tích",
            date_written="Từ 03/01/2024 đến 28/11/2024",
        )
    path = dated(
        tmp_path,
        # Written to the day: the days are read from it.
        ["1", "Từ 05/02/2023 đến 06/03/2023", "", ""],
        # A year the stored days are not in: both are cleared.
        ["2", "2023", "", ""],
        # A year the end is not in: the end is cleared, the start kept.
        ["3", "01/2024-06/2024", "", ""],
        # A day given with it wins; the other one is checked against it.
        ["4", "2024", "", "30/12/2024"],
    )
    summary, rows = rows_of(path)
    assert [row.errors for row in rows] == [[]] * 4
    days = {
        record.file_number: (record.start_date, record.end_date)
        for record in ArchivalFile.objects.all()
    }
    day = datetime.date
    assert days == {
        "1": (day(2023, 2, 5), day(2023, 3, 6)),
        "2": (None, None),
        "3": (day(2024, 1, 3), None),
        "4": (day(2024, 1, 3), day(2024, 12, 30)),
    }
    assert rows[2].changed == ["date_written", "end_date"]


def test_the_same_date_as_written_leaves_the_days_alone(tmp_path, fonds):
    make_file(
        fonds.holding_unit,
        number="1",
        reliability="mixed",
        title="Hồ sơ di tích",
        date_written="2024",
    )
    summary, rows = rows_of(dated(tmp_path, ["1", "2024", "", ""]))
    assert rows[0].action == "unchanged"
    assert ArchivalFile.objects.get().start_date == datetime.date(2024, 1, 3)

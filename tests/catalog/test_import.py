"""`disan import`: inventories in, checked row by row, all or nothing."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from disan.catalog.encodings import encode
from disan.catalog.importing.service import import_inventory
from disan.catalog.models import HeritageDocument, HoldingUnit
from tests.catalog.conftest import make_document, make_file, make_unit

pytestmark = pytest.mark.django_db

HEADER_VI = "Mã tài liệu,Tiêu đề,Niên đại,Ngôn ngữ,Đơn vị lưu giữ,Mức truy cập"
ROWS_VI = [
    "ĐNNTC-01,Đại Nam nhất thống chí,Tự Đức năm thứ 20,Hán Nôm,"
    "Thư viện Hà Nội,công khai",
    "HU-02,Hương ước làng Đông Ngạc,tháng Chạp năm Cảnh Hưng thứ 30,hán,"
    "Thư viện Hà Nội,hạn chế",
    "BĐ-03,Bản đồ Hà Nội,03/12/1873,tiếng Pháp,Bảo tàng Hà Nội,public",
]


def write(tmp_path, name, lines, encoding="utf-8"):
    path = tmp_path / name
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(
        encode(text, encoding) if encoding != "utf-8" else text.encode("utf-8")
    )
    return path


def rows_of(path, **options):
    seen = []
    summary = import_inventory(path, on_row=seen.append, **options)
    return summary, seen


def test_vietnamese_headers_create_documents_with_parsed_values(tmp_path):
    path = write(tmp_path, "danh mục.csv", [HEADER_VI, *ROWS_VI])
    summary, rows = rows_of(path)

    assert (summary.rows, summary.created, summary.invalid) == (3, 3, 0)
    assert summary.written is True
    assert [row.action for row in rows] == ["create", "create", "create"]
    # Units named for the first time are made, and said so, once each.
    assert summary.new_units == ["Thư viện Hà Nội", "Bảo tàng Hà Nội"]
    document = HeritageDocument.objects.get(identifier="HU-02")
    assert document.title == "Hương ước làng Đông Ngạc"
    assert document.date_written == "tháng Chạp năm Cảnh Hưng thứ 30"
    assert (document.year_start, document.year_end) == (1769, 1770)
    assert document.languages == ["lzh"]
    assert document.access_level == "conditional"
    assert document.holding_unit.name == "Thư viện Hà Nội"
    first = HeritageDocument.objects.get(identifier="ĐNNTC-01")
    assert (first.languages, first.year_start, first.year_end) == (
        ["lzh", "nom"],
        1867,
        1867,
    )
    assert HoldingUnit.objects.count() == 2
    assert document.history.count() == 1
    assert document.history.first().history_change_reason == "import danh mục.csv"


def test_english_headers_semicolons_and_every_kind_of_field(tmp_path):
    unit = make_unit()
    archival_file = make_file(unit)
    path = write(
        tmp_path,
        "inventory.csv",
        [
            "identifier;title;date;year start;languages;scripts;holding unit;"
            "carrier type;ownership;file code;document ordinal;document type;"
            "issue date;summary;signer;reading direction;heritage status",
            f"QĐ-15;Quyết định xếp hạng;2024;;vi;Latn;{unit.code};giấy;nhà nước;"
            f"{archival_file.file_code};1;QD;03/05/2024;Xếp hạng đình Đông Ngạc;"
            "Nguyễn Văn Đức;trái sang phải;quốc gia",
        ],
    )
    summary, rows = rows_of(path)

    assert rows[0].errors == []
    document = HeritageDocument.objects.get(identifier="QĐ-15")
    assert document.holding_unit == unit
    assert document.archival_file == archival_file
    assert document.document_ordinal == 1
    assert document.issue_date == datetime.date(2024, 5, 3)
    assert (document.carrier_type, document.ownership) == ("paper", "state")
    assert (document.scripts, document.heritage_status) == (["Latn"], "national")
    assert document.document_code == f"{archival_file.file_code}.0000001"


def test_reimport_updates_by_identifier_and_keeps_history(tmp_path):
    write(tmp_path, "a.csv", [HEADER_VI, *ROWS_VI])
    import_inventory(tmp_path / "a.csv")
    changed = ROWS_VI[0].replace(
        "Đại Nam nhất thống chí", "Đại Nam nhất thống chí (Hà Nội)"
    )
    write(tmp_path, "b.csv", [HEADER_VI, changed, ROWS_VI[1]])
    summary, rows = rows_of(tmp_path / "b.csv")

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert rows[0].changed == ["title"]
    document = HeritageDocument.objects.get(identifier="ĐNNTC-01")
    assert document.title == "Đại Nam nhất thống chí (Hà Nội)"
    assert document.history.count() == 2
    assert HeritageDocument.objects.count() == 3


def test_one_invalid_row_means_nothing_is_written(tmp_path):
    bad = "HN-04,Bad,31/02/1867,klingon,,xyz"
    path = write(tmp_path, "a.csv", [HEADER_VI, *ROWS_VI, bad])
    summary, rows = rows_of(path)

    assert (summary.rows, summary.created, summary.invalid) == (4, 3, 1)
    assert summary.written is False
    assert HeritageDocument.objects.count() == 0
    assert HoldingUnit.objects.count() == 0
    assert rows[3].action == "invalid"
    assert rows[3].errors == [
        {
            "column": "Niên đại",
            "message": "'31/02/1867' is not a day of the calendar (month 2 of "
            "1867 has 28 days); write day/month/year",
        },
        {
            "column": "Ngôn ngữ",
            "message": "unknown value 'klingon'; use en, fr, lzh, nom, vi, zh",
        },
        {
            "column": "Mức truy cập",
            "message": "'xyz' is not one of: public, conditional, secret "
            "(or their Vietnamese names)",
        },
    ]


def test_valid_only_writes_the_valid_rows(tmp_path):
    path = write(tmp_path, "a.csv", [HEADER_VI, "X-1,,1867,,,", *ROWS_VI[:1]])
    summary, rows = rows_of(path, valid_only=True)
    assert (summary.created, summary.invalid, summary.written) == (1, 1, True)
    # The column is named by the header the sheet wrote, not the model field.
    assert rows[0].errors == [
        {"column": "Tiêu đề", "message": "This field is required."}
    ]
    assert list(HeritageDocument.objects.values_list("identifier", flat=True)) == [
        "ĐNNTC-01"
    ]


def test_dry_run_checks_everything_and_writes_nothing(tmp_path):
    path = write(tmp_path, "a.csv", [HEADER_VI, *ROWS_VI])
    summary, rows = rows_of(path, dry_run=True)
    assert (summary.created, summary.written, summary.dry_run) == (3, False, True)
    assert HeritageDocument.objects.count() == 0


def test_repeated_identifier_is_an_error(tmp_path):
    path = write(tmp_path, "a.csv", [HEADER_VI, ROWS_VI[0], ROWS_VI[0]])
    summary, rows = rows_of(path)
    assert rows[1].errors == [
        {"column": "Mã tài liệu", "message": "'ĐNNTC-01' is also on line 2"}
    ]
    assert summary.written is False


def test_heritage_status_is_not_changed_by_reimport(tmp_path):
    make_document("HN-9", "Sắc phong", heritage_status="national")
    path = write(
        tmp_path, "a.csv", ["identifier,title,heritage status", "HN-9,Sắc phong,unesco"]
    )
    summary, rows = rows_of(path)
    assert rows[0].errors == [
        {
            "column": "heritage status",
            "message": "heritage status differs from the record; a status change "
            "needs a decision: record it in the staff interface",
        }
    ]
    assert HeritageDocument.objects.get().heritage_status == "national"


def test_update_of_an_online_document_reindexes_it(
    tmp_path, django_capture_on_commit_callbacks
):
    make_document("HN-9", "Sắc phong")
    path = write(tmp_path, "a.csv", ["identifier,title", "HN-9,Sắc phong làng Cổ Nhuế"])
    with django_capture_on_commit_callbacks(execute=True):
        import_inventory(path)
    from disan.search import get_backend

    results = get_backend().search("Cổ Nhuế", access_levels=["public"])
    assert [hit.id for hit in results.hits] == [str(HeritageDocument.objects.get().pk)]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "windows-1258", "viqr", "utf-8"])
def test_legacy_encodings_land_as_nfc(tmp_path, encoding):
    path = write(tmp_path, f"{encoding}.csv", [HEADER_VI, *ROWS_VI], encoding)
    summary, rows = rows_of(path)
    assert summary.encoding == encoding
    assert summary.created == 3
    titles = sorted(HeritageDocument.objects.values_list("title", flat=True))
    assert titles == [
        "Bản đồ Hà Nội",
        "Hương ước làng Đông Ngạc",
        "Đại Nam nhất thống chí",
    ]
    dated = HeritageDocument.objects.get(identifier="ĐNNTC-01")
    assert (dated.date_written, dated.year_start) == ("Tự Đức năm thứ 20", 1867)


def test_utf8_bom_and_mojibake_cells(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(
        b"\xef\xbb\xbfidentifier,title,description\n"
        + "T-1,TiÕng ViÖt,Tieáng Vieät xöa\n".encode()
    )
    summary, rows = rows_of(path)
    document = HeritageDocument.objects.get()
    assert (document.title, document.description) == ("Tiếng Việt", "Tiếng Việt xưa")


def test_command_json_prints_each_row_and_a_summary(tmp_path, capsys):
    path = write(tmp_path, "a.csv", [HEADER_VI, *ROWS_VI[1:2]])
    call_command("import", str(path), "--json", "--dry-run")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["date"]["edtf"] == "1769/1770"
    assert (lines[0]["values"]["year_start"], lines[0]["values"]["year_end"]) == (
        1769,
        1770,
    )
    assert lines[0]["date"]["era"] == "Cảnh Hưng 景興 (Lê trung hưng, 1740–1786)"
    assert lines[0]["errors"] == []
    assert lines[1]["summary"]["created"] == 1
    assert lines[1]["summary"]["written"] is False


def test_command_fails_and_reports_when_a_row_is_invalid(tmp_path, capsys):
    path = write(tmp_path, "a.csv", [HEADER_VI, "X-1,,1867,,,"])
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path))
    assert str(caught.value) == (
        "1 invalid row(s): nothing was written. Correct them, or give "
        "--valid-only to write the valid rows."
    )
    out = capsys.readouterr().out
    assert "line 2 (X-1): invalid\n  error: Tiêu đề: This field is required." in out


def test_unknown_and_missing_columns_are_named(tmp_path):
    path = write(tmp_path, "a.csv", ["mã,tên sách,ghi chú x", "A,B,C"])
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path))
    message = str(caught.value)
    assert message.startswith(
        "a.csv, header row: unknown column 'tên sách'; unknown column 'ghi chú x'; "
        "no 'Tiêu đề' (title) column. Accepted columns"
    )


def test_dry_run_fails_like_the_real_import_when_a_row_is_invalid(tmp_path, capsys):
    path = write(tmp_path, "a.csv", [HEADER_VI, *ROWS_VI[:1], "X-1,,1867,,,"])
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), "--dry-run")
    assert str(caught.value) == (
        "1 invalid row(s): dry run. Correct them, or give --valid-only to "
        "write the valid rows."
    )
    assert "1 invalid; dry run, nothing written" in capsys.readouterr().out
    assert not HeritageDocument.objects.exists()
    # With --valid-only the valid rows would be written: no failure.
    call_command("import", str(path), "--dry-run", "--valid-only")
    assert not HeritageDocument.objects.exists()


def test_future_and_impossible_dates_make_the_row_invalid(tmp_path):
    this_year = datetime.date.today().year
    path = write(
        tmp_path,
        "a.csv",
        [
            "Mã,Tiêu đề,Niên đại",
            "T-1,Tương lai,2999",
            "T-2,Thế kỷ sau,thế kỷ XXV",
            "T-3,Sau này,sau 2999",
            "T-4,Quá niên hiệu,Tự Đức năm thứ 40",
            "T-5,Trước,trước 2999",
            f"T-6,Năm nay,{this_year}",
        ],
    )
    summary, rows = rows_of(path, dry_run=True)
    errors = {row.identifier: row.errors for row in rows}
    after = f"after this year ({this_year}); a document cannot be dated in the future"
    assert errors["T-1"] == [
        {"column": "Niên đại", "message": f"'2999' is read as 2999, {after}"}
    ]
    assert errors["T-2"] == [
        {
            "column": "Niên đại",
            "message": f"'thế kỷ XXV' is read as 2401–2500, {after}",
        }
    ]
    assert errors["T-3"] == [
        {
            "column": "Niên đại",
            "message": f"'sau 2999' is read as 2999 or later, {after}",
        }
    ]
    assert errors["T-4"] == [
        {
            "column": "Niên đại",
            "message": "year 40 of Tự Đức in 'Tự Đức năm thứ 40' is past the end "
            "of the era: Tự Đức 嗣德 (Nguyễn, 1848–1883) has 36 years, Tự Đức 1 to "
            "Tự Đức 36",
        }
    ]
    assert (errors["T-5"], errors["T-6"]) == ([], [])
    assert (summary.invalid, summary.created) == (4, 2)


def test_text_with_characters_lost_or_unrepaired_mojibake_is_an_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "Mã,Tiêu đề,Mô tả\n"
        "M-1,TrÆ°á»\ufffdng Thi,\n"
        "M-2,Trường Thi,CafÃ© Trường\n"
        "M-3,Trường Thi,Société Générale\n",
        encoding="utf-8",
    )
    summary, rows = rows_of(path)
    errors = {row.identifier: row.errors for row in rows}
    assert errors["M-1"] == [
        {
            "column": "Tiêu đề",
            "message": "holds \ufffd (U+FFFD), the mark of characters lost when "
            "the text was read in a wrong encoding; retype it, or save the "
            'inventory again as "CSV UTF-8"',
        }
    ]
    assert errors["M-2"] == [
        {
            "column": "Mô tả",
            "message": "holds 'Ã©', which is 'é' read in a wrong encoding, and "
            'cannot be repaired; retype it, or save the inventory again as "CSV '
            'UTF-8"',
        }
    ]
    assert errors["M-3"] == []
    assert (summary.invalid, summary.written) == (2, False)


@pytest.mark.parametrize("name", ["STT", "Số TT", "TT", "No.", "#", "Số thứ tự"])
def test_a_row_number_column_is_ignored(tmp_path, name):
    path = write(tmp_path, "a.csv", [f"{name},{HEADER_VI}", f"1,{ROWS_VI[0]}"])
    summary, rows = rows_of(path)
    assert (summary.created, summary.ignored_columns) == (1, [name])
    assert "1" not in rows[0].values.values()


def test_a_document_ordinal_is_not_a_row_number(tmp_path):
    path = write(tmp_path, "a.csv", ["Mã tài liệu,Tiêu đề,Số thứ tự văn bản", "A,B,3"])
    summary, rows = rows_of(path)
    assert rows[0].values["document_ordinal"] == 3
    assert summary.ignored_columns == []
    assert [error["column"] for error in rows[0].errors] == ["Mã hồ sơ"]


def test_unknown_columns_are_still_refused_beside_a_row_number(tmp_path):
    path = write(tmp_path, "a.csv", ["STT,Mã tài liệu,Tiêu đề,Tiu đề", "1,A,B,C"])
    with pytest.raises(CommandError, match="unknown column 'Tiu đề'"):
        call_command("import", str(path))


def test_every_error_of_a_document_row_at_once(tmp_path):
    path = write(tmp_path, "a.csv", [HEADER_VI, "X-1,,31/02/1867,,,xyz"])
    summary, rows = rows_of(path)
    assert [error["column"] for error in rows[0].errors] == [
        "Niên đại",
        "Mức truy cập",
        "Tiêu đề",
    ]


def test_document_choices_export_as_vietnamese_and_import_unchanged(tmp_path):
    from disan.catalog.importing.export import export_catalog

    path = write(tmp_path, "a.csv", [HEADER_VI, *ROWS_VI])
    import_inventory(path)
    out = tmp_path / "xuất.csv"
    export_catalog(out)
    text = out.read_text(encoding="utf-8-sig")
    assert "Công khai" in text and "Hạn chế" in text
    assert ",public," not in text and ",conditional" not in text
    summary = import_inventory(out)
    assert (summary.unchanged, summary.updated, summary.invalid) == (3, 0, 0)


def test_the_report_names_units_new_to_the_catalog(tmp_path, capsys):
    make_unit(code="thu-vien-ha-noi", name="Thư viện Hà Nội")
    path = write(tmp_path, "danh mục.csv", [HEADER_VI, *ROWS_VI])

    call_command("import", str(path), "--dry-run")

    out = capsys.readouterr().out
    assert (
        "New holding units, not in the catalog before this inventory: Bảo tàng"
        " Hà Nội. Check their spelling: a misspelt name makes a unit of its own."
    ) in out
    assert not HoldingUnit.objects.filter(name="Bảo tàng Hà Nội").exists()
    summary, _ = rows_of(path)
    assert summary.new_units == ["Bảo tàng Hà Nội"]
    # Imported again, every unit is known.
    assert rows_of(path)[0].new_units == []

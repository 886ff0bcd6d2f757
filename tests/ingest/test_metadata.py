"""Reading and checking descriptive metadata."""

import unicodedata
from pathlib import Path

import pytest

from disan.ingest.exceptions import MetadataError
from disan.ingest.metadata import (
    DocumentMetadata,
    normalize_metadata,
    read_metadata_csv,
    read_metadata_json,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def errors_of(call, *args, **kwargs):
    with pytest.raises(MetadataError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_repository_sample_csv_parses_and_normalizes():
    rows = read_metadata_csv(SAMPLES / "metadata.csv")
    assert [row["folder"] for row in rows] == [
        "dai-nam-nhat-thong-chi",
        "printed-vietnamese",
    ]
    manuscript = normalize_metadata(rows[0], source="metadata.csv")
    assert manuscript.identifier == "DNNTC-Q1"
    assert manuscript.title == "Đại Nam nhất thống chí, quyển 1"
    assert manuscript.original_title == "大南一統志 卷之一"
    assert manuscript.doc_type == "Sách chép tay"
    assert (manuscript.year_start, manuscript.year_end) == (1865, 1882)
    assert (manuscript.languages, manuscript.scripts) == (["lzh"], ["Hani"])
    assert manuscript.holding_unit == "Đơn vị mẫu"
    assert manuscript.heritage_status == "registered"
    assert manuscript.reading_direction == "right-to-left"
    printed = normalize_metadata(rows[1], source="metadata.csv")
    assert printed == DocumentMetadata(
        identifier="VIETOCR-SAMPLE",
        title="Tôi đi học (trích)",
        doc_type="Tài liệu in",
        languages=["vi"],
        scripts=["Latn"],
        holding_unit="Đơn vị mẫu",
        access_level="public",
        description=rows[1]["description"],
    )


def test_defaults_come_from_the_folder_name():
    metadata = normalize_metadata({"folder": "Sắc phong"}, source="Sắc phong")
    assert metadata == DocumentMetadata(identifier="Sắc phong", title="Sắc phong")
    assert metadata.access_level == "conditional"
    assert metadata.heritage_status == "inventoried"
    assert metadata.reading_direction == "left-to-right"


def test_vietnamese_keys_and_values_are_understood():
    raw = {
        "Số hiệu": "HN-0042",
        "Tiêu đề": "Hương ước",
        "Ngôn ngữ": "Hán Nôm",
        "Mức truy cập": "hạn chế",
        "Tình trạng di sản": "đã đăng ký",
        "Niên đại": "thế kỷ XIX",
        "folder": "x",
    }
    metadata = normalize_metadata(raw, source="x")
    assert metadata.identifier == "HN-0042"
    assert metadata.languages == ["lzh", "nom"]
    assert metadata.access_level == "conditional"
    assert metadata.heritage_status == "registered"
    assert (metadata.year_start, metadata.year_end) == (1801, 1900)
    # Hán and Nôm are written in vertical columns read from the right.
    assert metadata.reading_direction == "right-to-left"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("mật", "secret"),
        ("công khai", "public"),
        ("có điều kiện", "conditional"),
        ("CONDITIONAL", "conditional"),
    ],
)
def test_access_words(written, expected):
    raw = {"folder": "a", "access_level": written}
    assert normalize_metadata(raw, source="a").access_level == expected


def test_reading_direction_short_and_vietnamese_forms():
    for written in ("rtl", "phải sang trái", "Right-to-left"):
        raw = {"folder": "a", "hướng đọc": written, "languages": "vi"}
        assert normalize_metadata(raw, source="a").reading_direction == "right-to-left"


def test_decomposed_text_is_stored_composed():
    raw = {"folder": "a", "title": unicodedata.normalize("NFD", "Đình làng Đông Ngạc")}
    assert normalize_metadata(raw, source="a").title == "Đình làng Đông Ngạc"


def test_every_invalid_field_is_reported_together():
    raw = {
        "folder": "a",
        "languages": "vi, klingon",
        "scripts": "Cyrl",
        "access_level": "bí mật quốc gia",
        "year_start": "năm Tý",
        "màu": "đỏ",
    }
    error = errors_of(normalize_metadata, raw, source="metadata.csv row 3")
    assert error.errors == [
        ("màu", "unknown field"),
        ("languages", "unknown value 'klingon'; use en, fr, lzh, nom, vi, zh"),
        ("scripts", "unknown value 'cyrl'; use Hani, Hans, Hant, Latn"),
        (
            "access_level",
            "unknown value 'bí mật quốc gia'; use conditional, public, secret",
        ),
        ("year_start", "'năm Tý' is not a year"),
    ]
    assert str(error).startswith("metadata.csv row 3: màu: unknown field; languages:")


def test_year_order_is_checked():
    raw = {"folder": "a", "year_start": "1900", "year_end": 1800}
    error = errors_of(normalize_metadata, raw, source="a")
    assert error.errors == [("year_end", "earlier than year_start")]


def test_csv_with_bom_and_semicolons(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_bytes("\ufeffthư mục;tiêu đề\nSổ bộ;Sổ bộ làng\n".encode())
    assert read_metadata_csv(path) == [{"folder": "Sổ bộ", "title": "Sổ bộ làng"}]


def test_csv_identifier_names_the_folder(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text("mã,tiêu đề\nĐB-01,Địa bạ\n", encoding="utf-8")
    assert read_metadata_csv(path) == [
        {"identifier": "ĐB-01", "title": "Địa bạ", "folder": "ĐB-01"}
    ]


def test_csv_not_in_utf8(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_bytes("folder,title\nA,Đơn\n".encode("cp1258"))
    error = errors_of(read_metadata_csv, path)
    assert str(error) == (
        "metadata.csv: encoding: not UTF-8 (byte 0xd0 at position 15); save it "
        'again as UTF-8 ("CSV UTF-8" in a spreadsheet)'
    )


def test_csv_structure_errors_are_collected(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text("folder,title\nA,x\nA,y\n,z\nB,1,2\n", encoding="utf-8")
    error = errors_of(read_metadata_csv, path)
    assert error.errors == [
        ("line 4", "no folder or identifier given"),
        ("line 5", "3 values for 2 columns; quote values that contain the separator"),
        ("A", "named by two rows; keep one"),
    ]


def test_csv_needs_a_folder_or_identifier_column(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text("title\nx\n", encoding="utf-8")
    error = errors_of(read_metadata_csv, path)
    assert error.errors == [
        (
            "folder",
            "no 'folder' or 'identifier' column; add one naming each document's folder",
        )
    ]


def test_csv_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr("disan.ingest.metadata.MAX_CSV_ROWS", 2)
    path = tmp_path / "metadata.csv"
    path.write_text("folder\na\nb\nc\n", encoding="utf-8")
    assert errors_of(read_metadata_csv, path).errors == [
        ("rows", "more than 2 rows; split the batch")
    ]


def test_csv_oversized_field(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text('folder,description\na,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    error = errors_of(read_metadata_csv, path)
    assert error.errors == [("line 2", "field larger than field limit (131072)")]


def test_json_object_is_read(tmp_path):
    path = tmp_path / "metadata.json"
    text = '{"tiêu đề": "Thần tích", "languages": ["lzh"], "năm bắt đầu": 1572}'
    path.write_text(text, encoding="utf-8")
    assert read_metadata_json(path) == {
        "title": "Thần tích",
        "languages": ["lzh"],
        "year_start": 1572,
    }


def test_json_errors(tmp_path):
    path = tmp_path / "metadata.json"
    path.write_text('{"title": "a",}', encoding="utf-8")
    assert str(errors_of(read_metadata_json, path)) == (
        "metadata.json: json: not valid JSON (Expecting property name enclosed in "
        "double quotes at line 1, column 15); check it with a JSON validator"
    )
    path.write_text('["title"]', encoding="utf-8")
    assert errors_of(read_metadata_json, path).errors == [
        ("json", "must be one object {...} of fields")
    ]
    path.write_text('{"title": {"vi": "a"}, "tác giả": "b"}', encoding="utf-8")
    assert errors_of(read_metadata_json, path).errors == [
        ("title", "must be text, a number or a list of text"),
        ("tác giả", "unknown key; see the accepted names in README.md (A batch)"),
    ]


def test_huge_json_is_refused(tmp_path):
    path = tmp_path / "metadata.json"
    path.write_text('{"description": "' + "x" * (1024 * 1024) + '"}', encoding="utf-8")
    assert errors_of(read_metadata_json, path).errors == [
        ("file", "1048595 bytes, over the limit of 1048576; split it")
    ]


def test_the_default_access_level_is_a_setting(settings):
    settings.DISAN_DEFAULT_ACCESS_LEVEL = "public"

    metadata = normalize_metadata({"folder": "Địa bạ"}, source="Địa bạ")

    assert metadata.access_level == "public"


@pytest.mark.parametrize(
    "written, message",
    [
        ("2099", "after this year"),
        ("Tự Đức năm thứ 40", "past the end of the era"),
        ("không rõ năm", "cannot read the date"),
    ],
)
def test_a_date_import_would_refuse_is_refused_at_ingest(written, message):
    raw = {"folder": "a", "identifier": "A-1", "date": written}
    with pytest.raises(MetadataError) as caught:
        normalize_metadata(raw, source="metadata.csv")
    ((field, text),) = caught.value.errors
    assert field == "date_written"
    assert message in text


def test_a_readable_date_gives_its_years_at_ingest():
    raw = {"folder": "a", "identifier": "A-1", "date": "Tự Đức năm thứ 20"}
    metadata = normalize_metadata(raw, source="metadata.csv")
    assert (metadata.year_start, metadata.year_end) == (1867, 1867)

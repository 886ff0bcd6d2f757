"""The Hán-Việt readings data file and the script that regenerates it."""

import importlib.util
import unicodedata
from pathlib import Path

import pytest

from disan.search import hanviet, vietnamese

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "han_viet_readings.py"


def _script():
    spec = importlib.util.spec_from_file_location("han_viet_readings", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_readings_cover_the_unihan_kvietnamese_field():
    table = hanviet.readings()
    assert len(table) == 8307
    assert table["大"] == ("đại",)
    assert table["南"] == ("nam",)
    assert table["統"] == ("thống",)
    assert table["\U00020027"] == ("ba",)
    assert table["托"] == ("thác", "thách", "thốc", "thước", "thướt")
    for char, readings in table.items():
        assert vietnamese.is_cjk(char), char
        for reading in readings:
            assert reading == vietnamese.normalize(reading)
            assert unicodedata.is_normalized("NFC", reading)


def test_reading_tokens_keep_runs_in_order_and_alternates_at_the_end():
    tokens = vietnamese.tokenize("大南一統 và 托 X 景")
    assert hanviet.reading_tokens(tokens) == [
        "đại", "nam", "nhất", "thống", "·", "thác", "·", "cảnh",
        "·", "thách", "thốc", "thước", "thướt",
    ]  # fmt: skip
    assert hanviet.reading_tokens(vietnamese.tokenize("Hà Nội 〇")) == []


def test_script_writes_the_data_file_from_unihan_readings(tmp_path, capsys):
    source = tmp_path / "Unihan_Readings.txt"
    source.write_text(
        "# Unihan_Readings.txt\n"
        "# Unicode version: 15.0.0\n"
        "U+5357\tkMandarin\tnán\n"
        "U+5927\tkVietnamese\tđại\n"
        "U+5357\tkVietnamese\tnam\n"
        "U+20027\tkVietnamese\tba\n"
        "U+6258\tkVietnamese\tthác thách\n",
        encoding="utf-8",
    )
    output = tmp_path / "dữ liệu.tsv"
    assert _script().main(["script", str(source), str(output)]) == 0
    assert output.read_text(encoding="utf-8") == (
        "# kVietnamese readings from Unihan_Readings.txt, Unicode 15.0.0.\n"
        "# Regenerate with scripts/han_viet_readings.py; see README.md here.\n"
        "南\tnam\n大\tđại\n托\tthác thách\n\U00020027\tba\n"
    )
    assert capsys.readouterr().out == (
        f"Wrote 4 characters with kVietnamese readings to {output}\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "U+5927 kVietnamese đại\n",
            "line 1 is not 'U+XXXX<TAB>field<TAB>value': 'U+5927 kVietnamese đại'; "
            "give Unihan_Readings.txt from the Unicode Character Database.\n",
        ),
    ],
)
def test_script_names_the_bad_line(tmp_path, capsys, content, message):
    source = tmp_path / "Unihan_Readings.txt"
    source.write_text(content, encoding="utf-8")
    assert _script().main(["script", str(source), str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == f"{source}: {message}"
    assert not (tmp_path / "out").exists()


def test_script_says_how_to_get_a_missing_source(tmp_path, capsys):
    missing = tmp_path / "không có.txt"
    assert _script().main(["script", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"{missing} not found: install Debian's unicode-data package "
        "(apt-get install unicode-data) or give the path of Unihan_Readings.txt "
        "from https://www.unicode.org/Public/UCD/latest/.\n"
    )


def test_shipped_file_is_what_the_script_makes_from_debian_unicode_data(tmp_path):
    source = Path("/usr/share/unicode/Unihan_Readings.txt.bz2")
    if not source.exists():
        pytest.skip("Debian's unicode-data package is not installed")
    output = tmp_path / "han_viet.tsv"
    assert _script().main(["script", str(source), str(output)]) == 0
    assert output.read_bytes() == hanviet.DATA_FILE.read_bytes()

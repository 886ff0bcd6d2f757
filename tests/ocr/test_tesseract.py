"""Tesseract run on real pages, and the errors when it cannot run."""

import stat
import textwrap

import pytest
import pyvips

from disan.derivatives.images import open_page
from disan.ocr import get_engine
from disan.ocr.engines.tesseract import TesseractEngine, debian_package
from disan.ocr.exceptions import OcrFailed, OcrUnavailable
from disan.ocr.languages import ocr_image
from tests.ocr.conftest import DAI_NAM, PRINTED


def _recognize(path, mime_type, page, languages, folder):
    image = open_page(path, mime_type, page)
    return image, TesseractEngine().recognize(
        ocr_image(image, folder), languages=languages
    )


def test_printed_vietnamese_page(tmp_path):
    image, result = _recognize(PRINTED, "image/tiff", 0, "vie", tmp_path)

    assert result.languages == "vie"
    assert result.lines[0]["text"] == "Tôi Đi Học"
    assert [word["text"] for word in result.lines[0]["words"]] == ["Tôi", "Đi", "Học"]
    for phrase in (
        "kỷ niệm hoang mang",
        "buổi tựu trường",
        "bầu trời quang đãng",
        "Mẹ tôi âu yếm nắm tay tôi",
    ):
        assert phrase in result.text
    assert result.text.startswith("Tôi Đi Học\n\n")
    # Boxes are in canvas pixels: the title sits centred near the top.
    x, y, width, height = result.lines[0]["bbox"]
    assert 1000 < x < x + width < 1550 and 150 < y < y + height < 300
    assert all(
        0 <= word["bbox"][0] and word["bbox"][0] + word["bbox"][2] <= image.width
        for line in result.lines
        for word in line["words"]
    )


def test_dai_nam_page_in_vertical_han(tmp_path):
    image, result = _recognize(
        DAI_NAM / "page_004.jpg", "image/jpeg", 0, "chi_tra_vert", tmp_path
    )

    # Handwritten Hán is read poorly, but the title 大南一統志 and the first
    # column (京師…之會…之大…其左) are partly found.
    for characters in ("大南一", "之會", "其左"):
        assert characters in result.text
    columns = [line["bbox"] for line in result.lines]
    assert sum(1 for _, _, width, height in columns if height > 3 * width) >= 10
    assert all(
        x >= 0 and y >= 0 and x + w <= 2000 and y + h <= 1773 for x, y, w, h in columns
    )


def test_missing_tesseract_is_unavailable(settings, tmp_path):
    settings.DISAN_TESSERACT_CMD = str(tmp_path / "không-có" / "tesseract")

    with pytest.raises(OcrUnavailable) as caught:
        TesseractEngine().recognize(tmp_path / "page.png", languages="vie")

    assert str(caught.value) == (
        f"Tesseract cannot be run: '{tmp_path / 'không-có' / 'tesseract'}' was not "
        "found or is not executable. Install the Debian package tesseract-ocr (with "
        "tesseract-ocr-vie and tesseract-ocr-chi-tra-vert), or set "
        "DISAN_TESSERACT_CMD to the tesseract program."
    )


def test_missing_language_names_the_package(tmp_path):
    engine = TesseractEngine()

    with pytest.raises(OcrUnavailable) as caught:
        engine.recognize(tmp_path / "page.png", languages="vie+chi_sim")

    assert str(caught.value) == (
        "Tesseract language data chi_sim is not installed. Install the Debian "
        "package(s): apt install tesseract-ocr-chi-sim"
    )
    assert {"vie", "chi_tra", "chi_tra_vert"} <= engine.available_languages()
    assert debian_package("chi_tra_vert") == "tesseract-ocr-chi-tra-vert"


def _fake_tesseract(folder, body):
    """An executable standing in for tesseract, recording how it was called."""
    script = folder / "tesseract"
    script.write_text("#!/bin/sh\n" + textwrap.dedent(body))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_runs_one_thread_with_tsv_and_page_segmentation(settings, tmp_path):
    record = tmp_path / "called.txt"
    settings.DISAN_TESSERACT_CMD = str(
        _fake_tesseract(
            tmp_path,
            f"""\
        if [ "$1" = "--list-langs" ]; then
          printf 'List of available languages in "/x/" (2):\\nchi_tra_vert\\nvie\\n'
          exit 0
        fi
        echo "$OMP_THREAD_LIMIT $*" > "{record}"
        printf 'level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\t'
        printf 'left\\ttop\\twidth\\theight\\tconf\\ttext\\n'
        printf '4\\t1\\t1\\t1\\t1\\t0\\t5\\t6\\t30\\t90\\t-1\\t\\n'
        printf '5\\t1\\t1\\t1\\t1\\t1\\t5\\t6\\t30\\t40\\t71.5\\t大\\n'
        printf '5\\t1\\t1\\t1\\t1\\t2\\t5\\t50\\t30\\t46\\t64\\t南\\n'
    """,
        )
    )
    image = tmp_path / "trang 4.png"
    image.write_bytes(b"not read by the fake")

    vertical = TesseractEngine().recognize(image, languages="chi_tra_vert")
    vertical_call = record.read_text()
    TesseractEngine().recognize(image, languages="vie+chi_tra_vert")

    assert vertical.text == "大南"
    assert vertical.lines[0]["bbox"] == [5, 6, 30, 90]
    assert vertical_call == f"1 {image} stdout -l chi_tra_vert --psm 5 tsv\n"
    assert record.read_text() == f"1 {image} stdout -l vie+chi_tra_vert --psm 3 tsv\n"


def test_timeout_and_crash_are_failures(settings, tmp_path):
    settings.DISAN_OCR_TIMEOUT = 1
    settings.DISAN_TESSERACT_CMD = str(
        _fake_tesseract(
            tmp_path,
            """\
        if [ "$1" = "--list-langs" ]; then printf 'List\\nvie\\n'; exit 0; fi
        case "$1" in *chậm*) exec sleep 30 ;; esac
        echo "Error in pixReadStream: Unknown format" >&2
        exit 1
    """,
        )
    )
    slow, broken = tmp_path / "chậm.png", tmp_path / "hỏng.png"
    slow.write_bytes(b"x")
    broken.write_bytes(b"x")

    with pytest.raises(OcrFailed) as timed_out:
        TesseractEngine().recognize(slow, languages="vie")
    with pytest.raises(OcrFailed) as crashed:
        TesseractEngine().recognize(broken, languages="vie")

    assert str(timed_out.value) == (
        "Tesseract took longer than 1 s on chậm.png and was stopped; raise "
        "DISAN_OCR_TIMEOUT for very large pages."
    )
    assert str(crashed.value) == (
        "Tesseract exited with status 1 on hỏng.png: Error in pixReadStream: "
        "Unknown format"
    )


def test_get_engine_follows_the_setting(settings):
    settings.DISAN_OCR_ENGINE = "disan.ocr.engines.tesseract.TesseractEngine"
    engine = get_engine()
    settings.DISAN_OCR_ENGINE = "disan.ocr.engines.nowhere.Engine"

    assert isinstance(engine, TesseractEngine)
    with pytest.raises(OcrUnavailable) as caught:
        get_engine()
    assert str(caught.value).startswith(
        "DISAN_OCR_ENGINE is 'disan.ocr.engines.nowhere.Engine', which cannot be "
        "imported"
    )


def test_ocr_image_is_8bit_grey_at_canvas_size(tmp_path):
    image = open_page(DAI_NAM / "page_004.jpg", "image/jpeg")

    path = ocr_image(image, tmp_path / "ảnh OCR")
    written = pyvips.Image.new_from_file(str(path))

    assert path.suffix == ".png" and path.parent == tmp_path / "ảnh OCR"
    assert (written.width, written.height, written.bands, written.format) == (
        2000,
        1773,
        1,
        "uchar",
    )

"""Identification and validation of single files, by content."""

import hashlib
import resource
import shutil
import struct
import unicodedata
import zlib
from pathlib import Path

import pypdf
import pytest
import pyvips
from PIL import Image

from disan.ingest.exceptions import RejectedFile
from disan.ingest.identify import identify_file

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
HOSTILE = SHARED / "cases" / "hostile-files"
SAMPLES = SHARED / "samples"


def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rejection(path):
    with pytest.raises(RejectedFile) as caught:
        identify_file(path)
    return caught.value


def png_bytes(width, height, colour_type=2, bits=8):
    """Build a PNG whose header claims ``width`` x ``height``; no real data."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, bits, colour_type, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_gif_is_too_large_before_decoding():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error = rejection(HOSTILE / "decompression_bomb.gif")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    assert error.code == "too_large"
    assert str(error) == (
        "decompression_bomb.gif is 65535 x 66601 pixels, over the limit of "
        "400000000 pixels (DISAN_MAX_IMAGE_PIXELS). Check that the file is "
        "genuine, then reduce its size or raise the limit."
    )
    # ru_maxrss is in KiB; decoding would need gigabytes.
    assert after - before < 20_000


def test_truncated_jpeg_is_corrupt():
    error = rejection(HOSTILE / "truncated_jpeg.jpg")
    assert error.code == "corrupt"
    assert str(error) == (
        "truncated_jpeg.jpg is damaged or truncated (VipsJpeg: Premature end of "
        "input file). Copy or scan it again."
    )


def test_pdf_needing_a_user_password_is_encrypted():
    error = rejection(HOSTILE / "r6-user-password.pdf")
    assert error.code == "encrypted"
    assert str(error) == (
        "r6-user-password.pdf is an encrypted PDF that needs a password to "
        "open. Save a copy without a password and ingest that."
    )


def test_tiff_16bit_with_alpha_is_accepted():
    path = HOSTILE / "tiff_16bit_RGBa.tiff"
    report = identify_file(path)
    assert (report.width, report.height) == (100, 40)
    assert report.bits_per_sample == 16
    assert report.has_alpha is True
    assert report.colour == "srgb"
    assert report.mime_type == "image/tiff"
    assert report.format_name == "TIFF"
    assert report.puid == "fmt/353"
    assert report.dpi == 72.0
    assert report.size == 42224
    assert report.sha256 == sha256_of(path)


def test_jpeg_with_exif_orientation_6_is_accepted():
    report = identify_file(HOSTILE / "hopper_orientation_6.jpg")
    assert report.orientation == 6
    assert report.pages == ((128, 128),)
    assert report.puid == "fmt/43"
    assert report.colour == "srgb"
    # JFIF gives only an aspect ratio and Exif has no resolution tag.
    assert report.dpi is None


def test_multipage_palette_tiff_keeps_the_files_page_order():
    report = identify_file(HOSTILE / "multipage_out_of_order.tiff")
    assert report.page_count == 3
    # The second directory really is 20 x 20 (Pillow and libvips agree).
    assert report.pages == ((10, 10), (20, 20), (10, 10))
    assert report.colour == "palette"
    assert report.bits_per_sample == 1
    assert report.has_alpha is False


def test_tiled_cmyk_jpeg_tiff_is_accepted_as_cmyk():
    report = identify_file(HOSTILE / "tiff_tiled_cmyk_jpeg.tif")
    assert report.colour == "cmyk"
    assert report.pages == ((100, 100),)
    assert report.bits_per_sample == 8


@pytest.mark.parametrize("number", range(1, 13))
def test_manuscript_scans_are_identified(number):
    path = SAMPLES / "dai-nam-nhat-thong-chi" / f"page_{number:03d}.jpg"
    report = identify_file(path)
    assert report.sha256 == sha256_of(path)
    assert report.size == path.stat().st_size
    assert (report.width, report.height) == (2000, 1773)
    assert report.mime_type == "image/jpeg"
    assert report.page_count == 1


def test_printed_g4_tiff_has_two_bilevel_pages_at_300_dpi():
    path = SAMPLES / "printed-vietnamese" / "VietOCR_vietsample_2p_G4.tif"
    report = identify_file(path)
    assert report.sha256 == sha256_of(path)
    assert report.size == 139240
    assert report.page_count == 2
    assert report.pages == ((2550, 3300), (2550, 3300))
    assert report.dpi == 300.0
    assert report.colour == "b-w"
    assert report.bits_per_sample == 1


def test_event_data_is_plain_json(tmp_path):
    data = identify_file(HOSTILE / "multipage_out_of_order.tiff").as_event_data()
    assert data["pages"] == [[10, 10], [20, 20], [10, 10]]
    assert data["name"] == "multipage_out_of_order.tiff"
    assert data["page_count"] == 3


def test_zero_byte_file_is_empty(tmp_path):
    path = tmp_path / "trang_trống.jpg"
    path.touch()
    error = rejection(path)
    assert error.code == "empty"
    assert str(error) == (
        "trang_trống.jpg is empty (0 bytes). Scan or export the page again and "
        "replace the file."
    )


def test_png_named_jpg_is_an_extension_mismatch(tmp_path):
    path = tmp_path / "ảnh.jpg"
    pyvips.Image.black(8, 8).pngsave(str(path))
    error = rejection(path)
    assert error.code == "extension_mismatch"
    assert str(error) == (
        "ảnh.jpg has the extension .jpg but its content is PNG. Rename it to "
        "match its content or export it again as JPEG."
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ghi chú.txt", "a text file"),
        ("ABOUT.md", "a text file"),
        ("README.MARKDOWN", "a text file"),
        ("mô tả.docx", "a word-processor document"),
        ("danh mục.xlsx", "a spreadsheet"),
    ],
)
def test_notes_and_office_files_are_refused_as_not_scans(tmp_path, name, kind):
    path = tmp_path / name
    path.write_text("Đây là ghi chú, không phải ảnh.", encoding="utf-8")
    error = rejection(path)
    assert error.code == "unsupported_format"
    assert str(error) == (
        f"{name} is not an image or PDF: it is {kind}, so it is not ingested. "
        "Keep notes about a document out of its folder, or put them in its "
        "metadata."
    )


def test_a_file_of_unknown_format_is_asked_to_be_converted(tmp_path):
    path = tmp_path / "trang 1.heic"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(64))
    error = rejection(path)
    assert error.code == "unsupported_format"
    assert str(error) == (
        "trang 1.heic is not in an accepted format: Disan takes JPEG, PNG, TIFF, "
        "JPEG 2000 or PDF files. Convert it to TIFF or PDF and ingest it again."
    )


def test_text_named_as_an_image_keeps_the_accepted_format_advice(tmp_path):
    path = tmp_path / "trang.jpg"
    path.write_text("không phải ảnh", encoding="utf-8")
    error = rejection(path)
    assert str(error).startswith(
        "trang.jpg is not in an accepted format although its name ends in .jpg"
    )


def test_small_gif_is_unsupported(tmp_path):
    path = tmp_path / "hình.gif"
    Image.new("P", (4, 3)).save(path)
    error = rejection(path)
    assert error.code == "unsupported_format"
    assert str(error) == (
        "hình.gif is a GIF image; Disan takes JPEG, PNG, TIFF, JPEG 2000 or PDF "
        "files. Convert it to TIFF and ingest it again."
    )


def test_png_with_an_enormous_header_is_too_large(tmp_path):
    path = tmp_path / "khổng_lồ.png"
    path.write_bytes(png_bytes(100_000, 100_000))
    error = rejection(path)
    assert error.code == "too_large"
    assert str(error).startswith("khổng_lồ.png is 100000 x 100000 pixels, over")


def test_unknown_extension_with_accepted_content_is_accepted(tmp_path):
    path = tmp_path / "trang 7.scan"
    pyvips.Image.black(6, 4).pngsave(str(path))
    report = identify_file(path)
    assert (report.mime_type, report.width, report.height) == ("image/png", 6, 4)
    assert report.colour == "grey"


def test_nfd_vietnamese_name_is_reported_in_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Đại Nam nhất thống chí.jpg")
    path = tmp_path / nfd
    shutil.copyfile(HOSTILE / "hopper_orientation_6.jpg", path)
    report = identify_file(path)
    assert report.name == "Đại Nam nhất thống chí.jpg"
    assert unicodedata.is_normalized("NFC", report.name)


def test_brackets_in_a_name_are_not_read_as_loader_options(tmp_path):
    path = tmp_path / "tờ [page=1].tif"
    shutil.copyfile(HOSTILE / "multipage_out_of_order.tiff", path)
    assert identify_file(path).page_count == 3


def test_orientation_6_swaps_the_displayed_size(tmp_path):
    path = tmp_path / "xoay.jpg"
    image = pyvips.Image.black(30, 20).copy()
    image.set_type(pyvips.GValue.gint_type, "orientation", 6)
    image.jpegsave(str(path))
    report = identify_file(path)
    assert (report.width, report.height) == (30, 20)
    assert report.pages == ((20, 30),)
    assert report.orientation == 6


def test_png_density_and_alpha_are_read(tmp_path):
    path = tmp_path / "trong_suốt.png"
    Image.new("RGBA", (5, 7)).save(path, dpi=(300, 300))
    report = identify_file(path)
    assert report.has_alpha is True
    assert report.dpi == 300.0  # 11811 dots per metre, rounded
    assert report.bits_per_sample == 8


def test_generated_pdf_pages_are_sized_at_the_rendering_dpi(tmp_path, settings):
    settings.DISAN_PDF_DPI = 144
    path = tmp_path / "văn bản.pdf"
    pages = [Image.new("RGB", (200, 100), "white") for _ in range(3)]
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=72)
    report = identify_file(path)
    assert report.page_count == 3
    assert report.mime_type == "application/pdf"
    assert report.format_name == "PDF 1.4"
    assert report.puid == "fmt/18"
    assert report.pages == ((400, 200),) * 3
    assert report.dpi == 144.0


def test_rotated_pdf_page_is_displayed_swapped(tmp_path):
    path = tmp_path / "xoay.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=72, height=144).rotate(90)
    writer.write(path)
    report = identify_file(path)
    assert (report.width, report.height) == (200, 400)
    assert report.pages == ((400, 200),)


def test_pdf_with_only_an_owner_password_is_accepted(tmp_path):
    path = tmp_path / "chỉ_chủ.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.encrypt(user_password="", owner_password="bí mật", algorithm="AES-256")
    writer.write(path)
    assert identify_file(path).page_count == 1


def test_pdf_with_a_user_password_is_encrypted(tmp_path):
    path = tmp_path / "khóa.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.encrypt(user_password="mật khẩu", owner_password="chủ", algorithm="RC4-128")
    writer.write(path)
    assert rejection(path).code == "encrypted"


def test_jpeg_2000_files_are_identified(tmp_path):
    image = pyvips.Image.black(40, 30, bands=3)
    jp2 = tmp_path / "bản_đồ.jp2"
    j2k = tmp_path / "bản_đồ.j2k"
    image.jp2ksave(str(jp2), lossless=True)
    # libvips always wraps JP2; the bare codestream is the jp2c box's content.
    data = jp2.read_bytes()
    j2k.write_bytes(data[data.index(b"\xff\x4f\xff\x51") :])
    jp2_report, j2k_report = identify_file(jp2), identify_file(j2k)
    assert (jp2_report.format_name, jp2_report.puid) == ("JPEG 2000 (JP2)", "x-fmt/392")
    assert j2k_report.format_name == "JPEG 2000 codestream"
    for report in (jp2_report, j2k_report):
        assert (report.mime_type, report.width, report.height) == ("image/jp2", 40, 30)
        assert report.bits_per_sample == 8


def test_truncated_tiff_is_corrupt(tmp_path):
    source = SAMPLES / "printed-vietnamese" / "VietOCR_vietsample_2p_G4.tif"
    path = tmp_path / "cắt_ngắn.tif"
    path.write_bytes(source.read_bytes()[:60_000])
    assert rejection(path).code == "corrupt"


def test_too_many_pages(tmp_path, settings):
    settings.DISAN_MAX_PAGES = 2
    error = rejection(HOSTILE / "multipage_out_of_order.tiff")
    assert error.code == "too_many_pages"
    assert str(error) == (
        "multipage_out_of_order.tiff has 3 pages, over the limit of 2 "
        "(DISAN_MAX_PAGES). Split it into several files or raise the limit."
    )


def test_file_over_the_byte_limit(tmp_path, settings):
    settings.DISAN_MAX_FILE_BYTES = 4000
    error = rejection(HOSTILE / "hopper_orientation_6.jpg")
    assert error.code == "file_too_large"
    assert str(error) == (
        "hopper_orientation_6.jpg is 4951 bytes, over the limit of 4000 bytes "
        "(DISAN_MAX_FILE_BYTES). Split the document into several files or raise "
        "the limit."
    )


def test_tiff_layout_pillow_cannot_decode_is_identified(tmp_path):
    """16-bit grey with alpha: Pillow has no mode for it, libvips decodes it."""
    path = tmp_path / "bản_thảo_xám.tif"
    grey = pyvips.Image.black(9, 5, bands=2).cast("ushort")
    grey.copy(interpretation="grey16").tiffsave(str(path), xres=11.811, yres=11.811)
    report = identify_file(path)
    assert report.pages == ((9, 5),)
    assert report.colour == "grey"
    assert report.bits_per_sample == 16
    assert report.has_alpha is True
    assert report.dpi == 300.0  # 11.811 pixels per mm, stored in centimetres


def test_pillows_own_pixel_limit_is_left_as_it_was():
    before = Image.MAX_IMAGE_PIXELS
    rejection(HOSTILE / "decompression_bomb.gif")
    identify_file(HOSTILE / "hopper_orientation_6.jpg")
    assert Image.MAX_IMAGE_PIXELS == before

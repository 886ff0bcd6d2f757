"""Pages opened upright in 8-bit sRGB, and their pyramids and thumbnails."""

import shutil

import pytest
import pyvips
from PIL import Image, ImageOps

from disan.derivatives.exceptions import (
    DerivativeWriteError,
    ImageTooLarge,
    MasterNotFound,
    UnsupportedImage,
)
from disan.derivatives.images import (
    PyramidResult,
    make_pyramid,
    make_thumbnail,
    open_page,
)
from tests.derivatives.conftest import DAI_NAM, HOSTILE, PRINTED


def _pixel(image, x, y):
    return tuple(int(value) for value in image(x, y))


def _as_pillow(image):
    """Decode a canvas once into a Pillow image, for pixel-by-pixel checks."""
    return Image.frombytes("RGB", (image.width, image.height), image.write_to_memory())


def _mean_difference(first, second):
    pairs = zip(first.tobytes(), second.tobytes(), strict=True)
    return sum(abs(a - b) for a, b in pairs) / len(first.tobytes())


def _canvas_facts(image):
    return image.width, image.height, image.bands, image.format, image.interpretation


def test_16bit_rgba_becomes_8bit_rgb_flattened_on_white():
    image = open_page(HOSTILE / "tiff_16bit_RGBa.tiff", "image/tiff")

    assert _canvas_facts(image) == (100, 40, 3, "uchar", "srgb")
    # (0, 0) has alpha 0 in the master: it must come out white.
    assert _pixel(image, 0, 0) == (255, 255, 255)
    # (99, 39) is (84, 69, 58) at alpha 188/255: over white that is about
    # (129, 118, 110).
    assert all(
        abs(got - want) <= 2
        for got, want in zip(_pixel(image, 99, 39), (129, 118, 110), strict=True)
    )


def test_exif_orientation_6_is_applied():
    path = HOSTILE / "hopper_orientation_6.jpg"
    image = open_page(path, "image/jpeg")
    upright = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    as_stored = Image.open(path).convert("RGB")

    assert (image.width, image.height) == (128, 128)
    assert _mean_difference(_as_pillow(image), upright) <= 2
    assert _mean_difference(_as_pillow(image), as_stored) > 40


def test_tiled_jpeg_cmyk_tiff_gets_true_colours_not_inverted():
    path = HOSTILE / "tiff_tiled_cmyk_jpeg.tif"
    image = open_page(path, "image/tiff")
    reference = Image.open(path).convert("RGB")

    assert _canvas_facts(image) == (100, 100, 3, "uchar", "srgb")
    # The file shows the word RED in red on a near-black ground. An ICC
    # conversion differs from Pillow's naive formula by a few tens of
    # levels; inverted colours would differ by about 200.
    pairs = zip(_as_pillow(image).tobytes(), reference.tobytes(), strict=True)
    assert max(abs(a - b) for a, b in pairs) <= 45
    red, ground = _pixel(image, 2, 2), _pixel(image, 90, 90)
    assert red[0] > 200 and red[1] < 80 and red[2] < 80
    assert max(ground) < 60


def test_multipage_tiff_pages_in_file_order():
    path = HOSTILE / "multipage_out_of_order.tiff"

    pages = [open_page(path, "image/tiff", number) for number in range(3)]

    assert [(page.width, page.height) for page in pages] == [
        (10, 10),
        (20, 20),
        (10, 10),
    ]
    assert [_pixel(page, 5, 5) for page in pages] == [
        (0, 128, 0),
        (0, 0, 255),
        (255, 0, 0),
    ]
    assert {page.bands for page in pages} == {3}


def test_page_past_the_end_of_a_tiff_is_refused():
    with pytest.raises(UnsupportedImage) as caught:
        open_page(HOSTILE / "multipage_out_of_order.tiff", "image/tiff", 3)

    assert str(caught.value) == (
        "multipage_out_of_order.tiff has 3 page(s); page 3 (counted from 0) "
        "does not exist."
    )


def test_bilevel_g4_tiff_second_page():
    image = open_page(PRINTED, "image/tiff", 1)

    assert _canvas_facts(image) == (2550, 3300, 3, "uchar", "srgb")
    assert _pixel(image, 0, 0) == (255, 255, 255)


def _two_page_pdf(path):
    """A PDF of a 2 x 1 inch page and a 1 x 3 inch page (Pillow, 100 dpi)."""
    first = Image.new("RGB", (200, 100), (200, 30, 30))
    second = Image.new("RGB", (100, 300), (30, 30, 200))
    first.save(path, "PDF", resolution=100, save_all=True, append_images=[second])
    return path


def test_pdf_pages_render_at_the_given_dpi(tmp_path):
    pdf = _two_page_pdf(tmp_path / "công văn số 12.pdf")

    first = open_page(pdf, "application/pdf", 0, dpi=150)
    second = open_page(pdf, "application/pdf", 1, dpi=150)

    assert _canvas_facts(first) == (300, 150, 3, "uchar", "srgb")
    assert (second.width, second.height) == (150, 450)
    # Pillow stores the pixels as JPEG inside the PDF: allow its rounding.
    assert all(
        abs(got - want) <= 3
        for got, want in zip(_pixel(second, 75, 225), (30, 30, 200), strict=True)
    )


def test_pdf_dpi_defaults_to_the_setting(tmp_path, settings):
    settings.DISAN_PDF_DPI = 72
    pdf = _two_page_pdf(tmp_path / "tờ trình.pdf")

    image = open_page(pdf, "application/pdf", 1)

    assert (image.width, image.height) == (72, 216)


def test_pyramid_is_tiled_jpeg_with_halving_levels(out_dir):
    dest = out_dir / "trang 4.tif"

    result = make_pyramid(open_page(DAI_NAM / "page_004.jpg", "image/jpeg"), dest)

    assert result == PyramidResult(2000, 1773, dest.stat().st_size)
    pages = pyvips.Image.new_from_file(str(dest)).get("n-pages")
    levels = [pyvips.Image.tiffload(str(dest), page=level) for level in range(pages)]
    assert [(level.width, level.height) for level in levels] == [
        (2000, 1773),
        (1000, 886),
        (500, 443),
        (250, 221),
    ]
    tags = Image.open(dest).tag_v2
    # 259 Compression 7 = JPEG; 322/323 TileWidth/TileLength.
    assert (tags[259], tags[322], tags[323], tags[277]) == (7, 256, 256, 3)
    assert sorted(path.name for path in out_dir.iterdir()) == ["trang 4.tif"]


def test_pyramid_follows_tile_size_setting(out_dir, settings):
    settings.DISAN_TILE_SIZE = 512
    dest = out_dir / "p.tif"

    make_pyramid(open_page(DAI_NAM / "page_001.jpg", "image/jpeg"), dest)

    tags = Image.open(dest).tag_v2
    assert (tags[322], tags[323]) == (512, 512)
    assert pyvips.Image.new_from_file(str(dest)).get("n-pages") == 3


def test_thumbnail_longest_edge_is_the_setting(out_dir, settings):
    image = open_page(DAI_NAM / "page_004.jpg", "image/jpeg")

    size = make_thumbnail(image, out_dir / "ảnh nhỏ.jpg")
    settings.DISAN_THUMBNAIL_SIZE = 150
    small = make_thumbnail(image, out_dir / "nhỏ hơn.jpg")

    assert size == (400, 355)
    assert Image.open(out_dir / "ảnh nhỏ.jpg").size == (400, 355)
    assert Image.open(out_dir / "ảnh nhỏ.jpg").format == "JPEG"
    assert small == (150, 133)


def test_thumbnail_of_a_tall_page_and_of_a_tiny_one(out_dir):
    tall = open_page(PRINTED, "image/tiff", 0)
    tiny = open_page(HOSTILE / "multipage_out_of_order.tiff", "image/tiff", 0)

    assert make_thumbnail(tall, out_dir / "tall.jpg") == (309, 400)
    # Never blown up past the master's own size.
    assert make_thumbnail(tiny, out_dir / "tiny.jpg") == (10, 10)


def test_failed_write_leaves_no_file_and_keeps_the_old_one(out_dir):
    # The truncated JPEG's header reads, so the failure comes mid-write.
    image = open_page(HOSTILE / "truncated_jpeg.jpg", "image/jpeg")
    new = out_dir / "mới.tif"
    old = out_dir / "cũ.tif"
    old.write_bytes(b"previous pyramid")

    with pytest.raises(DerivativeWriteError) as first:
        make_pyramid(image, new)
    with pytest.raises(DerivativeWriteError):
        make_pyramid(image, old)
    with pytest.raises(DerivativeWriteError):
        make_thumbnail(image, out_dir / "nhỏ.jpg")

    assert str(first.value).startswith(
        "Could not write mới.tif from truncated_jpeg.jpg page 0: "
        "unable to call tiffsave"
    )
    assert "Premature end of" in str(first.value)
    assert sorted(path.name for path in out_dir.iterdir()) == ["cũ.tif"]
    assert old.read_bytes() == b"previous pyramid"


def test_vietnamese_file_names_are_read(tmp_path):
    master = tmp_path / "Trường Thi Hà Nội – trang 1.jpg"
    shutil.copyfile(HOSTILE / "hopper_orientation_6.jpg", master)

    image = open_page(master, "image/jpeg")

    assert (image.width, image.height) == (128, 128)


def test_unsupported_type_missing_file_and_too_large(tmp_path, settings):
    with pytest.raises(UnsupportedImage) as unsupported:
        open_page(HOSTILE / "decompression_bomb.gif", "image/gif")
    with pytest.raises(MasterNotFound) as missing:
        open_page(tmp_path / "không có.jpg", "image/jpeg")
    with pytest.raises(UnsupportedImage) as second_page:
        open_page(HOSTILE / "hopper_orientation_6.jpg", "image/jpeg", 1)
    settings.DISAN_MAX_IMAGE_PIXELS = 100 * 40 - 1
    with pytest.raises(ImageTooLarge) as large:
        open_page(HOSTILE / "tiff_16bit_RGBa.tiff", "image/tiff")

    assert str(unsupported.value) == (
        "decompression_bomb.gif: MIME type 'image/gif' has no image derivative; "
        "supported types are application/pdf, image/jp2, image/jpeg, image/jpx, "
        "image/png, image/tiff."
    )
    assert "không có.jpg does not exist" in str(missing.value)
    assert str(second_page.value) == (
        "hopper_orientation_6.jpg: page 1 asked for, but a image/jpeg file has "
        "only page 0."
    )
    assert str(large.value) == (
        "tiff_16bit_RGBa.tiff page 0 is 100x40 pixels, over the limit of 3999; "
        "raise DISAN_MAX_IMAGE_PIXELS or supply a smaller master."
    )
    assert isinstance(large.value, ValueError)

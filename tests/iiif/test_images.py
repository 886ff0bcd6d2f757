"""Rendering from real pyramidal TIFFs: sizes, levels, orientation, quality."""

import shutil
from pathlib import Path

import pytest
import pyvips
from django.conf import settings

from disan.iiif import images
from disan.iiif.exceptions import PyramidMissing
from disan.iiif.parameters import parse_image_request

from .conftest import SHARED, marked_image

pytestmark = pytest.mark.django_db


def render(page, region="full", size="max", rotation="0", quality_format="default.png"):
    request = parse_image_request(
        region, size, rotation, quality_format, width=page.width, height=page.height
    )
    return pyvips.Image.new_from_buffer(images.render(request, page), "")


@pytest.fixture
def page(make_document, make_page):
    return make_page(make_document())


@pytest.fixture
def opened_levels(monkeypatch):
    """Record the pyramid levels the renderer opens."""
    opened = []
    original = images._open_level

    def spy(path, index, layout):
        opened.append(index)
        return original(path, index, layout)

    monkeypatch.setattr(images, "_open_level", spy)
    return opened


def is_red(image, x, y):
    red, green, blue = image(x, y)[:3]
    return red > 200 and green < 60 and blue < 60


def is_white(image, x, y):
    return min(image(x, y)[:3]) > 200


@pytest.mark.parametrize(
    ("region", "size", "rotation", "expected"),
    [
        ("full", "max", "0", (1000, 700)),
        ("0,0,256,256", "256,", "0", (256, 256)),
        ("full", "pct:50", "0", (500, 350)),
        ("full", "!200,200", "0", (200, 140)),
        ("square", "max", "0", (700, 700)),
        ("768,512,256,256", "max", "0", (232, 188)),
        ("full", "max", "90", (700, 1000)),
        ("full", "pct:50", "!270", (350, 500)),
        ("full", "^1200,", "0", (1200, 840)),
        ("full", "max", "180", (1000, 700)),
    ],
)
def test_output_has_the_requested_pixel_size(page, region, size, rotation, expected):
    image = render(page, region, size, rotation)
    assert (image.width, image.height) == expected


def test_small_output_reads_only_the_smallest_level(page, opened_levels):
    image = render(page, size="!200,200")
    assert (image.width, image.height) == (200, 140)
    assert opened_levels == [2]


def test_zoomed_out_tile_reads_only_the_half_size_level(page, opened_levels):
    image = render(page, region="0,0,512,512", size="256,")
    assert (image.width, image.height) == (256, 256)
    assert opened_levels == [1]


def test_full_size_tile_reads_only_the_full_level(page, opened_levels):
    render(page, region="256,256,256,256", size="256,")
    assert opened_levels == [0]


def test_pyramid_with_sub_ifds_is_read(make_document, make_page, opened_levels):
    page = make_page(make_document(), subifd=True)
    image = render(page, size="pct:25")
    assert (image.width, image.height) == (250, 175)
    assert opened_levels == [2]


def test_mirroring_moves_the_top_left_corner_to_the_top_right(page):
    image = render(page, rotation="!0")
    assert is_red(image, 950, 50)
    assert is_white(image, 50, 50)


def test_rotation_by_90_moves_the_top_left_corner_to_the_top_right(page):
    image = render(page, rotation="90")
    assert is_red(image, 650, 50)
    assert is_white(image, 50, 50)


def test_mirror_then_rotate_90_moves_the_corner_to_the_bottom_right(page):
    image = render(page, rotation="!90")
    assert is_red(image, 650, 950)
    assert is_white(image, 650, 50)


def test_region_is_cut_where_asked(page):
    image = render(page, region="50,50,100,100")
    assert is_red(image, 10, 10)
    assert is_white(image, 90, 90)


def test_gray_has_one_band(page):
    image = render(page, quality_format="gray.png")
    assert image.bands == 1
    assert image(500, 500) == [255.0]


def test_bitonal_has_only_black_and_white(page):
    image = render(page, quality_format="bitonal.png")
    assert image.bands == 1
    histogram = image.hist_find().tolist()[0]
    used = [level for level, count in enumerate(histogram) if count]
    assert used == [0, 255]


def test_color_has_three_bands(page):
    assert render(page, quality_format="color.jpg").bands == 3


def test_arbitrary_rotation_gives_the_bounding_box_with_transparent_corners(page):
    image = render(page, size="pct:10", rotation="45", quality_format="default.png")
    assert (image.width, image.height) == (120, 120)
    assert image.bands == 4
    assert image(0, 0)[3] == 0


@pytest.mark.parametrize(
    ("quality_format", "loader"),
    [
        ("default.jpg", "jpegload_buffer"),
        ("default.png", "pngload_buffer"),
        ("default.webp", "webpload_buffer"),
    ],
)
def test_formats(page, quality_format, loader):
    request = parse_image_request(
        "full", "pct:10", "0", quality_format, width=1000, height=700
    )
    data = images.render(request, page)
    assert pyvips.Image.new_from_buffer(data, "").get("vips-loader") == loader


def test_real_scan_edge_tile_at_half_scale(make_document, make_page, opened_levels):
    """A 2000x1773 scan: its half level is 1000x886, short of the exact 886.5."""
    scan = pyvips.Image.new_from_file(
        str(SHARED / "samples" / "dai-nam-nhat-thong-chi" / "page_001.jpg")
    )
    page = make_page(make_document(), width=2000, height=1773, image=scan)
    image = render(page, region="0,1536,512,237", size="256,")
    assert (image.width, image.height) == (256, 119)
    assert opened_levels == [1]


def test_missing_pyramid_names_the_page(page):
    (Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path).unlink()
    with pytest.raises(PyramidMissing) as raised:
        render(page)
    assert str(raised.value).startswith(
        f"The pyramidal TIFF of page {page.id} is missing at "
    )
    assert str(raised.value).endswith("; derive it again.")


def test_truncated_pyramid_is_reported_as_unreadable(page):
    target = Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    with pytest.raises(PyramidMissing) as raised:
        render(page, size="pct:10")
    assert str(raised.value).startswith(
        f"The pyramidal TIFF of page {page.id} at {target} cannot be read ("
    )


def test_jpeg_in_place_of_the_pyramid_is_not_decoded(page):
    target = Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path
    shutil.copyfile(SHARED / "cases" / "hostile-files" / "truncated_jpeg.jpg", target)
    with pytest.raises(PyramidMissing) as raised:
        render(page, size="pct:10")
    assert str(raised.value).endswith("derive it again.")


def test_marked_image_fixture_is_as_described():
    image = marked_image(300, 200)
    assert (image(0, 0), image(99, 99), image(100, 100)) == (
        [255.0, 0.0, 0.0],
        [255.0, 0.0, 0.0],
        [255.0, 255.0, 255.0],
    )


def test_replaced_pyramid_is_read_afresh(make_document, make_page):
    """Derivation may rewrite a pyramid; the old pixels must not be served."""
    document = make_document()
    page = make_page(document)
    assert is_red(render(page, size="pct:50"), 10, 10)

    blue = (pyvips.Image.black(1000, 700, bands=3) + [0, 0, 255]).cast("uchar")
    make_page(document, sequence=2, image=blue.copy(interpretation="srgb"))
    target = settings.DISAN_DERIVATIVES_ROOT / page.pyramid_path
    (settings.DISAN_DERIVATIVES_ROOT / f"pyramids/{document.id}/0002.tif").replace(
        target
    )
    red, green, blue_value = render(page, size="pct:50")(10, 10)
    assert (red < 10, green < 10, blue_value > 245) == (True, True, True)


@pytest.mark.parametrize("stored", ["../../etc/passwd", "/etc/passwd"])
def test_pyramid_path_outside_the_derivatives_root_is_refused(page, stored):
    page.pyramid_path = stored
    with pytest.raises(PyramidMissing) as raised:
        render(page)
    assert str(raised.value) == (
        f"The pyramid path of page {page.id} leads outside DISAN_DERIVATIVES_ROOT; "
        "derive it again."
    )


def test_pyramid_written_by_the_derivatives_app_is_served(make_document, make_page):
    """A real scan through disan.derivatives.make_pyramid, then a tile."""
    from disan.derivatives import paths
    from disan.derivatives.images import make_pyramid

    scan = pyvips.Image.new_from_file(
        str(SHARED / "samples" / "dai-nam-nhat-thong-chi" / "page_002.jpg")
    )
    page = make_page(make_document(), width=2000, height=1773)
    destination = paths.pyramid_path(page.document_id, page.id)
    destination.parent.mkdir(parents=True, exist_ok=True)
    make_pyramid(scan, destination)
    page.pyramid_path = paths.relative(destination)

    tile = render(page, region="1024,1024,1024,1024", size="256,")
    assert (tile.width, tile.height) == (256, 196)
    thumbnail = render(page, size="!400,400", quality_format="gray.jpg")
    assert (thumbnail.width, thumbnail.height, thumbnail.bands) == (400, 355, 1)


def test_a_window_in_one_stored_tile_decodes_that_tile_alone(
    make_document, make_page, opened_levels, monkeypatch
):
    from disan.derivatives.images import make_pyramid
    from disan.iiif import tiles

    scan = pyvips.Image.new_from_file(
        str(SHARED / "samples" / "dai-nam-nhat-thong-chi" / "page_003.jpg")
    )
    page = make_page(make_document(), width=2000, height=1773)
    make_pyramid(scan, Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path)

    args = {"region": "128,128,256,256", "size": "100,", "rotation": "90"}
    image = render(page, quality_format="gray.png", **args)
    assert (image.width, image.height, image.bands) == (100, 100, 1)
    assert opened_levels == []

    # The same pixels as from the whole level.
    monkeypatch.setattr(tiles, "tile_holding", lambda *args: None)
    from_level = render(page, quality_format="gray.png", **args)
    assert opened_levels == [1]
    assert (image - from_level).abs().max() <= 1

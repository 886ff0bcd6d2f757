"""Viewer tiles answered from the stored JPEG tiles: copied, cut or widened."""

from pathlib import Path
from types import SimpleNamespace

import pytest
import pyvips
from django.conf import settings

from disan.derivatives.images import make_pyramid
from disan.iiif import images, tiles
from disan.iiif.parameters import parse_image_request
from disan.iiif.pyramids import pyramid_of, read_tile

from .conftest import SHARED

pytestmark = pytest.mark.django_db

SCAN = SHARED / "samples" / "dai-nam-nhat-thong-chi" / "page_001.jpg"


def url(page, params):
    return f"/iiif/3/images/{page.id}/{params}"


def pyramid_path(page):
    return Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path


def request_for(page, region, size, quality_format="default.jpg", rotation="0"):
    return parse_image_request(
        region, size, rotation, quality_format, width=page.width, height=page.height
    )


def stored(page, region, size, **kwargs):
    request = request_for(page, region, size, **kwargs)
    return tiles.stored_tile(pyramid_path(page), request, page)


def level_pixels(page, level, box):
    return pyvips.Image.tiffload(str(pyramid_path(page)), page=level).crop(*box)


def difference(image, expected):
    """Return the largest and the mean absolute difference of two images."""
    diff = (image.cast("float") - expected.cast("float")).abs()
    return diff.max(), diff.avg()


@pytest.fixture
def scan_page(make_document, make_page):
    """A page of the real 2000x1773 Hán scan, its pyramid made at ingest."""
    scan = pyvips.Image.new_from_file(str(SCAN))
    page = make_page(
        make_document(title="Đại Nam nhất thống chí, quyển 1"),
        width=2000,
        height=1773,
        image=scan,
    )
    make_pyramid(scan, pyramid_path(page))
    return page


@pytest.fixture
def odd_page(make_document, make_page):
    """A 1001x703 cut of the scan: every reduced level lacks half a pixel."""
    scan = pyvips.Image.new_from_file(str(SCAN)).crop(300, 200, 1001, 703)
    page = make_page(make_document(), width=1001, height=703, image=scan)
    make_pyramid(scan, pyramid_path(page))
    return page


@pytest.mark.parametrize(
    ("region", "size", "level", "index", "box"),
    [
        ("256,512,256,256", "256,", 0, 17, (256, 512, 256, 256)),
        ("512,0,512,512", "256,", 1, 1, (256, 0, 256, 256)),
        ("0,0,1024,1024", "256,", 2, 0, (0, 0, 256, 256)),
    ],
)
def test_whole_tiles_are_the_stored_jpeg_byte_for_byte(
    scan_page, region, size, level, index, box
):
    data = stored(scan_page, region, size)
    stored_level = pyramid_of(pyramid_path(scan_page)).levels[level]
    assert data == read_tile(pyramid_path(scan_page), stored_level, index)
    tile = pyvips.Image.new_from_buffer(data, "")
    assert (tile.width, tile.height, tile.bands) == (256, 256, 3)
    assert difference(tile, level_pixels(scan_page, level, box)) == (0, 0)


@pytest.mark.parametrize(
    ("region", "size", "level", "box"),
    [
        ("1536,1536,256,237", "256,", 0, (1536, 1536, 256, 237)),
        ("1792,0,208,256", "208,", 0, (1792, 0, 208, 256)),
        ("1792,1536,208,237", "208,", 0, (1792, 1536, 208, 237)),
        ("1024,0,976,1024", "244,", 2, (256, 0, 244, 256)),
    ],
)
def test_edge_tiles_are_cut_without_changing_a_pixel(
    scan_page, region, size, level, box
):
    tile = pyvips.Image.new_from_buffer(stored(scan_page, region, size), "")
    assert (tile.width, tile.height) == box[2:]
    assert difference(tile, level_pixels(scan_page, level, box)) == (0, 0)


@pytest.mark.parametrize(
    ("region", "size", "level", "box", "expected"),
    [
        # 1773 / 2 = 886.5: the half level has 886 rows, the tile needs 119.
        ("0,1536,512,237", "256,", 1, (0, 768, 256, 118), (256, 119)),
        # The top level, 250x221 of 250x221.6.
        ("0,0,2000,1773", "250,", 3, (0, 0, 250, 221), (250, 222)),
    ],
)
def test_a_level_short_of_half_a_pixel_is_widened_by_its_edge(
    scan_page, region, size, level, box, expected
):
    tile = pyvips.Image.new_from_buffer(stored(scan_page, region, size), "")
    assert (tile.width, tile.height) == expected
    x, y, width, height = box
    # Decoded and encoded once more: within JPEG tolerance of the level
    # (quality 85 moves a few edge pixels of a sharp scan by up to ~20).
    largest, mean = difference(
        tile.crop(0, 0, width, height), level_pixels(scan_page, level, box)
    )
    assert largest <= 24
    assert mean < 1
    last, before = tile.crop(0, height, width, 1), tile.crop(0, height - 1, width, 1)
    assert difference(last, before)[1] < 2


def test_a_part_of_one_tile_is_cut_from_it(scan_page):
    # On block boundaries: compressed blocks moved, none decoded; only the
    # colour interpolation along the new edges may round differently.
    aligned = stored(scan_page, "128,128,256,256", "128,")
    tile = pyvips.Image.new_from_buffer(aligned, "")
    largest, mean = difference(tile, level_pixels(scan_page, 1, (64, 64, 128, 128)))
    assert largest <= 3
    assert mean < 0.01

    # Off them: decoded and encoded again, no further from the level than
    # libvips's rendering of the same window.
    shifted = stored(scan_page, "100,100,256,256", "128,")
    tile = pyvips.Image.new_from_buffer(shifted, "")
    assert (tile.width, tile.height) == (128, 128)
    expected = level_pixels(scan_page, 1, (50, 50, 128, 128))
    request = request_for(scan_page, "100,100,256,256", "128,")
    rendered = images.render_pixels(request, scan_page, pyramid_path(scan_page))
    libvips = pyvips.Image.new_from_buffer(rendered, "")
    assert difference(tile, expected)[1] < 1.05 * difference(libvips, expected)[1]


def test_tiles_of_odd_sized_levels_are_on_the_stored_grid(odd_page):
    levels = pyramid_of(pyramid_path(odd_page)).levels
    assert [(level.width, level.height) for level in levels] == [
        (1001, 703),
        (500, 351),
        (250, 175),
    ]
    assert tiles.level_scale(levels[1], 1001, 703) == (2, 2)
    assert tiles.level_scale(levels[2], 1001, 703) == (4, 4)

    # Full-size pixels 512-1023 are pixels 256-511 of the half level: the
    # second stored tile, not a window one pixel to its left.
    tile = pyvips.Image.new_from_buffer(
        stored(odd_page, "512,0,489,512", "245,256"), ""
    )
    assert (tile.width, tile.height) == (245, 256)
    largest, mean = difference(
        tile.crop(0, 0, 244, 256), level_pixels(odd_page, 1, (256, 0, 244, 256))
    )
    assert largest <= 24
    assert mean < 1


def test_a_level_not_made_by_halving_is_mapped_by_its_size():
    level = SimpleNamespace(width=700, height=620)
    assert tiles.level_scale(level, 2000, 1773) == (2000 / 700, 1773 / 620)


@pytest.mark.parametrize(
    ("region", "size", "expected"),
    [
        ("0,0,256,256", "256,", (0, 0, 0, 256, 256)),
        ("0,0,512,512", "256,", (1, 0, 0, 256, 256)),
        ("0,0,512,512", "200,", (1, 0, 0, 256, 256)),
        ("0,0,512,512", "257,", (1, 0, 0, 256, 256)),
        ("0,0,512,512", "258,", (0, 0, 0, 512, 512)),
        ("100,100,700,500", "350,", (1, 50, 50, 350, 250)),
        ("full", "250,", (3, 0, 0, 250, 221)),
        ("full", "125,", (3, 0, 0, 250, 221)),
        ("1999,1772,1,1", "max", (3, 249, 220, 1, 1)),
    ],
)
def test_the_window_is_on_the_smallest_sufficient_level(
    scan_page, region, size, expected
):
    levels = pyramid_of(pyramid_path(scan_page)).levels
    request = request_for(scan_page, region, size)
    found = tiles.window(levels, request, 2000, 1773)
    assert (found.index, found.left, found.top, found.width, found.height) == expected


@pytest.mark.parametrize(
    ("region", "size"),
    [
        ("100,100,700,500", "350,"),
        ("0,0,512,512", "200,"),
        ("0,0,300,300", "max"),
        ("0,0,1000,1000", "max"),
    ],
)
def test_requests_spanning_tiles_or_scaled_are_left_to_libvips(scan_page, region, size):
    assert stored(scan_page, region, size) is None


@pytest.mark.parametrize(
    ("quality_format", "rotation"),
    [
        ("default.png", "0"),
        ("gray.jpg", "0"),
        ("color.jpg", "0"),
        ("default.webp", "0"),
        ("default.jpg", "!0"),
        ("default.jpg", "90"),
    ],
)
def test_other_renderings_of_a_tile_are_not_taken_from_it(
    scan_page, quality_format, rotation
):
    assert (
        stored(
            scan_page,
            "0,0,256,256",
            "256,",
            quality_format=quality_format,
            rotation=rotation,
        )
        is None
    )


def test_rgb_jpeg_levels_are_rendered_not_copied(make_document, make_page):
    """Tiles kept as RGB (not YCbCr) JPEG would be read with wrong colours."""
    page = make_page(make_document())
    assert stored(page, "0,0,256,256", "256,") is None


def test_gray_levels_are_cut_in_gray(make_document, make_page):
    page = make_page(make_document(), width=2000, height=1773)
    scan = pyvips.Image.new_from_file(str(SCAN)).colourspace("b-w")
    make_pyramid(scan, pyramid_path(page))
    assert pyramid_of(pyramid_path(page)).levels[0].gray
    tile = pyvips.Image.new_from_buffer(stored(page, "1792,0,208,256", "208,"), "")
    assert (tile.width, tile.height, tile.bands) == (208, 256, 1)
    assert difference(tile, level_pixels(page, 0, (1792, 0, 208, 256))) == (0, 0)
    widened = stored(page, "0,1536,512,237", "256,")
    assert pyvips.Image.new_from_buffer(widened, "").bands == 1


def test_sub_ifd_pyramids_are_copied_too(make_document, make_page):
    page = make_page(make_document(), width=2000, height=1773)
    pyvips.Image.new_from_file(str(SCAN)).tiffsave(
        str(pyramid_path(page)),
        tile=True,
        pyramid=True,
        subifd=True,
        compression="jpeg",
        tile_width=256,
        tile_height=256,
    )
    data = stored(page, "512,0,512,512", "256,")
    tile = pyvips.Image.new_from_buffer(data, "")
    level = pyvips.Image.tiffload(str(pyramid_path(page)), subifd=0)
    assert difference(tile, level.crop(256, 0, 256, 256)) == (0, 0)


def test_sub_ifd_pyramid_tiles_are_rendered_from_one_level(make_document, make_page):
    page = make_page(make_document(), subifd=True)
    assert stored(page, "0,0,256,256", "256,") is None
    data = images.render(request_for(page, "0,0,256,256", "256,"), page)
    assert pyvips.Image.new_from_buffer(data, "").width == 256


def test_without_libjpeg_turbo_edges_are_rendered_and_whole_tiles_copied(
    scan_page, monkeypatch
):
    monkeypatch.setattr(tiles, "_codec", False)
    assert stored(scan_page, "1792,0,208,256", "208,") is None
    assert stored(scan_page, "256,512,256,256", "256,") is not None
    request = request_for(scan_page, "1792,0,208,256", "208,")
    tile = pyvips.Image.new_from_buffer(images.render(request, scan_page), "")
    assert (tile.width, tile.height) == (208, 256)


def test_a_copied_tile_is_served_like_a_rendered_one(client, scan_page):
    response = client.get(url(scan_page, "256,512,256,256/256,/0/default.jpg"))
    assert response.content == stored(scan_page, "256,512,256,256", "256,")
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.filterwarnings("ignore:JPEG datastream contains no image")
def test_a_damaged_stored_tile_is_reported(scan_page):
    path = pyramid_path(scan_page)
    level = pyramid_of(path).levels[0]
    data = bytearray(path.read_bytes())
    start = level.offsets[7]
    data[start + 2 : start + level.byte_counts[7]] = bytes(level.byte_counts[7] - 2)
    path.write_bytes(bytes(data))
    with pytest.raises(images.PyramidMissing) as raised:
        images.render(request_for(scan_page, "1792,0,208,256", "208,"), scan_page)
    assert str(raised.value).startswith(
        f"The pyramidal TIFF of page {scan_page.id} at {path} cannot be read ("
    )


def test_a_truncated_pyramid_is_reported_not_copied(scan_page):
    path = pyramid_path(scan_page)
    path.write_bytes(path.read_bytes()[:4096])
    with pytest.raises(images.PyramidMissing) as raised:
        images.render(request_for(scan_page, "256,512,256,256", "256,"), scan_page)
    assert str(raised.value).startswith(
        f"The pyramidal TIFF of page {scan_page.id} at {path} cannot be read ("
    )


def viewer_tiles(info):
    """Yield the image requests OpenSeadragon 6 makes of an Image API 3 service.

    As its IIIF tile source does: level sizes rounded up, tiles of the
    announced width, the last ones cut at the level's edge, sizes as ``w,h``.
    """
    tile = info["tiles"][0]["width"]
    width, height = info["width"], info["height"]
    for factor in info["tiles"][0]["scaleFactors"]:
        level_w, level_h = -(-width // factor), -(-height // factor)
        if level_w < tile and level_h < tile:
            yield "full", f"{level_w},{level_h}"
            continue
        step = tile * factor
        for y in range(0, height, step):
            for x in range(0, width, step):
                region = f"{x},{y},{min(step, width - x)},{min(step, height - y)}"
                size_w = min(tile, level_w - x // factor)
                size_h = min(tile, level_h - y // factor)
                yield region, f"{size_w},{size_h}"


@pytest.mark.parametrize("fixture", ["scan_page", "odd_page"])
def test_every_tile_a_viewer_asks_is_answered_from_the_stored_tiles(request, fixture):
    from disan.iiif.info import build_info

    page = request.getfixturevalue(fixture)
    asked = list(viewer_tiles(build_info(page, "http://testserver")))
    answered = []
    for region, size in asked:
        data = stored(page, region, size)
        if data is not None:
            image = pyvips.Image.new_from_buffer(data, "")
            answered.append(f"{image.width},{image.height}" == size)
    assert len(asked) == {"scan_page": 77, "odd_page": 17}[fixture]
    assert answered == [True] * len(asked)


def scaled(page, region, size, **kwargs):
    request = request_for(page, region, size, **kwargs)
    return tiles.scaled_tile(pyramid_path(page), request, page)


@pytest.mark.parametrize(
    ("region", "size"),
    [
        # 125.5 level pixels by 256 asked as 126 by 257: scaled in one tile.
        ("1024,0,251,512", "126,"),
        ("0,0,512,512", "200,"),
        ("100,100,100,100", "^150,"),
        # At the level's right edge: none of the tile's padding is read.
        ("1792,0,208,256", "150,"),
    ],
)
def test_a_window_in_one_tile_at_another_size_is_scaled_from_it(
    scan_page, region, size
):
    request = request_for(scan_page, region, size)
    assert stored(scan_page, region, size) is None
    tile = pyvips.Image.new_from_buffer(scaled(scan_page, region, size), "")
    assert (tile.width, tile.height, tile.bands) == (request.width, request.height, 3)
    # Close to the region scaled from the full-size image: the level holds
    # the same pixels halved, then the tile is encoded a second time.
    full = pyvips.Image.tiffload(str(pyramid_path(scan_page)), page=0)
    x, y, width, height = map(int, region.split(","))
    expected = full.crop(x, y, width, height).resize(
        request.width / width, vscale=request.height / height, kernel="lanczos3"
    )
    expected = expected.gravity("north-west", tile.width, tile.height, extend="copy")
    assert difference(tile, expected)[1] < 4
    # And what a request renders.
    assert images.render_pixels(request, scan_page, pyramid_path(scan_page)) == (
        scaled(scan_page, region, size)
    )


@pytest.mark.parametrize(
    ("region", "size", "quality_format", "rotation"),
    [
        ("100,100,700,500", "350,", "default.jpg", "0"),
        ("0,0,300,300", "150,", "gray.jpg", "0"),
        ("0,0,300,300", "150,", "default.png", "0"),
        ("0,0,300,300", "150,", "default.jpg", "90"),
    ],
)
def test_windows_across_tiles_and_other_renderings_are_not_scaled_from_a_tile(
    scan_page, region, size, quality_format, rotation
):
    assert (
        scaled(
            scan_page, region, size, quality_format=quality_format, rotation=rotation
        )
        is None
    )


def test_gray_levels_are_scaled_in_gray(make_document, make_page):
    page = make_page(make_document(), width=2000, height=1773)
    scan = pyvips.Image.new_from_file(str(SCAN)).colourspace("b-w")
    make_pyramid(scan, pyramid_path(page))
    tile = pyvips.Image.new_from_buffer(scaled(page, "0,0,512,512", "200,"), "")
    assert (tile.width, tile.height, tile.bands) == (200, 200, 1)


def test_without_pillow_tiles_are_scaled_by_libvips(scan_page, monkeypatch):
    monkeypatch.setattr(tiles, "Image", None)
    assert scaled(scan_page, "0,0,512,512", "200,") is None
    request = request_for(scan_page, "0,0,512,512", "200,")
    tile = pyvips.Image.new_from_buffer(images.render(request, scan_page), "")
    assert (tile.width, tile.height) == (200, 200)

"""Reading the levels and tiles of a pyramidal TIFF from its directories."""

import struct

import pytest
import pyvips

from disan.derivatives.images import make_pyramid
from disan.iiif.pyramids import (
    TiffLayoutError,
    pyramid_of,
    read_tile,
    stored_pyramid,
)

from .conftest import SHARED

SCAN = SHARED / "samples" / "dai-nam-nhat-thong-chi" / "page_001.jpg"


@pytest.fixture(scope="module")
def scan():
    return pyvips.Image.new_from_file(str(SCAN))


def sizes(pyramid):
    return [(level.width, level.height) for level in pyramid.levels]


def little_endian_tiff(entries, next_offset=0, count=None):
    """Return a classic little-endian TIFF of one directory at offset 8.

    ``entries`` are ``(tag, type, count, value)`` with the value inline.
    """
    count = len(entries) if count is None else count
    body = struct.pack("<H", count)
    for tag, kind, number, value in entries:
        body += struct.pack("<HHII", tag, kind, number, value)
    return b"II*\x00" + struct.pack("<I", 8) + body + struct.pack("<I", next_offset)


def write(tmp_path, data, name="trang.tif"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_pyramid_made_at_ingest_has_its_halving_levels(tmp_path, scan):
    path = tmp_path / "trang 1.tif"
    make_pyramid(scan, path)
    pyramid = pyramid_of(path)
    assert pyramid.layout == "page"
    assert sizes(pyramid) == [(2000, 1773), (1000, 886), (500, 443), (250, 221)]
    assert [(level.tile_width, level.tile_height) for level in pyramid.levels] == [
        (256, 256)
    ] * 4
    assert [level.copyable for level in pyramid.levels] == [True] * 4
    assert [len(level.offsets) for level in pyramid.levels] == [56, 16, 4, 1]


def test_a_stored_tile_reads_as_the_level_does(tmp_path, scan):
    path = tmp_path / "trang.tif"
    make_pyramid(scan, path)
    level = pyramid_of(path).levels[1]
    tile = pyvips.Image.new_from_buffer(read_tile(path, level, 5), "")
    expected = pyvips.Image.tiffload(str(path), page=1).crop(256, 256, 256, 256)
    assert (tile.width, tile.height) == (256, 256)
    assert (tile - expected).abs().max() == 0


def test_bigtiff_and_sub_ifd_pyramids_are_read(tmp_path, scan):
    options = {
        "tile": True,
        "pyramid": True,
        "compression": "jpeg",
        "tile_width": 256,
        "tile_height": 256,
    }
    scan.tiffsave(str(tmp_path / "big.tif"), bigtiff=True, **options)
    scan.tiffsave(str(tmp_path / "sub.tif"), subifd=True, **options)

    big = pyramid_of(tmp_path / "big.tif")
    sub = pyramid_of(tmp_path / "sub.tif")
    assert (big.layout, sub.layout) == ("page", "subifd")
    assert (
        sizes(big) == sizes(sub) == [(2000, 1773), (1000, 886), (500, 443), (250, 221)]
    )
    assert all(level.copyable for level in big.levels + sub.levels)


def test_a_rewritten_pyramid_is_read_again(tmp_path, scan):
    path = tmp_path / "trang.tif"
    make_pyramid(scan, path)
    first = pyramid_of(path)
    make_pyramid(scan.crop(0, 0, 700, 500), path)
    assert sizes(first)[0] == (2000, 1773)
    assert sizes(pyramid_of(path)) == [(700, 500), (350, 250), (175, 125)]


def test_cmyk_jpeg_tiles_are_not_copyable():
    path = SHARED / "cases" / "hostile-files" / "tiff_tiled_cmyk_jpeg.tif"
    levels = pyramid_of(path).levels
    assert [level.copyable for level in levels] == [False] * len(levels)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no TIFF header"),
        (SCAN.read_bytes()[:4096], "no TIFF header"),
        (
            b"II*\x00" + struct.pack("<I", 1000) + bytes(8),
            "a directory lies past the end of the file",
        ),
        (
            b"II+\x00" + struct.pack("<HHQ", 8, 0, 1000),
            "a directory lies past the end of the file",
        ),
        (little_endian_tiff([], count=65535) + bytes(64), "truncated directory"),
        (
            little_endian_tiff([(256, 4, 1, 0), (257, 4, 1, 10)]),
            "a directory has no image size",
        ),
        (
            little_endian_tiff([(256, 4, 1, 10), (257, 4, 1, 10), (324, 4, 4, 999999)]),
            "a field lies past the end of the file",
        ),
        (
            little_endian_tiff([(256, 4, 1, 10), (257, 4, 1, 10)], next_offset=8),
            "the directory chain runs in a loop",
        ),
        (b"MM\x00\x2b" + bytes(12), "no image directory"),
    ],
    ids=[
        "empty",
        "jpeg",
        "cut-after-header",
        "bigtiff-cut-after-header",
        "65535-entries",
        "no-width",
        "offsets-past-end",
        "loop",
        "bigtiff-no-first-directory",
    ],
)
def test_broken_directories_are_refused_with_the_reason(tmp_path, data, message):
    with pytest.raises(TiffLayoutError) as raised:
        pyramid_of(write(tmp_path, data))
    assert str(raised.value) == message


def test_a_tile_past_the_last_is_refused(tmp_path, scan):
    path = tmp_path / "trang.tif"
    make_pyramid(scan, path)
    level = pyramid_of(path).levels[3]
    with pytest.raises(TiffLayoutError) as raised:
        read_tile(path, level, 1)
    assert str(raised.value) == "tile 1 is not in the file"


def test_a_tile_that_is_no_jpeg_stream_is_refused(tmp_path, scan):
    path = tmp_path / "trang.tif"
    make_pyramid(scan, path)
    level = pyramid_of(path).levels[0]
    data = bytearray(path.read_bytes())
    start = level.offsets[3]
    data[start : start + 16] = bytes(16)
    path.write_bytes(bytes(data))
    with pytest.raises(TiffLayoutError) as raised:
        read_tile(path, level, 3)
    assert str(raised.value) == "tile 3 is not a whole JPEG stream"


def test_directories_are_read_once_per_file_version(tmp_path, scan):
    path = tmp_path / "trang.tif"
    make_pyramid(scan, path)
    stored_pyramid.cache_clear()
    for _ in range(3):
        pyramid_of(path)
    assert stored_pyramid.cache_info().misses == 1

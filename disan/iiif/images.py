"""Render an ``ImageRequest`` from a page's pyramidal TIFF with pyvips.

The pyramid level just larger than the output is opened, so a thumbnail or a
zoomed-out tile never decodes the full-size image. Both pyramid layouts
libvips writes are read: levels as further pages (``tiffsave pyramid``) or
as sub-IFDs (``tiffsave pyramid subifd``).
"""

import functools
import logging
import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import pyvips
from django.conf import settings

from disan.iiif.exceptions import PyramidMissing

logger = logging.getLogger(__name__)

# Every request opens its own source and cuts its own region, so libvips's
# cache of recent operations is never hit; it would only hold memory.
pyvips.cache_set_max(0)

MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

# A level is used when it lacks at most this many pixels of the output size:
# libvips rounds odd level sizes down, and upscaling by less than a pixel is
# not worth decoding a level four times larger.
_LEVEL_SLACK = 1.0


def pyramid_file(page):
    """Return the path of ``page``'s pyramidal TIFF, or raise ``PyramidMissing``."""
    if not page.pyramid_path:
        raise PyramidMissing(f"Page {page.id} has no pyramidal TIFF; derive it again.")
    root = Path(settings.DISAN_DERIVATIVES_ROOT).resolve()
    path = (root / page.pyramid_path).resolve()
    # The stored path is relative to the root; one that leads out of it is
    # never followed.
    if not path.is_relative_to(root):
        raise PyramidMissing(
            f"The pyramid path of page {page.id} leads outside "
            "DISAN_DERIVATIVES_ROOT; derive it again."
        )
    if not path.is_file():
        raise PyramidMissing(
            f"The pyramidal TIFF of page {page.id} is missing at {path}; derive it "
            "again."
        )
    return path


def render(request, page, path=None):
    """Return the bytes of the image ``request`` asks of ``page``.

    ``path`` is the pyramid file when the caller has found it already.
    """
    path = path or pyramid_file(page)
    try:
        stored = stored_tile(path, request, page)
        if stored is not None:
            return stored
        image = _extract(path, request, page)
        image = _apply_quality(image, request.quality)
        image = _orient(image, request)
        return _encode(image, request)
    except (pyvips.Error, TiffLayoutError) as err:
        raise PyramidMissing(
            f"The pyramidal TIFF of page {page.id} at {path} cannot be read ({err}); "
            "derive it again."
        ) from err


def _load(path, **options):
    # Loaded from a source, not by file name: libvips caches loads by file
    # name, and would go on serving a pyramid after derivation replaced it.
    # tiffload by name, so a damaged file fails here rather than going to
    # whichever other loader claims it; fail_on="error" turns damaged tiles
    # into an error instead of grey patches.
    source = pyvips.Source.new_from_file(str(path))
    return pyvips.Image.tiffload_source(source, fail_on="error", **options)


def _open_level(path, index, layout):
    if index == 0:
        return _load(path)
    if layout == "subifd":
        return _load(path, subifd=index - 1)
    return _load(path, page=index)


def _levels(path):
    """Return the pyramid layout and the number of levels, full size included."""
    # The directory chain, read once per file version, spares a decoder.
    stat = path.stat()
    stored = stored_levels(str(path), stat.st_mtime_ns, stat.st_size)
    if stored:
        return "page", len(stored)
    base = _load(path)
    fields = base.get_fields()
    if "n-subifds" in fields and base.get("n-subifds") > 0:
        return "subifd", base.get("n-subifds") + 1
    return "page", base.get("n-pages") if "n-pages" in fields else 1


def _extract(path, request, page):
    """Cut the region from the smallest sufficient level and scale it."""
    layout, count = _levels(path)
    region = request.region
    # Walk from the smallest level up; the first that holds enough pixels of
    # the region wins, and the loop ends on the full-size level otherwise.
    for index in reversed(range(count)):
        chosen = _open_level(path, index, layout)
        ratio_x = chosen.width / page.width
        ratio_y = chosen.height / page.height
        if (
            region.width * ratio_x >= request.width - _LEVEL_SLACK
            and region.height * ratio_y >= request.height - _LEVEL_SLACK
        ):
            break
    logger.debug(
        "Page %s: level %d of %d for %s", page.id, index, count, request.canonical()
    )

    left = min(chosen.width - 1, math.floor(region.x * ratio_x))
    top = min(chosen.height - 1, math.floor(region.y * ratio_y))
    crop_width = max(1, min(chosen.width - left, round(region.width * ratio_x)))
    crop_height = max(1, min(chosen.height - top, round(region.height * ratio_y)))
    image = chosen.crop(left, top, crop_width, crop_height)

    if (crop_width, crop_height) != (request.width, request.height):
        image = image.resize(
            request.width / crop_width,
            vscale=request.height / crop_height,
            kernel="lanczos3",
        )
        # Float rounding in resize may leave a pixel too many or too few.
        if (image.width, image.height) != (request.width, request.height):
            image = image.gravity(
                "north-west", request.width, request.height, extend="copy"
            )
    return image


def _apply_quality(image, quality):
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    if quality == "gray":
        return image.colourspace("b-w").cast("uchar")
    if quality == "bitonal":
        gray = image.colourspace("b-w")
        return (gray >= 128).ifthenelse(255, 0).cast("uchar").copy(interpretation="b-w")
    if quality == "color":
        return image.colourspace("srgb").cast("uchar")
    return image.cast("uchar")


def _orient(image, request):
    """Mirror, then rotate clockwise, as the Image API orders them."""
    if request.mirror:
        image = image.fliphor()
    angle = request.rotation
    if angle == 0:
        return image
    if angle in (90, 180, 270):
        return image.rot(f"d{int(angle)}")

    # Arbitrary angles: corners outside the rotated image are transparent in
    # formats with an alpha channel and white in JPEG.
    if request.format in ("png", "webp"):
        image = image.bandjoin(255)
        background = [0] * image.bands
    else:
        background = [255] * image.bands
    return image.rotate(angle, background=background).cast("uchar")


def _encode(image, request):
    quality = settings.DISAN_JPEG_QUALITY
    if request.format == "jpg":
        return image.jpegsave_buffer(Q=quality, strip=True, optimize_coding=True)
    if request.format == "webp":
        return image.webpsave_buffer(Q=quality, strip=True)
    if request.quality == "bitonal" and image.bands == 1:
        return image.pngsave_buffer(bitdepth=1, strip=True)
    return image.pngsave_buffer(strip=True)


# --- stored JPEG tiles ----------------------------------------------------

# TIFF tags read to find the stored tiles of each level.
_TAGS = {
    256: "width",
    257: "height",
    259: "compression",
    262: "photometric",
    277: "samples",
    284: "planar",
    322: "tile_width",
    323: "tile_height",
    324: "offsets",
    325: "byte_counts",
    330: "subifds",
    347: "jpeg_tables",
}
# Field type -> struct code, for the types these tags use.
_TYPES = {1: "B", 3: "H", 4: "I", 7: "B", 13: "I", 16: "Q", 18: "Q"}
_JPEG = 7
_MINISBLACK, _YCBCR = 1, 6
_MAX_LEVELS = 64


class TiffLayoutError(ValueError):
    """A pyramid whose TIFF structure cannot be followed."""


@dataclass(frozen=True)
class StoredLevel:
    """Where one pyramid level keeps its JPEG tiles."""

    width: int
    height: int
    tile_width: int
    tile_height: int
    copyable: bool
    jpeg_tables: bytes
    offsets: tuple
    byte_counts: tuple


def stored_tile(path, request, page):
    """Return a stored JPEG tile that is exactly ``request``, or ``None``.

    An aligned, whole tile of a JPEG-compressed level, asked as a plain
    JPEG, is the stored tile itself: it is copied with the level's JPEG
    tables instead of being decoded and encoded again.
    """
    if (
        request.format != "jpg"
        or request.quality != "default"
        or request.mirror
        or request.rotation != 0
    ):
        return None
    stat = path.stat()
    levels = stored_levels(str(path), stat.st_mtime_ns, stat.st_size)
    level = _level_for(levels, request, page)
    if level is None or not level.copyable:
        return None

    # The region must be one whole tile of that level, shown at its size.
    ratio_x = level.width / page.width
    ratio_y = level.height / page.height
    left = math.floor(request.region.x * ratio_x)
    top = math.floor(request.region.y * ratio_y)
    width = round(request.region.width * ratio_x)
    height = round(request.region.height * ratio_y)
    tile_w, tile_h = level.tile_width, level.tile_height
    if (
        (width, height) != (tile_w, tile_h)
        or (request.width, request.height) != (tile_w, tile_h)
        or left % tile_w
        or top % tile_h
        or left + tile_w > level.width
        or top + tile_h > level.height
    ):
        return None
    across = -(-level.width // tile_w)
    index = (top // tile_h) * across + left // tile_w
    return _read_tile(path, level, index)


def _level_for(levels, request, page):
    # The same choice as _extract: the smallest level holding enough pixels.
    region = request.region
    for level in reversed(levels):
        if (
            region.width * level.width / page.width >= request.width - _LEVEL_SLACK
            and region.height * level.height / page.height
            >= request.height - _LEVEL_SLACK
        ):
            return level
    return levels[0] if levels else None


def _read_tile(path, level, index):
    if index >= len(level.offsets):
        raise TiffLayoutError(f"tile {index} is not in the file")
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.pread(fd, level.byte_counts[index], level.offsets[index])
    finally:
        os.close(fd)
    # The tile is an abbreviated JPEG stream: start of image, frame and scan.
    # The level's tables (quantization, Huffman) go between its start marker
    # and the frame.
    if len(data) != level.byte_counts[index] or data[:2] != b"\xff\xd8":
        raise TiffLayoutError(f"tile {index} is not a whole JPEG stream")
    return level.jpeg_tables[:-2] + data[2:]


@functools.lru_cache(maxsize=256)
def stored_levels(path, mtime_ns, size):
    """Return the levels of a page-layout pyramid, full size first.

    Keyed by the file's identity, so a rewritten pyramid is read again.
    A sub-IFD pyramid gives no levels: its tiles are always rendered.
    """
    try:
        return _read_levels(path, size)
    except struct.error as err:
        raise TiffLayoutError(f"a directory is cut short ({err})") from err


def _read_levels(path, size):
    with open(path, "rb") as handle:
        data = handle.read(16)
        order = {b"II": "<", b"MM": ">"}.get(data[:2])
        if order is None or len(data) < 16:
            raise TiffLayoutError("no TIFF header")
        (magic,) = struct.unpack(order + "H", data[2:4])
        if magic == 42:
            big, (offset,) = False, struct.unpack(order + "I", data[4:8])
        elif magic == 43:
            big, (offset,) = True, struct.unpack(order + "Q", data[8:16])
        else:
            raise TiffLayoutError("no TIFF header")
        levels = []
        while offset and len(levels) < _MAX_LEVELS:
            fields, offset = _read_ifd(handle, order, big, offset, size)
            if "subifds" in fields:
                return ()
            levels.append(_stored_level(fields))
    return tuple(levels)


def _read_ifd(handle, order, big, offset, size):
    count_format, entry_size, value_size = ("Q", 20, 8) if big else ("H", 12, 4)
    head = struct.calcsize(count_format)
    handle.seek(offset)
    (count,) = struct.unpack(order + count_format, handle.read(head))
    table = handle.read(count * entry_size + value_size)
    if len(table) != count * entry_size + value_size:
        raise TiffLayoutError("truncated directory")
    fields = {}
    for number in range(count):
        entry = table[number * entry_size : (number + 1) * entry_size]
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if tag not in _TAGS or kind not in _TYPES:
            continue
        (n,) = struct.unpack(order + ("Q" if big else "I"), entry[4 : 4 + value_size])
        width = struct.calcsize(_TYPES[kind])
        raw = entry[4 + value_size :]
        if n * width > value_size:
            (where,) = struct.unpack(order + ("Q" if big else "I"), raw)
            if where + n * width > size:
                raise TiffLayoutError("a field lies past the end of the file")
            handle.seek(where)
            raw = handle.read(n * width)
        values = struct.unpack(f"{order}{n}{_TYPES[kind]}", raw[: n * width])
        fields[_TAGS[tag]] = bytes(values) if kind == 7 else values
    (next_offset,) = struct.unpack(order + ("Q" if big else "I"), table[-value_size:])
    return fields, next_offset


def _stored_level(fields):
    def one(name, default=0):
        return fields[name][0] if name in fields else default

    tables = fields.get("jpeg_tables", b"")
    copyable = (
        one("compression") == _JPEG
        and one("planar", 1) == 1
        and (one("photometric"), one("samples", 1)) in ((_YCBCR, 3), (_MINISBLACK, 1))
        and "tile_width" in fields
        and tables[:2] == b"\xff\xd8"
        and tables[-2:] == b"\xff\xd9"
    )
    return StoredLevel(
        width=one("width"),
        height=one("height"),
        tile_width=one("tile_width"),
        tile_height=one("tile_height"),
        copyable=copyable,
        jpeg_tables=bytes(tables),
        offsets=fields.get("offsets", ()),
        byte_counts=fields.get("byte_counts", ()),
    )

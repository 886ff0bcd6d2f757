"""Choose the pyramid level of a request; answer tiles from the stored JPEG.

The ``info.json`` of a page announces the pyramid's own tile size and scale
factors, so a viewer's tile is, at its level, at most one stored tile. Such
a request, asked as a plain JPEG, is answered without decoding the level:
the stored tile is copied as it is, or, at the right and bottom edges where
the asked tile is shorter than the stored (padded) one, cut losslessly with
libjpeg-turbo's transform. Only when a level lacks the last half pixel of a
full-size edge (libvips rounds odd level sizes down), or a cut does not
start on a block boundary, is the one tile decoded and encoded again.
A plain JPEG request whose window lies in one stored tile at another size
is scaled from that tile (:func:`scaled_tile`). Every other request is
rendered by :mod:`disan.iiif.images` from the level :func:`window` picks,
from the one stored tile it lies in when it does."""

import logging
import math
import threading
from dataclasses import dataclass

from django.conf import settings

from disan.iiif.pyramids import TiffLayoutError, pyramid_of, read_tile

try:
    import numpy
    import turbojpeg
except ImportError:  # Tiles are then cut by libvips: slower, not wrong.
    numpy = turbojpeg = None
try:
    from PIL import Image
except ImportError:  # Tiles are then scaled by libvips: slower, not wrong.
    Image = None

logger = logging.getLogger(__name__)

# A level is used when it lacks at most this many pixels of the output size:
# libvips rounds odd level sizes down, and upscaling by less than a pixel is
# not worth decoding a level four times larger.
LEVEL_SLACK = 1.0


@dataclass(frozen=True)
class Window:
    """The pixels of one pyramid level a request reads."""

    index: int
    left: int
    top: int
    width: int
    height: int

    def short_by(self, level, request):
        """Return the output pixels missing across and down, if only at edges.

        A level rounded down may lack the last half pixel of the region; it
        is then short by one pixel, and only where the window meets the
        level's right or bottom edge. Returns ``None`` otherwise.
        """
        across = request.width - self.width
        down = request.height - self.height
        if across not in (0, 1) or down not in (0, 1):
            return None
        if across and self.left + self.width != level.width:
            return None
        if down and self.top + self.height != level.height:
            return None
        return across, down


def level_scale(level, width, height):
    """Return the full-size pixels one pixel of ``level`` spans, across and down.

    ``width`` and ``height`` are the full size. libvips makes each level by
    halving the one above, dropping an odd last row or column, so pixel ``p``
    of the level of factor ``f`` covers full-size pixels ``p*f`` to
    ``(p+1)*f`` exactly; the ratio of the sizes would be off by up to a
    pixel at the far edge and miss the stored tile grid. A level not made
    that way is mapped by the ratio of the sizes.
    """
    factor = 2 ** max(0, round(math.log2(width / level.width)))
    across, down = width / factor - level.width, height / factor - level.height
    if abs(across) < 1 and abs(down) < 1:
        return factor, factor
    return width / level.width, height / level.height


def window(levels, request, width, height):
    """Return the :class:`Window` of the smallest level that serves ``request``.

    The level is the smallest holding enough pixels of the region for the
    output size; the full-size level otherwise.
    """
    region = request.region
    for index in reversed(range(len(levels))):
        scale_x, scale_y = level_scale(levels[index], width, height)
        if (
            region.width / scale_x >= request.width - LEVEL_SLACK
            and region.height / scale_y >= request.height - LEVEL_SLACK
        ):
            break
    level = levels[index]
    left = min(level.width - 1, math.floor(region.x / scale_x))
    top = min(level.height - 1, math.floor(region.y / scale_y))
    right = math.floor((region.x + region.width) / scale_x + 0.5)
    bottom = math.floor((region.y + region.height) / scale_y + 0.5)
    return Window(
        index,
        left,
        top,
        max(1, min(level.width, right) - left),
        max(1, min(level.height, bottom) - top),
    )


def tile_holding(path, level, found):
    """Return ``(jpeg, left, top)`` of the one stored tile holding ``found``.

    ``left`` and ``top`` place the window in the tile. Returns ``None`` when
    the window spans tiles or the level's tiles are not whole JPEG streams.
    """
    if not level.copyable:
        return None
    tile_w, tile_h = level.tile_width, level.tile_height
    column, row = found.left // tile_w, found.top // tile_h
    if (found.left + found.width - 1) // tile_w != column or (
        found.top + found.height - 1
    ) // tile_h != row:
        return None
    across = -(-level.width // tile_w)
    data = read_tile(path, level, row * across + column)
    return data, found.left - column * tile_w, found.top - row * tile_h


def _plain_jpeg(request):
    return (
        request.format == "jpg"
        and request.quality == "default"
        and not request.mirror
        and request.rotation == 0
    )


def stored_tile(path, request, page):
    """Return ``request`` made from one stored JPEG tile, or ``None``.

    Only a plain JPEG request (default quality, no rotation or mirroring)
    whose window lies in one tile of a JPEG level qualifies. Raises
    ``TiffLayoutError`` for a damaged pyramid or tile.
    """
    if not _plain_jpeg(request):
        return None
    pyramid = pyramid_of(path)
    found = window(pyramid.levels, request, page.width, page.height)
    level = pyramid.levels[found.index]
    short = found.short_by(level, request)
    held = None if short is None else tile_holding(path, level, found)
    if held is None:
        return None
    data, left, top = held
    box = (left, top, found.width, found.height)
    if box == (0, 0, level.tile_width, level.tile_height) and short == (0, 0):
        return data
    return _cut(data, level, box, short)


def scaled_tile(path, request, page):
    """Return ``request`` scaled from the one stored JPEG tile it lies in, or ``None``.

    For a plain JPEG request whose window lies in one tile but is not the
    output size (a viewer's tile at a level whose size is odd, say): the
    tile is decoded with libjpeg-turbo, the window scaled with Pillow's
    Lanczos filter and encoded again, a fraction of the time the same steps
    take through libvips for so small an image, and the region is placed on
    the level to the fraction of a pixel. Raises ``TiffLayoutError`` for a
    damaged pyramid or tile.
    """
    if not _plain_jpeg(request) or Image is None:
        return None
    codec = jpeg_codec()
    if codec is None:
        return None
    pyramid = pyramid_of(path)
    found = window(pyramid.levels, request, page.width, page.height)
    level = pyramid.levels[found.index]
    held = tile_holding(path, level, found)
    if held is None:
        return None
    data, left, top = held
    pixel_format = turbojpeg.TJPF_GRAY if level.gray else turbojpeg.TJPF_RGB
    try:
        pixels = codec.decode(data, pixel_format=pixel_format)
    except OSError as err:
        raise TiffLayoutError(f"a stored tile cannot be decoded ({err})") from err
    if level.gray:
        pixels = pixels[:, :, 0]
    # The region as it lies on the level, to the fraction of a pixel, in the
    # tile's own pixels: closer to the full-size image than the whole-pixel
    # window, and never past the level's edge into the tile's padding.
    scale_x, scale_y = level_scale(level, page.width, page.height)
    origin_x, origin_y = found.left - left, found.top - top
    region = request.region
    box = (
        max(0.0, region.x / scale_x - origin_x),
        max(0.0, region.y / scale_y - origin_y),
        min(
            (region.x + region.width) / scale_x - origin_x,
            level.width - origin_x,
            pixels.shape[1],
        ),
        min(
            (region.y + region.height) / scale_y - origin_y,
            level.height - origin_y,
            pixels.shape[0],
        ),
    )
    scaled = Image.fromarray(pixels).resize(
        (request.width, request.height), Image.Resampling.LANCZOS, box=box
    )
    scaled = numpy.asarray(scaled)
    return _encode(codec, scaled[:, :, None] if level.gray else scaled, level.gray)


# --- libjpeg-turbo ----------------------------------------------------------

_codec = None
_codec_lock = threading.Lock()


def jpeg_codec():
    """Return the process's libjpeg-turbo binding, or ``None`` if it is missing."""
    global _codec
    with _codec_lock:
        if _codec is None:
            try:
                if turbojpeg is None:
                    raise ImportError("PyTurboJPEG is not installed")
                _codec = turbojpeg.TurboJPEG()
            except (ImportError, OSError, RuntimeError) as err:
                # Tiles are then cut by libvips: slower, not wrong.
                logger.warning(
                    "libjpeg-turbo is not usable (%s); install libturbojpeg0 and "
                    "PyTurboJPEG for faster tiles",
                    err,
                )
                _codec = False
        return _codec or None


def _cut(data, level, box, short):
    """Return ``box`` of a stored tile, widened by ``short`` edge pixels."""
    codec = jpeg_codec()
    if codec is None:
        return None
    x, y, width, height = box
    try:
        # A cut whose corner falls on a block boundary moves compressed
        # blocks only: no pixel changes, and it costs a fraction of a decode.
        width_found, height_found, subsampling, _ = codec.decode_header(data)
        if (width_found, height_found) != (level.tile_width, level.tile_height):
            raise TiffLayoutError(
                f"a stored tile is {width_found}x{height_found}, not "
                f"{level.tile_width}x{level.tile_height}"
            )
        block_w = turbojpeg.tjMCUWidth[subsampling]
        block_h = turbojpeg.tjMCUHeight[subsampling]
        if (
            short == (0, 0)
            and x % block_w == y % block_h == 0
            # The binding trims a cut to whole blocks of the tile.
            and x + width <= width_found - width_found % block_w
            and y + height <= height_found - height_found % block_h
        ):
            return codec.crop(data, x, y, width, height)
        return _reencode(codec, data, level, box, short)
    except OSError as err:
        raise TiffLayoutError(f"a stored tile cannot be decoded ({err})") from err


def _reencode(codec, data, level, box, short):
    x, y, width, height = box
    pixel_format = turbojpeg.TJPF_GRAY if level.gray else turbojpeg.TJPF_RGB
    pixels = codec.decode(data, pixel_format=pixel_format)
    pixels = pixels[y : y + height, x : x + width]
    if short != (0, 0):
        pixels = numpy.pad(pixels, ((0, short[1]), (0, short[0]), (0, 0)), mode="edge")
    return _encode(codec, pixels, level.gray)


def _encode(codec, pixels, gray):
    quality = settings.DISAN_JPEG_QUALITY
    if gray:
        pixel_format, subsampling = turbojpeg.TJPF_GRAY, turbojpeg.TJSAMP_GRAY
    else:
        pixel_format = turbojpeg.TJPF_RGB
        # As libvips's jpegsave does: no chroma subsampling from quality 90.
        subsampling = turbojpeg.TJSAMP_444 if quality >= 90 else turbojpeg.TJSAMP_420
    return codec.encode(
        numpy.ascontiguousarray(pixels),
        quality=quality,
        pixel_format=pixel_format,
        jpeg_subsample=subsampling,
    )

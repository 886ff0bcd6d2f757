"""Render an ``ImageRequest`` from a page's pyramidal TIFF.

A viewer's tile is answered from the stored JPEG tile when it can be
(:mod:`disan.iiif.tiles`), and a plain JPEG whose window lies in one stored
tile at another size is scaled from that tile with Pillow
(:func:`disan.iiif.tiles.scaled_tile`); everything else is rendered with
pyvips from the one pyramid level :func:`disan.iiif.tiles.window` picks,
the smallest just larger than the output, so a thumbnail or a zoomed-out
tile never decodes the full-size image and no other level is opened.
"""

import logging
from pathlib import Path

import pyvips
from django.conf import settings

from disan.iiif import tiles
from disan.iiif.exceptions import PyramidMissing
from disan.iiif.pyramids import TiffLayoutError, pyramid_of

logger = logging.getLogger(__name__)

# Every request opens its own source and cuts its own region, so libvips's
# cache of recent operations is never hit; it would only hold memory.
pyvips.cache_set_max(0)

MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


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
    stored = from_stored_tile(request, page, path)
    if stored is not None:
        return stored
    return render_pixels(request, page, path)


def from_stored_tile(request, page, path):
    """Return ``request`` straight from one stored JPEG tile, or ``None``.

    Such answers cost less than reading them from the tile cache, so they
    are not kept there.
    """
    try:
        return tiles.stored_tile(path, request, page)
    except (OSError, TiffLayoutError) as err:
        raise _unreadable(page, path, err) from err


def render_pixels(request, page, path):
    """Return ``request`` decoded from its pyramid level and encoded anew."""
    try:
        scaled = tiles.scaled_tile(path, request, page)
        if scaled is not None:
            return scaled
        image = _extract(path, request, page)
        image = _apply_quality(image, request.quality)
        image = _orient(image, request)
        return _encode(image, request)
    except (OSError, pyvips.Error, TiffLayoutError) as err:
        raise _unreadable(page, path, err) from err


def _unreadable(page, path, err):
    return PyramidMissing(
        f"The pyramidal TIFF of page {page.id} at {path} cannot be read ({err}); "
        "derive it again."
    )


def _open_level(path, index, layout):
    # Loaded from a source, not by file name: libvips caches loads by file
    # name, and would go on serving a pyramid after derivation replaced it.
    # tiffload by name, so a damaged file fails here rather than going to
    # whichever other loader claims it; fail_on="error" turns damaged tiles
    # into an error instead of grey patches.
    source = pyvips.Source.new_from_file(str(path))
    options = {}
    if index and layout == "subifd":
        options["subifd"] = index - 1
    elif index:
        options["page"] = index
    return pyvips.Image.tiffload_source(source, fail_on="error", **options)


def _extract(path, request, page):
    """Cut the region from the smallest sufficient level and scale it."""
    pyramid = pyramid_of(path)
    found = tiles.window(pyramid.levels, request, page.width, page.height)
    level = pyramid.levels[found.index]
    logger.debug(
        "Page %s: level %d of %d for %s",
        page.id,
        found.index,
        len(pyramid.levels),
        request.canonical(),
    )
    held = tiles.tile_holding(path, level, found)
    if held is not None:
        # The window lies in one stored tile: decode that tile alone.
        data, left, top = held
        image = pyvips.Image.jpegload_buffer(data, fail_on="error")
        image = image.crop(left, top, found.width, found.height)
    else:
        image = _open_level(path, found.index, pyramid.layout)
        if (image.width, image.height) != (level.width, level.height):
            raise TiffLayoutError(
                f"level {found.index} is {image.width}x{image.height}, its "
                f"directory says {level.width}x{level.height}"
            )
        image = image.crop(found.left, found.top, found.width, found.height)

    short = found.short_by(level, request)
    if short is not None and short != (0, 0):
        # The level lacks the last half pixel of the full-size edge: repeat
        # the edge pixels rather than stretch the whole region by one.
        return image.embed(0, 0, request.width, request.height, extend="copy")
    if short is None:
        image = image.resize(
            request.width / found.width,
            vscale=request.height / found.height,
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

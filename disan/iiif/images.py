"""Render an ``ImageRequest`` from a page's pyramidal TIFF with pyvips.

The pyramid level just larger than the output is opened, so a thumbnail or a
zoomed-out tile never decodes the full-size image. Both pyramid layouts
libvips writes are read: levels as further pages (``tiffsave pyramid``) or
as sub-IFDs (``tiffsave pyramid subifd``).
"""

import logging
import math
from pathlib import Path

import pyvips
from django.conf import settings

from disan.iiif.exceptions import PyramidMissing

logger = logging.getLogger(__name__)

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


def render(request, page):
    """Return the bytes of the image ``request`` asks of ``page``."""
    path = pyramid_file(page)
    try:
        image = _extract(path, request, page)
        image = _apply_quality(image, request.quality)
        image = _orient(image, request)
        return _encode(image, request)
    except pyvips.Error as err:
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

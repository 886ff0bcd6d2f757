"""Open a master page as an upright 8-bit sRGB image and derive from it.

Every page of a document becomes a canvas. Its derivatives are a tiled
pyramidal TIFF, read by the IIIF image service, and a JPEG thumbnail. Both
are made from the image :func:`open_page` returns, so they share one decode
of the master: the loaders open the file for random access, which makes
libvips keep the decoded pixels while the image object lives.
"""

import logging
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pyvips
from django.conf import settings

from disan.derivatives.exceptions import (
    DerivativeWriteError,
    ImageDecodeError,
    ImageTooLarge,
    MasterNotFound,
    UnsupportedImage,
)

logger = logging.getLogger(__name__)

# MIME type -> libvips loader; only formats we accept as masters.
LOADERS = {
    "image/jpeg": "jpegload",
    "image/png": "pngload",
    "image/tiff": "tiffload",
    "image/jp2": "jp2kload",
    "image/jpx": "jp2kload",
    "application/pdf": "pdfload",
}

# Loaders whose files may hold more than one page.
_PAGED_LOADERS = {"tiffload", "pdfload"}

# Files bigger than this many pixels get BigTIFF pyramids: a JPEG pyramid of
# about 1 GB of raw pixels could pass the 4 GiB offset limit of plain TIFF.
_BIGTIFF_PIXELS = 350_000_000

# Image metadata field naming the master an image was opened from.
_SOURCE_FIELD = "disan-source"


class PyramidResult(NamedTuple):
    """What :func:`make_pyramid` wrote: the canvas size and the file size."""

    width: int
    height: int
    size_bytes: int


def open_page(
    path: Path, mime_type: str, page_in_file: int = 0, *, dpi: int | None = None
) -> pyvips.Image:
    """Return one page of a master as an upright, 8-bit, 3-band sRGB image.

    EXIF/TIFF orientation is applied, alpha is flattened on white, CMYK and
    tagged colour spaces are converted to sRGB with their ICC profile (or a
    generic CMYK profile when none is embedded). PDF pages are rendered at
    ``dpi``, by default ``DISAN_PDF_DPI``. Only the header is read here: the
    pixels are decoded when a derivative is written.
    """
    path = Path(path)
    loader = _loader_for(path, mime_type, page_in_file)

    # Open with the format's own loader, so a file is never sniffed into a
    # format other than the one identified at ingest.
    # Limitation: libvips 8.14 caches loads by file name and has no
    # "revalidate" option, so a file replaced in place within one process
    # could be served from the cache; OCFL content never changes in place.
    options = {"fail_on": "truncated"}
    if loader in _PAGED_LOADERS:
        options["page"] = page_in_file
    if loader == "pdfload":
        options["dpi"] = dpi or settings.DISAN_PDF_DPI
    try:
        image = getattr(pyvips.Image, loader)(str(path), **options)
    except pyvips.Error as err:
        raise _load_error(path, mime_type, page_in_file, loader, err) from err

    _check_pixels(image, path, page_in_file)
    image = normalize(image, path).copy()
    # Remembered so a failure while writing a derivative can name the master.
    image.set_type(
        pyvips.GValue.gstr_type, _SOURCE_FIELD, f"{path.name} page {page_in_file}"
    )
    return image


def normalize(image: pyvips.Image, path: Path | str = "") -> pyvips.Image:
    """Turn a freshly loaded image into the upright 8-bit sRGB canvas."""
    image = image.autorot()
    if image.hasalpha():
        image = _flatten_on_white(image)

    # Colour-manage while the pixels still have their full depth.
    if image.interpretation == "cmyk":
        image = image.icc_transform(
            "srgb", input_profile="cmyk", embedded=True, depth=8, intent="relative"
        )
    elif image.get_typeof("icc-profile-data"):
        try:
            image = image.icc_transform(
                "srgb", input_profile="srgb", embedded=True, depth=8, intent="relative"
            )
        except pyvips.Error as err:
            logger.warning(
                "Ignoring the unusable ICC profile of %s: %s", path, err.message
            )

    if image.interpretation != "srgb" or image.format != "uchar":
        try:
            image = image.colourspace("srgb")
        except pyvips.Error as err:
            raise UnsupportedImage(
                f"{Path(path).name or 'The image'} has colour space "
                f"'{image.interpretation}' with {image.bands} bands, which cannot be "
                "converted to sRGB; save the master as RGB, greyscale or CMYK."
            ) from err
    if image.format != "uchar":
        image = image.cast("uchar")
    if image.bands > 3:
        image = image.extract_band(0, n=3)
    return image


def make_pyramid(image: pyvips.Image, dest: Path) -> PyramidResult:
    """Write ``image`` as a tiled pyramidal JPEG TIFF at ``dest``, atomically.

    The tile size is ``DISAN_TILE_SIZE`` and the JPEG quality
    ``DISAN_JPEG_QUALITY``. Levels are TIFF pages, each half the one before,
    down to the first level that fits in one tile.
    """
    dest = Path(dest)
    tile = settings.DISAN_TILE_SIZE
    with _atomic_write(dest, image) as part:
        image.tiffsave(
            str(part),
            tile=True,
            pyramid=True,
            compression="jpeg",
            Q=settings.DISAN_JPEG_QUALITY,
            tile_width=tile,
            tile_height=tile,
            strip=True,
            bigtiff=image.width * image.height > _BIGTIFF_PIXELS,
        )
    result = PyramidResult(image.width, image.height, dest.stat().st_size)
    logger.debug("Wrote pyramid %s (%dx%d)", dest, result.width, result.height)
    return result


def make_thumbnail(image: pyvips.Image, dest: Path) -> tuple[int, int]:
    """Write a JPEG thumbnail of ``image`` at ``dest``; return its size.

    The longest edge becomes ``DISAN_THUMBNAIL_SIZE``. An image already
    smaller than that is kept at its own size rather than blown up.
    """
    dest = Path(dest)
    size = settings.DISAN_THUMBNAIL_SIZE

    # A box shrink by a whole factor first, leaving at most half of the
    # reduction to the Lanczos kernel: on an already decoded page this is
    # several times faster than thumbnail_image() alone and looks the same.
    factor = max(image.width, image.height) // (2 * size)
    source = image.shrink(factor, factor) if factor > 1 else image
    thumb = source.thumbnail_image(size, height=size, size="down")
    with _atomic_write(dest, image) as part:
        thumb.jpegsave(
            str(part), Q=settings.DISAN_JPEG_QUALITY, strip=True, optimize_coding=True
        )
    return thumb.width, thumb.height


def _loader_for(path, mime_type, page_in_file):
    """Pick the loader for ``mime_type`` and refuse what cannot be opened."""
    if not path.is_file():
        raise MasterNotFound(
            f"Master file {path} does not exist; check the path or restore the "
            "file from the OCFL object."
        )
    loader = LOADERS.get((mime_type or "").split(";")[0].strip().lower())
    if loader is None:
        raise UnsupportedImage(
            f"{path.name}: MIME type '{mime_type}' has no image derivative; "
            f"supported types are {', '.join(sorted(LOADERS))}."
        )
    if page_in_file < 0 or (page_in_file > 0 and loader not in _PAGED_LOADERS):
        raise UnsupportedImage(
            f"{path.name}: page {page_in_file} asked for, but a {mime_type} file "
            "has only page 0."
        )
    return loader


def _load_error(path, mime_type, page_in_file, loader, err):
    """Explain a loader failure: a page past the end, or a damaged file."""
    if page_in_file > 0:
        try:
            pages = getattr(pyvips.Image, loader)(str(path)).get("n-pages")
        except pyvips.Error:
            pages = None
        if pages is not None and page_in_file >= pages:
            return UnsupportedImage(
                f"{path.name} has {pages} page(s); page {page_in_file} (counted "
                "from 0) does not exist."
            )
    detail = " ".join(f"{err.message} {err.detail}".split())
    return ImageDecodeError(
        f"{path.name} cannot be read as {mime_type} (page {page_in_file}): "
        f"{detail}. Check that the file is complete and really {mime_type}, "
        "or replace it with a good copy."
    )


def _check_pixels(image, path, page_in_file):
    """Refuse pages over ``DISAN_MAX_IMAGE_PIXELS`` before decoding them."""
    limit = settings.DISAN_MAX_IMAGE_PIXELS
    if image.width * image.height > limit:
        raise ImageTooLarge(
            f"{path.name} page {page_in_file} is {image.width}x{image.height} "
            f"pixels, over the limit of {limit}; raise DISAN_MAX_IMAGE_PIXELS or "
            "supply a smaller master."
        )


def _flatten_on_white(image):
    """Composite the alpha channel over white in the image's own range."""
    if image.interpretation == "cmyk":
        # No ink is white in CMYK.
        return image.flatten(background=[0] * (image.bands - 1), max_alpha=255)
    if image.format == "ushort":
        white, max_alpha = 65535, 65535
    elif image.format in ("float", "double") and image.interpretation == "scrgb":
        white, max_alpha = 1.0, 1.0
    else:
        white, max_alpha = 255, 255
    flat = image.flatten(background=[white] * (image.bands - 1), max_alpha=max_alpha)
    # flatten() may widen the format; keep it so colourspace() scales right.
    return flat.cast(image.format).copy(interpretation=image.interpretation)


@contextmanager
def _atomic_write(dest, image):
    """Yield a temporary path beside ``dest``; move it over ``dest`` on success.

    A reader of ``dest`` sees the old file or the whole new one, never a
    half-written file, and a failed write leaves nothing behind. The data is
    not fsynced: a derivative lost in a power cut is simply made again.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f".{dest.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.part")
    try:
        yield part
        os.replace(part, dest)
    except pyvips.Error as err:
        part.unlink(missing_ok=True)
        source = (
            image.get(_SOURCE_FIELD) if image.get_typeof(_SOURCE_FIELD) else "an image"
        )
        detail = " ".join(f"{err.message} {err.detail}".split())
        raise DerivativeWriteError(
            f"Could not write {dest.name} from {source}: {detail}. If the master "
            "is damaged, replace it; if the disk is full, free space and retry."
        ) from err
    except BaseException:
        part.unlink(missing_ok=True)
        raise

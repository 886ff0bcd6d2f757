"""Read what a raster image's header says, before any pixel is decoded.

Pillow parses the headers: its image classes read the header only and decode
nothing until asked, and its TIFF tag directory reader walks every image file
directory without asking whether Pillow itself could decode the pixels
(libvips, which decodes for Disan, takes more layouts, such as 16-bit grey
with alpha). Where Pillow does not tell something, libvips reads the header
with the loader that later decodes the file; it too stops at the header.
"""

import io
import math
import struct
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyvips
from django.conf import settings
from PIL import (
    BmpImagePlugin,
    Image,
    Jpeg2KImagePlugin,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
)

from disan.ingest.identify.formats import BIGTIFF_MAGIC, J2K_START, JFIF_PUIDS

# What Pillow and libvips raise on a damaged header. OSError is among them
# because Pillow reports short reads that way; a failing disk during these
# few reads is then reported as damage, which still stops the file.
PARSE_ERRORS = (
    SyntaxError,
    OSError,
    EOFError,
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    struct.error,
    pyvips.Error,
)

# Pillow's image class for each family it reads here; the family was already
# decided from the content, so Pillow is not asked to guess again.
_PILLOW_CLASSES = {
    "jpeg": JpegImagePlugin.JpegImageFile,
    "png": PngImagePlugin.PngImageFile,
    "jpeg2000": Jpeg2KImagePlugin.Jpeg2KImageFile,
    "bmp": BmpImagePlugin.BmpImageFile,
}
_COLOURS = {
    "1": "b-w",
    "L": "grey",
    "LA": "grey",
    "I": "grey",
    "I;16": "grey",
    "I;16B": "grey",
    "I;16L": "grey",
    "P": "palette",
    "PA": "palette",
    "RGB": "srgb",
    "RGBA": "srgb",
    "YCbCr": "srgb",
    "CMYK": "cmyk",
    "LAB": "lab",
}
_ALPHA_MODES = {"LA", "PA", "RGBA"}
_PHOTOMETRIC = {2: "srgb", 3: "palette", 4: "b-w", 5: "cmyk", 6: "srgb", 8: "lab"}
_VIPS_BITS = {
    "uchar": 8,
    "char": 8,
    "ushort": 16,
    "short": 16,
    "uint": 32,
    "int": 32,
    "float": 32,
    "double": 64,
}
# Tags kept from each TIFF image file directory: size, bits per sample,
# photometric interpretation, orientation, resolution and its unit, extra
# samples (alpha).
_TIFF_TAGS = (256, 257, 258, 262, 274, 282, 296, 338)
_pillow_limit_lock = threading.Lock()


@dataclass
class Header:
    """Facts read from a header, before any pixel is decoded."""

    family: str
    mime_type: str
    format_name: str
    loader: str = ""
    puid: str = ""
    pages: list = field(default_factory=list)  # (width, height) as stored
    shown: list | None = None  # as displayed, when the header says more than Exif
    dpi: float | None = None
    colour: str = ""
    bits: int | None = None
    alpha: bool = False
    orientation: int = 1


class MalformedHeader(Exception):
    """A header that cannot be parsed: the file is damaged."""


def read_raster_header(stream, family, path):
    """Return the :class:`Header` of the raster image open as ``stream``."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if family == "tiff":
        return _tiff(stream, head)
    if family == "webp":
        return _webp(path)
    if family == "gif":
        return _gif(stream)
    with _without_pillow_pixel_limit():
        image = _PILLOW_CLASSES[family](stream)
    if family == "jpeg":
        return _jpeg(image)
    if family == "png":
        return _png(image, path)
    if family == "jpeg2000":
        return _jpeg2000(image, path, bare=head.startswith(J2K_START))
    return Header("bmp", "image/bmp", "BMP", pages=[image.size])


@contextmanager
def _without_pillow_pixel_limit():
    """Lift Pillow's decompression-bomb limit while a header is read.

    Pillow raises before it tells the size of an image over its own limit,
    and Disan needs that size to refuse the file against
    DISAN_MAX_IMAGE_PIXELS, which is checked before libvips decodes a pixel;
    Pillow decodes none here. Trade-off: the limit is a module global, so
    another thread opening an image with Pillow in these milliseconds is not
    checked either. Disan decodes with libvips only; revisit this if Pillow
    ever decodes pixels in the same process.
    """
    with _pillow_limit_lock:
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def _jpeg(image):
    header = Header(
        "jpeg",
        "image/jpeg",
        "JPEG",
        loader="jpegload",
        pages=[image.size],
        bits=image.bits,
        colour=_COLOURS.get(image.mode, ""),
        puid=JFIF_PUIDS.get(image.info.get("jfif_version"), ""),
    )
    # JFIF density first; Exif, when it has a resolution, overrides it.
    # Pillow's info["dpi"] is not used: it falls back to 72 when Exif has
    # no resolution, and Disan records an unknown resolution as unknown.
    density = image.info.get("jfif_density")
    if density:
        unit = {1: "inch", 2: "cm"}.get(image.info.get("jfif_unit"))
        header.dpi = _dpi(density[0], unit)
    _apply_exif(header, image)
    return header


def _png(image, path):
    header = Header(
        "png",
        "image/png",
        "PNG",
        loader="pngload",
        pages=[image.size],
        colour=_COLOURS.get(image.mode, ""),
        alpha=image.mode in _ALPHA_MODES or "transparency" in image.info,
    )
    # Pillow widens 16-bit colour to 8 bits, so the depth comes from libvips.
    header.bits = 1 if image.mode == "1" else _vips_bits(path, "pngload")
    density = image.info.get("dpi")  # only from a pHYs chunk in metres
    if density:
        header.dpi = _dpi(density[0], "inch")
    _apply_exif(header, image)
    return header


def _jpeg2000(image, path, bare):
    """Read a JP2 file or a bare codestream.

    Limitation: Pillow takes the resolution from the capture resolution box
    only, so a JP2 that gives just a display resolution has no dpi here.
    """
    if bare:
        header = Header("jpeg2000", "image/jp2", "JPEG 2000 codestream")
    else:
        header = Header("jpeg2000", "image/jp2", "JPEG 2000 (JP2)", puid="x-fmt/392")
    header.loader = "jp2kload"
    header.pages = [image.size]
    header.colour = _COLOURS.get(image.mode, "")
    header.alpha = image.mode in _ALPHA_MODES
    header.bits = _vips_bits(path, "jp2kload")
    density = image.info.get("dpi")
    if density:
        header.dpi = _dpi(density[0], "inch")
    return header


def _webp(path):
    # libvips, not Pillow: Pillow's WebP reader sets up a decoder with a
    # full-size canvas when it opens the file, before the size is checked.
    image = pyvips.Image.webpload(str(path), access="sequential")
    return Header("webp", "image/webp", "WebP", pages=[(image.width, image.height)])


def _gif(stream):
    """Read the size a GIF claims: its screen grown to fit every frame.

    Not Pillow: on opening a GIF it fills the first frame's disposal area,
    85 MB for the hostile file in the test cases and up to 4 GiB for one
    frame, unless its own pixel limit is on, and then it refuses without
    telling the size. GIF is refused by Disan in any case; this reads only
    enough of its blocks to word the refusal.
    """
    screen = _read_exact(stream, 13)
    width, height, flags = struct.unpack("<HHB", screen[6:11])
    _skip_colour_table(stream, flags)
    for _ in range(100_000):
        block = stream.read(1)
        if block == b",":
            left, top, frame_w, frame_h, flags = struct.unpack(
                "<HHHHB", _read_exact(stream, 9)
            )
            width, height = max(width, left + frame_w), max(height, top + frame_h)
            _skip_colour_table(stream, flags)
            stream.seek(1, io.SEEK_CUR)  # LZW minimum code size
        elif block == b"!":
            stream.seek(1, io.SEEK_CUR)  # extension label
        else:
            break  # trailer, end of file or damage: the size so far stands
        while (size := stream.read(1)) not in (b"", b"\x00"):
            stream.seek(size[0], io.SEEK_CUR)
    return Header("gif", "image/gif", "GIF", pages=[(width, height)])


def _skip_colour_table(stream, flags):
    if flags & 0x80:
        stream.seek(3 << ((flags & 7) + 1), io.SEEK_CUR)


def _read_exact(stream, count):
    data = stream.read(count)
    if len(data) != count:
        raise MalformedHeader("cut short")
    return data


def _tiff(stream, head):
    big = head[:4] in BIGTIFF_MAGIC
    header = Header(
        "tiff",
        "image/tiff",
        "BigTIFF" if big else "TIFF",
        loader="tiffload",
        puid="" if big else "fmt/353",
    )
    directories = _tiff_directories(
        stream, head[: 16 if big else 8], limit=settings.DISAN_MAX_PAGES + 1
    )
    if not directories:
        raise MalformedHeader("no image directory")
    header.pages = [(_first(ifd[256], 0), _first(ifd[257], 0)) for ifd in directories]

    first = directories[0]
    header.bits = _first(first.get(258), 1)
    photometric = first.get(262, 1)
    if photometric in (0, 1):
        header.colour = "b-w" if header.bits == 1 else "grey"
    else:
        header.colour = _PHOTOMETRIC.get(photometric, f"photometric-{photometric}")
    header.alpha = any(value in (1, 2) for value in _values(first.get(338)))
    header.orientation = _orientation(first.get(274))
    header.dpi = _resolution(first)
    return header


def _tiff_directories(stream, ifh, limit):
    """Return up to ``limit`` image file directories as ``{tag: value}``.

    Pillow's tag directory reader parses each directory; only the chain of
    directories is followed here, stopping at a loop.
    """
    ifd = TiffImagePlugin.ImageFileDirectory_v2(ifh)
    offset, seen, directories = ifd.next, set(), []
    while offset and len(directories) < limit:
        if offset in seen:
            raise MalformedHeader("image directories form a loop")
        seen.add(offset)
        stream.seek(offset)
        ifd.load(stream)
        tags = {tag: ifd[tag] for tag in _TIFF_TAGS if tag in ifd}
        if 256 not in tags or 257 not in tags:
            raise MalformedHeader(f"image directory {len(directories) + 1} has no size")
        directories.append(tags)
        offset = ifd.next
    return directories


def _apply_exif(header, image):
    """Take orientation and resolution from the image's Exif block, if any."""
    data = image.info.get("exif")
    if not data:
        return
    exif = Image.Exif()
    try:
        exif.load(data)
        orientation = _orientation(exif.get(274))
        dpi = _resolution(exif)
    except PARSE_ERRORS:
        return  # a damaged Exif block does not make the image unusable
    header.orientation = orientation
    if dpi:
        header.dpi = dpi


def _vips_bits(path, loader):
    """Return the bits per sample libvips finds in the header.

    Limitation: libvips 8.14 gives the sample format and, for palette PNG,
    the palette depth; so a 12-bit JPEG 2000 reads as 16 bits and a 2- or
    4-bit grey PNG as 8. Newer libvips tells bits-per-sample, used when set.
    """
    image = getattr(pyvips.Image, loader)(str(path), access="sequential")
    for name in ("bits-per-sample", "palette-bit-depth"):
        if image.get_typeof(name):
            return image.get(name)
    return _VIPS_BITS.get(image.format)


def _resolution(tags):
    """Return dots per inch from TIFF or Exif resolution tags, or None."""
    value = tags.get(282)
    if value is None:
        return None
    unit = {2: "inch", 3: "cm"}.get(tags.get(296, 2))
    return _dpi(float(_first(value, 0)), unit)


def _dpi(value, unit):
    """Return dots per inch from a resolution and its unit (inch or cm)."""
    if not value or not math.isfinite(value) or unit not in ("inch", "cm"):
        return None
    return round(value * 2.54 if unit == "cm" else value, 2)


def _orientation(value):
    value = _first(value, 1)
    return value if isinstance(value, int) else 1


def _values(value):
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _first(value, default):
    values = _values(value)
    return values[0] if values else default

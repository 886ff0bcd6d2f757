"""Identify and validate one file of a transfer by its content.

The format is decided from magic bytes, never from the name. Sizes come from
headers parsed here, so a decompression bomb is refused before any decoder
sees it; only then is every page decoded once with libvips, sequentially, to
catch truncated and damaged files while memory stays flat.
"""

import hashlib
import io
import logging
import struct
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

import pypdf
import pyvips
from django.conf import settings

from disan.ingest.exceptions import RejectedFile

logger = logging.getLogger(__name__)

ACCEPTED = "JPEG, PNG, TIFF, JPEG 2000 or PDF"

# Extension -> format family; the content must belong to the same family.
EXTENSIONS = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".jfif": "jpeg",
    ".png": "png",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".jp2": "jpeg2000",
    ".jpf": "jpeg2000",
    ".jpx": "jpeg2000",
    ".j2k": "jpeg2000",
    ".j2c": "jpeg2000",
    ".jpc": "jpeg2000",
    ".pdf": "pdf",
    ".gif": "gif",
    ".bmp": "bmp",
    ".webp": "webp",
}
FAMILY_NAMES = {
    "jpeg": "JPEG",
    "png": "PNG",
    "tiff": "TIFF",
    "jpeg2000": "JPEG 2000",
    "pdf": "PDF",
    "gif": "GIF",
    "bmp": "BMP",
    "webp": "WebP",
}
# PRONOM identifiers that the header alone decides reliably.
JFIF_PUIDS = {(1, 0): "fmt/42", (1, 1): "fmt/43", (1, 2): "fmt/44"}
PDF_PUIDS = {
    "1.0": "fmt/14",
    "1.1": "fmt/15",
    "1.2": "fmt/16",
    "1.3": "fmt/17",
    "1.4": "fmt/18",
    "1.5": "fmt/19",
    "1.6": "fmt/20",
    "1.7": "fmt/276",
    "2.0": "fmt/1129",
}


@dataclass(frozen=True)
class FileReport:
    """What identification learned about one accepted file."""

    name: str
    size: int
    sha256: str
    mime_type: str
    format_name: str
    puid: str
    width: int
    height: int
    dpi: float | None
    colour: str
    bits_per_sample: int | None
    has_alpha: bool
    page_count: int
    orientation: int
    pages: tuple[tuple[int, int], ...]

    def as_event_data(self):
        """Return the report as JSON-ready data for a PREMIS event."""
        data = asdict(self)
        data["pages"] = [list(page) for page in self.pages]
        return data


@dataclass
class _Header:
    """Facts read from a header, before any pixel is decoded."""

    family: str
    mime_type: str
    format_name: str
    loader: str = ""
    puid: str = ""
    pages: list = None  # (width, height) per page, as stored
    shown: list = None  # as displayed, when the header says more than EXIF
    dpi: float | None = None
    colour: str = ""
    bits: int | None = None
    alpha: bool = False
    orientation: int = 1


class _Malformed(Exception):
    """A header that cannot be parsed: the file is damaged."""


def identify_file(path):
    """Identify and validate ``path``; return a :class:`FileReport`.

    Raises :class:`RejectedFile` with a stable code when the file cannot be
    ingested. Trade-off: PDF pages are parsed, not rendered, here; a page
    whose content stream is damaged is found when derivatives are made.
    """
    path = Path(path)
    name = unicodedata.normalize("NFC", path.name)
    size = _checked_size(path, name)

    # Sniff the content, then hold the name to it.
    try:
        with path.open("rb") as stream:
            family = _sniff(stream.read(1024))
            _check_extension(name, family)
            header = _read_header(stream, family, name, path)
            stream.seek(0)
            sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as err:
        raise RejectedFile(
            "unreadable",
            f"{name} cannot be read ({err.strerror}). Check the file's "
            "permissions and the disk, then ingest it again.",
        ) from err

    # Limits, all from the header.
    _check_limits(name, header)

    # Decode every page once, so a damaged file is refused now.
    if header.family == "pdf":
        _open_pdf_renderer(path, name, len(header.pages))
    else:
        _decode_pages(path, name, header)

    orientation = header.orientation if 1 <= header.orientation <= 8 else 1
    shown = header.shown or [
        (h, w) if orientation >= 5 else (w, h) for w, h in header.pages
    ]
    width, height = header.pages[0]
    logger.debug("Identified %s as %s", name, header.format_name)
    return FileReport(
        name=name,
        size=size,
        sha256=sha256,
        mime_type=header.mime_type,
        format_name=header.format_name,
        puid=header.puid,
        width=width,
        height=height,
        dpi=header.dpi,
        colour=header.colour,
        bits_per_sample=header.bits,
        has_alpha=header.alpha,
        page_count=len(header.pages),
        orientation=orientation,
        pages=tuple(shown),
    )


def _checked_size(path, name):
    try:
        if not path.is_file():
            raise RejectedFile(
                "unreadable",
                f"{name} is not a regular file. Only files can be "
                "ingested; move it out of the batch.",
            )
        size = path.stat().st_size
    except OSError as err:
        raise RejectedFile(
            "unreadable",
            f"{name} cannot be read ({err.strerror}). Check the file's "
            "permissions, then ingest it again.",
        ) from err
    if size == 0:
        raise RejectedFile(
            "empty",
            f"{name} is empty (0 bytes). Scan or export the page again "
            "and replace the file.",
        )
    limit = settings.DISAN_MAX_FILE_BYTES
    if size > limit:
        raise RejectedFile(
            "file_too_large",
            f"{name} is {size} bytes, over the limit of {limit} "
            "bytes (DISAN_MAX_FILE_BYTES). Split the document into several files "
            "or raise the limit.",
        )
    return size


def _sniff(head):
    """Return the format family of ``head`` (the first bytes), or ``""``."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or head.startswith(
        b"\xff\x4f\xff\x51"
    ):
        return "jpeg2000"
    if b"%PDF-" in head:
        return "pdf"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"BM") and len(head) >= 26:
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return ""


def _check_extension(name, family):
    suffix = Path(name).suffix.lower()
    expected = EXTENSIONS.get(suffix)
    if not family:
        detail = f" although its name ends in {suffix}" if expected else ""
        raise RejectedFile(
            "unsupported_format",
            f"{name} is not in an accepted format{detail}: "
            f"Disan takes {ACCEPTED} files. Convert it to TIFF or PDF and ingest "
            "it again.",
        )
    if expected and expected != family:
        raise RejectedFile(
            "extension_mismatch",
            f"{name} has the extension {suffix} but its "
            f"content is {FAMILY_NAMES[family]}. Rename it to match its content "
            f"or export it again as {FAMILY_NAMES[expected]}.",
        )


def _read_header(stream, family, name, path):
    readers = {
        "jpeg": _jpeg_header,
        "png": _png_header,
        "tiff": _tiff_header,
        "jpeg2000": _jpeg2000_header,
        "gif": _gif_header,
        "bmp": _bmp_header,
        "webp": _webp_header,
    }
    try:
        if family == "pdf":
            return _pdf_header(path, name)
        stream.seek(0)
        return readers[family](stream)
    except RejectedFile:
        raise
    except (_Malformed, struct.error, ValueError, IndexError) as err:
        raise RejectedFile(
            "corrupt",
            f"{name} looks like {FAMILY_NAMES[family]} but its header "
            f"is damaged ({err or 'cut short'}). Copy or scan it again.",
        ) from err


def _check_limits(name, header):
    if len(header.pages) > settings.DISAN_MAX_PAGES:
        raise _too_many_pages(name, len(header.pages))
    limit = settings.DISAN_MAX_IMAGE_PIXELS
    for number, (width, height) in enumerate(header.pages, start=1):
        if width * height > limit:
            where = f" (page {number})" if len(header.pages) > 1 else ""
            raise RejectedFile(
                "too_large",
                f"{name} is {width} x {height} pixels{where}, over "
                f"the limit of {limit} pixels (DISAN_MAX_IMAGE_PIXELS). Check that "
                "the file is genuine, then reduce its size or raise the limit.",
            )
    if not header.loader and header.family != "pdf":
        raise RejectedFile(
            "unsupported_format",
            f"{name} is a {FAMILY_NAMES[header.family]} "
            f"image; Disan takes {ACCEPTED} files. Convert it to TIFF and ingest "
            "it again.",
        )


def _decode_pages(path, name, header):
    """Decode each page fully, streaming, so damage shows before storage."""
    for page in range(len(header.pages)):
        options = {"page": page} if header.loader == "tiffload" else {}
        try:
            image = getattr(pyvips.Image, header.loader)(
                str(path), access="sequential", fail_on="error", **options
            )
            image.avg()
        except pyvips.Error as err:
            raise RejectedFile(
                "corrupt",
                f"{name} is damaged or truncated ({_vips_reason(err)}). "
                "Copy or scan it again.",
            ) from err
        if (image.width, image.height) != header.pages[page]:
            raise RejectedFile(
                "corrupt",
                f"{name} is damaged: its header and its image data "
                "disagree on the size. Copy or scan it again.",
            )


def _open_pdf_renderer(path, name, count):
    """Check that the renderer used for derivatives opens the PDF too."""
    try:
        image = pyvips.Image.pdfload(str(path), page=0, fail_on="error")
        rendered = image.get("n-pages")
    except pyvips.Error as err:
        raise RejectedFile(
            "corrupt",
            f"{name} is a damaged PDF ({_vips_reason(err)}). Export "
            "it again from the scanning software.",
        ) from err
    if rendered != count:
        raise RejectedFile(
            "corrupt",
            f"{name} is a damaged PDF: its page tree lists {count} "
            f"pages but the renderer finds {rendered}. Export it again.",
        )


def _vips_reason(err):
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith("unable to call")]
    return "; ".join(useful or lines)[:300]


def _read_exact(stream, count):
    data = stream.read(count)
    if len(data) != count:
        raise _Malformed("cut short")
    return data


def _dpi(value, unit):
    """Return dots per inch from a resolution and its unit (inch or cm)."""
    if not value or unit not in ("inch", "cm"):
        return None
    return round(value * 2.54 if unit == "cm" else value, 2)


# --- JPEG -------------------------------------------------------------------

_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_header(stream):
    header = _Header("jpeg", "image/jpeg", "JPEG", loader="jpegload")
    jfif = exif = None
    stream.seek(2)
    while True:
        if _read_exact(stream, 1) != b"\xff":
            raise _Malformed("marker expected")
        marker = _read_exact(stream, 1)[0]
        while marker == 0xFF:
            marker = _read_exact(stream, 1)[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if marker in (0xD9, 0xDA):
            raise _Malformed("no frame header before the image data")
        (length,) = struct.unpack(">H", _read_exact(stream, 2))
        if marker in _SOF:
            bits, height, width, components = struct.unpack(
                ">BHHB", _read_exact(stream, 6)
            )
            break
        if marker in (0xE0, 0xE1):
            payload = _read_exact(stream, length - 2)
            if marker == 0xE0 and payload.startswith(b"JFIF\x00") and jfif is None:
                jfif = payload
            elif payload.startswith(b"Exif\x00\x00") and exif is None:
                exif = payload[6:]
        else:
            stream.seek(length - 2, io.SEEK_CUR)

    header.pages = [(width, height)]
    header.bits = bits
    header.colour = {1: "grey", 3: "srgb", 4: "cmyk"}.get(components, "")
    if jfif is not None and len(jfif) >= 12:
        major, minor, unit, xdensity = struct.unpack(">BBBH", jfif[5:10])
        header.puid = JFIF_PUIDS.get((major, minor), "")
        header.dpi = _dpi(xdensity, {1: "inch", 2: "cm"}.get(unit))
    if exif:
        _apply_exif(header, exif)
    return header


def _apply_exif(header, exif):
    """Take orientation and resolution from an Exif block (a TIFF in bytes)."""
    try:
        ifd = _tiff_ifds(io.BytesIO(exif), limit=1)[0]
    except (_Malformed, struct.error, IndexError):
        return  # a damaged Exif block does not make the image unusable
    header.orientation = _first(ifd, 274, 1)
    dpi = _tiff_dpi(ifd)
    if dpi:
        header.dpi = dpi


# --- PNG --------------------------------------------------------------------


def _png_header(stream):
    header = _Header("png", "image/png", "PNG", loader="pngload")
    stream.seek(8)
    length, kind = struct.unpack(">I4s", _read_exact(stream, 8))
    if kind != b"IHDR" or length != 13:
        raise _Malformed("IHDR chunk missing")
    width, height, bits, colour_type = struct.unpack(">IIBB", _read_exact(stream, 10))
    stream.seek(7, io.SEEK_CUR)
    header.pages = [(width, height)]
    header.bits = bits
    grey = "b-w" if bits == 1 else "grey"
    header.colour = {0: grey, 2: "srgb", 3: "palette", 4: "grey", 6: "srgb"}.get(
        colour_type, ""
    )
    header.alpha = colour_type in (4, 6)

    # Walk the chunks before the image data for resolution and Exif.
    for _ in range(10_000):
        chunk = stream.read(8)
        if len(chunk) < 8:
            break
        length, kind = struct.unpack(">I4s", chunk)
        if kind in (b"IDAT", b"IEND"):
            break
        if kind == b"pHYs" and length == 9:
            xppu, _y, unit = struct.unpack(">IIB", _read_exact(stream, 9))
            header.dpi = _dpi(xppu / 100, "cm" if unit == 1 else None)
            stream.seek(4, io.SEEK_CUR)
        elif kind == b"eXIf" and length <= 1 << 20:
            _apply_exif(header, _read_exact(stream, length))
            stream.seek(4, io.SEEK_CUR)
        else:
            header.alpha = header.alpha or kind == b"tRNS"
            stream.seek(length + 4, io.SEEK_CUR)
    return header


# --- TIFF (also the container of Exif) --------------------------------------

# TIFF field type -> struct code of one value (rationals are two longs).
_TIFF_TYPES = {
    1: "B",
    3: "H",
    4: "I",
    5: "II",
    6: "b",
    7: "B",
    8: "h",
    9: "i",
    10: "ii",
    16: "Q",
    17: "q",
    18: "Q",
}
_TIFF_TAGS = {256, 257, 258, 262, 274, 277, 282, 296, 338}
_PHOTOMETRIC = {2: "srgb", 3: "palette", 4: "b-w", 5: "cmyk", 6: "srgb", 8: "lab"}


def _tiff_header(stream):
    big = stream.read(4)[2:] in (b"+\x00", b"\x00+")
    header = _Header(
        "tiff",
        "image/tiff",
        "BigTIFF" if big else "TIFF",
        loader="tiffload",
        puid="" if big else "fmt/353",
    )
    ifds = _tiff_ifds(stream, limit=settings.DISAN_MAX_PAGES + 1)
    if not ifds:
        raise _Malformed("no image directory")
    header.pages = [(_first(ifd, 256, 0), _first(ifd, 257, 0)) for ifd in ifds]
    first = ifds[0]
    header.bits = _first(first, 258, 1)
    photometric = _first(first, 262, 1)
    if photometric in (0, 1):
        header.colour = "b-w" if header.bits == 1 else "grey"
    else:
        header.colour = _PHOTOMETRIC.get(photometric, f"photometric-{photometric}")
    header.alpha = any(value in (1, 2) for value in first.get(338, ()))
    header.orientation = _first(first, 274, 1)
    header.dpi = _tiff_dpi(first)
    return header


def _first(ifd, tag, default):
    values = ifd.get(tag)
    return values[0] if values else default


def _tiff_dpi(ifd):
    resolution = _first(ifd, 282, None)
    unit = {2: "inch", 3: "cm"}.get(_first(ifd, 296, 2))
    if not resolution or not resolution[1]:
        return None
    return _dpi(resolution[0] / resolution[1], unit)


def _tiff_ifds(stream, limit):
    """Return up to ``limit`` image directories as ``{tag: values}``."""
    stream.seek(0)
    head = _read_exact(stream, 8)
    order = {b"II": "<", b"MM": ">"}.get(head[:2])
    if order is None:
        raise _Malformed("not a TIFF byte order")
    big = struct.unpack(order + "H", head[2:4])[0] == 43
    if big:
        offset = struct.unpack(order + "Q", _read_exact(stream, 8))[0]
        count_code, offset_code = "Q", "Q"
    else:
        offset = struct.unpack(order + "I", head[4:8])[0]
        count_code, offset_code = "H", "I"
    entry_size = 20 if big else 12

    ifds, seen = [], set()
    while offset and len(ifds) < limit:
        if offset in seen:
            raise _Malformed("image directories form a loop")
        seen.add(offset)
        stream.seek(offset)
        size = struct.calcsize(order + count_code)
        (count,) = struct.unpack(order + count_code, _read_exact(stream, size))
        if count > 10_000:
            raise _Malformed("implausible image directory")
        entries = _read_exact(stream, count * entry_size)
        size = struct.calcsize(order + offset_code)
        (offset,) = struct.unpack(order + offset_code, _read_exact(stream, size))
        ifds.append(_tiff_entries(stream, order, offset_code, entries))
    return ifds


def _tiff_entries(stream, order, offset_code, entries):
    """Decode the entries of one directory, keeping only the tags used here."""
    inline = struct.calcsize(offset_code)
    entry_size = 4 + 2 * inline
    tags = {}
    for start in range(0, len(entries), entry_size):
        entry = entries[start : start + entry_size]
        tag, kind = struct.unpack(order + "HH", entry[:4])
        (count,) = struct.unpack(order + offset_code, entry[4 : 4 + inline])
        field = entry[4 + inline :]
        if tag not in _TIFF_TAGS or kind not in _TIFF_TYPES or count > 64:
            continue
        code = _TIFF_TYPES[kind]
        length = struct.calcsize(order + code * count)
        if length > inline:
            (pointer,) = struct.unpack(order + offset_code, field)
            stream.seek(pointer)
            data = _read_exact(stream, length)
        else:
            data = field[:length]
        values = struct.unpack(order + code * count, data)
        if len(code) == 2:
            values = tuple(zip(values[::2], values[1::2], strict=True))
        tags[tag] = values
    return tags


# --- JPEG 2000 --------------------------------------------------------------

_JP2_COLOURS = {16: "srgb", 17: "grey", 18: "srgb", 12: "cmyk", 20: "srgb"}


def _jpeg2000_header(stream):
    if stream.read(4) == b"\xff\x4f\xff\x51":
        header = _Header(
            "jpeg2000", "image/jp2", "JPEG 2000 codestream", loader="jp2kload"
        )
        _codestream_size(stream, 0, header)
        return header
    header = _Header(
        "jpeg2000", "image/jp2", "JPEG 2000 (JP2)", loader="jp2kload", puid="x-fmt/392"
    )
    for kind, start, end in _jp2_boxes(stream, 0, None):
        if kind == b"jp2h":
            _jp2_image_header(stream, start, end, header)
        elif kind == b"jp2c":
            _codestream_size(stream, start, header)
            return header
    raise _Malformed("no codestream box")


def _jp2_boxes(stream, start, end):
    """Yield ``(type, content start, content end)`` of the boxes in a span."""
    position = start
    while end is None or position + 8 <= end:
        stream.seek(position)
        head = stream.read(8)
        if len(head) < 8:
            return
        length, kind = struct.unpack(">I4s", head)
        content = position + 8
        if length == 1:
            length = struct.unpack(">Q", _read_exact(stream, 8))[0]
            content += 8
        elif length == 0:
            yield kind, content, end
            return
        if length < content - position:
            raise _Malformed("bad box length")
        yield kind, content, position + length
        position += length


def _jp2_image_header(stream, start, end, header):
    for kind, box_start, box_end in _jp2_boxes(stream, start, end):
        stream.seek(box_start)
        if kind == b"colr":
            method, _prec, _approx = _read_exact(stream, 3)
            if method == 1:
                (space,) = struct.unpack(">I", _read_exact(stream, 4))
                header.colour = _JP2_COLOURS.get(space, header.colour)
        elif kind == b"pclr":
            header.colour = "palette"
        elif kind == b"cdef":
            (count,) = struct.unpack(">H", _read_exact(stream, 2))
            raw = _read_exact(stream, 6 * count)
            channels = struct.unpack(">" + "HHH" * count, raw)
            header.alpha = any(role in (1, 2) for role in channels[1::3])
        elif kind == b"res ":
            for sub, sub_start, _sub_end in _jp2_boxes(stream, box_start, box_end):
                if sub == b"resc" or (sub == b"resd" and header.dpi is None):
                    stream.seek(sub_start)
                    _vn, _vd, hn, hd, _ve, he = struct.unpack(
                        ">HHHHbb", _read_exact(stream, 10)
                    )
                    if hd:
                        header.dpi = _dpi(hn / hd * 10.0**he / 100, "cm")


def _codestream_size(stream, start, header):
    stream.seek(start)
    soc_siz = _read_exact(stream, 4)
    if soc_siz != b"\xff\x4f\xff\x51":
        raise _Malformed("codestream does not start with SOC and SIZ")
    fields = struct.unpack(">HHIIIIIIIIH", _read_exact(stream, 38))
    width, height = fields[2] - fields[4], fields[3] - fields[5]
    components = fields[10]
    if width <= 0 or height <= 0 or components == 0:
        raise _Malformed("empty image area")
    (depth,) = _read_exact(stream, 1)
    header.pages = [(width, height)]
    header.bits = (depth & 0x7F) + 1
    if not header.colour:
        header.colour = {1: "grey", 2: "grey", 3: "srgb", 4: "srgb"}.get(components, "")
        header.alpha = header.alpha or components in (2, 4)


# --- Formats refused once their size is known ------------------------------


def _gif_header(stream):
    """Read the size a GIF claims: its screen grown to fit every frame."""
    head = _read_exact(stream, 13)
    width, height, flags = struct.unpack("<HHB", head[6:11])
    if flags & 0x80:
        stream.seek(3 << ((flags & 7) + 1), io.SEEK_CUR)
    for _ in range(100_000):
        block = stream.read(1)
        if block in (b"", b";"):
            break
        if block == b",":
            left, top, frame_w, frame_h, flags = struct.unpack(
                "<HHHHB", _read_exact(stream, 9)
            )
            width, height = max(width, left + frame_w), max(height, top + frame_h)
            if flags & 0x80:
                stream.seek(3 << ((flags & 7) + 1), io.SEEK_CUR)
            stream.seek(1, io.SEEK_CUR)
        elif block == b"!":
            stream.seek(1, io.SEEK_CUR)
        else:
            break
        _skip_sub_blocks(stream)
    return _Header("gif", "image/gif", "GIF", pages=[(width, height)])


def _skip_sub_blocks(stream):
    while (size := stream.read(1)) not in (b"", b"\x00"):
        stream.seek(size[0], io.SEEK_CUR)


def _bmp_header(stream):
    stream.seek(14)
    (size,) = struct.unpack("<I", _read_exact(stream, 4))
    if size == 12:
        width, height = struct.unpack("<HH", _read_exact(stream, 4))
    else:
        width, height = struct.unpack("<ii", _read_exact(stream, 8))
    return _Header("bmp", "image/bmp", "BMP", pages=[(abs(width), abs(height))])


def _webp_header(stream):
    stream.seek(12)
    kind = _read_exact(stream, 4)
    data = _read_exact(stream, 14)
    if kind == b"VP8X":
        width = int.from_bytes(data[8:11], "little") + 1
        height = int.from_bytes(data[11:14], "little") + 1
    elif kind == b"VP8L":
        bits = int.from_bytes(data[5:9], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif kind == b"VP8 ":
        width, height = struct.unpack("<HH", data[10:14])
        width, height = width & 0x3FFF, height & 0x3FFF
    else:
        raise _Malformed("unknown WebP chunk")
    return _Header("webp", "image/webp", "WebP", pages=[(width, height)])


# --- PDF --------------------------------------------------------------------


def _pdf_header(path, name):
    """Open a PDF with pypdf: check its password and read its page sizes."""
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and _needs_user_password(reader):
            raise RejectedFile(
                "encrypted",
                f"{name} is an encrypted PDF that needs a password "
                "to open. Save a copy without a password and ingest that.",
            )
        count = len(reader.pages)
        if count > settings.DISAN_MAX_PAGES:
            raise _too_many_pages(name, count)
        scale = settings.DISAN_PDF_DPI / 72
        stored = []
        shown = []
        for page in reader.pages:
            box = page.cropbox
            size = (round(float(box.width) * scale), round(float(box.height) * scale))
            stored.append(size)
            shown.append(size[::-1] if page.rotation % 180 else size)
        version = reader.pdf_header.removeprefix("%PDF-")
    except RejectedFile:
        raise
    except Exception as err:  # pypdf raises many kinds on damaged input
        raise _Malformed(str(err) or type(err).__name__) from err
    if not stored:
        raise _Malformed("no pages")
    return _Header(
        "pdf",
        "application/pdf",
        f"PDF {version}",
        puid=PDF_PUIDS.get(version, ""),
        pages=stored,
        shown=shown,
        dpi=float(settings.DISAN_PDF_DPI),
    )


def _needs_user_password(reader):
    """Return whether an encrypted PDF asks its readers for a password.

    pypdf tries the owner password first, so ``decrypt("")`` answers
    ``OWNER_PASSWORD`` when the owner password is empty even though the user
    password is not; the empty user password is then checked on its own.
    """
    result = reader.decrypt("")
    if result == pypdf.PasswordType.USER_PASSWORD:
        return False
    if result == pypdf.PasswordType.NOT_DECRYPTED:
        return True
    # Limitation: this step uses pypdf's private _encryption module; should
    # it change, such files are refused as encrypted, which is the safe side.
    try:
        from pypdf._encryption import AlgV4, AlgV5

        handler = reader._encryption
        if handler.V <= 4:
            key = AlgV4.verify_user_password(
                b"",
                handler.R,
                handler.Length,
                handler.values.O,
                handler.values.U,
                handler.P,
                handler.id1_entry,
                handler.EncryptMetadata,
            )
        else:
            key = AlgV5.verify_user_password(
                handler.R, b"", handler.values.U, handler.values.UE
            )
    except (ImportError, AttributeError, TypeError):
        return True
    return not key


def _too_many_pages(name, count):
    limit = settings.DISAN_MAX_PAGES
    return RejectedFile(
        "too_many_pages",
        f"{name} has {count} pages, over the limit of {limit} "
        "(DISAN_MAX_PAGES). Split it into several files or raise the limit.",
    )

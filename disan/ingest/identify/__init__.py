"""Identify and validate one file of a transfer by its content.

The format is decided from magic bytes, never from the name. Sizes come from
the headers, read with Pillow (and libvips's header-only loading where Pillow
does not tell), so a decompression bomb is refused before any decoder sees
it; only then is every page decoded once with libvips, sequentially, to catch
truncated and damaged files while memory stays flat.
"""

import hashlib
import logging
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

import pyvips

from disan.ingest.exceptions import RejectedFile
from disan.ingest.identify.checks import check_extension, check_limits, checked_size
from disan.ingest.identify.formats import FAMILY_NAMES, sniff
from disan.ingest.identify.headers import (
    PARSE_ERRORS,
    MalformedHeader,
    read_raster_header,
)
from disan.ingest.identify.pdf import read_pdf_header

__all__ = ["FileReport", "identify_file"]

logger = logging.getLogger(__name__)


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


def identify_file(path):
    """Identify and validate ``path``; return a :class:`FileReport`.

    Raises :class:`RejectedFile` with a stable code when the file cannot be
    ingested. Trade-off: PDF pages are parsed, not rendered, here; a page
    whose content stream is damaged is found when derivatives are made.
    """
    path = Path(path)
    name = unicodedata.normalize("NFC", path.name)
    size = checked_size(path, name)

    # Sniff the content, then hold the name to it.
    try:
        with path.open("rb") as stream:
            family = sniff(stream.read(1024))
            check_extension(name, family)
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
    check_limits(name, header)

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


def _read_header(stream, family, name, path):
    try:
        if family == "pdf":
            return read_pdf_header(path, name)
        return read_raster_header(stream, family, path)
    except RejectedFile:
        raise
    except (MalformedHeader, *PARSE_ERRORS) as err:
        reason = _vips_reason(err) if isinstance(err, pyvips.Error) else str(err)
        raise RejectedFile(
            "corrupt",
            f"{name} looks like {FAMILY_NAMES[family]} but its header "
            f"is damaged ({reason or 'cut short'}). Copy or scan it again.",
        ) from err


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

"""Access copies of pages: derivative files, JPEG encoding, download names."""

import logging
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pyvips
from django.conf import settings

from disan.core.text import nfc, strip_diacritics
from disan.portal.exceptions import DerivativeUnreadable

logger = logging.getLogger(__name__)

# Characters file systems or the header syntax do not allow in a file name.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]+')
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
_MAX_TITLE_CHARS = 150


def derivative_file(relative_path):
    """Return the existing file at ``relative_path`` in the derivatives root, or None.

    A path that is empty, missing on disk or that leads outside the root
    gives None, so callers answer all three the same way.
    """
    if not relative_path:
        return None
    root = Path(settings.DISAN_DERIVATIVES_ROOT).resolve()
    path = (root / relative_path).resolve()
    if not path.is_relative_to(root):
        logger.warning(
            "Derivative path %r leads outside %s; refused", relative_path, root
        )
        return None
    if not path.is_file():
        logger.warning("Derivative %s is missing", path)
        return None
    return path


def access_copy_jpeg(pyramid_path):
    """Return the full-resolution JPEG bytes of a page from its pyramidal TIFF.

    # Limitation: the JPEG is encoded in memory on every request; for pages
    # over ~100 megapixels this costs hundreds of MB and should move to a
    # cached file made at derivation time.
    """
    try:
        image = pyvips.Image.new_from_file(str(pyramid_path), access="sequential")
        return image.jpegsave_buffer(Q=settings.DISAN_JPEG_QUALITY, strip=True)
    except pyvips.Error as err:
        raise DerivativeUnreadable(
            f"The derivative {pyramid_path} could not be read ({err}); "
            "make the page's derivatives again."
        ) from err


def download_filename(title, sequence):
    """Return the file name of a page's access copy: ``<title> - 001.jpg``."""
    clean = _UNSAFE.sub(" ", nfc(title)).strip()
    clean = " ".join(clean.split())[:_MAX_TITLE_CHARS].strip() or "page"
    return f"{clean} - {sequence:03d}.jpg"


def attachment_header(filename):
    """Return a Content-Disposition value naming ``filename`` (RFC 6266, RFC 5987).

    Old clients get an ASCII fallback with the tone marks taken off; the
    exact Vietnamese name travels in ``filename*`` as UTF-8.
    """
    return (
        f'attachment; filename="{_ascii_fallback(filename)}"; '
        f"filename*=UTF-8''{quote(nfc(filename), safe='')}"
    )


def _ascii_fallback(filename):
    # đ and Đ carry no combining mark, so NFKD alone would drop them.
    stripped = unicodedata.normalize("NFKD", strip_diacritics(filename))
    return _NOT_ASCII_NAME.sub("_", stripped)

"""Where a page's derivatives live under ``DISAN_DERIVATIVES_ROOT``.

Layout: ``<root>/<document_id>/<page_id>.tif`` for the pyramid and
``<root>/<document_id>/<page_id>.thumb.jpg`` for the thumbnail. Pages store
the path relative to the root, so the root can move without a migration.
"""

from pathlib import Path, PurePosixPath

from django.conf import settings

from disan.derivatives.exceptions import DerivativePathError


def pyramid_path(document_id, page_id) -> Path:
    """Return the absolute path of the pyramidal TIFF of a page."""
    return _document_dir(document_id) / f"{_segment(page_id, 'page id')}.tif"


def thumbnail_path(document_id, page_id) -> Path:
    """Return the absolute path of the JPEG thumbnail of a page."""
    return _document_dir(document_id) / f"{_segment(page_id, 'page id')}.thumb.jpg"


def relative(path) -> str:
    """Return ``path`` relative to ``DISAN_DERIVATIVES_ROOT``, with ``/``.

    This is the value kept in ``Page.pyramid_path`` and
    ``Page.thumbnail_path``.
    """
    root = Path(settings.DISAN_DERIVATIVES_ROOT).resolve()
    absolute = Path(path).resolve()
    try:
        inside = absolute.relative_to(root)
    except ValueError as err:
        raise DerivativePathError(
            f"{path} is not inside DISAN_DERIVATIVES_ROOT ({root}); derivatives "
            "must be written under that folder."
        ) from err
    return PurePosixPath(*inside.parts).as_posix()


def resolve(relative_path: str) -> Path:
    """Return the absolute path of a stored relative derivative path."""
    parts = PurePosixPath(relative_path).parts
    if not parts or PurePosixPath(relative_path).is_absolute() or ".." in parts:
        raise DerivativePathError(
            f"'{relative_path}' is not a relative path inside "
            "DISAN_DERIVATIVES_ROOT; store the value returned by relative()."
        )
    return Path(settings.DISAN_DERIVATIVES_ROOT).joinpath(*parts)


def _document_dir(document_id):
    root = Path(settings.DISAN_DERIVATIVES_ROOT)
    return root / _segment(document_id, "document id")


def _segment(value, what):
    """Turn an id into one safe path segment, refusing separators and dots."""
    text = str(value).strip()
    if not text or text in {".", ".."} or "/" in text or "\\" in text or "\0" in text:
        raise DerivativePathError(
            f"{what} {value!r} cannot name a derivative file; use the UUID of the "
            "document or page."
        )
    return text

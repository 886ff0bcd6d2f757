"""Refusals decided before any pixel is decoded: size, name and limits."""

from pathlib import Path

from django.conf import settings

from disan.ingest.exceptions import RejectedFile
from disan.ingest.identify.formats import ACCEPTED, EXTENSIONS, FAMILY_NAMES


def checked_size(path, name):
    """Return the size of ``path`` in bytes, refusing empty and huge files."""
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


# Files that are plainly not scans, by extension (none of them in
# EXTENSIONS): their refusal says what they are rather than asking to
# convert them.
NOT_SCANS = {
    **dict.fromkeys(
        (".txt", ".text", ".md", ".markdown", ".rst", ".log", ".csv", ".tsv"),
        "a text file",
    ),
    **dict.fromkeys((".json", ".xml", ".yaml", ".yml"), "a data file"),
    **dict.fromkeys((".htm", ".html"), "a web page"),
    **dict.fromkeys(
        (".doc", ".docx", ".odt", ".rtf", ".pages"), "a word-processor document"
    ),
    **dict.fromkeys((".xls", ".xlsx", ".ods", ".numbers"), "a spreadsheet"),
}


def check_extension(name, family):
    """Refuse content in no accepted family, or named as another family."""
    suffix = Path(name).suffix.lower()
    expected = EXTENSIONS.get(suffix)
    if not family:
        kind = NOT_SCANS.get(suffix)
        if kind:
            raise RejectedFile(
                "unsupported_format",
                f"{name} is not an image or PDF: it is {kind}, so it is not "
                "ingested. Keep notes about a document out of its folder, or "
                "put them in its metadata.",
            )
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


def check_limits(name, header):
    """Refuse by page count and pixel count, as the header states them."""
    if len(header.pages) > settings.DISAN_MAX_PAGES:
        raise too_many_pages(name, len(header.pages))
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


def too_many_pages(name, count):
    """Return the refusal of a document with more pages than allowed."""
    limit = settings.DISAN_MAX_PAGES
    return RejectedFile(
        "too_many_pages",
        f"{name} has {count} pages, over the limit of {limit} "
        "(DISAN_MAX_PAGES). Split it into several files or raise the limit.",
    )

"""Read a PDF's version, password state and page sizes with pypdf."""

import pypdf
from django.conf import settings

from disan.ingest.exceptions import RejectedFile
from disan.ingest.identify.checks import too_many_pages
from disan.ingest.identify.formats import PDF_PUIDS
from disan.ingest.identify.headers import Header, MalformedHeader


def read_pdf_header(path, name):
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
            raise too_many_pages(name, count)
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
        raise MalformedHeader(str(err) or type(err).__name__) from err
    if not stored:
        raise MalformedHeader("no pages")
    return Header(
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

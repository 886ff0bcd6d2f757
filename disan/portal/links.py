"""URLs of things served outside the portal app (IIIF) and of page files."""

from django.urls import get_script_prefix, reverse


def image_info_url(page_id):
    """Return the IIIF Image API 3 ``info.json`` URL of a page.

    # Limitation: built from the path agreed with the IIIF app rather than
    # reversed by name, so a change of that mount point must be made here too.
    """
    return f"{get_script_prefix()}iiif/3/images/{page_id}/info.json"


def manifest_url(document_id):
    """Return the IIIF Presentation API 3 manifest URL of a document."""
    return f"{get_script_prefix()}iiif/3/documents/{document_id}/manifest"


def thumbnail_url(document_id, page_id):
    """Return the portal URL of a page's thumbnail."""
    return reverse(
        "portal:page-thumbnail", kwargs={"document_id": document_id, "page_id": page_id}
    )


def download_url(document_id, page_id):
    """Return the portal URL of a page's access copy (JPEG)."""
    return reverse(
        "portal:page-download", kwargs={"document_id": document_id, "page_id": page_id}
    )

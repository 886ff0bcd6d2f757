"""URLs of things served outside the portal app (IIIF) and of page files."""

from django.urls import reverse


def image_info_url(page_id):
    """Return the IIIF Image API 3 ``info.json`` URL of a page."""
    return reverse("iiif:image-info", kwargs={"image_id": str(page_id)})


def manifest_url(document_id):
    """Return the IIIF Presentation API 3 manifest URL of a document."""
    return reverse("iiif:manifest", kwargs={"document_id": str(document_id)})


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

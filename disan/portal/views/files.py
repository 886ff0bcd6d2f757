"""Page thumbnails and downloadable access copies, checked against the policy."""

import logging

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control

from disan.access.policy import can_download, can_view, published_documents
from disan.catalog.models import Page
from disan.portal.downloads import (
    access_copy_jpeg,
    attachment_header,
    derivative_file,
    download_filename,
)

logger = logging.getLogger(__name__)

# One message for "not there" and "not yours", so a 404 tells nothing.
NOT_FOUND = "No such page image."


def thumbnail(request, document_id, page_id):
    """Serve a page's thumbnail JPEG, or 404 when missing or not allowed."""
    page = _visible_page(request.user, document_id, page_id)
    path = derivative_file(page.thumbnail_path)
    if path is None:
        raise Http404(NOT_FOUND)
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    _set_caching(response, page.document)
    return response


def download(request, document_id, page_id):
    """Serve a page's full-size JPEG as an attachment named after the document."""
    page = _visible_page(request.user, document_id, page_id)
    if not can_download(request.user, page.document):
        raise Http404(NOT_FOUND)
    path = derivative_file(page.pyramid_path)
    if path is None:
        raise Http404(NOT_FOUND)
    try:
        body = access_copy_jpeg(path)
    except Exception:
        logger.exception("Access copy of page %s could not be made", page.pk)
        raise
    response = HttpResponse(body, content_type="image/jpeg")
    name = download_filename(page.document.title, page.sequence)
    response["Content-Disposition"] = attachment_header(name)
    _set_caching(response, page.document)
    return response


def _visible_page(user, document_id, page_id):
    documents = published_documents(user)
    page = (
        Page.objects.select_related("document")
        .filter(pk=page_id, document_id=document_id, document__in=documents)
        .first()
    )
    if page is None:
        raise Http404(NOT_FOUND)
    return page


def _set_caching(response, document):
    # Shared caches may keep only what anyone, signed in or not, may see.
    if can_view(None, document):
        patch_cache_control(
            response, public=True, max_age=settings.DISAN_PUBLIC_MAX_AGE
        )
    else:
        patch_cache_control(response, private=True, no_store=True)

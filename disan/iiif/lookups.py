"""Find the document or page a IIIF request names, if the user may see it.

Unknown ids, documents not online and documents the access policy hides all
end in the same ``Http404``, so a response never hints that a hidden
document exists.
"""

import uuid

from django.http import Http404

from disan.access.policy import can_view
from disan.catalog.models import DocumentStatus, HeritageDocument, Page

NOT_FOUND = "No such document or image."


def _uuid(text):
    try:
        return uuid.UUID(text)
    except ValueError as err:
        raise Http404(NOT_FOUND) from err


def _check(user, document):
    if document.status != DocumentStatus.ONLINE or not can_view(user, document):
        raise Http404(NOT_FOUND)


def viewable_document(user, document_id):
    """Return the online document ``document_id`` if ``user`` may see it."""
    queryset = HeritageDocument.objects.select_related("holding_unit", "collection")
    try:
        document = queryset.get(id=_uuid(document_id))
    except HeritageDocument.DoesNotExist as err:
        raise Http404(NOT_FOUND) from err
    _check(user, document)
    return document


def viewable_page(user, image_id, document_id=None):
    """Return page ``image_id`` of an online document ``user`` may see.

    With ``document_id`` the page must also belong to that document.
    """
    queryset = Page.objects.select_related("document")
    filters = {"id": _uuid(image_id)}
    if document_id is not None:
        filters["document_id"] = _uuid(document_id)
    try:
        page = queryset.get(**filters)
    except Page.DoesNotExist as err:
        raise Http404(NOT_FOUND) from err
    _check(user, page.document)
    return page

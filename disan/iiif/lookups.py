"""Find the document or page a IIIF request names, if the user may see it.

Unknown ids and documents not online end in the same ``Http404``. An online
document the access policy keeps from the user ends in ``LoginRequired``
(nobody logged in: 401, so a viewer offers the login of the IIIF
Authorization Flow) or ``AccessRefused`` (403). The decision itself is
:func:`disan.access.policy.can_view`; this module only names the outcome.

Trade-off: a 401 or 403 tells whoever holds a restricted page's id that the
page exists, which the Authorization Flow needs to offer a login. Ids are
random UUIDs found only in pages and manifests the same policy guards.
"""

import uuid

from django.http import Http404

from disan.access.policy import can_view, may_know_of
from disan.catalog.models import DocumentStatus, HeritageDocument, Page
from disan.iiif.exceptions import AccessRefused, LoginRequired
from disan.iiif.models import ImageAlias

NOT_FOUND = "No such document or image."
# Answers to a request the policy refuses, Vietnamese first as on the portal.
LOGIN_REQUIRED = (
    "Tài liệu này không công khai: hãy đăng nhập bằng tài khoản được phép xem"
    " tài liệu.\n"
    "This document is not public: log in with an account allowed to see it.\n"
)
REFUSED = (
    "Tài khoản của bạn không được phép xem tài liệu này.\n"
    "Your account is not allowed to see this document.\n"
)


def _uuid(text):
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def check_access(user, document, image_id=None):
    """Raise unless ``document`` is online and ``user`` may see it."""
    if document.status != DocumentStatus.ONLINE:
        raise Http404(NOT_FOUND)
    if can_view(user, document):
        return
    if not may_know_of(user, document):
        raise Http404(NOT_FOUND)
    if user is None or not user.is_authenticated:
        raise LoginRequired(LOGIN_REQUIRED, image_id=image_id)
    raise AccessRefused(REFUSED, image_id=image_id)


def viewable_document(user, document_id):
    """Return the online document ``document_id`` if ``user`` may see it."""
    key = _uuid(document_id)
    queryset = HeritageDocument.objects.select_related("holding_unit", "collection")
    document = queryset.filter(id=key).first() if key else None
    if document is None:
        raise Http404(NOT_FOUND)
    check_access(user, document)
    return document


def find_page(image_id, document_id=None, fields=None):
    """Return the page whose image service is ``image_id``, whoever asks.

    ``image_id`` is a page's UUID or one of its aliases. With
    ``document_id`` the page must also belong to that document. Only for
    callers that check access themselves, such as the probe service.
    With ``fields``, only those are read at once (``document__…`` for the
    document's); any other is read when first used, as Django defers it.
    """
    queryset = Page.objects.select_related("document")
    if fields is not None:
        queryset = queryset.only(*fields)
    if document_id is not None:
        queryset = queryset.filter(document_id=_uuid(document_id))
    key = _uuid(image_id)
    page = queryset.filter(id=key).first() if key else None
    if page is None:
        alias = ImageAlias.objects.filter(alias=image_id).values("page_id").first()
        if alias is not None:
            page = queryset.filter(id=alias["page_id"]).first()
    if page is None:
        raise Http404(NOT_FOUND)
    return page


def viewable_page(user, image_id, document_id=None):
    """Return page ``image_id`` of an online document ``user`` may see."""
    page = find_page(image_id, document_id)
    check_access(user, page.document, image_id)
    return page

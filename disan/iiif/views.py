"""HTTP views of the IIIF image service, manifests and page text.

Every response, errors included, carries ``Access-Control-Allow-Origin: *``
so viewers on other sites can read it. Access is decided in
:mod:`disan.iiif.lookups`, which defers to :mod:`disan.access.policy`.
"""

import functools
import json
import logging

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.urls import get_script_prefix, reverse
from django.views.decorators.http import require_http_methods

from disan.catalog.models import AccessLevel
from disan.core.text import nfc
from disan.iiif import alto, collections, images
from disan.iiif import cache as iiif_cache
from disan.iiif.exceptions import (
    AccessRefused,
    InvalidRequest,
    LoginRequired,
    PyramidMissing,
)
from disan.iiif.info import (
    IMAGE_CONTEXT,
    PROFILE_URI,
    build_info,
    build_restricted_info,
)
from disan.iiif.lookups import viewable_document, viewable_page
from disan.iiif.manifests import PRESENTATION_CONTEXT, manifest_json

logger = logging.getLogger(__name__)

_PLAIN = "text/plain; charset=utf-8"
# A 401 must name a scheme; readers log in through the IIIF access service.
_CHALLENGE = 'IIIF-Auth realm="Disan"'


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def iiif_endpoint(view):
    """Answer GET and HEAD, turn errors into plain-text responses, add CORS.

    A restricted document refused to the user gets 401 (nobody logged in)
    or 403 with a plain message and nothing about the document.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as err:
            response = HttpResponseNotFound(str(err), content_type=_PLAIN)
        except LoginRequired as err:
            response = HttpResponse(str(err), status=401, content_type=_PLAIN)
            response["WWW-Authenticate"] = _CHALLENGE
        except AccessRefused as err:
            response = HttpResponse(str(err), status=403, content_type=_PLAIN)
        except InvalidRequest as err:
            response = HttpResponseBadRequest(str(err), content_type=_PLAIN)
        except PyramidMissing:
            logger.exception("Image request %s failed", request.path)
            response = HttpResponseServerError(
                "This image cannot be read at the moment.", content_type=_PLAIN
            )
        if response.status_code in (401, 403):
            response["Cache-Control"] = "no-store"
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return require_http_methods(["GET", "HEAD"])(wrapper)


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _cache_control(response, document):
    # Public documents may sit in shared caches; others only in the reader's
    # browser, and for less time, since access can be withdrawn.
    if document.access_level == AccessLevel.PUBLIC:
        response["Cache-Control"] = f"public, max-age={settings.DISAN_PUBLIC_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, max-age=3600"
        response["Vary"] = "Cookie"
    return response


def _json_response(request, text, context):
    # The Image and Presentation APIs ask for JSON-LD when the client says it
    # accepts it, and plain JSON otherwise.
    if "application/ld+json" in request.headers.get("Accept", ""):
        content_type = f'application/ld+json;profile="{context}"'
    else:
        content_type = "application/json"
    return HttpResponse(text.encode("utf-8"), content_type=content_type)


@iiif_endpoint
def image_base(request, image_id):
    """Redirect the bare image service URI to its ``info.json``."""
    viewable_page(request.user, image_id)
    return HttpResponseSeeOther(reverse("iiif:image-info", args=[image_id]))


@iiif_endpoint
def image_info(request, image_id):
    """Return the ``info.json`` of a page's image service.

    To a user the policy refuses, a restricted image answers 401 or 403
    with an ``info.json`` that holds only the auth services, so a viewer
    offers the login; its size and levels are left out.
    """
    base_url = _base_url(request)
    try:
        page = viewable_page(request.user, image_id)
    except (LoginRequired, AccessRefused) as err:
        info = build_restricted_info(image_id, base_url)
        response = _json_response(request, json.dumps(info), IMAGE_CONTEXT)
        response.status_code = 401 if isinstance(err, LoginRequired) else 403
        if response.status_code == 401:
            response["WWW-Authenticate"] = _CHALLENGE
        response["Cache-Control"] = "no-store"
        return response
    text = json.dumps(build_info(page, base_url, image_id=image_id))
    response = _json_response(request, text, IMAGE_CONTEXT)
    response["Link"] = f'<{PROFILE_URI}>;rel="profile"'
    return _cache_control(response, page.document)


@iiif_endpoint
def image(request, image_id, region, size, rotation, quality_format):
    """Return one rendering of a page: a tile, a thumbnail, a full image.

    Access is decided before the tile cache is looked at, on every request;
    renderings are kept in :mod:`disan.iiif.cache` and sent from the file.
    """
    page = iiif_cache.viewable_page(request.user, image_id)
    found = iiif_cache.rendering(page, region, size, rotation, quality_format)
    image_request, path, key, etag = found.request, found.path, found.key, found.etag
    canonical = image_request.canonical()

    headers = {
        "ETag": etag,
        "Link": image_link(_base_url(request), image_id, canonical),
    }
    if etag in _if_none_match(request):
        response = HttpResponseNotModified(headers=headers)
    else:
        response = _rendering(request, image_request, page, path, key, headers)
    return _cache_control(response, page.document)


def image_link(base_url, image_id, canonical):
    """Return the Link header of a rendering: its canonical URI and profile."""
    base = _image_base_path(get_script_prefix(), image_id)
    return (
        f'<{base_url}{base}/{canonical}>;rel="canonical", <{PROFILE_URI}>;rel="profile"'
    )


@functools.lru_cache(maxsize=4096)
def _image_base_path(script_prefix, image_id):
    # Resolving a URL name costs more than a small tile answered from disk;
    # the answer depends only on these two.
    return reverse("iiif:image-base", args=[image_id])


def _rendering(request, image_request, page, path, key, headers):
    """Answer from a stored tile or the tile cache, or render, keep and answer."""
    content_type = images.MEDIA_TYPES[image_request.format]
    stored = images.from_stored_tile(image_request, page, path)
    if stored is not None:
        return HttpResponse(stored, content_type=content_type, headers=headers)
    tiles = iiif_cache.tile_cache()
    cached = tiles.open(key, image_request.format)
    if cached is not None and request.method == "HEAD":
        # Read, not streamed, so Content-Length is that of the GET answer.
        with cached:
            return HttpResponse(
                cached.read(), content_type=content_type, headers=headers
            )
    if cached is not None:
        response = FileResponse(cached, content_type=content_type, headers=headers)
        # The cache file's name is no name for the image.
        del response["Content-Disposition"]
        return response
    body = images.render_pixels(image_request, page, path)
    tiles.store(key, image_request.format, body)
    return HttpResponse(body, content_type=content_type, headers=headers)


def _if_none_match(request):
    header = request.headers.get("If-None-Match", "")
    return {part.strip().removeprefix("W/") for part in header.split(",") if part}


@iiif_endpoint
def manifest(request, document_id):
    """Return the Presentation 3.0 manifest of a document."""
    document = viewable_document(request.user, document_id)
    text = manifest_json(document, _base_url(request))
    response = _json_response(request, text, PRESENTATION_CONTEXT)
    return _cache_control(response, document)


@iiif_endpoint
def page_text(request, document_id, page_id):
    """Return the OCR text of one page as plain UTF-8 text."""
    page = viewable_page(request.user, page_id, document_id=document_id)
    response = HttpResponse(nfc(page.ocr_text).encode("utf-8"), content_type=_PLAIN)
    return _cache_control(response, page.document)


@iiif_endpoint
def page_alto(request, document_id, page_id):
    """Return the OCR lines and words of one page as ALTO 4 XML."""
    page = viewable_page(request.user, page_id, document_id=document_id)
    response = HttpResponse(alto.page_alto(page), content_type=alto.MEDIA_TYPE)
    return _cache_control(response, page.document)


def _collection_response(request, collection):
    text = json.dumps(collection, ensure_ascii=False)
    response = _json_response(request, text, PRESENTATION_CONTEXT)
    # What a collection lists depends on who asks.
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, max-age=300"
    else:
        response["Cache-Control"] = "public, max-age=300"
    response["Vary"] = "Cookie"
    return response


@iiif_endpoint
def top_collection(request):
    """Return the collection of all holding units and collections."""
    built = collections.build_top_collection(request.user, _base_url(request))
    return _collection_response(request, built)


@iiif_endpoint
def unit_collection(request, code):
    """Return the collection of one holding unit's documents."""
    built = collections.build_unit_collection(request.user, code, _base_url(request))
    return _collection_response(request, built)


@iiif_endpoint
def named_collection(request, slug):
    """Return one named collection of documents."""
    built = collections.build_named_collection(request.user, slug, _base_url(request))
    return _collection_response(request, built)

"""Answer anonymous IIIF image requests from the tile cache before Django.

A tile already on disk costs a few hundred microseconds to find; the full
Django request cycle around it (middleware, URL resolution, sessions) costs
several times that. This WSGI wrapper takes only requests it can answer
completely: a GET of an image URI, with no session cookie, for a page whose
row is fresh in :mod:`disan.iiif.cache`: from the tile cache, or rendered
and kept there. For
those it still asks :func:`disan.iiif.lookups.check_access` (and so
:mod:`disan.access.policy`) every time, then sends the file with the
server's ``wsgi.file_wrapper``. Everything else, errors included, goes to
Django unchanged, so this module never decides what an error looks like.

Trade-off: the headers Django's middleware adds are set here from the same
settings; ``tests/iiif/test_cache_fastpath.py`` compares both answers and
fails when they part.
"""

import io
import logging
import os
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import get_script_name
from django.http import Http404
from django.http.request import split_domain_port, validate_host

from disan.iiif import images
from disan.iiif.exceptions import InvalidRequest, PyramidMissing

logger = logging.getLogger(__name__)

_IMAGE_PATH = re.compile(r"/iiif/3/images/([^/]+)/([^/]+)/([^/]+)/([^/]+)/([^/]+)")
_BLOCK = 64 * 1024


class CachedImageApplication:
    """Wrap a WSGI application; answer cached anonymous image requests first."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            answer = self._answer(environ)
        except Exception:
            # Whatever went wrong, Django answers and reports it properly.
            logger.exception("Fast path failed for %s", environ.get("PATH_INFO"))
            answer = None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, handle = answer
        start_response(status, headers)
        if handle is None:
            return []
        wrapper = environ.get("wsgi.file_wrapper")
        if wrapper is not None:
            return wrapper(handle, _BLOCK)
        return _chunks(handle)

    def _answer(self, environ):
        """Return ``(status, headers, file or None)``, or ``None`` for Django."""
        match = _IMAGE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "GET"
            or settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", "")
            or not match.group(0).isascii()
        ):
            return None
        host = environ.get("HTTP_HOST", "")
        if not validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
            return None
        # Imported here, not above: gunicorn imports this module before
        # Django has loaded the apps these need.
        from django.contrib.auth.models import AnonymousUser

        from disan.iiif import cache as iiif_cache
        from disan.iiif.lookups import check_access

        image_id, region, size, rotation, quality_format = match.groups()
        page = iiif_cache.fresh_page(image_id)
        if page is None:
            return None

        # Access first, on every request, as the Django view decides it.
        try:
            check_access(AnonymousUser(), iiif_cache.current_document(page), image_id)
            found = iiif_cache.rendering(page, region, size, rotation, quality_format)
        except (Http404, PermissionDenied, InvalidRequest, PyramidMissing):
            return None

        request, path, key, etag = found.request, found.path, found.key, found.etag
        canonical = request.canonical()
        base_url = f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
        headers = _headers(base_url + get_script_name(environ), image_id, canonical)
        headers.append(("ETag", etag))
        if etag in _if_none_match(environ.get("HTTP_IF_NONE_MATCH", "")):
            return "304 Not Modified", headers, None
        tiles = iiif_cache.tile_cache()
        handle = tiles.open(key, request.format)
        headers.append(("Content-Type", images.MEDIA_TYPES[request.format]))
        if handle is not None:
            size = os.fstat(handle.fileno()).st_size
            headers.append(("Content-Length", str(size)))
            return "200 OK", headers, handle

        # Not cached: rendered here too. A failure goes to Django, which
        # renders again and answers the error as the view does.
        try:
            body = images.render(request, page, path)
        except PyramidMissing:
            return None
        tiles.store(key, request.format, body)
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, io.BytesIO(body)


def _headers(base_url, image_id, canonical):
    # Imported here: the views module pulls in the URL configuration.
    from disan.iiif.views import image_link

    headers = [
        ("Link", image_link(base_url, image_id, canonical)),
        ("Cache-Control", "public, max-age=86400"),
        ("Access-Control-Allow-Origin", "*"),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
    ]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(
            ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
        )
    return headers


def _if_none_match(header):
    return {part.strip().removeprefix("W/") for part in header.split(",") if part}


def _chunks(handle):
    with handle:
        while block := handle.read(_BLOCK):
            yield block


def wrap(application):
    """Return ``application`` with cached image requests answered first."""
    return CachedImageApplication(application)


def serve_application():
    """Return Disan's WSGI application behind the fast path (for gunicorn)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disan.settings")
    from django.urls import get_resolver

    from disan.wsgi import application  # sets Django up

    # Load the URL configuration, and with it every view module, now rather
    # than in the first request, which would stall all the others waiting.
    get_resolver().url_patterns  # noqa: B018
    return wrap(application)

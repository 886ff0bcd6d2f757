"""Answer anonymous IIIF image requests before Django.

The full Django request cycle around a tile (middleware, URL resolution,
sessions) costs several times the tile itself. This WSGI wrapper takes only
requests it can answer completely: a GET of an image URI, with no session
cookie, answered from the stored JPEG tile, the tile cache, or rendered and
then kept there. For every one it still decides access as the view does —
:func:`disan.iiif.cache.viewable_page` for an anonymous user, with the
document's access level and status read from the database — and sends a
cached file with the server's ``wsgi.file_wrapper``. Everything else, errors
included, goes to Django unchanged, so this module never decides what an
error looks like.

Trade-off: the headers Django's middleware adds are set here from the same
settings; ``tests/iiif/test_cache_fastpath.py`` compares both answers and
fails when they part.
"""

import gc
import logging
import os
import re
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import get_script_name
from django.db import DatabaseError
from django.http import Http404
from django.http.request import split_domain_port, validate_host

from disan.iiif import images, tiles
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
        status, headers, body = answer
        start_response(status, headers)
        if body is None:
            return []
        if not hasattr(body, "fileno"):
            return body
        wrapper = environ.get("wsgi.file_wrapper")
        if wrapper is not None:
            return wrapper(body, _BLOCK)
        return _chunks(body)

    def _answer(self, environ):
        """Return ``(status, headers, body)``, or ``None`` for Django.

        The body is an open file, or an iterable of bytes.
        """
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

        # Access first, on every request, as the Django view decides it.
        image_id, region, size, rotation, quality_format = match.groups()
        try:
            page = iiif_cache.viewable_page(AnonymousUser(), image_id)
            found = iiif_cache.rendering(page, region, size, rotation, quality_format)
        except (Http404, PermissionDenied, InvalidRequest, PyramidMissing):
            return None

        request, path, key, etag = found.request, found.path, found.key, found.etag
        base_url = f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
        headers = _headers(
            base_url + get_script_name(environ), image_id, request.canonical()
        )
        headers.append(("ETag", etag))
        if etag in _if_none_match(environ.get("HTTP_IF_NONE_MATCH", "")):
            return "304 Not Modified", headers, None
        headers.append(("Content-Type", images.MEDIA_TYPES[request.format]))

        # A failure to read the pyramid goes to Django, which tries again
        # and answers the error as the view does.
        try:
            body = images.from_stored_tile(request, page, path)
            if body is not None:
                headers.append(("Content-Length", str(len(body))))
                return "200 OK", headers, [body]
            tiles = iiif_cache.tile_cache()
            handle = tiles.open(key, request.format)
            if handle is not None:
                size = os.fstat(handle.fileno()).st_size
                headers.append(("Content-Length", str(size)))
                return "200 OK", headers, handle
            body = images.render_pixels(request, page, path)
        except PyramidMissing:
            return None
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, _KeptAfterSending(body, tiles, key, request.format)

    def warm_up(self):
        """Answer, for nobody, the tile requests a viewer sends; keep nothing.

        Called in each server process before it takes a connection (see
        :mod:`disan.core.webworkers`): a fresh process otherwise spends its
        first requests opening its database connection and running each
        path of the tile code for the first time, tens of milliseconds that
        every request queued behind them waits too. The answers are
        discarded, and none is written to the tile cache. Any failure is
        logged and left to the first real request to meet again.
        """
        try:
            _warm_up_tiles(self)
        except Exception:
            logger.warning(
                "Could not answer tile requests before serving", exc_info=True
            )


class _KeptAfterSending:
    """A new rendering as a response body, put in the tile cache once sent.

    The server calls ``close()`` after the last byte went out, so the
    client does not wait for the disk.
    """

    def __init__(self, body, tiles, key, suffix):
        self.body = body
        self.kept = (tiles, key, suffix)

    def __iter__(self):
        yield self.body

    def close(self):
        tiles, key, suffix = self.kept
        tiles.store(key, suffix, self.body)


def _headers(base_url, image_id, canonical):
    # Imported here: the views module pulls in the URL configuration.
    from disan.iiif.views import image_link

    headers = [
        ("Link", image_link(base_url, image_id, canonical)),
        ("Cache-Control", f"public, max-age={settings.DISAN_PUBLIC_MAX_AGE}"),
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
    from django.db import connections
    from django.urls import get_resolver

    from disan.wsgi import application  # sets Django up

    # Load the URL configuration, and with it every view module, and the
    # JPEG codec now rather than in the first request, which would stall
    # all the others waiting.
    get_resolver().url_patterns  # noqa: B018
    tiles.jpeg_codec()
    _warm_up()
    # Loaded before the server forks its processes (--preload): none may
    # inherit a database connection.
    connections.close_all()

    # What is loaded by now lives as long as the process: the collector
    # need not walk it again, and its full passes, which stall every thread
    # of the process, stay short.
    gc.collect()
    gc.freeze()
    return wrap(application)


def _warm_up_tiles(application):
    from django.contrib.auth.models import AnonymousUser

    from disan.access.policy import published_documents
    from disan.catalog.models import Page
    from disan.iiif import cache as iiif_cache
    from disan.iiif.pyramids import pyramid_of

    page = (
        Page.objects.filter(document__in=published_documents(AnonymousUser()))
        .exclude(pyramid_path="")
        .order_by("pk")
        .first()
    )
    if page is None:
        # Nothing to serve yet: the query above opened the connection.
        return
    level = pyramid_of(images.pyramid_file(page)).levels[0]
    width = min(level.tile_width or page.width, page.width)
    height = min(level.tile_height or page.height, page.height)
    host = next(
        (name for name in settings.ALLOWED_HOSTS if name[:1] not in ("", ".", "*")),
        "localhost",
    )
    environ = {"REQUEST_METHOD": "GET", "HTTP_HOST": host, "wsgi.url_scheme": "http"}
    # A stored tile copied, and one cut off the block grid (decoded and
    # encoded again), as the fast path answers them.
    asked = [f"0,0,{width},{height}/{width},/0/default.jpg"]
    if width > 1 and height > 1:
        asked.append(f"1,1,{width - 1},{height - 1}/{width - 1},/0/default.jpg")
    for params in asked:
        environ["PATH_INFO"] = f"/iiif/3/images/{page.id}/{params}"
        answer = application._answer(environ)
        # A file from the tile cache is closed; a new rendering is dropped
        # unsent, so it is not kept.
        if answer is not None and hasattr(answer[2], "fileno"):
            answer[2].close()
    # Rendered with libvips, within one stored tile and across a level: not
    # through the fast path, which would keep the rendering in the cache.
    for region, size in (
        (f"0,0,{width},{height}", f"{max(1, width // 2)},"),
        ("full", f"{min(64, page.width)},"),
    ):
        found = iiif_cache.rendering(page, region, size, "0", "default.jpg")
        images.render_pixels(found.request, page, found.path)


def _warm_up():
    """Look up an image that does not exist, so the first real one is quick.

    The query goes the whole way through the ORM and the database driver,
    and naming a URL fills the resolver's reverse map: both are set up only
    when first used, which costs the first tile tens of milliseconds.
    """
    from django.contrib.auth.models import AnonymousUser

    from disan.iiif import cache as iiif_cache

    _headers("http://localhost", "warm-up", "full/max/0/default.jpg")
    try:
        iiif_cache.viewable_page(AnonymousUser(), str(uuid.uuid4()))
    except Http404:
        pass
    except DatabaseError as err:
        # The first request will meet it again and report it properly.
        logger.warning("Could not look an image up before serving: %s", err)

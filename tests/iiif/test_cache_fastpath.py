"""The WSGI fast path: same answers as Django for anonymous image requests."""

import io
import os
import uuid
from pathlib import Path

import pytest
import pyvips
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from disan.catalog.models import AccessLevel, DocumentStatus, HeritageDocument
from disan.derivatives.images import make_pyramid
from disan.iiif.cache import fresh_page
from disan.iiif.fastpath import CachedImageApplication, serve_application

from .conftest import SHARED

pytestmark = pytest.mark.django_db(transaction=True)

TILE = "0,0,256,256/256,/0/default.jpg"
# Added by LocaleMiddleware and the session middleware for every Django
# answer; an image does not depend on either.
DJANGO_ONLY = {"Vary", "Content-Language"}


class Recorder:
    """A Django application that records whether it was called."""

    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


def call(app, path, **extra):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "SERVER_PROTOCOL": "HTTP/1.1",
        **extra,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status
        answer["headers"] = dict(headers)

    # As a WSGI server does: the body, then close().
    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"], body


@pytest.fixture(autouse=True)
def lookup_cache_on(settings):
    """Page rows are reused for two seconds, as by default."""
    settings.DISAN_IIIF_LOOKUP_SECONDS = 2


@pytest.fixture
def page(make_document, make_page):
    return make_page(make_document(title="Lĩnh Nam chích quái"))


@pytest.fixture
def app():
    return CachedImageApplication(Recorder())


def url(page, params=TILE):
    return f"/iiif/3/images/{page.id}/{params}"


def cached_renderings():
    root = Path(settings.DISAN_HOME) / "cache" / "iiif"
    return sorted(path.name for path in root.rglob("*.*") if path.name[0] != ".")


def test_a_cached_tile_is_answered_without_django_and_alike(app, page):
    first = call(app.application, url(page))
    assert len(cached_renderings()) == 1
    second = call(app, url(page))
    assert app.application.calls == 1

    assert first[0] == second[0] == "200 OK"
    assert second[2] == first[2]
    django_headers = {k: v for k, v in first[1].items() if k not in DJANGO_ONLY}
    assert second[1] == django_headers
    assert second[1]["Content-Length"] == str(len(first[2]))


def test_a_new_rendering_is_answered_without_django_then_kept(app, page):
    first = call(app, url(page))
    assert app.application.calls == 0
    assert len(cached_renderings()) == 1
    second = call(app, url(page))
    django = call(app.application, url(page))

    assert first[0] == second[0] == django[0] == "200 OK"
    assert first[2] == second[2] == django[2]
    django_headers = {k: v for k, v in django[1].items() if k not in DJANGO_ONLY}
    assert first[1] == second[1] == django_headers


def test_an_unknown_page_goes_to_django(app, page):
    status, _, body = call(app, url(page).replace(str(page.id), str(uuid.uuid4())))
    assert app.application.calls == 1
    assert status.startswith("404")
    assert body == b"No such document or image."


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"access_level": AccessLevel.CONDITIONAL}, "401"),
        ({"access_level": AccessLevel.SECRET}, "404"),
        ({"status": DocumentStatus.PROCESSING}, "404"),
    ],
)
def test_a_page_never_asked_before_is_refused_as_by_django(
    app, make_document, make_page, fields, status
):
    page = make_page(make_document(**fields))
    answer = call(app, url(page))
    assert app.application.calls == 1
    assert answer[0].startswith(status)
    assert cached_renderings() == []


def test_304_is_answered_without_django_and_alike(app, page):
    status, headers, _ = call(app, url(page))
    call(app, url(page))
    calls = app.application.calls
    fast = call(app, url(page), HTTP_IF_NONE_MATCH=headers["ETag"])
    assert app.application.calls == calls
    assert fast[0] == "304 Not Modified"
    assert fast[2] == b""

    # The same conditional request through Django alone.
    slow = Client().get(url(page), HTTP_IF_NONE_MATCH=headers["ETag"])
    assert slow.status_code == 304
    # Django's 304 also says Content-Length: 0, a length the fast path does
    # not claim for a representation it does not send.
    expected = {
        k: v
        for k, v in slow.headers.items()
        if k not in DJANGO_ONLY | {"Content-Length"}
    }
    assert fast[1] == expected


def test_access_comes_from_the_database_not_the_cached_row(app, page):
    call(app, url(page))
    call(app, url(page))
    # A cached row that says otherwise is not believed: the level is read again.
    fresh_page(str(page.id)).document.access_level = AccessLevel.SECRET
    calls = app.application.calls
    status, _, _ = call(app, url(page))
    assert app.application.calls == calls
    assert status.startswith("200")


def test_the_fast_path_sees_a_restriction_made_in_another_process(app, page):
    call(app, url(page))
    call(app, url(page))
    HeritageDocument.objects.filter(id=page.document_id).update(
        access_level=AccessLevel.CONDITIONAL
    )
    calls = app.application.calls
    status, _, body = call(app, url(page))
    # Refused by the fast path, then answered by Django.
    assert app.application.calls == calls + 1
    assert status.startswith("401")


def test_a_document_saved_as_secret_is_refused(app, page):
    call(app, url(page))
    call(app, url(page))
    document = HeritageDocument.objects.get(id=page.document_id)
    document.access_level = AccessLevel.CONDITIONAL
    document.save()
    status, _, _ = call(app, url(page))
    assert status.startswith("401")


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"REQUEST_METHOD": "HEAD"},
        {"HTTP_HOST": "evil.example"},
    ],
)
def test_sessions_head_and_unknown_hosts_go_to_django(app, page, extra):
    call(app, url(page))
    calls = app.application.calls
    call(app, url(page), **extra)
    assert app.application.calls == calls + 1


def test_bad_requests_and_unreadable_pyramids_go_to_django(app, page, settings):
    call(app, url(page))
    calls = app.application.calls
    assert call(app, url(page, "full/max/0/default.tif"))[0].startswith("400")
    assert app.application.calls == calls + 1

    (Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path).write_bytes(b"II*")
    assert call(app, url(page, "full/max/0/default.jpg"))[0].startswith("500")
    assert app.application.calls == calls + 2


def test_a_rewritten_pyramid_is_not_answered_from_the_old_rendering(
    app, page, settings
):
    settings.DISAN_IIIF_LOOKUP_SECONDS = 0
    first = call(app, url(page))
    pyramid = Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path
    stat = pyramid.stat()
    os.utime(pyramid, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = call(app, url(page))
    assert app.application.calls == 0
    assert second[1]["ETag"] != first[1]["ETag"]
    assert len(cached_renderings()) == 2


@pytest.fixture
def scan_page(make_document, make_page, settings):
    """A page of the real Hán scan with the pyramid the derivatives app makes."""
    scan = pyvips.Image.new_from_file(
        str(SHARED / "samples" / "dai-nam-nhat-thong-chi" / "page_002.jpg")
    )
    page = make_page(make_document(), width=2000, height=1773, image=scan)
    make_pyramid(scan, Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path)
    return page


def test_a_stored_tile_is_copied_without_django_and_not_kept(app, scan_page):
    status, headers, body = call(
        app, url(scan_page, "512,256,256,256/256,/0/default.jpg")
    )

    assert app.application.calls == 0
    assert status == "200 OK"
    assert headers["Content-Length"] == str(len(body))
    assert pyvips.Image.new_from_buffer(body, "").width == 256
    # The pyramid holds it already; a copy in the cache would cost more.
    assert cached_renderings() == []
    again = Client().get(url(scan_page, "512,256,256,256/max/0/default.jpg"))
    assert again.content == body
    assert again["ETag"] == headers["ETag"]


def test_an_edge_tile_is_cut_without_django_and_not_kept(app, scan_page):
    status, _, body = call(app, url(scan_page, "1792,1536,208,237/208,/0/default.jpg"))
    assert app.application.calls == 0
    assert status == "200 OK"
    image = pyvips.Image.new_from_buffer(body, "")
    assert (image.width, image.height) == (208, 237)
    assert cached_renderings() == []


def test_serve_application_wraps_django():
    application = serve_application()
    assert isinstance(application, CachedImageApplication)
    assert isinstance(application.application, WSGIHandler)


def test_warming_up_answers_nobody_and_keeps_nothing(app, scan_page, monkeypatch):
    from disan.iiif import images

    rendered = []
    render_pixels = images.render_pixels

    def counted(request, page, path):
        rendered.append(request.canonical())
        return render_pixels(request, page, path)

    monkeypatch.setattr(images, "render_pixels", counted)
    app.warm_up()

    assert app.application.calls == 0
    assert cached_renderings() == []
    # It looked the page up as a tile request does, and rendered with libvips.
    assert fresh_page(str(scan_page.id)) is not None
    assert len(rendered) == 2


def test_warming_up_with_nothing_to_serve_only_queries(app, make_document):
    make_document(access_level=AccessLevel.SECRET)
    app.warm_up()
    assert app.application.calls == 0
    assert cached_renderings() == []


def test_warming_up_leaves_pages_anonymous_readers_may_not_see(
    app, make_document, make_page
):
    hidden = make_page(make_document(access_level=AccessLevel.CONDITIONAL))
    app.warm_up()
    assert fresh_page(str(hidden.id)) is None
    assert app.application.calls == 0


def test_a_failed_warm_up_is_logged_not_raised(app, page, caplog):
    (Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path).unlink()
    app.warm_up()
    assert "Could not answer tile requests before serving" in caplog.text
    assert app.application.calls == 0


def test_public_images_may_be_kept_as_long_as_the_setting_says(app, page, settings):
    settings.DISAN_PUBLIC_MAX_AGE = 120
    by_django = call(app.application, url(page))
    by_fast_path = call(app, url(page))

    assert app.application.calls == 1
    for _status, headers, _body in (by_django, by_fast_path):
        assert headers["Cache-Control"] == "public, max-age=120"

"""The image view with its caches: hits, ETags, headers, access."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from disan.catalog.models import AccessLevel, HeritageDocument
from disan.iiif.cache import cache_key, tile_cache

pytestmark = pytest.mark.django_db

TILE = "0,0,256,256/256,/0/default.jpg"


@pytest.fixture
def page(make_document, make_page):
    return make_page(make_document(title="Hồng Đức quốc âm thi tập"))


def url(page, params=TILE):
    return f"/iiif/3/images/{page.id}/{params}"


def cached_renderings():
    root = Path(settings.DISAN_HOME) / "cache" / "iiif"
    return sorted(path.name for path in root.rglob("*.*") if path.name[0] != ".")


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_first_request_renders_and_keeps_the_second_is_sent_from_the_file(client, page):
    first = client.get(url(page))
    assert first.status_code == 200
    assert not first.streaming
    pyramid = Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path
    stat = pyramid.stat()
    key = cache_key(
        page.id, "0,0,256,256/max/0/default.jpg", (stat.st_mtime_ns, stat.st_size)
    )
    assert cached_renderings() == [f"{key}.jpg"]

    second = client.get(url(page))
    assert second.status_code == 200
    assert second.streaming
    assert second["Content-Type"] == "image/jpeg"
    assert second["ETag"] == first["ETag"] == f'"{key[:32]}"'
    assert body(second) == first.content
    assert second["Access-Control-Allow-Origin"] == "*"


def test_equivalent_requests_share_one_rendering(client, page):
    client.get(url(page, "0,0,256,256/max/0/default.jpg"))
    client.get(url(page, "0,0,256,256/256,256/0/default.jpg"))
    client.get(url(page, "0,0,256,256/256,/0/default.jpg"))
    assert len(cached_renderings()) == 1


def test_if_none_match_gets_304_without_a_body(client, page):
    etag = client.get(url(page))["ETag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}'):
        again = client.get(url(page), HTTP_IF_NONE_MATCH=header)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag
        assert again["Cache-Control"] == "public, max-age=3600"
    assert client.get(url(page), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_head_of_a_cached_rendering_has_the_length_of_the_get(client, page):
    get = client.get(url(page))
    head = client.head(url(page))
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(get.content))
    assert head.content == b""


def test_public_tiles_are_public_restricted_tiles_private(
    client, make_document, make_page, secret_reader
):
    public = make_page(make_document())
    secret = make_page(make_document(access_level=AccessLevel.SECRET))
    client.force_login(secret_reader)

    for attempt in range(2):
        response = client.get(url(public))
        assert response["Cache-Control"] == "public, max-age=3600"
        response = client.get(url(secret))
        assert response.status_code == 200
        assert response.streaming is (attempt == 1)
        assert response["Cache-Control"] == "private, max-age=3600"
        assert "Cookie" in response["Vary"]


def test_a_cached_tile_of_a_document_made_restricted_is_refused(client, page):
    assert client.get(url(page)).status_code == 200
    assert len(cached_renderings()) == 1

    document = page.document
    document.access_level = AccessLevel.CONDITIONAL
    document.save()

    response = client.get(url(page))
    assert response.status_code == 401
    assert response.content.decode().splitlines() == [
        "Tài liệu này không công khai: hãy đăng nhập bằng tài khoản được phép xem"
        " tài liệu.",
        "This document is not public: log in with an account allowed to see it.",
    ]
    assert response["Cache-Control"] == "no-store"
    assert len(cached_renderings()) == 1


def test_access_is_read_again_when_row_reuse_is_off(client, page, settings):
    """Without the page cache, even a change no signal reports is seen."""
    settings.DISAN_IIIF_LOOKUP_SECONDS = 0
    assert client.get(url(page)).status_code == 200
    HeritageDocument.objects.filter(id=page.document_id).update(
        access_level=AccessLevel.CONDITIONAL
    )
    assert client.get(url(page)).status_code == 401


def test_access_is_read_again_even_while_rows_are_reused(client, page, settings):
    """A change no signal reports (another process) is seen at the next tile."""
    settings.DISAN_IIIF_LOOKUP_SECONDS = 3600
    assert client.get(url(page)).status_code == 200
    HeritageDocument.objects.filter(id=page.document_id).update(
        access_level=AccessLevel.CONDITIONAL
    )
    assert client.get(url(page)).status_code == 401
    HeritageDocument.objects.filter(id=page.document_id).update(
        access_level=AccessLevel.SECRET
    )
    assert client.get(url(page)).status_code == 404


def test_access_is_decided_before_the_cache_is_read(client, page, monkeypatch):
    client.get(url(page))
    page.document.access_level = AccessLevel.CONDITIONAL
    page.document.save()
    opened = []
    cache = tile_cache()
    monkeypatch.setattr(cache, "open", lambda *args: opened.append(args))
    assert client.get(url(page)).status_code == 401
    assert opened == []


def test_rewritten_pyramid_gets_a_new_tag_and_rendering(client, page, settings):
    settings.DISAN_IIIF_LOOKUP_SECONDS = 0
    first = client.get(url(page))
    pyramid = Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path
    stat = pyramid.stat()
    os.utime(pyramid, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    second = client.get(url(page), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert len(cached_renderings()) == 2


def test_cache_off_renders_every_time(client, page, settings):
    settings.DISAN_IIIF_CACHE_BYTES = 0
    assert not client.get(url(page)).streaming
    assert not client.get(url(page)).streaming
    assert cached_renderings() == []

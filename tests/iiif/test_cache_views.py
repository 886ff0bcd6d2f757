"""The image view with its caches: hits, ETags, headers, access, stored tiles."""

import os
from pathlib import Path

import pytest
import pyvips
from django.conf import settings

from disan.catalog.models import AccessLevel, HeritageDocument
from disan.derivatives.images import make_pyramid
from disan.iiif import images
from disan.iiif.cache import cache_key, tile_cache
from disan.iiif.parameters import parse_image_request

from .conftest import SHARED

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
        assert again["Cache-Control"] == "public, max-age=86400"
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
        assert response["Cache-Control"] == "public, max-age=86400"
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
    assert response.content == (
        b"This document is not public: log in with an account allowed to see it."
    )
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


@pytest.fixture
def scan_page(make_document, make_page):
    """A page of the real 2000x1773 Hán scan, its pyramid made at ingest."""
    scan = pyvips.Image.new_from_file(
        str(SHARED / "samples" / "dai-nam-nhat-thong-chi" / "page_001.jpg")
    )
    page = make_page(
        make_document(title="Đại Nam nhất thống chí, quyển 1"),
        width=2000,
        height=1773,
        image=scan,
    )
    make_pyramid(scan, Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path)
    return page


def request_for(page, region, size, quality_format="default.jpg", rotation="0"):
    return parse_image_request(
        region, size, rotation, quality_format, width=page.width, height=page.height
    )


@pytest.mark.parametrize(
    ("region", "size", "level", "left", "top"),
    [
        ("256,512,256,256", "256,", 0, 256, 512),
        ("1536,1536,256,237", "256,", None, None, None),
        ("1024,0,976,1024", "244,", None, None, None),
        ("512,0,512,512", "256,", 1, 256, 0),
        ("0,0,1024,1024", "256,", 2, 0, 0),
        ("0,0,2000,1773", "250,", 3, 0, 0),
    ],
)
def test_aligned_whole_tiles_are_the_stored_jpeg(
    scan_page, region, size, level, left, top
):
    path = Path(settings.DISAN_DERIVATIVES_ROOT) / scan_page.pyramid_path
    stored = images.stored_tile(path, request_for(scan_page, region, size), scan_page)
    if level is None or size == "250,":
        # Edge tiles and the single top tile (250x221, padded to 256) are
        # cut, not copied.
        assert stored is None
        return
    tile = pyvips.Image.new_from_buffer(stored, "")
    assert (tile.width, tile.height, tile.bands) == (256, 256, 3)
    expected = pyvips.Image.tiffload(str(path), page=level).crop(left, top, 256, 256)
    assert (tile - expected).abs().max() == 0


@pytest.mark.parametrize(
    ("quality_format", "rotation"),
    [
        ("default.png", "0"),
        ("gray.jpg", "0"),
        ("default.jpg", "!0"),
        ("default.jpg", "90"),
    ],
)
def test_other_renderings_of_an_aligned_tile_are_not_copied(
    scan_page, quality_format, rotation
):
    path = Path(settings.DISAN_DERIVATIVES_ROOT) / scan_page.pyramid_path
    request = request_for(scan_page, "0,0,256,256", "256,", quality_format, rotation)
    assert images.stored_tile(path, request, scan_page) is None


def test_rgb_jpeg_levels_are_rendered_not_copied(page):
    """Tiles kept as RGB (not YCbCr) JPEG would be read with wrong colours."""
    path = Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path
    request = request_for(page, "0,0,256,256", "256,")
    assert images.stored_tile(path, request, page) is None


def test_a_copied_tile_is_served_like_a_rendered_one(client, scan_page):
    response = client.get(url(scan_page, "256,512,256,256/256,/0/default.jpg"))
    path = Path(settings.DISAN_DERIVATIVES_ROOT) / scan_page.pyramid_path
    request = request_for(scan_page, "256,512,256,256", "256,")
    assert response.content == images.stored_tile(path, request, scan_page)
    assert response["Content-Type"] == "image/jpeg"


def test_sub_ifd_pyramid_tiles_are_rendered(make_document, make_page):
    page = make_page(make_document(), subifd=True)
    path = Path(settings.DISAN_DERIVATIVES_ROOT) / page.pyramid_path
    assert (
        images.stored_tile(path, request_for(page, "0,0,256,256", "256,"), page) is None
    )
    data = images.render(request_for(page, "0,0,256,256", "256,"), page)
    assert pyvips.Image.new_from_buffer(data, "").width == 256


def test_a_truncated_pyramid_is_reported_not_copied(scan_page):
    path = Path(settings.DISAN_DERIVATIVES_ROOT) / scan_page.pyramid_path
    path.write_bytes(path.read_bytes()[:4096])
    with pytest.raises(images.PyramidMissing) as raised:
        images.render(request_for(scan_page, "256,512,256,256", "256,"), scan_page)
    assert str(raised.value).startswith(
        f"The pyramidal TIFF of page {scan_page.id} at {path} cannot be read ("
    )

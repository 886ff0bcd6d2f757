"""Thumbnails and downloads: served from derivatives, 404 when not allowed."""

import re
import uuid

import pyvips
from django.conf import settings
from django.urls import reverse

from tests.portal.factories import (
    PYRAMID_WIDTH,
    make_user,
    pyramid_bytes,
    thumbnail_bytes,
)


def _urls(document):
    page = document.pages.get(sequence=1)
    thumb = reverse("portal:page-thumbnail", args=[document.pk, page.pk])
    download = reverse("portal:page-download", args=[document.pk, page.pk])
    return page, thumb, download


def test_thumbnail_is_the_derivative_file(client, library):
    _, thumb, _ = _urls(library["printed"])
    response = client.get(thumb)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert b"".join(response.streaming_content) == thumbnail_bytes()


def test_download_is_full_size_jpeg_named_after_the_title(client, library):
    page, _, download = _urls(library["printed"])
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        'attachment; filename="Ha Noi dia du - 001.jpg"; '
        "filename*=UTF-8''H%C3%A0%20N%E1%BB%99i%20%C4%91%E1%BB%8Ba%20d%C6%B0%20-%20001.jpg"
    )
    image = pyvips.Image.new_from_buffer(response.content, "")
    source = pyvips.Image.new_from_buffer(pyramid_bytes(), "")
    assert (image.width, image.height) == (PYRAMID_WIDTH, source.height)
    assert image.get("vips-loader") == "jpegload_buffer"


def _without_token(response):
    """The page body less what differs on every answer: the CSRF token, and
    the requested path itself (the login and language forms return to it)."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    path = response.request["PATH_INFO"].encode()
    return body.replace(path, b"PATH")


def test_hidden_documents_give_the_same_404_as_missing_pages(client, library):
    missing = client.get(
        reverse("portal:page-thumbnail", args=[library["printed"].pk, uuid.uuid4()])
    )
    assert missing.status_code == 404
    for key in ("conditional", "secret"):
        _, thumb, download = _urls(library[key])
        for url in (thumb, download):
            response = client.get(url)
            assert response.status_code == 404, (key, url)
            assert _without_token(response) == _without_token(missing)


def test_page_of_another_document_is_404(client, library):
    page = library["printed"].pages.get(sequence=1)
    url = reverse("portal:page-thumbnail", args=[library["han_nom"].pk, page.pk])
    assert client.get(url).status_code == 404


def test_secret_files_are_served_privately_to_permitted_user(client, library):
    client.force_login(make_user("cán-bộ-lưu-trữ", "view_secret_document"))
    _, thumb, download = _urls(library["secret"])
    response = client.get(thumb)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(download).status_code == 200


def test_missing_derivative_file_is_404(client, library):
    page, thumb, download = _urls(library["printed"])
    (settings.DISAN_DERIVATIVES_ROOT / page.thumbnail_path).unlink()
    (settings.DISAN_DERIVATIVES_ROOT / page.pyramid_path).unlink()
    assert client.get(thumb).status_code == 404
    assert client.get(download).status_code == 404


def test_derivative_path_outside_the_root_is_refused(client, library):
    page, thumb, _ = _urls(library["printed"])
    outside = settings.DISAN_HOME / "secret_key_copy.jpg"
    outside.write_bytes(b"not for you")
    page.thumbnail_path = "../secret_key_copy.jpg"
    page.save()
    assert client.get(thumb).status_code == 404


def test_truncated_pyramid_gives_a_server_error_naming_the_file(client, library):
    page, _, download = _urls(library["printed"])
    path = settings.DISAN_DERIVATIVES_ROOT / page.pyramid_path
    path.write_bytes(pyramid_bytes()[:200])
    client.raise_request_exception = True
    try:
        client.get(download)
    except OSError as err:
        assert str(path) in str(err)
        assert "make the page's derivatives again" in str(err)
    else:
        raise AssertionError("a truncated pyramid was served")

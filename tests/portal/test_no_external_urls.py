"""Nothing the portal renders or ships loads from another host (no CDN)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.portal.factories import make_user

PORTAL = Path(__file__).resolve().parents[2] / "disan" / "portal"
TARGETS = Path(__file__).resolve().parents[2] / "disan" / "targets"
URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s\"'<>)]*")
HOST = re.compile(r"^(?:https?:)?//([^/:]+)")
# Files whose URLs are licence text.
LICENCES = {"LICENSE.txt"}
# URLs inside the vendored OpenSeadragon build, each with why it is harmless:
# IIIF and Deep Zoom identifiers compared with what an info.json declares
# (never fetched), the project site in the licence banner, a link in a
# console warning, and the default of the OpenStreetMap tile source, which
# Disan never configures.
OPENSEADRAGON_URLS = {
    "http://iiif.io/api/image",
    "http://iiif.io/api/image/1.0/context.json",
    "http://iiif.io/api/image/1/context.json",
    "http://iiif.io/api/image/2/context.json",
    "http://iiif.io/api/image/2/level0.json",
    "http://iiif.io/api/image/3/context.json",
    "https://iiif.io/api/image/3/level0.json",
    "http://library.stanford.edu/iiif/image-api/1.1/compliance.html",
    "http://library.stanford.edu/iiif/image-api/1.1/context.json",
    "http://library.stanford.edu/iiif/image-api/compliance.html",
    "http://library.stanford.edu/iiif/image-api/compliance.html#level0",
    "http://library.stanford.edu/iiif/image-api/1.1/compliance.html#level0",
    "http://library.stanford.edu/iiif/image-api/ns/",
    "http://schemas.microsoft.com/deepzoom/2008",
    "http://openseadragon.github.io",
    "http://openseadragon.github.io/license/",
    "https://openseadragon.github.io/examples/advanced-data-model/",
    "http://tile.openstreetmap.org/",
}


def _external(text):
    """Return URLs in ``text`` that point at a host other than the test server."""
    found = set()
    for url in URL.findall(text):
        host = HOST.match(url).group(1)
        if host not in {"testserver", "localhost", "127.0.0.1"}:
            found.add(url)
    return found


def _shipped_text_files():
    for root in (PORTAL / "static", PORTAL / "templates", TARGETS / "templates"):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {
                ".js",
                ".css",
                ".html",
                ".txt",
                ".svg",
            }:
                yield path


def test_static_files_and_templates_name_no_other_host():
    checked = 0
    for path in _shipped_text_files():
        checked += 1
        if path.name in LICENCES:
            continue
        urls = _external(path.read_text(encoding="utf-8"))
        if path.parent.name == "openseadragon":
            urls = {url.rstrip(".,;") for url in urls} - OPENSEADRAGON_URLS
        assert urls == set(), path
    assert checked >= 14


def test_vendored_openseadragon_is_complete():
    folder = PORTAL / "static" / "vendor" / "openseadragon"
    assert (
        (folder / "openseadragon.min.js")
        .read_text()
        .startswith("//! openseadragon 6.1.1")
    )
    assert (
        "BSD" in (folder / "LICENSE.txt").read_text()
        or "Redistribution" in (folder / "LICENSE.txt").read_text()
    )
    assert len(list((folder / "images").glob("*.png"))) == 40


@pytest.mark.parametrize("language", ["vi", "en"])
def test_rendered_pages_name_no_other_host(client, library, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    client.force_login(make_user("kiểm-tra", "view_secret_document"))
    doc = library["han_nom"]
    urls = [
        "/",
        "/search/",
        "/search/?q=Hà+Nội",
        reverse("portal:document", args=[doc.pk]),
        reverse("portal:collection", args=["dia-chi"]),
        "/progress/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _external(response.content.decode()) == set(), url
    client.logout()
    response = client.get("/accounts/login/")
    assert _external(response.content.decode()) == set()

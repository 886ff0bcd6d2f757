"""HTTP behaviour of the image service: info.json, images, errors, access."""

import json

import pytest
import pyvips
from django.urls import reverse

from disan.catalog.models import AccessLevel, DocumentStatus

pytestmark = pytest.mark.django_db

IMAGE_PROFILE = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
UNKNOWN = "0b3b0c6e-5a55-4f0e-9c1e-2f8f3c6a1d00"


@pytest.fixture
def page(make_document, make_page):
    return make_page(make_document())


def image_url(image_id, params="full/max/0/default.jpg"):
    return f"/iiif/3/images/{image_id}/{params}"


def test_info_json(client, page):
    response = client.get(f"/iiif/3/images/{page.id}/info.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert json.loads(response.content) == {
        "@context": "http://iiif.io/api/image/3/context.json",
        "id": f"http://testserver/iiif/3/images/{page.id}",
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": 1000,
        "height": 700,
        "maxArea": 36_000_000,
        "sizes": [{"width": 250, "height": 175}, {"width": 500, "height": 350}],
        "tiles": [{"width": 256, "scaleFactors": [1, 2, 4]}],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFormats": ["webp"],
        "extraFeatures": [
            "mirroring",
            "rotationArbitrary",
            "sizeUpscaling",
            "canonicalLinkHeader",
            "profileLinkHeader",
        ],
    }


def test_info_json_as_json_ld_when_accepted(client, page):
    response = client.get(
        f"/iiif/3/images/{page.id}/info.json", HTTP_ACCEPT="application/ld+json"
    )
    assert response["Content-Type"] == IMAGE_PROFILE


def test_info_json_uses_the_recorded_size_and_tile_setting(client, page, settings):
    """The size comes from the page row, not from the image file."""
    page.width, page.height = 3000, 2000
    page.save()
    settings.DISAN_TILE_SIZE = 512
    info = json.loads(client.get(f"/iiif/3/images/{page.id}/info.json").content)
    assert (info["width"], info["height"]) == (3000, 2000)
    assert info["tiles"] == [{"width": 512, "scaleFactors": [1, 2, 4, 8]}]
    assert info["sizes"][0] == {"width": 375, "height": 250}


def test_base_uri_redirects_to_info_json(client, page):
    response = client.get(f"/iiif/3/images/{page.id}")
    assert response.status_code == 303
    assert response["Location"] == f"/iiif/3/images/{page.id}/info.json"


@pytest.mark.parametrize(
    ("params", "content_type", "size", "bands"),
    [
        ("full/max/0/default.jpg", "image/jpeg", (1000, 700), 3),
        ("0,0,256,256/256,/0/default.jpg", "image/jpeg", (256, 256), 3),
        ("full/pct:50/0/default.jpg", "image/jpeg", (500, 350), 3),
        ("full/!200,200/0/default.jpg", "image/jpeg", (200, 140), 3),
        ("square/max/0/default.jpg", "image/jpeg", (700, 700), 3),
        ("full/max/90/default.jpg", "image/jpeg", (700, 1000), 3),
        ("full/pct:20/!0/gray.png", "image/png", (200, 140), 1),
        ("full/%5E1100,/0/default.jpg", "image/jpeg", (1100, 770), 3),
        ("pct:50,50,50,50/max/0/color.webp", "image/webp", (500, 350), 3),
    ],
)
def test_image_request(client, page, params, content_type, size, bands):
    response = client.get(image_url(page.id, params))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    image = pyvips.Image.new_from_buffer(response.content, "")
    assert (image.width, image.height, image.bands) == (*size, bands)


def test_image_headers_and_conditional_get(client, page):
    response = client.get(image_url(page.id, "pct:0,0,100,100/1000,/0/default.jpg"))

    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Link"] == (
        f"<http://testserver/iiif/3/images/{page.id}/full/max/0/default.jpg>;"
        'rel="canonical", <http://iiif.io/api/image/3/level2.json>;rel="profile"'
    )
    etag = response["ETag"]
    assert len(etag) == 34

    # The same image asked in its canonical form shares the tag.
    again = client.get(image_url(page.id), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    other = client.get(image_url(page.id, "full/max/90/default.jpg"))
    assert other["ETag"] != etag


def test_head_answers_like_get_without_a_body(client, page):
    get = client.get(image_url(page.id, "full/pct:10/0/default.png"))
    head = client.head(image_url(page.id, "full/pct:10/0/default.png"))
    assert head.status_code == 200
    assert head["Content-Type"] == "image/png"
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


def test_post_is_not_allowed(client, page):
    assert client.post(image_url(page.id)).status_code == 405


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            "full/max/0/default.tif",
            "Format 'tif' is not offered; use one of jpg, png, webp.",
        ),
        (
            "2000,0,10,10/max/0/default.jpg",
            "Region '2000,0,10,10' lies outside the image, which is 1000x700 pixels.",
        ),
        (
            "full/2000,/0/default.jpg",
            "Size '2000,' is larger than the region (1000x700); add ^ to ask for "
            "upscaling.",
        ),
        (
            "full/max/45x/default.jpg",
            "Rotation '45x' is not valid: use a number of degrees from 0 to 360, "
            "optionally after ! to mirror.",
        ),
        (
            "full/%5E20000,20000/0/default.jpg",
            "Size '^20000,20000' gives 20000x20000 pixels, more than the 36000000 this "
            "service returns; ask for a smaller size.",
        ),
    ],
)
def test_bad_requests_get_400_with_a_plain_message(client, page, params, message):
    response = client.get(image_url(page.id, params))
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content.decode() == message


@pytest.mark.parametrize("image_id", [UNKNOWN, "not-a-uuid"])
def test_unknown_image_is_404(client, image_id):
    for url in (
        f"/iiif/3/images/{image_id}/info.json",
        image_url(image_id),
        f"/iiif/3/images/{image_id}",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response.content == b"No such document or image."
        assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "status",
    [DocumentStatus.RECORDED, DocumentStatus.PROCESSING, DocumentStatus.FAILED],
)
def test_document_not_online_is_404(client, make_document, make_page, status):
    page = make_page(make_document(status=status))
    assert client.get(f"/iiif/3/images/{page.id}/info.json").status_code == 404
    assert client.get(image_url(page.id)).status_code == 404


def hidden_urls(document, page):
    return [
        f"/iiif/3/images/{page.id}",
        f"/iiif/3/images/{page.id}/info.json",
        image_url(page.id, "0,0,256,256/256,/0/default.jpg"),
        image_url(page.id),
        reverse("iiif:manifest", args=[document.id]),
        reverse("iiif:page-text", args=[document.id, page.id]),
    ]


# Refusals of restricted documents (401, 403) are tested in test_auth.py.


@pytest.mark.parametrize("level", [AccessLevel.CONDITIONAL, AccessLevel.SECRET])
def test_restricted_document_is_served_to_a_permitted_reader(
    client, make_document, make_page, secret_reader, level
):
    document = make_document(access_level=level)
    page = make_page(document, ocr_text="Hà Nội")
    client.force_login(secret_reader)
    for url in hidden_urls(document, page):
        response = client.get(url)
        assert response.status_code in (200, 303), url
    response = client.get(image_url(page.id))
    assert response["Cache-Control"] == "private, max-age=3600"
    assert "Cookie" in [part.strip() for part in response["Vary"].split(",")]


def test_missing_pyramid_is_a_server_error_without_paths(client, page, settings):
    (settings.DISAN_DERIVATIVES_ROOT / page.pyramid_path).unlink()
    response = client.get(image_url(page.id))
    assert response.status_code == 500
    assert response.content == b"This image cannot be read at the moment."


def test_page_text_is_plain_utf8_nfc(client, make_document, make_page):
    document = make_document()
    # NFD input: "Hà Nội" with combining marks.
    page = make_page(document, ocr_text="Ha\u0300 No\u0323\u0302i\n大南一統志 𠀧")
    response = client.get(reverse("iiif:page-text", args=[document.id, page.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode("utf-8") == "Hà Nội\n大南一統志 𠀧"


def test_page_text_of_another_documents_page_is_404(client, make_document, make_page):
    first, second = make_document(), make_document()
    page = make_page(first, ocr_text="Thăng Long")
    url = reverse("iiif:page-text", args=[second.id, page.id])
    assert client.get(url).status_code == 404


def test_info_json_and_manifest_never_open_the_image(client, page, settings):
    """Sizes come from the page row: both answer with the pyramid gone."""
    (settings.DISAN_DERIVATIVES_ROOT / page.pyramid_path).unlink()
    info = client.get(f"/iiif/3/images/{page.id}/info.json")
    assert (info.status_code, info.json()["width"], info.json()["height"]) == (
        200,
        1000,
        700,
    )
    manifest = client.get(reverse("iiif:manifest", args=[page.document_id]))
    canvas = manifest.json()["items"][0]
    assert (canvas["width"], canvas["height"]) == (1000, 700)

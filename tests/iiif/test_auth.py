"""IIIF Authorization Flow 2.0: every path of a restricted document, per user."""

import json
import re

import pytest
from django.urls import reverse

from disan.catalog.models import AccessLevel
from disan.iiif import auth

pytestmark = pytest.mark.django_db

AUTH_CONTEXT = "http://iiif.io/api/auth/2/context.json"
SECRET_TEXT = "Bản đồ đê sông Hồng, mật"
LOGIN_TEXT = (
    "Tài liệu này không công khai: hãy đăng nhập bằng tài khoản được phép xem"
    " tài liệu.\n"
    "This document is not public: log in with an account allowed to see it.\n"
).encode()
REFUSED_TEXT = (
    "Tài khoản của bạn không được phép xem tài liệu này.\n"
    "Your account is not allowed to see this document.\n"
).encode()


def _restricted(level, make_document, make_page):
    document = make_document(access_level=level, title="Hồ sơ mật về đê điều")
    page = make_page(document, ocr_text=SECRET_TEXT)
    page.ocr_lines = [
        {"text": SECRET_TEXT, "bbox": [10, 20, 300, 40], "words": []},
    ]
    page.save(update_fields=["ocr_lines"])
    return document, page


@pytest.fixture
def secret(make_document, make_page):
    """A secret document: to anyone refused, it does not exist."""
    return _restricted(AccessLevel.SECRET, make_document, make_page)


@pytest.fixture(params=[AccessLevel.CONDITIONAL])
def restricted(request, make_document, make_page):
    """A conditional document: refused readers are shown the login flow."""
    return _restricted(request.param, make_document, make_page)


@pytest.fixture(params=[AccessLevel.CONDITIONAL, AccessLevel.SECRET])
def any_restricted(request, make_document, make_page):
    return _restricted(request.param, make_document, make_page)


@pytest.fixture
def outsider(django_user_model):
    """A logged-in reader with no permission on restricted documents."""
    return django_user_model.objects.create_user("trần.văn.bình", password="mật-khẩu-1")


def content_urls(document, page):
    """Every URL that shows something of a document or its page."""
    image = f"/iiif/3/images/{page.id}"
    return [
        image,
        f"{image}/info.json",
        f"{image}/0,0,256,256/256,/0/default.jpg",
        f"{image}/full/max/0/default.jpg",
        f"{image}/full/!200,200/0/default.png",
        reverse("iiif:manifest", args=[document.id]),
        reverse("iiif:page-text", args=[document.id, page.id]),
        reverse("iiif:page-alto", args=[document.id, page.id]),
    ]


def assert_nothing_leaks(response, document, page):
    body = response.content.decode("utf-8")
    for secret in (document.title, SECRET_TEXT, '"width"', '"height"', '"sizes"'):
        assert secret not in body


def test_anonymous_gets_401_on_every_path(client, restricted):
    document, page = restricted
    for url in content_urls(document, page):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["Cache-Control"] == "no-store", url
        assert response["WWW-Authenticate"] == 'IIIF-Auth realm="Disan"', url
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert_nothing_leaks(response, document, page)
        if not url.endswith("info.json"):
            assert response.content == LOGIN_TEXT, url


def test_reader_without_permission_gets_403_on_every_path(client, restricted, outsider):
    document, page = restricted
    client.force_login(outsider)
    for url in content_urls(document, page):
        response = client.get(url)
        assert response.status_code == 403, url
        assert_nothing_leaks(response, document, page)
        if not url.endswith("info.json"):
            assert response.content == REFUSED_TEXT, url


def test_secret_documents_are_not_found_by_anyone_refused(client, secret, outsider):
    document, page = secret
    for user in (None, outsider):
        if user is not None:
            client.force_login(user)
        for url in [*content_urls(document, page), f"/iiif/3/images/{page.id}/probe"]:
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert_nothing_leaks(response, document, page)


def test_permitted_reader_gets_every_path(client, any_restricted, secret_reader):
    document, page = any_restricted
    client.force_login(secret_reader)
    statuses = [client.get(url).status_code for url in content_urls(document, page)]
    assert statuses == [303, 200, 200, 200, 200, 200, 200, 200]


def test_refused_info_json_holds_only_the_auth_services(client, restricted):
    document, page = restricted
    response = client.get(f"/iiif/3/images/{page.id}/info.json")
    info = json.loads(response.content)
    base = "http://testserver/iiif/3"
    assert info == {
        "@context": "http://iiif.io/api/image/3/context.json",
        "id": f"{base}/images/{page.id}",
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "service": [
            {
                "id": f"{base}/images/{page.id}/probe",
                "type": "AuthProbeService2",
                "service": [
                    {
                        "id": f"{base}/auth/access",
                        "type": "AuthAccessService2",
                        "profile": "active",
                        "label": {
                            "vi": ["Đăng nhập Di sản"],
                            "en": ["Log in to Disan"],
                        },
                        "heading": {
                            "vi": ["Tài liệu này không công khai"],
                            "en": ["This document is not public"],
                        },
                        "note": {
                            "vi": [
                                "Đăng nhập bằng tài khoản được phép xem tài liệu này."
                            ],
                            "en": [
                                "Log in with an account allowed to see this document."
                            ],
                        },
                        "confirmLabel": {"vi": ["Đăng nhập"], "en": ["Log in"]},
                        "service": [
                            {
                                "id": f"{base}/auth/token",
                                "type": "AuthAccessTokenService2",
                            },
                            {
                                "id": f"{base}/auth/logout",
                                "type": "AuthLogoutService2",
                                "label": {
                                    "vi": ["Đăng xuất khỏi Di sản"],
                                    "en": ["Log out of Disan"],
                                },
                            },
                        ],
                    }
                ],
            }
        ],
    }


def test_permitted_info_json_and_manifest_announce_the_probe(
    client, restricted, secret_reader
):
    document, page = restricted
    client.force_login(secret_reader)
    info = client.get(f"/iiif/3/images/{page.id}/info.json").json()
    probe_id = f"http://testserver/iiif/3/images/{page.id}/probe"
    assert (info["width"], info["height"]) == (1000, 700)
    assert [service["id"] for service in info["service"]] == [probe_id]

    manifest = client.get(reverse("iiif:manifest", args=[document.id])).json()
    body = manifest["items"][0]["items"][0]["items"][0]["body"]
    assert [service["type"] for service in body["service"]] == [
        "ImageService3",
        "AuthProbeService2",
    ]
    assert body["service"][1]["id"] == probe_id
    assert manifest["thumbnail"][0]["service"][1]["id"] == probe_id


def test_public_image_has_no_auth_services(client, make_document, make_page):
    page = make_page(make_document())
    info = client.get(f"/iiif/3/images/{page.id}/info.json").json()
    assert "service" not in info
    probe = client.get(f"/iiif/3/images/{page.id}/probe")
    assert probe.json() == {
        "@context": AUTH_CONTEXT,
        "type": "AuthProbeResult2",
        "status": 200,
    }


def probe(client, page, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get(f"/iiif/3/images/{page.id}/probe", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_probe_answers_200_with_the_status_for_each_user(
    client, restricted, outsider, secret_reader
):
    _, page = restricted
    anonymous = probe(client, page)
    assert anonymous == {
        "@context": AUTH_CONTEXT,
        "type": "AuthProbeResult2",
        "status": 401,
        "heading": {
            "vi": ["Tài liệu này không công khai"],
            "en": ["This document is not public"],
        },
        "note": {
            "vi": ["Đăng nhập bằng tài khoản được phép xem tài liệu này."],
            "en": ["Log in with an account allowed to see this document."],
        },
    }
    client.force_login(outsider)
    refused = probe(client, page)
    assert (refused["status"], refused["heading"]["en"]) == (
        403,
        ["Your account may not see this"],
    )
    client.force_login(secret_reader)
    assert probe(client, page)["status"] == 200


def test_probe_of_unknown_image_is_404(client):
    response = client.get("/iiif/3/images/0b3b0c6e-5a55-4f0e-9c1e-2f8f3c6a1d00/probe")
    assert response.status_code == 404


def test_probe_preflight_allows_the_authorization_header(client, restricted):
    _, page = restricted
    response = client.options(f"/iiif/3/images/{page.id}/probe")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Headers"] == "Authorization"
    assert response["Access-Control-Allow-Origin"] == "*"


def token_message(response):
    """Read the message and origin the token page posts to its parent."""
    html = response.content.decode("utf-8")
    found = {
        name: json.loads(text)
        for name, text in re.findall(
            r'<script id="iiif-token-(message|origin)" type="application/json">'
            r"(.*?)</script>",
            html,
        )
    }
    return found["message"], found["origin"]


def test_token_service_posts_a_token_that_opens_the_probe(
    client, restricted, secret_reader, django_user_model
):
    _, page = restricted
    client.force_login(secret_reader)
    response = client.get(
        "/iiif/3/auth/token",
        {"messageId": "tin-nhắn-1", "origin": "https://viewer.example.org"},
    )
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    message, origin = token_message(response)
    assert origin == "https://viewer.example.org"
    assert message["type"] == "AuthAccessToken2"
    assert message["messageId"] == "tin-nhắn-1"
    assert message["expiresIn"] == 3600
    assert message["@context"] == AUTH_CONTEXT

    # A viewer elsewhere holds only the token, not the session cookie.
    client.logout()
    assert probe(client, page)["status"] == 401
    assert probe(client, page, message["accessToken"])["status"] == 200
    assert probe(client, page, message["accessToken"] + "x")["status"] == 401


def test_token_service_without_login_posts_an_error(client):
    response = client.get(
        "/iiif/3/auth/token", {"messageId": "7", "origin": "http://localhost:8080"}
    )
    message, origin = token_message(response)
    assert origin == "http://localhost:8080"
    assert (message["type"], message["profile"], message["messageId"]) == (
        "AuthAccessTokenError2",
        "missingAspect",
        "7",
    )


@pytest.mark.parametrize(
    "params",
    [
        {"origin": "https://viewer.example.org"},
        {"messageId": "1"},
        {"messageId": "1", "origin": "javascript:alert(1)"},
        {"messageId": "1", "origin": "https://viewer.example.org/trang?x=1"},
        {"messageId": "1", "origin": "https://a:b@viewer.example.org"},
        {"messageId": "1", "origin": "https://viewer.example.org:99999"},
    ],
)
def test_token_service_refuses_bad_parameters(client, params):
    response = client.get("/iiif/3/auth/token", params)
    assert response.status_code == 400
    assert response.content.startswith(b"The token service needs messageId and origin")


def test_token_is_revoked_by_a_password_change(client, restricted, secret_reader):
    _, page = restricted
    token = auth.issue_token(secret_reader)
    assert probe(client, page, token)["status"] == 200
    secret_reader.set_password("mật-khẩu-mới")
    secret_reader.save()
    assert probe(client, page, token)["status"] == 401


def test_token_expires(client, restricted, secret_reader, settings):
    _, page = restricted
    token = auth.issue_token(secret_reader)
    settings.DISAN_IIIF_TOKEN_SECONDS = -1
    assert probe(client, page, token)["status"] == 401


def test_access_service_sends_to_login_then_closes(client, outsider):
    response = client.get("/iiif/3/auth/access", {"origin": "https://v.example.org"})
    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/login/?next=%2Fiiif%2F3%2Fauth%2Faccess%3Forigin%3D"
        "https%253A%252F%252Fv.example.org"
    )
    client.force_login(outsider)
    response = client.get("/iiif/3/auth/access", {"origin": "https://v.example.org"})
    assert response.status_code == 200
    assert b"window.close()" in response.content


def test_login_form_returns_to_the_access_service(client, outsider):
    response = client.post(
        "/accounts/login/?next=/iiif/3/auth/access",
        {"username": "trần.văn.bình", "password": "mật-khẩu-1"},
    )
    assert (response.status_code, response["Location"]) == (302, "/iiif/3/auth/access")


def test_logout_service_asks_then_ends_the_session(client, restricted, secret_reader):
    document, page = restricted
    client.force_login(secret_reader)
    form = client.get("/iiif/3/auth/logout")
    assert form.status_code == 200
    assert b'<form method="post"' in form.content
    assert probe(client, page)["status"] == 200

    response = client.post("/iiif/3/auth/logout")
    assert response.status_code == 200
    assert b"window.close()" in response.content
    assert probe(client, page)["status"] == 401
    assert client.get(f"/iiif/3/images/{page.id}/info.json").status_code == 401

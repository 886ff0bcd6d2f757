"""The portal is Vietnamese first; English only when the reader asks for it."""

import pytest


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_first(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_turns_english_on(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")

    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies["django_language"] = "fr"

    assert client.get("/")["Content-Language"] == "vi"

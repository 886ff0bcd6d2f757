"""A missing or closed page says so in the reader's language."""

import pytest


@pytest.mark.django_db
def test_not_found_page_is_in_vietnamese_by_default(client):
    response = client.get("/documents/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_follows_the_language_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()

"""Home, document and collection pages: languages, lists, counts, the viewer."""

import re

from django.urls import reverse

from tests.portal.factories import make_user

HIDDEN = ("conditional", "secret", "recorded")


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_home_is_in_vietnamese_by_default(client, library):
    html = _html(client.get("/"))
    assert '<html lang="vi">' in html
    assert "Di sản tư liệu Hà Nội" in html
    assert "Tìm kiếm" in html


def test_home_switches_to_english_with_set_language(client, library):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = _html(client.get("/"))
    assert '<html lang="en">' in html
    assert "Documentary heritage of Hanoi" in html
    assert "2 documents online" in html


def test_home_counts_and_lists_only_public_online_documents(client, library):
    html = _html(client.get("/"))
    assert "2 tài liệu trực tuyến" in html
    assert "Hà Nội địa dư" in html
    assert "Đại Nam nhất thống chí" in html
    for key in HIDDEN:
        assert library[key].title not in html
    # The collection holds four online documents, two of them public.
    assert re.search(
        r"Địa chí Thăng Long – Hà Nội</a>\s*<span class=\"count\">2 tài liệu", html
    )


def test_home_counts_secret_documents_for_permitted_user(client, library):
    client.force_login(make_user("thủ-thư", "view_secret_document"))
    html = _html(client.get("/"))
    assert "4 tài liệu trực tuyến" in html
    assert "Sắc phong thần Thăng Long" in html
    assert "Bản đồ phố phường" not in html


def test_document_page_shows_metadata(client, library):
    doc = library["printed"]
    html = _html(client.get(reverse("portal:document", args=[doc.pk])))
    assert "<h1>Hà Nội địa dư</h1>" in html
    assert "<dd>HN-TV-0001</dd>" in html
    assert "<dd>sách in</dd>" in html
    assert "<dd>1930</dd>" in html
    assert "<dd>Tiếng Việt</dd>" in html
    assert "<dd>Thư viện Hà Nội</dd>" in html
    assert "<dd>Đã đăng ký</dd>" in html
    assert "<dd>Công khai</dd>" in html
    assert "Sách in quốc ngữ về Hà Nội." in html
    assert f"/iiif/3/documents/{doc.pk}/manifest" in html


def test_document_page_viewer_loads_iiif_info_of_every_page(client, library):
    doc = library["printed"]
    pages = list(doc.pages.order_by("sequence"))
    response = client.get(reverse("portal:document", args=[doc.pk]))
    config = response.context["viewer_config"]
    assert config["tileSources"] == [f"/iiif/3/images/{p.pk}/info.json" for p in pages]
    assert config["direction"] == "left-to-right"
    assert config["initialPage"] == 0
    html = _html(response)
    assert "/static/vendor/openseadragon/openseadragon.min.js" in html
    assert html.count('class="thumbnail-strip" dir="ltr"') == 1
    for page in pages:
        assert f"/documents/{doc.pk}/pages/{page.pk}/thumbnail.jpg" in html
        assert f"/documents/{doc.pk}/pages/{page.pk}/download.jpg" in html


def test_document_page_opens_on_the_asked_page_with_its_ocr_text(client, library):
    doc = library["printed"]
    second = doc.pages.get(sequence=2)
    second.ocr_text = "Thành Thăng Long xưa"
    second.save()
    response = client.get(reverse("portal:document", args=[doc.pk]), {"page": "2"})
    html = _html(response)
    assert response.context["viewer_config"]["initialPage"] == 1
    assert '<div class="page-panel" data-page-number="2">' in html
    assert '<div class="page-panel" data-page-number="1" hidden>' in html
    assert "Thành Thăng Long xưa" in html
    assert 'href="?page=1"' in html and 'href="?page=3"' in html
    assert "Trang 2 / 3" in html


def test_document_page_out_of_range_page_is_kept_in_range(client, library):
    doc = library["printed"]
    response = client.get(reverse("portal:document", args=[doc.pk]), {"page": "99"})
    assert response.context["viewer_config"]["initialPage"] == 2
    response = client.get(reverse("portal:document", args=[doc.pk]), {"page": "abc"})
    assert response.context["viewer_config"]["initialPage"] == 0


def test_right_to_left_document_reads_right_to_left(client, library):
    doc = library["han_nom"]
    response = client.get(reverse("portal:document", args=[doc.pk]))
    html = _html(response)
    assert response.context["viewer_config"]["direction"] == "right-to-left"
    assert 'data-reading-direction="right-to-left"' in html
    assert '<ol class="thumbnail-strip" dir="rtl"' in html
    assert '<nav class="page-nav" dir="rtl"' in html
    assert "‹ Trang sau" in html
    assert "Sách này đọc từ phải sang trái" in html
    # Hán text is tagged as such, so Han glyphs and voices are chosen for it.
    assert '<p class="original-title" lang="lzh">大南一統志</p>' in html


def test_text_in_a_documents_own_languages_is_tagged(client, library):
    from disan.portal.templatetags.portal_text import text_lang

    doc = library["printed"]
    second = doc.pages.get(sequence=2)
    second.ocr_text = "Thành Thăng Long xưa"
    second.save()
    html = _html(client.get(reverse("portal:document", args=[doc.pk]), {"page": "2"}))
    assert f'<div class="ocr-text" lang="{text_lang(doc)}">' in html
    doc.languages = ["vi", "nom"]
    assert text_lang(doc) == "vi-Hani"
    doc.languages = ["fr"]
    assert text_lang(doc) == "fr"
    doc.languages = []
    assert text_lang(doc) == "vi"


def test_hidden_and_offline_documents_are_404_for_anonymous(client, library):
    for key in HIDDEN:
        response = client.get(reverse("portal:document", args=[library[key].pk]))
        assert response.status_code == 404, key


def test_secret_document_page_opens_for_permitted_user(client, library):
    client.force_login(make_user("cán-bộ", "view_secret_document"))
    for key in ("conditional", "secret"):
        response = client.get(reverse("portal:document", args=[library[key].pk]))
        assert response.status_code == 200, key
    response = client.get(reverse("portal:document", args=[library["recorded"].pk]))
    assert response.status_code == 404


def test_conditional_permission_does_not_open_secret_documents(client, library):
    client.force_login(make_user("bạn-đọc", "view_conditional_document"))
    conditional = client.get(
        reverse("portal:document", args=[library["conditional"].pk])
    )
    secret = client.get(reverse("portal:document", args=[library["secret"].pk]))
    assert (conditional.status_code, secret.status_code) == (200, 404)


def test_collection_page_lists_only_visible_online_documents(client, library):
    html = _html(client.get(reverse("portal:collection", args=["dia-chi"])))
    assert "<h1>Địa chí Thăng Long – Hà Nội</h1>" in html
    assert "2 tài liệu trực tuyến" in html
    assert "Hà Nội địa dư" in html and "Đại Nam nhất thống chí" in html
    assert "Hương ước làng Đông Ngạc" not in html
    assert "Sắc phong thần Thăng Long" not in html


def test_unknown_collection_is_404(client, library):
    assert client.get("/collections/khong-co/").status_code == 404


def test_login_page_uses_portal_style(client, db):
    html = _html(client.get("/accounts/login/"))
    assert "/static/portal/portal.css" in html
    assert "<h1>Đăng nhập</h1>" in html
    assert 'name="password"' in html

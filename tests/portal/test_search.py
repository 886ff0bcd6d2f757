"""The search page: results, snippets, facets, pagination, what stays hidden."""

import pytest
from django.urls import reverse

from disan.catalog.models import AccessLevel
from disan.portal import queries
from disan.search.indexing import index_document
from tests.portal.factories import make_document, make_user


@pytest.fixture
def indexed(library):
    """The portal library with an OCR text on each document, all indexed."""
    for key in ("printed", "han_nom", "conditional", "secret", "recorded"):
        doc = library[key]
        doc.description = f"Bản khắc về phố cổ Hà Nội, số {doc.identifier}."
        doc.year_start = 1850 if key == "han_nom" else 1930
        doc.save()
        index_document(doc)
    return library


def _search(client, **params):
    response = client.get(reverse("portal:search"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_search_finds_public_documents_with_marked_snippets(client, indexed):
    response, html = _search(client, q="phố cổ")
    assert response.context["total"] == 2
    found = {result.document.identifier for result in response.context["results"]}
    assert found == {"HN-TV-0001", "HN-BT-0001"}
    assert "<mark>" in html
    assert "Tìm thấy 2 tài liệu" in html


def test_search_hides_conditional_and_secret_from_results_totals_and_facets(
    client, indexed
):
    response, html = _search(client, q="phố cổ")
    facets = {group["key"]: group["values"] for group in response.context["facets"]}
    units = {item.label: item.count for item in facets["holding_unit"]}
    assert units == {"Bảo tàng Hà Nội": 1, "Thư viện Hà Nội": 1}
    assert "Hương ước làng Đông Ngạc" not in html
    assert "Sắc phong thần Thăng Long" not in html
    assert "HN-BT-0002" not in html and "HN-BT-0003" not in html


def test_search_shows_secret_documents_to_permitted_user(client, indexed):
    client.force_login(make_user("lưu-trữ-viên", "view_secret_document"))
    response, _ = _search(client, q="phố cổ")
    assert response.context["total"] == 4
    facets = {group["key"]: group["values"] for group in response.context["facets"]}
    units = {item.label: item.count for item in facets["holding_unit"]}
    assert units == {"Bảo tàng Hà Nội": 3, "Thư viện Hà Nội": 1}


def test_facet_link_filters_and_can_be_removed(client, indexed):
    response, html = _search(client, q="phố cổ")
    facets = {group["key"]: group["values"] for group in response.context["facets"]}
    museum = next(
        item for item in facets["holding_unit"] if item.label == "Bảo tàng Hà Nội"
    )
    assert museum.url == (
        "?q=ph%E1%BB%91+c%E1%BB%95"
        "&holding_unit=B%E1%BA%A3o+t%C3%A0ng+H%C3%A0+N%E1%BB%99i"
    )
    assert 'href="?q=ph%E1%BB%91+c%E1%BB%95&amp;holding_unit=' in html

    response, html = _search(client, q="phố cổ", holding_unit="Bảo tàng Hà Nội")
    assert response.context["total"] == 1
    assert [r.document.identifier for r in response.context["results"]] == [
        "HN-BT-0001"
    ]
    assert "Bỏ lọc: Bảo tàng Hà Nội" in html
    assert response.context["selected"][0].url == "?q=ph%E1%BB%91+c%E1%BB%95"


def test_century_facet_is_labelled_in_vietnamese(client, indexed):
    response, html = _search(client, q="phố cổ")
    facets = {group["key"]: group["values"] for group in response.context["facets"]}
    assert {(item.label, item.count) for item in facets["century"]} == {
        ("Thế kỷ 19", 1),
        ("Thế kỷ 20", 1),
    }


def test_search_without_matches_gives_help(client, indexed):
    response, html = _search(client, q="xylophone")
    assert response.context["total"] == 0
    assert "Không có kết quả" in html
    assert "Kiểm tra chính tả" in html


def test_empty_search_shows_only_the_form(client, indexed):
    response, html = _search(client)
    assert response.context["results"] == []
    assert "Có thể gõ tiếng Việt có dấu hoặc không dấu." in html


def test_search_pages_through_results(client, db, monkeypatch):
    monkeypatch.setattr("disan.portal.queries.PAGE_SIZE", 2)
    for number in range(1, 6):
        index_document(make_document(f"HN-SX-{number:04d}", f"Sắc phong số {number}"))
    response, html = _search(client, q="sắc phong", page="2")
    assert response.context["total"] == 5
    assert response.context["page_count"] == 3
    assert len(response.context["results"]) == 2
    assert response.context["previous_url"] == "?q=s%E1%BA%AFc+phong"
    assert response.context["next_url"] == "?q=s%E1%BA%AFc+phong&page=3"
    assert "Trang 2 / 3" in html


def test_stale_index_entry_is_not_shown(client, db):
    doc = make_document("HN-CU-0001", "Địa bạ làng Cổ Nhuế")
    index_document(doc)
    doc.access_level = AccessLevel.SECRET
    doc.save()  # made secret, index not yet updated
    response, html = _search(client, q="địa bạ")
    assert response.context["results"] == []
    assert "Địa bạ làng Cổ Nhuế" not in html


def test_query_reads_filters_and_bounds_the_page(rf):
    request = rf.get(
        "/search/",
        {"q": " Ha\u0300 Nội ", "language": ["vi", "vi", ""], "page": "100000"},
    )
    query = queries.SearchQuery.from_params(request.GET)
    assert query.text == "Hà Nội"
    assert query.filters == {"language": ["vi"]}
    assert query.page == 500
    assert query.offset == 499 * queries.PAGE_SIZE


def test_search_box_limits_the_query_and_an_over_long_one_is_not_run(
    client, indexed, monkeypatch
):
    _, html = _search(client)
    assert f'maxlength="{queries.MAX_QUERY_CHARS}"' in html

    def no_search(*args, **kwargs):
        raise AssertionError("an over-long query must not be searched")

    monkeypatch.setattr("disan.search.backends.base.SearchBackend.search", no_search)
    long_query = "景興三十年" * 100
    response, html = _search(client, q=long_query)
    assert response.context["error"] == (
        "Nội dung tìm kiếm dài 500 ký tự; hãy rút gọn còn tối đa 200 ký tự."
    )
    assert response.context["query"].text == long_query[: queries.MAX_QUERY_CHARS]
    assert "Nội dung tìm kiếm dài 500 ký tự" in html


def test_search_box_limit_keeps_the_request_line_short():
    # Percent-encoded, a character of the Basic Multilingual Plane takes at
    # most 9 bytes; gunicorn refuses request lines over 4094 bytes.
    assert len("/search/?q=") + 9 * queries.MAX_QUERY_CHARS < 4094 // 2


def test_one_letter_prefix_gets_a_hint(client, indexed):
    response, html = _search(client, q="T*")
    assert response.context["hint"] == (
        "Từ có dấu * ở sau cần ít nhất 2 chữ cái mới tìm được các từ bắt đầu "
        "bằng nó; T* đã được tìm như một từ trọn vẹn."
    )
    assert response.context["hint"] in html
    response, _ = _search(client, q="ph*")
    assert response.context["hint"] is None
    assert response.context["total"] == 2


def test_hint_reads_in_english(client, indexed):
    client.cookies["django_language"] = "en"
    response, _ = _search(client, q="T*")
    assert response.context["hint"] == (
        "A word followed by * needs at least 2 letters to find the words it "
        "begins; T* was searched as a whole word."
    )

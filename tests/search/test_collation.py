"""Vietnamese alphabetical order: the sort key and sort=title."""

import pytest

from disan.search.backends.base import SORTS
from disan.search.exceptions import InvalidQueryError
from disan.search.vietnamese import sort_key
from tests.search.conftest import ids, make_document


def test_letters_follow_the_vietnamese_alphabet():
    words = ["y", "ư", "u", "ơ", "ô", "o", "ê", "e", "đ", "d", "â", "ă", "a", "b"]
    assert sorted(words, key=sort_key) == [
        "a", "ă", "â", "b", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư", "y",
    ]  # fmt: skip


def test_tones_order_level_grave_hook_tilde_acute_dot_below():
    words = ["bạ", "bá", "bã", "bả", "bà", "ba"]
    assert sorted(words, key=sort_key) == ["ba", "bà", "bả", "bã", "bá", "bạ"]


def test_letters_count_before_tones_word_by_word():
    words = ["bạc", "ban", "bác", "bách", "bạ", "Bà Triệu", "Ba Vì", "ba"]
    assert sorted(words, key=sort_key) == [
        "ba", "Ba Vì", "Bà Triệu", "bạ", "bác", "bạc", "bách", "ban",
    ]  # fmt: skip


def test_case_tone_placement_and_punctuation_do_not_count():
    assert sort_key("Hòa  Bình!") == sort_key("hoà bình") == "LSA\x03\x01DMRL\x03"
    assert sorted(["Đà Nẵng", "Da Nang", "Dạ", "Đa"], key=sort_key) == [
        "Da Nang", "Dạ", "Đa", "Đà Nẵng",
    ]  # fmt: skip


def test_digits_come_before_letters_and_han_after():
    assert sorted(["大南", "Ấp", "1890"], key=sort_key) == ["1890", "Ấp", "大南"]


def test_search_sorts_titles_in_vietnamese_order(backend):
    titles = ["Đình làng", "Dương liễu", "Bạc Liêu", "Bà Triệu", "Ba Vì", "Ăn uống"]
    docs = {title: make_document(title=title, description="sổ") for title in titles}
    docs["Ân tình"] = make_document(title="Ân tình", description="sổ")
    backend.index_many(docs.values())
    expected = ["Ăn uống", "Ân tình", "Ba Vì", "Bà Triệu", "Bạc Liêu", "Dương liễu"]
    expected.append("Đình làng")
    for query in ["", "sổ", "so"]:
        results = backend.search(query, access_levels=["public"], sort="title")
        assert ids(results) == [docs[title].id for title in expected]
        assert {hit.score for hit in results.hits} == {0.0}
    page = backend.search("", access_levels=["public"], sort="title", offset=5)
    assert ids(page) == [docs["Dương liễu"].id, docs["Đình làng"].id]


def test_search_sorts_by_newest_even_with_a_query(backend):
    old = make_document(title="Đường Láng", created="2020-01-01T00:00:00")
    new = make_document(title="Phố", text="đường", created="2024-01-01T00:00:00")
    backend.index_many([old, new])
    assert ids(backend.search("đường", access_levels=["public"])) == [old.id, new.id]
    newest = backend.search("đường", access_levels=["public"], sort="newest")
    assert ids(newest) == [new.id, old.id]


def test_unknown_sort_is_refused_with_the_names_to_use(backend):
    with pytest.raises(InvalidQueryError) as caught:
        backend.search("", access_levels=["public"], sort="tên")
    assert str(caught.value) == (
        "Search sort 'tên' is unknown; use one of: relevance, title, newest."
    )
    assert SORTS == ("relevance", "title", "newest")


def test_facets_can_be_left_out(backend):
    backend.index(make_document(title="Gia phả họ Lê", doc_type="gia phả"))
    results = backend.search("gia phả", access_levels=["public"], facets=False)
    assert results.total == 1
    assert results.facets == {
        "doc_type": [],
        "holding_unit": [],
        "language": [],
        "script": [],
        "century": [],
    }

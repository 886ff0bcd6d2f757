"""Prefix search for names, and Hán characters found by their readings."""

from tests.search.conftest import ids, make_document

PUBLIC = ["public"]


def _index(backend, **titles):
    docs = {key: make_document(title=title) for key, title in titles.items()}
    backend.index_many(docs.values())
    return docs


def test_a_star_after_a_word_makes_it_a_prefix(backend):
    docs = _index(
        backend, nguyen="Nguyễn Trãi", nguyen2="Nguyên phi Ỷ Lan", ngo="Ngô Quyền"
    )
    assert sorted(ids(backend.search("nguy*", access_levels=PUBLIC))) == sorted(
        [docs["nguyen"].id, docs["nguyen2"].id]
    )
    assert ids(backend.search("nguy", access_levels=PUBLIC)) == []
    assert ids(backend.search("ng* quyền", access_levels=PUBLIC)) == [docs["ngo"].id]


def test_a_prefix_with_diacritics_ranks_its_exact_words_first(backend):
    docs = _index(backend, nguyen="Nguyên phi", nguyen2="Nguyễn Trãi")
    results = backend.search("Nguyễ*", access_levels=PUBLIC)
    assert ids(results) == [docs["nguyen2"].id, docs["nguyen"].id]
    assert [hit.score >= 1.0 for hit in results.hits] == [True, False]
    assert results.hits[0].title_html == "<mark>Nguyễn</mark> Trãi"
    assert results.hits[1].title_html == "<mark>Nguyên</mark> phi"


def test_a_one_letter_prefix_is_searched_as_a_word(backend):
    docs = _index(backend, a="Vịnh Hạ Long", b="Cầu Long Biên")
    assert ids(backend.search("l*", access_levels=PUBLIC)) == []
    assert ids(backend.search("Hạ*", access_levels=PUBLIC)) == [docs["a"].id]


def test_han_characters_are_found_by_their_han_viet_reading(backend):
    doc = make_document(title="Địa chí", original_title="大南一統志")
    other = make_document(title="Nam Định", description="đại lộ")
    backend.index_many([doc, other])
    for query in ['"đại nam"', '"dai nam"', "thống chí", "DAI NAM NHẤT", "大南"]:
        assert ids(backend.search(query, access_levels=PUBLIC)) == [doc.id], query
    assert sorted(ids(backend.search("đại nam", access_levels=PUBLIC))) == sorted(
        [doc.id, other.id]
    )
    assert ids(backend.search('"nam đại"', access_levels=PUBLIC)) == []
    assert backend.search('"đại nam"', access_levels=PUBLIC).hits[0].score >= 1.0
    assert backend.search('"dại nam"', access_levels=PUBLIC).hits[0].score < 1.0


def test_readings_of_separate_han_words_do_not_form_a_phrase(backend):
    doc = make_document(title="Hai chữ", original_title="大 và 南")
    backend.index(doc)
    assert ids(backend.search("đại nam", access_levels=PUBLIC)) == [doc.id]
    assert ids(backend.search('"đại nam"', access_levels=PUBLIC)) == []


def test_nom_characters_are_found_by_their_reading_outside_the_bmp(backend):
    """U+20027 (Nôm for "ba", three) is outside the Basic Multilingual Plane."""
    doc = make_document(title="Truyện", original_title="\U00020027 chữ")
    backend.index(doc)
    results = backend.search("ba", access_levels=PUBLIC)
    assert ids(results) == [doc.id]
    assert results.hits[0].score >= 1.0

"""Tantivy: queries of common words ranked through the union of their words.

The union's best hits are pruned by Tantivy; the documents among them that
hold every word must be exactly the intersection's best, page after page,
with hidden documents left out as ever.
"""

import random

import pytest

from disan.search import query as query_parser
from disan.search.backends import tantivy_query
from disan.search.backends.tantivy_index import TantivyBackend
from tests.search.conftest import make_document

WORDS = ["lúa", "nước", "làng", "đình", "chùa", "sông", "núi", "hồ"]


@pytest.fixture
def common_words(tmp_path):
    """An index in which every word is in well over a quarter of documents."""
    rng = random.Random(7)
    backend = TantivyBackend(tmp_path / "index.sqlite3")
    docs = []
    for number in range(600):
        body = rng.choices(
            WORDS, weights=[8, 7, 6, 5, 4, 3, 2, 2], k=rng.randint(5, 60)
        )
        docs.append(
            make_document(
                title=" ".join(rng.sample(WORDS, 2)),
                description=" ".join(body),
                access_level="conditional" if number % 7 == 0 else "public",
            )
        )
    backend.index_many(docs)
    return backend


def pages(backend, text, levels):
    """Every page of ten hits of ``text``: (id, score) in order."""
    found = []
    for offset in range(0, 60, 10):
        results = backend.search(text, access_levels=levels, offset=offset, limit=10)
        found += [(hit.id, round(hit.score, 6)) for hit in results.hits]
    return found, results.total


def assert_same_ranking(got, expected):
    """Same scores in the same order, but for the order of adding them up;
    the same documents but where several share the score of the last hit
    (which of them make the cut is a tie)."""
    scores = [score for _, score in expected]
    assert [score for _, score in got] == pytest.approx(scores, rel=1e-5)
    last = scores[-1] + 1e-5 if scores else 0

    def above(hits):
        return {id_ for id_, score in hits if score > last}

    assert above(got) == above(expected)


@pytest.mark.parametrize("levels", [["public"], ["public", "conditional"]])
def test_common_words_rank_as_their_intersection_does(
    common_words, monkeypatch, levels
):
    searcher = common_words._searcher()
    queries = [
        " ".join(pair)
        for pair in [("lúa", "nước"), ("làng", "đình"), ("chùa", "lúa", "nước")]
    ] + ["lua nuoc", "lang dinh chua"]
    used = []
    union = tantivy_query.word_union

    def spy(*args):
        query = union(*args)
        used.append(query is not None)
        return query

    for text in queries:
        parsed = query_parser.parse(text)
        # Every word is common here, so the union is taken.
        assert union(common_words.schema, searcher, parsed, {}, "f_") is not None
        monkeypatch.setattr(tantivy_query, "word_union", spy)
        got = pages(common_words, text, levels)
        monkeypatch.setattr(tantivy_query, "UNION_SHARE", 2.0)  # never
        expected = pages(common_words, text, levels)
        monkeypatch.undo()
        assert got[1] == expected[1]
        assert len(got[0]) == min(60, got[1])
        assert_same_ranking(got[0], expected[0])
    assert any(used)


def test_the_union_is_walked_further_when_its_best_lack_a_word(tmp_path):
    backend = TantivyBackend(tmp_path / "index.sqlite3")
    docs = []
    for number in range(300):
        # A third hold "lúa" often, a third "nước" often, a third both once
        # among many other words: the union's best are the first two kinds.
        kind = number % 3
        if kind == 0:
            text = "lúa " * 12
        elif kind == 1:
            text = "nước " * 12
        else:
            text = "lúa nước " + "làng " * (150 + number % 17)
        docs.append(make_document(description=text))
    backend.index_many(docs)
    searcher = backend._searcher()
    schema = backend.schema
    parsed = query_parser.parse("lúa nước")
    both = tantivy_query.matching(schema, searcher, parsed, {}, "x_")
    union = tantivy_query.word_union(schema, searcher, parsed, {}, "x_")
    first = searcher.search(union, 40, count=False).hits
    holding = {
        (a.segment_ord, a.doc) for _, a in searcher.search(both, 300, count=False).hits
    }
    assert sum((a.segment_ord, a.doc) in holding for _, a in first) < 10

    got = tantivy_query._best(
        schema, searcher, both, 10, union, lambda a: [searcher.doc(a)["id"][0]]
    )

    expected = searcher.search(both, 10, count=False).hits
    assert [s for s, _ in got] == pytest.approx([s for s, _ in expected], rel=1e-5)
    assert len(got) == 10


@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("lúa", {}),  # one word
        ("lúa nước", {"language": ["vi"]}),  # a filter scores nothing
        ('"lúa nước" làng', {}),  # a phrase is not a word
        ("lúa nư*", {}),  # nor is a prefix
    ],
)
def test_only_plain_words_take_the_union(common_words, text, filters):
    searcher = common_words._searcher()
    parsed = query_parser.parse(text)
    assert (
        tantivy_query.word_union(common_words.schema, searcher, parsed, filters, "f_")
        is None
    )


def test_a_rare_word_keeps_the_intersection(common_words):
    rare = make_document(description="lúa nước hiếm")
    common_words.index(rare)
    searcher = common_words._searcher()
    parsed = query_parser.parse("lúa hiếm")
    assert (
        tantivy_query.word_union(common_words.schema, searcher, parsed, {}, "f_")
        is None
    )
    found = common_words.search("lúa hiếm", access_levels=["public"])
    assert [hit.id for hit in found.hits] == [rare.id]

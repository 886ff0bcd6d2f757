"""Pages across the exact tier, hidden documents that rank high, and phrases
at the edges of columns, on every backend."""

from tests.search.conftest import ids, make_document

PUBLIC = ["public"]
EVERYONE = ["public", "conditional", "secret"]


def test_a_page_can_span_the_exact_tier_and_the_folded_matches(backend):
    exact = [make_document(title=f"Đường số {n}") for n in range(3)]
    folded = [make_document(title=f"Dương số {n}") for n in range(4)]
    backend.index_many(exact + folded)

    everything = backend.search("đường", access_levels=PUBLIC, limit=7)
    assert sorted(ids(everything)[:3]) == sorted(doc.id for doc in exact)
    assert sorted(ids(everything)[3:]) == sorted(doc.id for doc in folded)
    assert [hit.score >= 1.0 for hit in everything.hits] == [True] * 3 + [False] * 4

    page = backend.search("đường", access_levels=PUBLIC, offset=2, limit=3)
    assert page.total == 7
    assert ids(page) == ids(everything)[2:5]
    last = backend.search("đường", access_levels=PUBLIC, offset=5, limit=10)
    assert ids(last) == ids(everything)[5:]
    assert backend.search("đường", access_levels=PUBLIC, offset=7).hits == []


def test_hidden_documents_ranking_first_never_crowd_out_visible_ones(backend):
    secret = [
        make_document(title="Sắc phong sắc phong", access_level="secret")
        for _ in range(40)
    ]
    public = [
        make_document(
            title=f"Văn bản {n}", description="có sắc phong", created=f"2025-01-0{n}"
        )
        for n in range(1, 4)
    ]
    backend.index_many(secret + public)

    for query in ("sắc phong", "sac phong", '"sắc phong"', "sắ*"):
        results = backend.search(query, access_levels=PUBLIC)
        assert sorted(ids(results)) == sorted(doc.id for doc in public), query
        assert results.total == 3, query
    everyone = backend.search("sắc phong", access_levels=EVERYONE, limit=50)
    assert everyone.total == 43
    assert set(ids(everyone)[:40]) == {doc.id for doc in secret}


def test_a_phrase_never_spans_two_columns(backend):
    doc = make_document(
        identifier="HN-01", title="Văn bản Hà", description="Nội dung mới"
    )
    backend.index(doc)
    assert ids(backend.search('"bản hà"', access_levels=PUBLIC)) == [doc.id]
    assert ids(backend.search('"nội dung"', access_levels=PUBLIC)) == [doc.id]
    assert ids(backend.search('"hà nội"', access_levels=PUBLIC)) == []
    assert ids(backend.search('"01 văn"', access_levels=PUBLIC)) == []


def test_a_phrase_of_three_or_more_words_matches_only_in_order(backend):
    doc = make_document(title="Tờ khai", description="một hai ba bốn la la la")
    backend.index(doc)
    for phrase in ('"hai ba bốn"', '"một hai ba bốn"', '"la la la"', '"mot hai ba"'):
        assert ids(backend.search(phrase, access_levels=PUBLIC)) == [doc.id], phrase
    for phrase in ('"hai bốn ba"', '"một ba"', '"la la la la"', '"bốn một"'):
        assert ids(backend.search(phrase, access_levels=PUBLIC)) == [], phrase


def test_a_phrase_with_other_diacritics_ranks_below_the_exact_one(backend):
    exact = make_document(title="Phố Hà Nội")
    other = make_document(title="Phố Hà Nối")
    backend.index_many([exact, other])
    results = backend.search('"hà nội"', access_levels=PUBLIC)
    assert ids(results) == [exact.id, other.id]
    assert [hit.score >= 1.0 for hit in results.hits] == [True, False]


def test_ranked_hits_alone_match_the_full_results(backend):
    """Leaving the facets out changes neither the hits nor the total."""
    docs = [
        make_document(title="Đường phố Hà Nội", description="bản đồ đường phố"),
        make_document(title="Dương liễu", description="phố cổ"),
        make_document(title="Bản đồ", text="duong pho", access_level="secret"),
        make_document(title="Phố Hiến", access_level="conditional"),
    ]
    docs += [
        make_document(title=f"Hà Nội {n}", access_level="secret") for n in range(30)
    ]
    backend.index_many(docs)
    # With and without an exact tier: no document has "ha", "noi" or "hien".
    queries = ["duong pho", "đường", "duong", '"duong pho"', "đườ*", "du*", "pho"]
    queries += ["ha noi", '"ha noi"', "hien", "hie*", "pho hien"]
    for levels in (PUBLIC, EVERYONE):
        for query in queries:
            for offset, limit in ((0, 10), (1, 2), (0, 0)):
                full = backend.search(
                    query, access_levels=levels, offset=offset, limit=limit
                )
                alone = backend.search(
                    query,
                    access_levels=levels,
                    offset=offset,
                    limit=limit,
                    facets=False,
                )
                case = (query, levels, offset, limit)
                assert ids(alone) == ids(full), case
                assert alone.total == full.total, case
                assert alone.facets == {name: [] for name in full.facets}, case
    assert backend.search("ha noi", access_levels=PUBLIC, facets=False).total == 1
    assert backend.search("ha noi", access_levels=EVERYONE, facets=False).total == 31
    assert backend.search("pho hien", access_levels=EVERYONE, facets=False).total == 1
    assert backend.search("pho hien", access_levels=PUBLIC, facets=False).total == 0

"""Every backend: matching, ranking, snippets, facets, access; and the
SQLite FTS5 backend's index file."""

import pytest

from disan.search.backends.base import MAX_LIMIT
from disan.search.backends.sqlite_fts import SQLiteFTSBackend
from disan.search.exceptions import (
    InvalidDocumentError,
    InvalidQueryError,
    SearchIndexError,
)
from tests.search.conftest import ids, make_document

PUBLIC = ["public"]
EVERYONE = ["public", "conditional", "secret"]

FILLER = [
    "Sổ bộ làng Kim Liên",
    "Hương ước làng Mọc",
    "Gia phả họ Nguyễn",
    "Địa bạ xã Nghĩa Đô",
    "Văn tế Hội An",
]


def add_filler(backend):
    """Index unrelated documents so bm25 sees a realistic collection."""
    backend.index_many([make_document(title=title) for title in FILLER])


def search_ids(backend, query, levels=PUBLIC, **kwargs):
    return ids(backend.search(query, access_levels=levels, **kwargs))


# --- case, diacritics, tone placement ---------------------------------------


@pytest.mark.parametrize(
    "query", ["duong", "DUONG", "đường", "Đường", "ĐƯỜNG", "Duong"]
)
def test_query_finds_a_word_whatever_its_case_and_diacritics(backend, query):
    doc = make_document(title="Đường Láng")
    backend.index(doc)
    add_filler(backend)
    assert search_ids(backend, query) == [doc.id]


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Hoà Bình", "hòa"),
        ("Hòa Bình", "hoà"),
        ("thủy lợi", "thuỷ"),
        ("thuỷ lợi", "thủy"),
        ("Hoá học", "hóa"),
        ("khỏe mạnh", "khoẻ"),
        ("Quý tộc", "qúy"),
    ],
)
def test_old_and_new_tone_placement_match_each_other_exactly(backend, written, typed):
    """Both placements are the same word, so the match ranks as exact."""
    doc = make_document(title=written)
    backend.index(doc)
    add_filler(backend)
    results = backend.search(typed, access_levels=PUBLIC)
    assert ids(results) == [doc.id]
    assert results.hits[0].score >= 1.0


def test_nfd_documents_and_queries_match(backend):
    import unicodedata

    doc = make_document(title=unicodedata.normalize("NFD", "Nguyễn Trãi"))
    backend.index(doc)
    assert search_ids(backend, unicodedata.normalize("NFD", "nguyễn")) == [doc.id]
    hit = backend.search("trai", access_levels=PUBLIC).hits[0]
    assert hit.title_html == "Nguyễn <mark>Trãi</mark>"


# --- ranking ----------------------------------------------------------------


def test_exact_diacritics_rank_above_folded_matches(backend):
    """A document with 'đường' only in its OCR text still ranks above
    documents with 'dương' or 'duong' in their title."""
    exact = make_document(title="Bản đồ", text="con đường làng")
    folded_title = make_document(title="Dương liễu")
    folded_description = make_document(title="Ghi chép", description="duong pho")
    backend.index_many([exact, folded_title, folded_description])
    add_filler(backend)

    results = backend.search("đường", access_levels=PUBLIC)
    assert ids(results) == [exact.id, folded_title.id, folded_description.id]
    assert [hit.score >= 1.0 for hit in results.hits] == [True, False, False]

    assert search_ids(backend, "duong") == [
        folded_description.id,
        folded_title.id,
        exact.id,
    ]
    assert search_ids(backend, "dương") == [
        folded_title.id,
        folded_description.id,
        exact.id,
    ]


def test_title_outranks_description_outranks_text(backend):
    in_text = make_document(title="Một", text="chiếu dời đô")
    in_description = make_document(title="Hai", description="chiếu dời đô")
    in_title = make_document(title="Chiếu dời đô")
    backend.index_many([in_text, in_description, in_title])
    add_filler(backend)
    assert search_ids(backend, "chiếu dời đô") == [
        in_title.id,
        in_description.id,
        in_text.id,
    ]


# --- Hán and Nôm ------------------------------------------------------------


def test_han_characters_are_searchable_one_by_one_and_as_sequences(backend):
    doc = make_document(title="Đại Nam nhất thống chí", original_title="大南一統志")
    backend.index(doc)
    add_filler(backend)
    assert search_ids(backend, "南") == [doc.id]
    assert search_ids(backend, "大南") == [doc.id]
    assert search_ids(backend, "一統志") == [doc.id]
    assert search_ids(backend, "南大") == []  # a run of characters is a phrase
    assert search_ids(backend, "南 大") == [doc.id]  # separate characters: AND
    hit = backend.search("一統", access_levels=PUBLIC).hits[0]
    assert hit.snippet_html == "大南<mark>一統</mark>志"


def test_nom_characters_outside_the_bmp_are_searchable(backend):
    doc = make_document(
        title="Truyện Nôm", original_title="\U00020c8e\U0002a6a5傳", text="\U00020c8e"
    )
    backend.index(doc)
    add_filler(backend)
    assert search_ids(backend, "\U0002a6a5") == [doc.id]
    assert search_ids(backend, "\U00020c8e\U0002a6a5") == [doc.id]
    assert search_ids(backend, "\U0002a6a5\U00020c8e") == []
    hit = backend.search("\U0002a6a5", access_levels=PUBLIC).hits[0]
    assert hit.snippet_html == "\U00020c8e<mark>\U0002a6a5</mark>傳"


# --- AND and phrases --------------------------------------------------------


def test_all_words_must_match(backend):
    both = make_document(title="Hà Nội xưa và nay")
    one = make_document(title="Hà Nội")
    backend.index_many([both, one])
    assert search_ids(backend, "hà nội xưa") == [both.id]
    assert sorted(search_ids(backend, "ha noi")) == sorted([both.id, one.id])


def test_quoted_query_is_a_phrase(backend):
    doc = make_document(title="Thành phố Hà Nội", description="nội dung về hà")
    backend.index(doc)
    assert search_ids(backend, '"hà nội"') == [doc.id]
    assert search_ids(backend, '"ha noi"') == [doc.id]
    assert search_ids(backend, '"nội hà"') == []
    assert search_ids(backend, '"phố nội"') == []


# --- hostile queries --------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ('"', 0),
        ('""', 0),
        ('"hà', 1),
        ("hà*", 1),
        ("*", 0),
        ("-nội", 1),
        ("hà -nội", 1),
        ("NEAR(", 0),
        ("NEAR(hà nội, 2)", 0),
        ("title:hà", 0),
        ("hà:nội", 1),
        ("(((", 0),
        ("hà) OR (nội", 0),
        ("AND", 0),
        ("\x00hà\x00", 1),
        ("'; DROP TABLE documents; --", 0),
        ("x" * 10_000, 0),
        ("hà " * 5000, 1),
        ("^hà", 1),
        ("{title}: hà", 0),
    ],
)
def test_hostile_queries_never_reach_fts5_as_syntax(backend, query, total):
    backend.index(make_document(title="Hà Nội"))
    assert backend.search(query, access_levels=PUBLIC).total == total
    assert backend.count() == 1


# --- snippets ---------------------------------------------------------------


def test_title_and_snippet_show_the_original_text_escaped(backend):
    doc = make_document(
        title="Đường <Láng> & phố",
        description="<script>alert('x')</script> Con ĐƯỜNG cái quan",
    )
    backend.index(doc)
    hit = backend.search("duong", access_levels=PUBLIC).hits[0]
    assert hit.title_html == "<mark>Đường</mark> &lt;Láng&gt; &amp; phố"
    assert hit.snippet_html == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Con "
        "<mark>ĐƯỜNG</mark> cái quan"
    )


def test_snippet_is_a_short_window_around_the_matches(backend):
    text = "Mở đầu. " * 40 + "Bản đồ đường phố Hà Nội năm 1890." + " Kết thúc." * 40
    doc = make_document(title="Bản đồ", text=text)
    backend.index(doc)
    hit = backend.search("duong pho", access_levels=PUBLIC).hits[0]
    assert hit.snippet_html == (
        "…Mở đầu. Mở đầu. Mở đầu. Mở đầu. Mở đầu. Mở đầu. Bản đồ "
        "<mark>đường</mark> <mark>phố</mark> Hà Nội năm 1890."
        + " Kết thúc." * 15
        + " Kết…"
    )


def test_snippet_prefers_the_field_matching_more_words(backend):
    doc = make_document(
        title="Sắc phong",
        description="Sắc phong thần làng",
        text="Năm Tự Đức thứ ba, sắc phong cho thần hoàng làng Mọc",
    )
    backend.index(doc)
    hit = backend.search("sắc tự đức", access_levels=PUBLIC).hits[0]
    assert hit.snippet_html == (
        "Năm <mark>Tự</mark> <mark>Đức</mark> thứ ba, <mark>sắc</mark> phong "
        "cho thần hoàng làng Mọc"
    )


def test_empty_query_snippet_is_the_opening_of_the_description(backend):
    doc = make_document(title="A & B", description="Mô tả " * 100)
    backend.index(doc)
    hit = backend.search("", access_levels=PUBLIC).hits[0]
    assert hit.title_html == "A &amp; B"
    assert hit.snippet_html == ("Mô tả " * 40).strip() + "…"
    assert hit.score == 0.0


# --- facets and filters ------------------------------------------------------


@pytest.fixture
def catalog(backend):
    """Four documents with facet values; one of them secret."""
    docs = {
        "sac": make_document(
            title="Sắc phong làng Mọc",
            doc_type="sắc phong",
            holding_unit="Ban quản lý di tích Hà Nội",
            languages=["lzh"],
            scripts=["Hani"],
            year_start=1850,
            year_end=1850,
        ),
        "gia_pha": make_document(
            title="Gia phả họ Lê làng Mọc",
            doc_type="gia phả",
            holding_unit="Bảo tàng Hà Nội",
            languages=["vi", "lzh"],
            scripts=["Latn", "Hani"],
            year_start=1790,
            year_end=1820,
        ),
        "dia_ba": make_document(
            title="Địa bạ làng Mọc",
            doc_type="địa bạ",
            holding_unit="Bảo tàng Hà Nội",
            languages=["vi"],
            scripts=["Latn"],
            year_start=1901,
        ),
        "mat": make_document(
            title="Hồ sơ mật làng Mọc",
            doc_type="sắc phong",
            holding_unit="Bảo tàng Hà Nội",
            languages=["vi"],
            scripts=["Latn"],
            year_end=2001,
            access_level="secret",
        ),
    }
    backend.index_many(docs.values())
    return docs


def test_facets_count_the_matching_visible_documents(backend, catalog):
    results = backend.search("làng mọc", access_levels=PUBLIC)
    assert results.total == 3
    assert results.facets == {
        # Equal counts: Vietnamese alphabetical order, đ after d.
        "doc_type": [("địa bạ", 1), ("gia phả", 1), ("sắc phong", 1)],
        "holding_unit": [("Bảo tàng Hà Nội", 2), ("Ban quản lý di tích Hà Nội", 1)],
        "language": [("lzh", 2), ("vi", 2)],
        "script": [("Hani", 2), ("Latn", 2)],
        "century": [("19", 2), ("18", 1), ("20", 1)],
    }


def test_facets_follow_the_query(backend, catalog):
    results = backend.search("sắc phong", access_levels=EVERYONE)
    assert ids(results) == [catalog["sac"].id]
    assert results.facets == {
        "doc_type": [("sắc phong", 1)],
        "holding_unit": [("Ban quản lý di tích Hà Nội", 1)],
        "language": [("lzh", 1)],
        "script": [("Hani", 1)],
        "century": [("19", 1)],
    }


def test_filters_or_within_a_facet_and_across_facets(backend, catalog):
    either = backend.search(
        "", access_levels=PUBLIC, filters={"doc_type": ["gia phả", "địa bạ"]}
    )
    assert sorted(ids(either)) == sorted([catalog["gia_pha"].id, catalog["dia_ba"].id])
    both = backend.search(
        "mọc",
        access_levels=PUBLIC,
        filters={"holding_unit": ["Bảo tàng Hà Nội"], "century": ["18"]},
    )
    assert ids(both) == [catalog["gia_pha"].id]
    assert both.total == 1
    assert both.facets["language"] == [("lzh", 1), ("vi", 1)]
    assert (
        backend.search("", access_levels=PUBLIC, filters={"century": "20"}).total == 1
    )
    assert backend.search("", access_levels=PUBLIC, filters={"century": []}).total == 3


def test_unknown_filter_is_refused_with_the_names_to_use(backend):
    with pytest.raises(InvalidQueryError) as caught:
        backend.search("", access_levels=PUBLIC, filters={"colour": ["đỏ"]})
    assert str(caught.value) == (
        "Search filter 'colour' is unknown; use one of: doc_type, holding_unit, "
        "language, script, century."
    )
    assert isinstance(caught.value, ValueError)


# --- access ----------------------------------------------------------------


@pytest.fixture
def three_levels(backend):
    docs = {
        level: make_document(
            title=f"Sắc phong {name}",
            doc_type=f"loại {name}",
            holding_unit=f"Kho {name}",
            year_start=year,
            access_level=level,
        )
        for level, name, year in [
            ("public", "công khai", 1801),
            ("conditional", "có điều kiện", 1701),
            ("secret", "mật", 1601),
        ]
    }
    backend.index_many(docs.values())
    return docs


def test_public_reader_sees_only_public_hits_totals_and_facets(backend, three_levels):
    for query in ["sắc phong", "", "mật", "có điều kiện"]:
        results = backend.search(query, access_levels=["public"])
        visible = [three_levels["public"].id] if query in ("sắc phong", "") else []
        assert ids(results) == visible
        assert results.total == len(visible)
        counted = [value for values in results.facets.values() for value, _ in values]
        assert all("mật" not in value and "điều" not in value for value in counted)
    assert backend.search("", access_levels=["public"]).facets == {
        "doc_type": [("loại công khai", 1)],
        "holding_unit": [("Kho công khai", 1)],
        "language": [],
        "script": [],
        "century": [("19", 1)],
    }


def test_each_level_list_sees_exactly_its_documents(backend, three_levels):
    conditional = backend.search("sắc", access_levels=["public", "conditional"])
    assert conditional.total == 2
    assert conditional.facets["century"] == [("18", 1), ("19", 1)]
    assert backend.search("sắc", access_levels=EVERYONE).total == 3
    assert backend.search("sắc", access_levels=["secret"]).total == 1
    nothing = backend.search("sắc", access_levels=[])
    assert (nothing.total, nothing.hits) == (0, [])
    assert nothing.facets["century"] == []


def test_filters_cannot_reveal_hidden_documents(backend, three_levels):
    results = backend.search(
        "", access_levels=PUBLIC, filters={"doc_type": ["loại mật"]}
    )
    assert (results.total, results.hits) == (0, [])
    assert results.facets["doc_type"] == []


# --- listing and pages -------------------------------------------------------


def test_empty_query_lists_everything_visible_newest_first(backend):
    old = make_document(title="Cũ", created="2024-05-01T10:00:00+07:00")
    new = make_document(title="Mới", created="2025-05-01T10:00:00+07:00")
    # 03:30 UTC is later than 2025-05-01T10:00+07:00 (03:00 UTC).
    newest = make_document(title="Mới nhất", created="2025-05-01T03:30:00+00:00")
    secret = make_document(title="Mật", access_level="secret")
    backend.index_many([old, new, newest, secret])
    results = backend.search("   ", access_levels=PUBLIC)
    assert ids(results) == [newest.id, new.id, old.id]
    assert results.total == 3


def test_offset_and_limit_page_through_ranked_hits(backend):
    docs = [
        make_document(title=f"Văn bia số {number}", created=f"2025-01-{number:02d}")
        for number in range(1, 8)
    ]
    backend.index_many(docs)
    page = backend.search("văn bia", access_levels=PUBLIC, offset=2, limit=3)
    assert page.total == 7
    assert len(page.hits) == 3
    everything = search_ids(backend, "văn bia", limit=7)
    assert ids(page) == everything[2:5]
    assert backend.search("văn bia", access_levels=PUBLIC, limit=0).hits == []


@pytest.mark.parametrize(
    ("offset", "limit", "message"),
    [
        (-1, 20, "Search offset -1: give a whole number >= 0."),
        (0, MAX_LIMIT + 1, "Search limit 1001: give a whole number from 0 to 1000."),
        (0, "20", "Search limit '20': give a whole number from 0 to 1000."),
    ],
)
def test_bad_offset_or_limit_is_refused(backend, offset, limit, message):
    with pytest.raises(InvalidQueryError) as caught:
        backend.search("", access_levels=PUBLIC, offset=offset, limit=limit)
    assert str(caught.value) == message


# --- index, update, delete ----------------------------------------------------


def test_index_update_and_delete(backend):
    doc = make_document(title="Chiếu dời đô", doc_type="chiếu")
    backend.index(doc)
    assert search_ids(backend, "chiếu") == [doc.id]

    doc.title = "Hịch tướng sĩ"
    doc.doc_type = "hịch"
    backend.index(doc)
    assert backend.count() == 1
    assert search_ids(backend, "chiếu") == []
    results = backend.search("hịch", access_levels=PUBLIC)
    assert ids(results) == [doc.id]
    assert results.facets["doc_type"] == [("hịch", 1)]

    assert backend.delete(doc.id) is True
    assert backend.delete(doc.id) is False
    assert backend.count() == 0
    assert backend.search("", access_levels=PUBLIC).facets["doc_type"] == []


def test_clear_removes_everything(backend):
    backend.index_many([make_document(), make_document()])
    assert backend.count() == 2
    backend.clear()
    assert backend.count() == 0
    assert backend.search("", access_levels=PUBLIC).total == 0


def test_same_id_twice_in_one_batch_keeps_the_last(backend):
    first = make_document(title="Bản thứ nhất")
    second = make_document(id=first.id, title="Bản thứ hai")
    assert backend.index_many([first, second]) == 2
    assert backend.count() == 1
    assert search_ids(backend, "hai") == [first.id]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": "số 7"}, "Search document 'số 7': id must be a UUID string."),
        (
            {"languages": "vi"},
            "Search document {id}: languages must be a list of strings, not 'vi'.",
        ),
        (
            {"year_start": "1850"},
            "Search document {id}: year_start must be a whole year or None, "
            "not '1850'.",
        ),
        (
            {"created": "hôm qua"},
            "Search document {id}: created 'hôm qua' is not an ISO 8601 date and "
            "time; give e.g. 2025-03-01T09:30:00+07:00.",
        ),
        (
            {"access_level": ""},
            "Search document {id}: access_level is empty; give the document's "
            "access level (public, conditional or secret).",
        ),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_written(backend, fields, message):
    good = make_document()
    bad = make_document(**{"id": "00000000-0000-4000-8000-000000000001", **fields})
    with pytest.raises(InvalidDocumentError) as caught:
        backend.index_many([good, bad])
    assert str(caught.value) == message.format(id=bad.id)
    assert backend.count() == 0


# --- the index file -----------------------------------------------------------


def test_damaged_index_file_gives_an_error_saying_how_to_fix_it(tmp_path):
    from disan.search.backends.sqlite_fts import SQLiteFTSBackend

    path = tmp_path / "chỉ mục" / "index.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SearchIndexError) as caught:
        SQLiteFTSBackend(path).search("hà", access_levels=PUBLIC)
    assert str(caught.value) == (
        f"Cannot search search index {path}: file is not a database. If the file "
        "is damaged, delete it and run `disan reindex`."
    )


def test_index_of_another_schema_version_asks_for_a_reindex(tmp_path):
    import sqlite3

    from disan.search.backends.sqlite_fts import SQLiteFTSBackend

    path = tmp_path / "index.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 99")
    backend = SQLiteFTSBackend(path)
    with pytest.raises(SearchIndexError) as caught:
        backend.count()
    assert str(caught.value) == (
        f"Search index {path} has schema version 99, this Disan uses 2; run "
        "`disan reindex` to rebuild it."
    )
    backend.clear()
    assert backend.count() == 0


def test_index_file_is_in_wal_mode(backend):
    import sqlite3

    if not isinstance(backend, SQLiteFTSBackend):
        pytest.skip("only the SQLite backend has an index file")
    backend.index(make_document())
    with sqlite3.connect(backend.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)

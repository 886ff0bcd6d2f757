"""Parsing what users type: words, phrases, Hán runs, hostile input."""

from disan.search.query import MAX_TERMS, Term, parse, short_prefixes


def test_words_become_separate_terms_normalized():
    assert parse("Đường  THỦY").terms == (Term(("đường",)), Term(("thuỷ",)))


def test_quoted_part_is_one_phrase_term():
    assert parse('sách "Hà Nội xưa" cổ').terms == (
        Term(("sách",)),
        Term(("hà", "nội", "xưa")),
        Term(("cổ",)),
    )


def test_unmatched_quote_runs_to_the_end():
    assert parse('"Hà Nội').terms == (Term(("hà", "nội")),)


def test_adjacent_han_characters_form_one_phrase_term():
    assert parse("大南 志 \U00020c8e\U0002a6a5").terms == (
        Term(("大", "南")),
        Term(("志",)),
        Term(("\U00020c8e", "\U0002a6a5")),
    )


def test_folded_form_of_a_term():
    assert Term(("đường", "thuỷ")).folded == ("duong", "thuy")


def test_fts_operators_and_punctuation_are_only_separators():
    parsed = parse("NEAR(a b) AND -x* title:y OR ( ) \x00 ^z")
    assert [term.tokens for term in parsed.terms] == [
        ("near",),
        ("a",),
        ("b",),
        ("and",),
        ("x",),
        ("title",),
        ("y",),
        ("or",),
        ("z",),
    ]


def test_repeated_terms_are_kept_once_and_capped():
    assert len(parse("hoà hòa HOÀ").terms) == 1
    words = " ".join(f"từ{number}" for number in range(100))
    assert len(parse(words).terms) == MAX_TERMS


def test_empty_and_unsearchable_queries_have_no_terms():
    assert not parse("")
    assert not parse(None)
    assert not parse('*** "" ()')
    assert parse("x" * 10_000).terms == (Term(("x" * 1000,)),)


def test_long_query_is_cut_between_words():
    assert parse("hà " * 5000).terms == (Term(("hà",)),)
    assert parse("ab " * 333 + "xyz").terms == (Term(("ab",)),)


def test_a_star_after_a_word_of_two_or_more_characters_makes_a_prefix():
    assert parse("Nguy* Trãi").terms == (
        Term(("nguy",), prefix=True),
        Term(("trãi",)),
    )
    assert parse("n* Đ*").terms == (Term(("n",)), Term(("đ",)))
    assert parse('"Nguy* Trãi"').terms == (Term(("nguy", "trãi")),)
    assert parse("nguy *").terms == (Term(("nguy",)),)
    assert parse("大南*").terms == (Term(("大", "南")),)


def test_a_word_against_a_han_character_is_still_normalized():
    assert parse("hòa大").terms == (Term(("hoà",)), Term(("大",)))


def test_short_prefixes_names_the_stars_that_are_searched_as_words():
    assert short_prefixes("T*") == ["T*"]
    assert short_prefixes('Nguy* T* Đ* t* "a*" 北*') == ["T*", "Đ*", "t*"]
    assert short_prefixes("Nguy* phố") == []
    assert short_prefixes(None) == []

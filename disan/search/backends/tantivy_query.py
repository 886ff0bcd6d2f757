"""Queries over Disan's Tantivy index: matching, ranking tiers and counts.

Tantivy scores every match (its Python binding collects the count and the
best hits together, so no top-k pruning applies), so the cost of a query
is the length of the posting lists it walks. A search is laid out to walk
as few as it can:

* the count: one aggregation over every folded match, bucketed by access
  level (and, for facets, by facet value within each level), from which
  the visible buckets are summed. Bucketing instead of leaving hidden
  levels out keeps an exclusion out of the walk. It runs in a second
  thread beside the ranking (Tantivy releases the GIL);
* the page: the exact tier first (every term with the diacritics as
  typed, ranked by BM25F over the exact words), then, only if that tier
  runs out before the page ends, the folded matches outside it. Asking
  for the exact tier on its own walks only the posting lists of the exact
  words; asking for it as a bonus inside the folded query checks every
  folded match against them, which costs more than the folded query
  itself. A first page seldom needs the second pass. When the exact tier
  is empty (words typed without diacritics that are only written with
  them), the folded query is ranked on its own: counting it in the same
  walk and the hidden matches apart was measured slower (p95 20 against
  15 ms for three words at a million records) than the second thread.

Tantivy skips through a union of words by the best score each block of a
posting list can reach (block-max WAND), but scores every document of an
intersection. Words that most documents hold make an intersection of most
of the index (22 ms for two such words at a million records), so such a
query's best hits are taken from the union of its words instead: a
document holding every word scores the same in both, and any document
outside the union's best ``n`` scores no more than they do, so the
intersection's members among them are its best (10 ms; see :func:`_best`).

Hidden documents are dropped from the ranked hits by their access code (a
fast field) rather than excluded in the query; a page that loses too many
that way is asked again with the exclusion.
"""

import tantivy

from disan.search import query as query_parser
from disan.search.backends import ranking
from disan.search.backends.base import FACET_NAMES, empty_facets, sort_facets
from disan.search.backends.tantivy_schema import (
    HEAD_BOOST,
    level_code,
    pair_tokens,
)

# Facet values counted per facet and access level; more are cut.
MAX_FACET_VALUES = 10_000

# Distinct access levels counted; there are three.
MAX_LEVELS = 100

# Ranked hits asked for beyond the page, to make up for hidden ones.
SPARE_HITS = 10

# A query of words each held by at least this share of the documents is
# ranked through their union (measured: below it the intersection is
# walked faster than the union is pruned).
UNION_SHARE = 0.25

# Best hits of the union taken at first: this many times those wanted, and
# at least UNION_LEAST; four times more each time too few of them hold every
# word, up to UNION_MOST, past which the intersection is ranked itself.
UNION_FIRST = 4
UNION_LEAST = 40
UNION_MOST = 2560

Must = tantivy.Occur.Must
MustNot = tantivy.Occur.MustNot
Should = tantivy.Occur.Should


def matching(schema, searcher, parsed, filters, form="f_", ranked=False):
    """Return the query of documents matching every term of ``parsed`` in
    the ``form`` ("f_" folded, "x_" exact) fields, and ``filters``.

    Only a ``ranked`` query carries the :func:`_head` boosts: they change
    scores, not which documents match, and cost a walk of their own.
    """
    clauses = [
        (Must, _filter(schema, name, values)) for name, values in filters.items()
    ]
    if not parsed:
        clauses.append((Must, tantivy.Query.all_query()))
    for term in parsed.terms:
        clauses.append((Must, _term(schema, searcher, term, form)))
        if ranked and (term.prefix or len(term.tokens) > 1):
            clauses.append((Should, _head(schema, searcher, term)))
    if len(clauses) == 1:
        # A query of one word alone takes Tantivy's fastest path.
        return clauses[0][1]
    return tantivy.Query.boolean_query(clauses)


def count(searcher, query, visible, facets):
    """Return (total, facets) of the documents of ``query`` at a ``visible``
    access level; the facets are empty unless ``facets``."""
    levels = {"terms": {"field": "access_level", "size": MAX_LEVELS}}
    if facets:
        levels["aggs"] = {
            name: {"terms": {"field": name, "size": MAX_FACET_VALUES}}
            for name in FACET_NAMES
        }
    found = searcher.aggregate(query, {"level": levels})

    total = 0
    counts = {name: {} for name in FACET_NAMES}
    for bucket in found["level"]["buckets"]:
        if bucket["key"] not in visible:
            continue
        total += int(bucket["doc_count"])
        for name in FACET_NAMES if facets else ():
            values = counts[name]
            for value in bucket[name]["buckets"]:
                key = str(value["key"])
                values[key] = values.get(key, 0) + int(value["doc_count"])
    if not facets:
        return total, empty_facets()
    return total, sort_facets({name: list(v.items()) for name, v in counts.items()})


def ranked_page(schema, searcher, parsed, filters, hidden, offset, limit, read):
    """Return [(score, address)] of one page ranked by relevance: the exact
    tier (score 1 and more), then the other folded matches (below 1).

    ``read`` returns the stored fields of an address (id first).
    """
    wanted = offset + limit
    exact = matching(schema, searcher, parsed, filters, "x_", ranked=True)
    union = word_union(schema, searcher, parsed, filters, "x_")
    page = [
        (1.0 + ranking.share(raw), address)
        for raw, address in _top(schema, searcher, exact, wanted, hidden, union, read)
    ]
    if len(page) < wanted:
        # The exact tier ran out, so all of its visible documents are on
        # this page or before it: the folded matches without them follow.
        # Hidden ones left in are dropped like any other hidden hit.
        folded = matching(schema, searcher, parsed, filters, ranked=True)
        if page:
            ids = [read(address)[0] for _, address in page]
            folded = tantivy.Query.boolean_query(
                [
                    (Must, folded),
                    (MustNot, tantivy.Query.term_set_query(schema, "id", ids)),
                ]
            )
        union = word_union(schema, searcher, parsed, filters, "f_")
        rest = _top(schema, searcher, folded, wanted - len(page), hidden, union, read)
        page += [(ranking.share(raw), address) for raw, address in rest]
    return page[offset:wanted]


def sorted_page(schema, searcher, query, hidden, sort, offset, limit):
    """Return [(0.0, address)] of one page of ``query`` sorted by title or
    creation time."""
    if hidden:
        query = tantivy.Query.boolean_query(
            [(Must, query), (MustNot, _levels(schema, hidden))]
        )
    if sort == "title":
        options = {"order_by_field": "title_key", "order": tantivy.Order.Asc}
    else:
        options = {"order_by_field": "created", "order": tantivy.Order.Desc}
    result = searcher.search(query, limit, count=False, offset=offset, **options)
    return [(0.0, address) for _, address in result.hits]


def word_union(schema, searcher, parsed, filters, form):
    """Return the union of the words of ``parsed`` in the ``form`` fields if
    its query is best ranked through it, else None.

    That is a query of two or more single words, no prefix, phrase or
    filter (their scores are not those of words), each word held by at
    least :data:`UNION_SHARE` of the documents.
    """
    if filters or len(parsed.terms) < 2:
        return None
    floor = UNION_SHARE * searcher.num_docs
    for term in parsed.terms:
        tokens = _tokens(term, form)
        if term.prefix or len(tokens) != 1:
            return None
        if searcher.doc_freq(form + "words", tokens[0]) < floor:
            return None
    return tantivy.Query.boolean_query(
        [(Should, _term(schema, searcher, term, form)) for term in parsed.terms]
    )


def _best(schema, searcher, query, asked, union, read):
    """Return the best ``asked`` [(raw score, address)] of ``query``.

    With ``union`` (the union of the words ``query`` asks all of, or None),
    they are the documents of ``query`` among the union's best: Tantivy
    prunes a union, and a document holding every word has the same score in
    both. More of the union is taken while too few of its best hold every
    word. ``read`` returns the stored fields of an address (id first).
    """
    taken = max(asked * UNION_FIRST, UNION_LEAST)
    while union is not None and taken <= UNION_MOST:
        best = searcher.search(union, taken, count=False).hits
        if not best:
            return []
        ids = [read(address)[0] for _, address in best]
        members = tantivy.Query.boolean_query(
            [(Must, query), (Must, tantivy.Query.term_set_query(schema, "id", ids))]
        )
        holding = {
            (address.segment_ord, address.doc)
            for _, address in searcher.search(members, len(ids), count=False).hits
        }
        kept = [
            (score, address)
            for score, address in best
            if (address.segment_ord, address.doc) in holding
        ]
        if len(kept) >= asked or len(best) < taken:
            return kept[:asked]
        taken *= 4
    return searcher.search(query, asked, count=False).hits


def _top(schema, searcher, query, wanted, hidden, union, read):
    """Return the best ``wanted`` [(raw score, address)] of ``query`` at a
    visible level, or all of them if there are fewer; ``union`` and ``read``
    as for :func:`_best`."""
    if not hidden:
        return _best(schema, searcher, query, wanted, union, read)
    asked = wanted + SPARE_HITS
    hits = _best(schema, searcher, query, asked, union, read)
    codes = searcher.fast_field_values("access_code", [a for _, a in hits])
    hidden_codes = {level_code(level) for level in hidden}
    kept = [h for h, c in zip(hits, codes, strict=True) if c not in hidden_codes]
    if len(kept) >= wanted or len(hits) < asked:
        return kept[:wanted]
    # Too many hidden documents rank high: leave them out in the query.
    without = tantivy.Query.boolean_query(
        [(Must, query), (MustNot, _levels(schema, hidden))]
    )
    return searcher.search(without, wanted, count=False).hits


def _term(schema, searcher, term, form):
    """Return the query of one term in the ``form`` fields."""
    tokens = _tokens(term, form)
    if term.prefix:
        words = _expand(searcher, form + "words", tokens[0])
        if not words:
            return tantivy.Query.empty_query()
        return tantivy.Query.term_set_query(schema, form + "words", words)
    if len(tokens) == 1:
        return tantivy.Query.term_query(schema, form + "words", tokens[0])
    pairs = pair_tokens(tokens)
    if len(pairs) == 1:
        return tantivy.Query.term_query(schema, form + "pairs", pairs[0])
    return tantivy.Query.phrase_query(schema, form + "pairs", pairs)


def _tokens(term, form):
    """Return the tokens of ``term`` as the ``form`` fields hold them."""
    return term.folded if form == "f_" else term.tokens


def _head(schema, searcher, term):
    """Return the query adding :data:`HEAD_BOOST` to documents with a prefix
    or phrase term in a short column."""
    if term.prefix:
        # The words the prefix matches, those of f_words: the head holds
        # pairs too, which a walk of its own dictionary would go through.
        words = _expand(searcher, "f_words", term.folded[0])
        if not words:
            return tantivy.Query.empty_query()
        query = tantivy.Query.term_set_query(schema, "f_head", words)
    else:
        pairs = [
            (Must, tantivy.Query.term_query(schema, "f_head", pair))
            for pair in pair_tokens(term.folded)
        ]
        query = tantivy.Query.boolean_query(pairs)
    return tantivy.Query.const_score_query(query, HEAD_BOOST)


def _levels(schema, levels):
    return tantivy.Query.term_set_query(schema, "access_level", list(levels))


def _filter(schema, field, values):
    """Return a query matching any of ``values`` that adds no score."""
    return tantivy.Query.const_score_query(
        tantivy.Query.term_set_query(schema, field, list(values)), 0.0
    )


def _expand(searcher, field, prefix):
    """Return the indexed words of ``field`` starting with ``prefix``."""
    return [
        word
        for word, _ in searcher.terms_with_prefix(
            field, prefix, limit=query_parser.MAX_PREFIX_WORDS
        )
    ]

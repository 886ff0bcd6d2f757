"""The fields of Disan's Tantivy index and the document written into them.

Every text column of a document is tokenized by
:mod:`disan.search.vietnamese` and written into a few searchable fields,
each twice: as normalized tokens (``x_`` fields, diacritics kept) and as
folded tokens (``f_`` fields, for matching without them):

* ``words``: every word of every column, with term frequencies but no
  positions. One field rather than one per column keeps each query word to
  one posting list, which Tantivy intersects by skipping; a union of six
  columns per word cannot skip and was most of the cost of a query at a
  million documents. Columns are weighted as in BM25F: a column's tokens
  are written :data:`WEIGHTS` times, which multiplies their term frequency
  and length. Without positions the repeats cost no posting entries.
* ``pairs``: each two adjacent words of a column as one token
  (``hà_nội``), with positions. A phrase of two words is one lookup of the
  documents that hold it, instead of intersecting the far longer lists of
  its two words and comparing positions; a longer phrase is a phrase of
  pairs. Columns are parted by
  :data:`~disan.search.hanviet.GAP`, so no phrase spans two of them. Pairs
  are not weighted: nearly every pair is a posting entry of its own, so
  repeats would multiply the index. They are the price of fast phrases:
  about four fifths of Tantivy's time writing a bench record and two
  thirds of the index (revisit if indexing speed or disk comes to matter
  more than phrases of common words).
* ``f_head``: the folded words and pairs of the short columns (identifier,
  titles). Prefixes match with a constant score and pairs are unweighted,
  so a prefix or phrase found here adds :data:`HEAD_BOOST` to rank
  documents that have it in a title first.

The Hán-Việt readings of Hán characters are one more column.
"""

import hashlib
import json

import tantivy

from disan.search import hanviet, vietnamese
from disan.search.backends.base import FACET_NAMES

# Bumped whenever the fields below change; an index of another version is
# rebuilt by `disan reindex`.
SCHEMA_VERSION = 2

# BM25F weights: how many times each column is written into ``words``; a
# word in the title counts as five occurrences, one in the OCR text as one.
WEIGHTS = {
    "identifier": 4,
    "title": 5,
    "original_title": 3,
    "description": 2,
    "text": 1,
    "readings": 1,
}
TEXT_COLUMNS = ("identifier", "title", "original_title", "description", "text")
HEAD_COLUMNS = ("identifier", "title", "original_title")

# Joins the two words of a pair; never part of a token (tokens are runs of
# word characters without "_", or single ideographs).
PAIR_JOINER = "_"

# Fields a hit is shown from, stored as one JSON value.
STORED = ("id", "title", "original_title", "description", "text")

FORMS = ("f_", "x_")

# Added to the score of a document whose short columns hold a prefix or a
# phrase of the query, which neither BM25F nor the unweighted pairs rank.
HEAD_BOOST = 1.0


def build_schema():
    """Return the tantivy.Schema of the index."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("access_level", fast=True, tokenizer_name="raw")
    builder.add_unsigned_field("access_code", fast=True)
    builder.add_text_field("created", fast=True, tokenizer_name="raw")
    builder.add_text_field("title_key", fast=True, tokenizer_name="raw")
    for name in FACET_NAMES:
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    for form in FORMS:
        builder.add_text_field(
            form + "words", tokenizer_name="whitespace", index_option="freq"
        )
        builder.add_text_field(form + "pairs", tokenizer_name="whitespace")
    builder.add_text_field("f_head", tokenizer_name="whitespace", index_option="basic")
    builder.add_bytes_field("source", stored=True)
    return builder.build()


def pair_tokens(tokens):
    """Return the pair tokens of adjacent ``tokens``, in order.

    A pair touching a gap is the gap itself, so positions stay aligned
    with the words and the gap still parts what is on either side.
    """
    pairs = list(map(PAIR_JOINER.join, zip(tokens, tokens[1:], strict=False)))
    gap = hanviet.GAP
    if gap in tokens:
        pairs = [gap if gap in pair.split(PAIR_JOINER) else pair for pair in pairs]
    return pairs


def build_document(doc):
    """Return the tantivy.Document of a cleaned IndexDocument."""
    fields = {
        "id": doc.id,
        "access_level": doc.access_level,
        "created": doc.created,
        "title_key": vietnamese.sort_key(doc.title),
    }
    values = {}
    for name, value in doc.facet_values():
        values.setdefault(name, []).append(value)

    columns = [(name, vietnamese.tokenize(getattr(doc, name))) for name in TEXT_COLUMNS]
    all_tokens = [token for _, tokens in columns for token in tokens]
    columns.append(("readings", hanviet.reading_tokens(all_tokens)))
    exact = [(name, tokens) for name, tokens in columns if tokens]
    folded = [(name, vietnamese.fold_tokens(tokens)) for name, tokens in exact]
    for form, form_columns in (("x_", exact), ("f_", folded)):
        fields[form + "words"] = _words(form_columns)
        fields[form + "pairs"] = f" {hanviet.GAP} ".join(
            " ".join(pair_tokens(tokens)) for _, tokens in form_columns
        )
    head = [tokens for name, tokens in folded if name in HEAD_COLUMNS]
    fields["f_head"] = " ".join(
        " ".join(tokens) + " " + " ".join(pair_tokens(tokens)) for tokens in head
    )

    source = json.dumps([getattr(doc, name) for name in STORED], ensure_ascii=False)
    document = tantivy.Document(**fields, **values)
    document.add_unsigned("access_code", level_code(doc.access_level))
    document.add_bytes("source", source.encode())
    return document


def level_code(level):
    """Return the number standing for an access level in ``access_code``,
    which ranked hits are checked against without reading the document."""
    digest = hashlib.blake2b(level.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _words(columns):
    """Return the ``words`` text of (column, tokens) pairs, each column
    repeated as often as its weight."""
    parts = []
    for name, tokens in columns:
        if name == "readings":
            tokens = [token for token in tokens if token != hanviet.GAP]
        parts.extend([" ".join(tokens)] * WEIGHTS[name])
    return " ".join(parts)

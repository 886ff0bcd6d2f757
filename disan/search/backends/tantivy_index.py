"""Full-text search in a Tantivy index, with Disan's own Vietnamese tokens.

Tantivy (a Rust search library; PyPI ``tantivy``) stores posting lists
with positions and ranks with BM25 in compiled code, which keeps ranked
queries fast at a million documents where SQLite FTS5 computes bm25 in a
callback per matching row. Tantivy never tokenizes here: every field is
written as the space-separated tokens of :mod:`disan.search.vietnamese`
and read with its whitespace tokenizer, so matching is exactly the
SQLite backend's: each column twice, as normalized tokens (``x_``) and as
folded tokens (``f_``), plus the Hán-Việt readings of Hán characters.

A document matches when every term matches a folded column; it ranks in
the first tier when every term also matches an exact column, then by BM25
with per-column weights. The index is the folder ``<path>.tantivy`` beside
the configured index path.
"""

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import tantivy

from disan.search import hanviet, vietnamese
from disan.search import query as query_parser
from disan.search.backends import ranking
from disan.search.backends.base import (
    FACET_NAMES,
    SearchBackend,
    SearchResults,
    empty_facets,
    make_hits,
    sort_facets,
)
from disan.search.exceptions import SearchIndexError

logger = logging.getLogger(__name__)

# Bumped whenever the schema below changes; an index of another version is
# rebuilt by `disan reindex`.
SCHEMA_VERSION = 1
VERSION_FILE = "disan-schema-version"

# Searchable columns with their BM25 weights (higher counts more); the
# readings are the Hán-Việt words of Hán characters in any column.
WEIGHTS = {
    "identifier": 8.0,
    "title": 10.0,
    "original_title": 6.0,
    "description": 3.0,
    "text": 1.0,
    "readings": 2.0,
}
COLUMNS = tuple(WEIGHTS)
STORED = ("id", "title", "original_title", "description", "text")

# Added to the score of documents matching with the diacritics as typed.
# Limitation: scores are 32-bit floats, so within that tier BM25 scores are
# kept to about 0.001; a query whose BM25 exceeds this (dozens of terms,
# each in every column) could let a folded match pass an exact one.
EXACT_BOOST = 10_000.0

# Seconds a writer waits for another process's writer lock.
LOCK_TIMEOUT_SECONDS = 60
WRITER_HEAP_BYTES = 200_000_000

# Facet values counted per facet; more distinct values are cut.
MAX_FACET_VALUES = 10_000


def _schema():
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("access_level", fast=True, tokenizer_name="raw")
    builder.add_text_field("created", fast=True, tokenizer_name="raw")
    builder.add_text_field("title_key", fast=True, tokenizer_name="raw")
    for name in FACET_NAMES:
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    for column in COLUMNS:
        for prefix in ("f_", "x_"):
            builder.add_text_field(prefix + column, tokenizer_name="whitespace")
    builder.add_bytes_field("source", stored=True)
    return builder.build()


class TantivyBackend(SearchBackend):
    """Full-text search in the Tantivy index folder ``<path>.tantivy``."""

    def __init__(self, path):
        self.path = Path(path)
        self.folder = self.path.with_suffix(".tantivy")
        self.schema = _schema()
        self._lock = threading.Lock()
        self._index = None
        self._pid = None

    def __repr__(self):
        return f"<TantivyBackend {self.folder}>"

    # --- writing ---------------------------------------------------------

    def index_many(self, docs):
        cleaned = [doc.cleaned() for doc in docs]
        # Tokenize before taking the writer lock, which is held briefly.
        documents = [self._document(doc) for doc in cleaned]
        with self._errors("write to"), self._writer() as writer:
            for doc, document in zip(cleaned, documents, strict=True):
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(document)
        for doc in cleaned:
            logger.info("Indexed document %s in %s", doc.id, self.folder)
        return len(cleaned)

    def delete(self, doc_id):
        doc_id = str(doc_id)
        with self._errors("delete from"):
            if not self._contains(doc_id):
                return False
            with self._writer() as writer:
                writer.delete_documents_by_term("id", doc_id)
        logger.info("Removed document %s from %s", doc_id, self.folder)
        return True

    def clear(self):
        with self._errors("clear"):
            if self._version() not in (None, SCHEMA_VERSION):
                # Another schema: start a new folder rather than read it.
                with self._lock:
                    self._index = None
                shutil.rmtree(self.folder)
            with self._writer() as writer:
                writer.delete_all_documents()
        logger.info("Cleared search index %s", self.folder)

    def count(self):
        with self._errors("read"):
            return self._searcher().num_docs

    # --- reading ---------------------------------------------------------

    def _search(self, parsed, levels, filters, *, offset, limit, sort, facets):
        with self._errors("search"):
            searcher = self._searcher()
            matching = self._matching(searcher, parsed, levels, filters)
            total, ranked = self._ranked(
                searcher, matching, parsed, sort, offset, limit
            )
            counts = self._facets(searcher, matching) if facets else empty_facets()
            sources = [_source(searcher.doc(address)) for _, address in ranked]
        found = [
            (source[0], score, *source[1:])
            for (score, _), source in zip(ranked, sources, strict=True)
        ]
        return SearchResults(total=total, hits=make_hits(parsed, found), facets=counts)

    # --- queries ---------------------------------------------------------

    def _matching(self, searcher, parsed, levels, filters):
        """Return the query of visible documents matching ``parsed``."""
        schema = self.schema
        clauses = []
        # Most documents are visible to most readers, so leaving out the
        # hidden levels walks far shorter posting lists than keeping the
        # visible ones (a third faster at a million documents). The levels
        # come from this searcher's snapshot, so none is missed.
        present = [level for level, _ in searcher.terms_with_prefix("access_level", "")]
        hidden = [level for level in present if level not in levels]
        if hidden:
            query = tantivy.Query.term_set_query(schema, "access_level", hidden)
            clauses.append((tantivy.Occur.MustNot, query))
        for name, values in filters.items():
            clauses.append((tantivy.Occur.Must, _filter(schema, name, values)))
        if not parsed:
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
            return tantivy.Query.boolean_query(clauses)

        exact = []
        for term in parsed.terms:
            clauses.append((tantivy.Occur.Must, self._term(searcher, term, "f_")))
            exact.append((tantivy.Occur.Must, self._term(searcher, term, "x_")))
        tier = tantivy.Query.const_score_query(
            tantivy.Query.boolean_query(exact), EXACT_BOOST
        )
        clauses.append((tantivy.Occur.Should, tier))
        return tantivy.Query.boolean_query(clauses)

    def _term(self, searcher, term, prefix):
        """Return the query of one term in any column, weighted."""
        tokens = term.folded if prefix == "f_" else term.tokens
        fields = []
        for column in COLUMNS:
            field = prefix + column
            if term.prefix:
                words = _expand(searcher, field, tokens[0])
                if not words:
                    continue
                query = tantivy.Query.term_set_query(self.schema, field, words)
            elif len(tokens) > 1:
                query = tantivy.Query.phrase_query(self.schema, field, list(tokens))
            else:
                query = tantivy.Query.term_query(self.schema, field, tokens[0])
            fields.append((tantivy.Occur.Should, _boost(query, WEIGHTS[column])))
        if not fields:
            return tantivy.Query.empty_query()
        return tantivy.Query.boolean_query(fields)

    def _ranked(self, searcher, matching, parsed, sort, offset, limit):
        """Return (total, [(score, address)]) of one page."""
        if sort == "relevance" and not parsed:
            sort = "newest"
        options = {"limit": limit, "offset": offset, "count": True}
        if sort == "newest":
            options.update(order_by_field="created", order=tantivy.Order.Desc)
        elif sort == "title":
            options.update(order_by_field="title_key", order=tantivy.Order.Asc)
        if limit == 0:
            # Tantivy refuses a limit of 0; count only.
            options["limit"] = 1
        result = searcher.search(matching, **options)
        hits = result.hits if limit else []
        if sort != "relevance":
            return result.count, [(0.0, address) for _, address in hits]
        return result.count, [
            (ranking.score(raw, EXACT_BOOST), address) for raw, address in hits
        ]

    def _facets(self, searcher, matching):
        aggregation = {
            name: {"terms": {"field": name, "size": MAX_FACET_VALUES}}
            for name in FACET_NAMES
        }
        found = searcher.aggregate(matching, aggregation)
        facets = empty_facets()
        for name in FACET_NAMES:
            buckets = found.get(name, {}).get("buckets", [])
            facets[name] = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
        return sort_facets(facets)

    # --- documents -------------------------------------------------------

    def _document(self, doc):
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
        all_tokens = []
        for column in COLUMNS[:-1]:
            tokens = vietnamese.tokenize(getattr(doc, column))
            all_tokens.extend(tokens)
            fields["x_" + column] = " ".join(tokens)
            fields["f_" + column] = " ".join(vietnamese.fold_tokens(tokens))
        readings = hanviet.reading_tokens(all_tokens)
        fields["x_readings"] = " ".join(readings)
        fields["f_readings"] = " ".join(vietnamese.fold_tokens(readings))
        source = json.dumps([getattr(doc, name) for name in STORED])
        document = tantivy.Document(**fields, **values)
        document.add_bytes("source", source.encode())
        return document

    def _contains(self, doc_id):
        query = tantivy.Query.term_query(self.schema, "id", doc_id)
        return self._searcher().search(query, limit=1).count > 0

    # --- the index folder ------------------------------------------------

    def _open(self):
        """Return the tantivy.Index of this process, opening it on first use.

        An index inherited through fork() is never used: its threads did not
        survive the fork.
        """
        with self._lock:
            if self._index is not None and self._pid == os.getpid():
                return self._index
            version = self._version()
            if version is not None and version != SCHEMA_VERSION:
                raise SearchIndexError(
                    f"Search index {self.folder} has schema version {version}, "
                    f"this Disan uses {SCHEMA_VERSION}; run `disan reindex` to "
                    "rebuild it."
                )
            self.folder.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(self.folder), reuse=True)
            index.config_reader(reload_policy="Manual")
            if version is None:
                (self.folder / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
            self._index, self._pid = index, os.getpid()
            return index

    def _version(self):
        try:
            text = (self.folder / VERSION_FILE).read_text().strip()
        except FileNotFoundError:
            return None
        return int(text) if text.isdigit() else -1

    def _searcher(self):
        index = self._open()
        # Cheap when nothing changed; sees other processes' commits at once.
        index.reload()
        return index.searcher()

    @contextlib.contextmanager
    def _writer(self):
        """Yield an IndexWriter holding the index's writer lock; commit."""
        index = self._open()
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                writer = index.writer(WRITER_HEAP_BYTES, 1)
                break
            except ValueError as err:
                # Another process writes: wait for its lock, up to a limit.
                if "lock" not in str(err).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        try:
            yield writer
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        finally:
            del writer
        index.reload()

    @contextlib.contextmanager
    def _errors(self, action):
        try:
            yield
        except (ValueError, OSError) as err:
            raise SearchIndexError(
                f"Cannot {action} search index {self.folder}: {err}. If the "
                "folder is damaged, delete it and run `disan reindex`."
            ) from err


def _filter(schema, field, values):
    """Return a query matching any of ``values`` that adds no score."""
    return tantivy.Query.const_score_query(
        tantivy.Query.term_set_query(schema, field, list(values)), 0.0
    )


def _boost(query, weight):
    return tantivy.Query.boost_query(query, weight) if weight != 1.0 else query


def _expand(searcher, field, prefix):
    """Return the indexed words of ``field`` starting with ``prefix``."""
    return [
        word
        for word, _ in searcher.terms_with_prefix(
            field, prefix, limit=query_parser.MAX_PREFIX_WORDS
        )
    ]


def _source(document):
    return json.loads(bytes(document["source"][0]).decode())

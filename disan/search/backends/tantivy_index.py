"""Full-text search in a Tantivy index, with Disan's own Vietnamese tokens.

Tantivy (a Rust search library; PyPI ``tantivy``) stores posting lists and
ranks with BM25 in compiled code, which keeps ranked queries fast at a
million documents where SQLite FTS5 computes bm25 in a callback per
matching row. Tantivy never tokenizes here: every field is written as the
space-separated tokens of :mod:`disan.search.vietnamese` and read with its
whitespace tokenizer, so matching is exactly the SQLite backend's. The
fields are described in :mod:`~disan.search.backends.tantivy_schema`.

A document matches when every term matches a folded field; it ranks in
the first tier when every term also matches an exact field, then by BM25F
over its weighted columns. The index is the folder ``<path>.tantivy``
beside the configured index path.
"""

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tantivy

from disan.search.backends import tantivy_query
from disan.search.backends.base import (
    SearchBackend,
    SearchResults,
    make_hits,
)
from disan.search.backends.tantivy_schema import (
    SCHEMA_VERSION,
    build_document,
    build_schema,
)
from disan.search.exceptions import SearchIndexError

logger = logging.getLogger(__name__)

VERSION_FILE = "disan-schema-version"

# Seconds a writer waits for another process's writer lock.
LOCK_TIMEOUT_SECONDS = 60
WRITER_HEAP_BYTES = 200_000_000

# Threads counting matches while the calling thread ranks them; Tantivy
# releases the GIL, so a count and a ranking run on two cores at once.
COUNT_THREADS = 4


class TantivyBackend(SearchBackend):
    """Full-text search in the Tantivy index folder ``<path>.tantivy``."""

    def __init__(self, path):
        self.path = Path(path)
        self.folder = self.path.with_suffix(".tantivy")
        self.schema = build_schema()
        self._lock = threading.Lock()
        self._index = None
        self._pid = None
        self._executor = None
        self._executor_pid = None

    def __repr__(self):
        return f"<TantivyBackend {self.folder}>"

    @property
    def location(self):
        return self.folder

    # --- writing ---------------------------------------------------------

    def index_many(self, docs):
        cleaned = [doc.cleaned() for doc in docs]
        # Tokenizing while holding the writer lets Tantivy's indexing thread
        # take each document as it comes, on the other core; the lock is held
        # that much longer (about 10 s for 20,000 records), and a failure
        # still rolls the whole batch back.
        with self._errors("write to"), self._writer() as writer:
            for doc in cleaned:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(build_document(doc))
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
            schema = self.schema
            present = [
                level for level, _ in searcher.terms_with_prefix("access_level", "")
            ]
            hidden = [level for level in present if level not in levels]
            sources = {}

            def read(address):
                key = (address.segment_ord, address.doc)
                if key not in sources:
                    sources[key] = _source(searcher.doc(address))
                return sources[key]

            matching = tantivy_query.matching(schema, searcher, parsed, filters)
            counting = self._pool().submit(
                tantivy_query.count, searcher, matching, set(levels), facets
            )
            try:
                if not limit:
                    page = []
                elif sort == "relevance" and parsed:
                    page = tantivy_query.ranked_page(
                        schema, searcher, parsed, filters, hidden, offset, limit, read
                    )
                else:
                    page = tantivy_query.sorted_page(
                        schema, searcher, matching, hidden, sort, offset, limit
                    )
            finally:
                total, counts = counting.result()
            return self._results(parsed, total, page, counts, read)

    def _results(self, parsed, total, page, facets, read):
        """Return the SearchResults of a ranked or sorted page."""
        found = [(read(address), score) for score, address in page]
        found = [(source[0], score, *source[1:]) for source, score in found]
        return SearchResults(total=total, hits=make_hits(parsed, found), facets=facets)

    def _pool(self):
        """Return this process's thread pool for counting."""
        with self._lock:
            if self._executor is None or self._executor_pid != os.getpid():
                self._executor = ThreadPoolExecutor(
                    COUNT_THREADS, thread_name_prefix="disan-search-count"
                )
                self._executor_pid = os.getpid()
            return self._executor

    # --- documents -------------------------------------------------------

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


def _source(document):
    return json.loads(bytes(document["source"][0]).decode())

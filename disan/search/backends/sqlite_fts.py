"""Search backend on SQLite FTS5, in a file of its own.

The index lives apart from the Django database: background workers write it
and the web server reads it, each process (and each thread) through its own
connection. The file is in WAL mode, so readers go on while one writer
commits, and every connection waits up to ``BUSY_TIMEOUT_SECONDS`` for a
lock instead of failing with "database is locked".

Words are tokenized in Python (:mod:`disan.search.vietnamese`) and stored as
space-separated tokens twice: once normalized with diacritics
(``words_exact``) and once folded (``words_folded``). A query matches on the
folded table; documents that also match on the exact table rank first, so
``đường`` puts a document with "đường" above one with only "dương". Within
each tier FTS5's bm25 ranks, weighting title over original title over
description over OCR text.
"""

import contextlib
import logging
import os
import sqlite3
import threading
from pathlib import Path

from disan.search import hanviet, vietnamese
from disan.search.backends import ranking
from disan.search.backends.base import (
    SearchBackend,
    SearchResults,
    empty_facets,
    make_hits,
    sort_facets,
)
from disan.search.exceptions import SearchIndexError

logger = logging.getLogger(__name__)

# Bumped whenever the tables below change; an index of another version is
# rebuilt by `disan reindex`.
SCHEMA_VERSION = 2

# Seconds a connection waits for another process's lock before giving up.
BUSY_TIMEOUT_SECONDS = 30

# Full-text columns, with their bm25 weights (higher counts more).
# The readings are the Hán-Việt words of the Hán characters in any column
# (see disan.search.hanviet).
COLUMNS = ("identifier", "title", "original_title", "description", "text", "readings")
WEIGHTS = {
    "identifier": 8.0,
    "title": 10.0,
    "original_title": 6.0,
    "description": 3.0,
    "text": 1.0,
    "readings": 2.0,
}
TEXT_COLUMNS = COLUMNS[:-1]

_TABLES = ("documents", "facets", "words_exact", "words_folded")

# The ascii tokenizer splits only on ASCII spaces and punctuation and keeps
# every other character, so the Python tokens (Nôm outside the BMP
# included) reach the index unchanged.
_SCHEMA = f"""
CREATE TABLE documents (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    access_level TEXT NOT NULL,
    created TEXT NOT NULL,
    title_key TEXT NOT NULL,
    identifier TEXT NOT NULL,
    title TEXT NOT NULL,
    original_title TEXT NOT NULL,
    description TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX documents_listing ON documents (access_level, created);
CREATE INDEX documents_title ON documents (access_level, title_key);
-- access_level and created come before the long texts so that filtering
-- and sorting read only the first page of each row.
CREATE TABLE facets (
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    rid INTEGER NOT NULL,
    PRIMARY KEY (name, value, rid)
) WITHOUT ROWID;
CREATE INDEX facets_document ON facets (rid);
CREATE VIRTUAL TABLE words_exact USING fts5({", ".join(COLUMNS)}, tokenize='ascii');
CREATE VIRTUAL TABLE words_folded USING fts5({", ".join(COLUMNS)}, tokenize='ascii');
PRAGMA user_version = {SCHEMA_VERSION}
"""


class SQLiteFTSBackend(SearchBackend):
    """Full-text search in the SQLite file at ``path``."""

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()
        # Connections inherited through fork() are kept, never used or
        # closed: closing them in the child could disturb the parent's.
        self._inherited = []

    def __repr__(self):
        return f"<SQLiteFTSBackend {self.path}>"

    # --- writing ---------------------------------------------------------

    def index_many(self, docs):
        cleaned = [doc.cleaned() for doc in docs]
        # Tokenize before taking the write lock, which is held briefly.
        rows = [(doc, _token_columns(doc)) for doc in cleaned]
        with self._errors("write to"):
            connection = self._ready_connection()
            with _write_transaction(connection):
                for doc, (exact, folded) in rows:
                    _remove(connection, doc.id)
                    _insert(connection, doc, exact, folded)
        for doc in cleaned:
            logger.info("Indexed document %s in %s", doc.id, self.path)
        return len(cleaned)

    def delete(self, doc_id):
        with self._errors("delete from"):
            connection = self._ready_connection()
            with _write_transaction(connection):
                removed = _remove(connection, str(doc_id))
        if removed:
            logger.info("Removed document %s from %s", doc_id, self.path)
        return removed

    def clear(self):
        with self._errors("clear"):
            connection = self._connection()
            with _write_transaction(connection):
                for table in _TABLES:
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
                _create_schema(connection)
        logger.info("Cleared search index %s", self.path)

    def count(self):
        with self._errors("read"):
            connection = self._ready_connection()
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]

    # --- reading ---------------------------------------------------------

    def _search(self, parsed, levels, filters, *, offset, limit, sort, facets):
        # Every statement of one search reads the same snapshot.
        with self._errors("search"):
            connection = self._ready_connection()
            with _read_transaction(connection):
                _collect_matches(connection, parsed, levels, filters)
                total = connection.execute("SELECT count(*) FROM temp.matches")
                total = total.fetchone()[0]
                counts = _facets(connection) if facets else empty_facets()
                ranked = _ranked(connection, parsed, sort, offset, limit)
                rows = _documents(connection, [rid for rid, _ in ranked])
        found = [(rows[rid][0], score, *rows[rid][1:]) for rid, score in ranked]
        return SearchResults(total=total, hits=make_hits(parsed, found), facets=counts)

    # --- connections -----------------------------------------------------

    def _connection(self):
        """Return this thread's connection, opening it on first use."""
        local = self._local
        if getattr(local, "connection", None) is not None:
            if local.pid == os.getpid():
                return local.connection
            self._inherited.append(local.connection)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
        )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA temp_store = MEMORY")
        connection.execute(
            "CREATE TEMP TABLE matches (rid INTEGER PRIMARY KEY,"
            " rank REAL NOT NULL, created TEXT NOT NULL, title_key TEXT NOT NULL)"
        )
        local.connection, local.pid, local.checked = connection, os.getpid(), False
        return connection

    def _ready_connection(self):
        """Return this thread's connection to an index of this schema."""
        connection = self._connection()
        if self._local.checked:
            return connection
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            with _write_transaction(connection):
                # Another process may have made the tables meanwhile.
                if connection.execute("PRAGMA user_version").fetchone()[0] == 0:
                    _create_schema(connection)
        elif version != SCHEMA_VERSION:
            raise SearchIndexError(
                f"Search index {self.path} has schema version {version}, this "
                f"Disan uses {SCHEMA_VERSION}; run `disan reindex` to rebuild it."
            )
        self._local.checked = True
        return connection

    @contextlib.contextmanager
    def _errors(self, action):
        try:
            yield
        except (sqlite3.Error, OSError) as err:
            raise SearchIndexError(
                f"Cannot {action} search index {self.path}: {err}. If the file "
                "is damaged, delete it and run `disan reindex`."
            ) from err


@contextlib.contextmanager
def _write_transaction(connection):
    # IMMEDIATE takes the write lock at once (waiting up to the busy
    # timeout), so a writer never fails later when upgrading a read lock.
    if connection.in_transaction:
        yield
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


@contextlib.contextmanager
def _read_transaction(connection):
    connection.execute("BEGIN")
    try:
        yield
    finally:
        connection.execute("COMMIT")


def _create_schema(connection):
    # One statement at a time: executescript() would commit the open
    # transaction first, letting another process in between.
    for statement in _SCHEMA.split(";\n"):
        connection.execute(statement)


def _token_columns(doc):
    """Return (exact, folded) column values: space-separated tokens."""
    exact = {}
    folded = {}
    all_tokens = []
    for column in TEXT_COLUMNS:
        tokens = vietnamese.tokenize(getattr(doc, column))
        all_tokens.extend(tokens)
        exact[column] = " ".join(tokens)
        folded[column] = " ".join(vietnamese.fold_tokens(tokens))
    readings = hanviet.reading_tokens(all_tokens)
    exact["readings"] = " ".join(readings)
    folded["readings"] = " ".join(vietnamese.fold_tokens(readings))
    return exact, folded


def _insert(connection, doc, exact, folded):
    cursor = connection.execute(
        "INSERT INTO documents (id, title_key, identifier, title, original_title,"
        " description, text, access_level, created)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc.id,
            vietnamese.sort_key(doc.title),
            doc.identifier,
            doc.title,
            doc.original_title,
            doc.description,
            doc.text,
            doc.access_level,
            doc.created,
        ),
    )
    rid = cursor.lastrowid
    placeholders = ", ".join("?" * (len(COLUMNS) + 1))
    names = ", ".join(COLUMNS)
    for table, values in (("words_exact", exact), ("words_folded", folded)):
        connection.execute(
            f"INSERT INTO {table} (rowid, {names}) VALUES ({placeholders})",
            (rid, *(values[column] for column in COLUMNS)),
        )
    connection.executemany(
        "INSERT INTO facets (name, value, rid) VALUES (?, ?, ?)",
        [(name, value, rid) for name, value in doc.facet_values()],
    )


def _remove(connection, doc_id):
    row = connection.execute(
        "SELECT rid FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    if row is None:
        return False
    for statement in (
        "DELETE FROM words_exact WHERE rowid = ?",
        "DELETE FROM words_folded WHERE rowid = ?",
        "DELETE FROM facets WHERE rid = ?",
        "DELETE FROM documents WHERE rid = ?",
    ):
        connection.execute(statement, row)
    return True


def _fts_expression(terms, folded):
    """Return an FTS5 expression requiring every term.

    Each term is written as one quoted FTS5 string (a phrase when it holds
    several tokens), followed by ``*`` for a prefix. Tokens consist of
    letters, digits and marks only, so no user character can act as FTS5
    syntax.
    """
    phrases = []
    for term in terms:
        tokens = term.folded if folded else term.tokens
        phrases.append('"' + " ".join(tokens) + '"' + (" *" if term.prefix else ""))
    return " AND ".join(phrases)


def _matching(parsed, levels, filters):
    """Return the FROM/WHERE clause selecting visible matching documents,
    with its parameters; ``d`` is the documents table."""
    clauses = [f"d.access_level IN ({', '.join('?' * len(levels))})"]
    params = list(levels)
    for name, values in filters.items():
        clauses.append(
            "d.rid IN (SELECT rid FROM facets WHERE name = ? AND value IN"
            f" ({', '.join('?' * len(values))}))"
        )
        params.extend([name, *values])
    if parsed:
        # CROSS JOIN keeps the full-text match as the outer loop; otherwise
        # the planner may walk every visible document and match each one.
        source = (
            "FROM words_folded CROSS JOIN documents d ON d.rid = words_folded.rowid"
        )
        clauses.insert(0, "words_folded MATCH ?")
        params.insert(0, _fts_expression(parsed.terms, folded=True))
    else:
        source = "FROM documents d"
    return f"{source} WHERE {' AND '.join(clauses)}", params


def _collect_matches(connection, parsed, levels, filters):
    """Fill temp.matches with every visible matching document.

    The full-text match runs once per search; the total, the facets and the
    page of hits are then read from this per-connection table.
    """
    source, params = _matching(parsed, levels, filters)
    if parsed:
        weights = ", ".join(str(WEIGHTS[column]) for column in COLUMNS)
        rank = f"bm25(words_folded, {weights})"
    else:
        rank = "0.0"
    connection.execute("DELETE FROM temp.matches")
    connection.execute(
        f"INSERT INTO temp.matches (rid, rank, created, title_key)"
        f" SELECT d.rid, {rank}, d.created, d.title_key {source}",
        params,
    )


def _facets(connection):
    facets = empty_facets()
    rows = connection.execute(
        "SELECT f.name, f.value, count(*) FROM temp.matches m"
        " JOIN facets f ON f.rid = m.rid GROUP BY f.name, f.value"
    )
    for name, value, count in rows:
        if name in facets:
            facets[name].append((value, count))
    return sort_facets(facets)


def _ranked(connection, parsed, sort, offset, limit):
    """Return [(rid, score)] of one page in the order ``sort`` names.

    By relevance, documents matching every term with the diacritics as
    typed come first, then by bm25 (see disan.search.backends.ranking).
    """
    if sort != "relevance" or not parsed:
        order = "title_key, rid" if sort == "title" else "created DESC, rid DESC"
        rows = connection.execute(
            f"SELECT rid FROM temp.matches ORDER BY {order} LIMIT ? OFFSET ?",
            [limit, offset],
        )
        return [(rid, 0.0) for (rid,) in rows]

    exact = "rid IN (SELECT rowid FROM words_exact WHERE words_exact MATCH ?)"
    params = [_fts_expression(parsed.terms, folded=False)]
    rows = connection.execute(
        f"SELECT rid, rank, {exact} AS exact FROM temp.matches"
        " ORDER BY exact DESC, rank, created DESC, rid DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [(rid, float(exact) + ranking.share(-rank)) for rid, rank, exact in rows]


def _documents(connection, rids):
    if not rids:
        return {}
    rows = connection.execute(
        "SELECT rid, id, title, original_title, description, text FROM documents"
        f" WHERE rid IN ({', '.join('?' * len(rids))})",
        rids,
    )
    return {row[0]: row[1:] for row in rows}

"""The contract every search backend fulfils, and the data it exchanges."""

import abc
import dataclasses
import datetime
import uuid

from disan.core.text import nfc
from disan.search import query as query_parser
from disan.search.exceptions import InvalidDocumentError, InvalidQueryError
from disan.search.highlight import Highlighter, plain_snippet

# Facets every backend counts, in the order a portal shows them. "language"
# holds the languages of a document, "script" its writing systems, and
# "century" each century its year range touches (19 for 1801-1900).
FACET_NAMES = ("doc_type", "holding_unit", "language", "script", "century")

# The most hits one call may ask for.
MAX_LIMIT = 1000

# Orders of search results: best match first (newest first for an empty
# query), Vietnamese alphabetical order of titles, newest first.
SORTS = ("relevance", "title", "newest")


@dataclasses.dataclass
class IndexDocument:
    """What the index knows about one heritage document."""

    id: str
    identifier: str
    title: str
    original_title: str = ""
    description: str = ""
    text: str = ""
    doc_type: str = ""
    holding_unit: str = ""
    languages: list[str] = dataclasses.field(default_factory=list)
    scripts: list[str] = dataclasses.field(default_factory=list)
    year_start: int | None = None
    year_end: int | None = None
    access_level: str = "public"
    created: str = ""

    def cleaned(self):
        """Return a copy in NFC with checked types, or raise
        :class:`InvalidDocumentError` naming the field to fix."""
        try:
            doc_id = str(uuid.UUID(str(self.id)))
        except ValueError as err:
            raise InvalidDocumentError(
                f"Search document {self.id!r}: id must be a UUID string."
            ) from err
        values = {"id": doc_id}
        for name in (
            "identifier",
            "title",
            "original_title",
            "description",
            "text",
            "doc_type",
            "holding_unit",
            "access_level",
        ):
            values[name] = nfc(_text_field(doc_id, name, getattr(self, name)))
        if not values["access_level"]:
            raise InvalidDocumentError(
                f"Search document {doc_id}: access_level is empty; give the "
                "document's access level (public, conditional or secret)."
            )
        for name in ("languages", "scripts"):
            values[name] = _list_field(doc_id, name, getattr(self, name))
        for name in ("year_start", "year_end"):
            values[name] = _year_field(doc_id, name, getattr(self, name))
        values["created"] = _created_field(doc_id, self.created)
        return IndexDocument(**values)

    def facet_values(self):
        """Return (facet name, value) pairs of this document, without repeats."""
        pairs = []
        if self.doc_type:
            pairs.append(("doc_type", self.doc_type))
        if self.holding_unit:
            pairs.append(("holding_unit", self.holding_unit))
        pairs.extend(("language", value) for value in self.languages)
        pairs.extend(("script", value) for value in self.scripts)
        pairs.extend(
            ("century", str(value))
            for value in centuries(self.year_start, self.year_end)
        )
        return list(dict.fromkeys(pairs))


@dataclasses.dataclass
class Hit:
    """One document in a result page; the HTML parts are escaped."""

    id: str
    score: float
    title_html: str
    snippet_html: str


@dataclasses.dataclass
class SearchResults:
    """A page of hits, the number of all matches and the facet counts."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]


def centuries(year_start, year_end):
    """Return the centuries (19 for 1801-1900) a year range touches.

    Either end may be None; then the other one alone counts.
    """
    years = [year for year in (year_start, year_end) if year is not None]
    if not years:
        return []
    first, last = min(years), max(years)
    # Limitation: years before 1 CE (none in the department's holdings so
    # far) give no century; they would need a sign convention for facets.
    first, last = max(first, 1), last
    if last < 1:
        return []
    return list(range((first - 1) // 100 + 1, (last - 1) // 100 + 2))


def empty_facets():
    """Return the facets of no documents: every name, no values."""
    return {name: [] for name in FACET_NAMES}


def check_page(offset, limit):
    """Raise :class:`InvalidQueryError` unless offset and limit are usable."""
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidQueryError(f"Search offset {offset!r}: give a whole number >= 0.")
    if (
        not isinstance(limit, int)
        or isinstance(limit, bool)
        or not 0 <= limit <= MAX_LIMIT
    ):
        raise InvalidQueryError(
            f"Search limit {limit!r}: give a whole number from 0 to {MAX_LIMIT}."
        )


def check_sort(sort):
    """Raise :class:`InvalidQueryError` unless ``sort`` is one of SORTS."""
    if sort not in SORTS:
        raise InvalidQueryError(
            f"Search sort {sort!r} is unknown; use one of: {', '.join(SORTS)}."
        )


def sort_facets(facets):
    """Sort each facet's (value, count) pairs: most documents first, then
    centuries by number and other values in Vietnamese alphabetical order."""
    from disan.search.vietnamese import sort_key

    def key(name, value):
        if name == "century" and value.lstrip("-").isdigit():
            return (int(value), "")
        return (0, sort_key(value))

    for name, values in facets.items():
        values.sort(key=lambda item, name=name: (-item[1], key(name, item[0])))
    return facets


def clean_filters(filters):
    """Return ``filters`` as {facet name: [NFC values]}, without empty lists.

    A single string is taken as a one-value list.
    """
    cleaned = {}
    for name, values in (filters or {}).items():
        if name not in FACET_NAMES:
            raise InvalidQueryError(
                f"Search filter {name!r} is unknown; use one of: "
                f"{', '.join(FACET_NAMES)}."
            )
        if isinstance(values, str | int):
            values = [values]
        values = [nfc(str(value)) for value in values]
        if values:
            cleaned[name] = values
    return cleaned


class SearchBackend(abc.ABC):
    """Store documents for full-text search and answer queries.

    Backends never decide who may see what: callers pass the access levels
    :func:`disan.access.policy.visible_levels` gives them, and a backend
    must not return, count or facet a document outside those levels.
    """

    @property
    def location(self):
        """Return the file or folder the index is kept in."""
        return self.path

    def index(self, doc: IndexDocument) -> None:
        """Add ``doc``, or replace the document with the same id."""
        self.index_many([doc])

    @abc.abstractmethod
    def index_many(self, docs) -> int:
        """Add or replace every document in ``docs``; return how many."""

    @abc.abstractmethod
    def delete(self, doc_id: str) -> bool:
        """Remove the document with ``doc_id``; return whether it was there."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    @abc.abstractmethod
    def count(self) -> int:
        """Return how many documents the index holds, whatever their level."""

    def search(
        self,
        query: str,
        *,
        access_levels: list[str],
        filters: dict[str, list[str]] | None = None,
        offset: int = 0,
        limit: int = 20,
        sort: str = "relevance",
        facets: bool = True,
    ) -> SearchResults:
        """Return the documents matching ``query`` the caller may see.

        Words must all match (AND), a quoted part is a phrase, a word of
        two or more characters followed by ``*`` is a prefix, and any text
        is accepted: what cannot be searched is ignored (see
        :mod:`disan.search.query`).

        ``sort`` is one of :data:`SORTS`: "relevance" puts documents with
        the diacritics as typed first, then the best BM25 matches (an empty
        query lists newest first); "title" sorts by
        :func:`disan.search.vietnamese.sort_key` of the title; "newest" by
        creation time. A hit's score is 0.0 unless sorted by relevance.
        With ``facets=False`` the facet counts are left empty, which saves
        their cost when a caller shows none.
        """
        check_page(offset, limit)
        check_sort(sort)
        filters = clean_filters(filters)
        levels = [str(level) for level in access_levels]
        parsed = query_parser.parse(query)
        if not levels or (query and query.strip() and not parsed):
            # Nothing visible, or only characters that cannot be searched.
            return SearchResults(total=0, hits=[], facets=empty_facets())
        return self._search(
            parsed,
            levels,
            filters,
            offset=offset,
            limit=limit,
            sort=sort,
            facets=facets,
        )

    @abc.abstractmethod
    def _search(self, parsed, levels, filters, *, offset, limit, sort, facets):
        """Run a checked query (see :meth:`search`) over this index.

        ``parsed`` comes from :func:`disan.search.query.parse`, ``levels``
        is never empty and ``filters`` is cleaned; build the hits with
        :func:`make_hits`.
        """


def make_hits(parsed, found):
    """Return the hits for ``found``, with matches marked in title and snippet.

    ``found`` holds ``(doc_id, score, title, original_title, description,
    text)`` in rank order; excerpts come from the original text, never from
    the folded form.
    """
    highlighter = Highlighter(
        [token for term in parsed.terms for token in term.folded],
        prefixes=[term.folded[0] for term in parsed.terms if term.prefix],
    )
    hits = []
    for doc_id, score, title, original_title, description, text in found:
        if parsed:
            snippet_html = highlighter.snippet([description, text, original_title])
        else:
            snippet_html = plain_snippet([description, text])
        hits.append(
            Hit(
                id=doc_id,
                score=score,
                title_html=highlighter.mark(title),
                snippet_html=snippet_html,
            )
        )
    return hits


def _text_field(doc_id, name, value):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidDocumentError(
            f"Search document {doc_id}: {name} must be text, not "
            f"{type(value).__name__}."
        )
    return value


def _list_field(doc_id, name, value):
    if value is None:
        return []
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        raise InvalidDocumentError(
            f"Search document {doc_id}: {name} must be a list of strings, "
            f"not {value!r}."
        )
    return list(dict.fromkeys(nfc(item) for item in value if item))


def _year_field(doc_id, name, value):
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise InvalidDocumentError(
        f"Search document {doc_id}: {name} must be a whole year or None, not {value!r}."
    )


def _created_field(doc_id, value):
    """Return ``value`` as an ISO 8601 UTC timestamp that sorts as text."""
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError as err:
        raise InvalidDocumentError(
            f"Search document {doc_id}: created {value!r} is not an ISO 8601 "
            "date and time; give e.g. 2025-03-01T09:30:00+07:00."
        ) from err
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")

"""The search form's state: query, facet filters, page; and links that change it."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from disan.core.text import nfc

# Facets the search backend computes, in the order the page shows them.
FACET_KEYS = ("doc_type", "holding_unit", "language", "century")
PAGE_SIZE = 20
# Deep pages cost the index a lot and nobody reads them; refine instead.
MAX_PAGE = 500
# The search box takes at most this many characters (its maxlength). The form
# is sent by GET, so the query travels in the request line, percent-encoded:
# a Vietnamese or Hán character takes 9 bytes there (up to 12), and web
# servers refuse request lines past about 4 KB (gunicorn: 4094 bytes) with a
# bare page of their own. 200 characters stay well inside that with filters.
MAX_QUERY_CHARS = 200


@dataclass
class SearchQuery:
    """What a reader asked for on ``/search/``."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    # How many characters were typed when more than MAX_QUERY_CHARS; the
    # text keeps the first MAX_QUERY_CHARS, and is not searched.
    too_long: int = 0

    @classmethod
    def from_params(cls, params):
        """Read a query from request GET parameters, ignoring what is malformed."""
        text = nfc(params.get("q", "")).strip()
        too_long = len(text) if len(text) > MAX_QUERY_CHARS else 0
        text = text[:MAX_QUERY_CHARS]
        filters = {}
        for key in FACET_KEYS:
            values = [nfc(value).strip() for value in params.getlist(key)]
            values = list(dict.fromkeys(value for value in values if value))
            if values:
                filters[key] = values
        return cls(
            text=text,
            filters=filters,
            page=_page_number(params.get("page")),
            too_long=too_long,
        )

    @property
    def is_empty(self):
        return not self.text and not self.filters

    @property
    def offset(self):
        return (self.page - 1) * PAGE_SIZE

    def is_selected(self, key, value):
        return value in self.filters.get(key, [])

    def url(self, *, page=1, toggle=None):
        """Return the query string of this search, on ``page``, with a facet toggled.

        ``toggle`` is a ``(key, value)`` pair added when absent, removed when
        present. Changing a facet goes back to the first page.
        """
        filters = {key: list(values) for key, values in self.filters.items()}
        if toggle is not None:
            key, value = toggle
            values = filters.setdefault(key, [])
            if value in values:
                values.remove(value)
            else:
                values.append(value)
        pairs = [("q", self.text)] if self.text else []
        for key in FACET_KEYS:
            pairs.extend((key, value) for value in filters.get(key, []))
        if page > 1:
            pairs.append(("page", str(page)))
        return "?" + urlencode(pairs)


def _page_number(raw):
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)

"""The search form's state: query, facet filters, page; and links that change it."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from disan.core.text import nfc

# Facets the search backend computes, in the order the page shows them.
FACET_KEYS = ("doc_type", "holding_unit", "language", "century")
PAGE_SIZE = 20
# Deep pages cost the index a lot and nobody reads them; refine instead.
MAX_PAGE = 500
MAX_QUERY_CHARS = 500


@dataclass
class SearchQuery:
    """What a reader asked for on ``/search/``."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1

    @classmethod
    def from_params(cls, params):
        """Read a query from request GET parameters, ignoring what is malformed."""
        text = nfc(params.get("q", "")).strip()[:MAX_QUERY_CHARS]
        filters = {}
        for key in FACET_KEYS:
            values = [nfc(value).strip() for value in params.getlist(key)]
            values = list(dict.fromkeys(value for value in values if value))
            if values:
                filters[key] = values
        return cls(text=text, filters=filters, page=_page_number(params.get("page")))

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

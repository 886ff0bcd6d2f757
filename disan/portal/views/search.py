"""Full-text search over the online documents a reader may see."""

import logging
from dataclasses import dataclass

from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from disan.access.policy import published_documents, visible_levels
from disan.portal import queries
from disan.portal.labels import century_label, language_name
from disan.portal.listing import with_cover
from disan.portal.queries import FACET_KEYS, SearchQuery
from disan.search.query import MIN_PREFIX_CHARS, short_prefixes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    document: object
    title_html: str
    snippet_html: str


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str


def search(request):
    """Run a search with facets and show one page of results."""
    query = SearchQuery.from_params(request.GET)
    context = {
        "query": query,
        "results": [],
        "facets": [],
        "total": 0,
        "error": None,
        "hint": None,
    }
    if query.is_empty:
        return render(request, "portal/search.html", context)
    if query.too_long:
        context["error"] = _(
            "This search is %(count)s characters long; shorten it to %(limit)s"
            " characters or fewer."
        ) % {"count": query.too_long, "limit": queries.MAX_QUERY_CHARS}
        return render(request, "portal/search.html", context)
    short = short_prefixes(query.text)
    if short:
        context["hint"] = _(
            "A word followed by * needs at least %(count)s letters to find the"
            " words it begins; %(words)s was searched as a whole word."
        ) % {"count": MIN_PREFIX_CHARS, "words": ", ".join(short)}

    # The index filters by access level itself, so totals and facet counts
    # already leave out what the reader may not see.
    from disan.search import get_backend

    levels = [str(level) for level in visible_levels(request.user)]
    try:
        found = get_backend().search(
            query.text,
            access_levels=levels,
            filters=query.filters or None,
            offset=query.offset,
            limit=queries.PAGE_SIZE,
        )
    except ValueError as err:
        logger.info("Search %r could not be run: %s", query.text, err)
        context["error"] = _("This search could not be understood. Try simpler words.")
        return render(request, "portal/search.html", context)

    page_count = max(1, -(-found.total // queries.PAGE_SIZE))
    labels = _labelers()
    context.update(
        total=found.total,
        results=_results(request.user, found.hits),
        facets=_facets(query, found.facets, labels),
        selected=[
            FacetValue(
                value, labels[key](value), 0, True, query.url(toggle=(key, value))
            )
            for key, values in query.filters.items()
            for value in values
        ],
        page_count=page_count,
        previous_url=query.url(page=query.page - 1) if query.page > 1 else None,
        next_url=query.url(page=query.page + 1) if query.page < page_count else None,
    )
    return render(request, "portal/search.html", context)


def _results(user, hits):
    """Pair hits with their documents, dropping any the policy does not allow.

    The index may lag behind the catalog (a document taken offline or made
    secret since it was indexed); the catalog has the last word.
    """
    ids = [str(hit.id) for hit in hits]
    documents = {
        str(doc.pk): doc
        for doc in with_cover(
            published_documents(user).filter(pk__in=ids)
        ).select_related("holding_unit")
    }
    return [
        Result(
            documents[str(hit.id)],
            mark_safe(hit.title_html),
            mark_safe(hit.snippet_html),
        )
        for hit in hits
        if str(hit.id) in documents
    ]


def _labelers():
    """Return, per facet key, a function giving the label of a facet value."""
    # The index stores holding units by name, so their values are labels.
    return {
        "doc_type": str,
        "holding_unit": str,
        "language": language_name,
        "century": century_label,
    }


def _facets(query, facets, labelers):
    """Return facet groups with counts and links that add or remove a value."""
    titles = {
        "doc_type": _("Type"),
        "holding_unit": _("Holding unit"),
        "language": _("Language"),
        "century": _("Century"),
    }
    groups = []
    for key in FACET_KEYS:
        values = [
            FacetValue(
                value=value,
                label=labelers[key](value),
                count=count,
                selected=query.is_selected(key, value),
                url=query.url(toggle=(key, value)),
            )
            for value, count in facets.get(key, [])
            if count > 0
        ]
        if values:
            groups.append({"key": key, "title": titles[key], "values": values})
    return groups

"""Querysets the portal shows: online documents a user may see, with covers.

Every function here starts from :func:`disan.access.policy.published_documents`
so that a list, a count or a facet never includes what the user may not see.
"""

from django.db.models import Count, OuterRef, Subquery

from disan.access.policy import published_documents
from disan.catalog.models import Collection, Page


def with_cover(queryset):
    """Annotate each document with ``cover_page_id``: its first page, or None."""
    first_page = Page.objects.filter(document=OuterRef("pk")).order_by("sequence")
    return queryset.annotate(cover_page_id=Subquery(first_page.values("id")[:1]))


def recent_documents(user, limit):
    """Return the ``limit`` documents put online most recently that ``user`` may see."""
    queryset = published_documents(user).select_related("holding_unit")
    return list(with_cover(queryset).order_by("-published", "-created")[:limit])


def collections_with_counts(user):
    """Return collections holding online documents ``user`` may see, with counts.

    Each collection gets an ``online_count`` attribute. Collections with
    nothing to show are left out so the home page offers no empty shelves.
    """
    # order_by() clears the model ordering, which would otherwise split
    # the groups by creation time.
    counts = dict(
        published_documents(user)
        .filter(collection__isnull=False)
        .order_by()
        .values_list("collection")
        .annotate(count=Count("pk"))
    )
    collections = []
    for collection in Collection.objects.filter(pk__in=counts):
        collection.online_count = counts[collection.pk]
        collections.append(collection)
    return collections


def collection_documents(user, collection):
    """Return the online documents of ``collection`` that ``user`` may see."""
    queryset = published_documents(user).filter(collection=collection)
    return with_cover(queryset.select_related("holding_unit")).order_by(
        "title", "identifier"
    )

"""Fixtures for search tests: a fresh index and a document factory."""

import uuid

import pytest
from django.conf import settings

from disan.search.backends.base import IndexDocument
from disan.search.backends.sqlite_fts import SQLiteFTSBackend
from disan.search.backends.tantivy_index import TantivyBackend

# Every backend behind the SearchBackend contract; tests taking the
# ``backend`` fixture run on each.
BACKENDS = {"sqlite": SQLiteFTSBackend, "tantivy": TantivyBackend}


def make_document(**fields):
    """Return an IndexDocument with dull defaults and ``fields`` set."""
    defaults = {
        "id": str(uuid.uuid4()),
        "identifier": f"HN-{uuid.uuid4().hex[:8]}",
        "title": "Văn bản",
        "access_level": "public",
        "created": "2025-01-01T09:00:00+07:00",
    }
    defaults.update(fields)
    return IndexDocument(**defaults)


@pytest.fixture(params=sorted(BACKENDS))
def backend(request):
    """Each search backend in turn, on this test's own index."""
    return BACKENDS[request.param](settings.DISAN_SEARCH_INDEX)


def ids(results):
    """Return the ids of the hits, in order."""
    return [hit.id for hit in results.hits]

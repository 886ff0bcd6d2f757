"""Keep the search index in step with the catalog.

Other apps call :func:`index_document` after a document's description,
pages or status change and :func:`remove_document` after it is deleted;
``disan reindex`` rebuilds everything with :func:`reindex_all`.

Only documents that are online are in the index: the portal shows nothing
else, and totals and facet counts must agree with what it shows.
"""

import logging

from disan.search import get_backend
from disan.search.backends.base import IndexDocument

logger = logging.getLogger(__name__)

# Documents written to the index in one transaction by reindex_all().
BATCH_SIZE = 200


def build_index_document(document):
    """Return the :class:`IndexDocument` of a ``HeritageDocument``."""
    pages = document.pages.order_by("sequence").values_list("ocr_text", flat=True)
    holding_unit = document.holding_unit
    return IndexDocument(
        id=str(document.id),
        identifier=document.identifier,
        title=document.title,
        original_title=document.original_title,
        description=document.description,
        text="\n".join(pages),
        doc_type=document.doc_type,
        holding_unit=holding_unit.name if holding_unit is not None else "",
        languages=list(document.languages or []),
        scripts=list(document.scripts or []),
        year_start=document.year_start,
        year_end=document.year_end,
        access_level=str(document.access_level),
        created=document.created.isoformat(),
    )


def index_document(document):
    """Add or replace ``document`` (a ``HeritageDocument``) in the index.

    A document that is not online is removed instead. Return whether the
    document is in the index afterwards.
    """
    from disan.catalog.models import DocumentStatus

    if document.status != DocumentStatus.ONLINE:
        remove_document(document.id)
        return False
    get_backend().index(build_index_document(document))
    return True


def remove_document(document_id):
    """Remove the document with ``document_id``; return whether it was there."""
    return get_backend().delete(str(document_id))


def reindex_all():
    """Rebuild the index from every online document; return the count."""
    from disan.catalog.models import DocumentStatus, HeritageDocument

    backend = get_backend()
    # Limitation: the index is empty while it is rebuilt, so a portal search
    # during a reindex of a large catalog finds only the documents written
    # so far. Build into a new file and swap it in if that matters.
    backend.clear()
    documents = (
        HeritageDocument.objects.filter(status=DocumentStatus.ONLINE)
        .select_related("holding_unit")
        .order_by("created")
    )
    batch = []
    count = 0
    for document in documents.iterator(chunk_size=BATCH_SIZE):
        batch.append(build_index_document(document))
        if len(batch) == BATCH_SIZE:
            count += backend.index_many(batch)
            batch = []
    if batch:
        count += backend.index_many(batch)
    logger.info("Reindexed %s documents", count)
    return count

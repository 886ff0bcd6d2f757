"""Keep the search index in step with catalog edits.

A document's access level or status decides whether search may show it,
so a change to either (or to any indexed text) re-indexes the document once
the transaction commits: a rolled-back edit never reaches the index, and a
document made secret drops out of search results at once.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from disan.catalog.models import DocumentStatus, HeritageDocument

logger = logging.getLogger(__name__)


def reindex_on_change(sender, instance, created, **kwargs):
    """Re-index a saved document whose indexed fields changed."""
    changed = instance.indexed_fields_changed()
    instance.remember_indexed_values()
    if created and instance.status != DocumentStatus.ONLINE:
        # Never indexed, and not to be: nothing to add or take out.
        return
    if not changed:
        return
    document_id = instance.pk
    logger.info(
        "Document %s changed (%s); re-indexing", document_id, ", ".join(changed)
    )
    transaction.on_commit(lambda: _reindex(document_id))


def remove_on_delete(sender, instance, **kwargs):
    """Take a deleted document out of the search index."""
    from disan.search.indexing import remove_document

    document_id = instance.pk
    transaction.on_commit(lambda: remove_document(document_id))


def _reindex(document_id):
    # Search reads the catalog; importing it lazily keeps the catalog free
    # of a search dependency at import time.
    from disan.search.indexing import index_document, remove_document

    document = (
        HeritageDocument.objects.select_related("holding_unit")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        remove_document(document_id)
        return
    index_document(document)


def connect():
    """Connect the catalog's receivers; called from the AppConfig."""
    post_save.connect(
        reindex_on_change, sender=HeritageDocument, dispatch_uid="catalog-reindex"
    )
    post_delete.connect(
        remove_on_delete, sender=HeritageDocument, dispatch_uid="catalog-unindex"
    )

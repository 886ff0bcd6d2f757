"""The fixity ledger: what Disan last knew about each object's files.

Kept in :class:`ObjectFixity` rows. Sizes recorded here when a file was
known good let a later audit tell a truncated file from a changed one even
when no other copy is intact.
"""

from disan.catalog.models import HeritageDocument
from disan.preservation.models import ObjectFixity


def record_sizes(object_id, path, sizes):
    """Remember the sizes of an object's content files, known good now."""
    row, _created = ObjectFixity.objects.get_or_create(
        object_id=object_id, defaults={"path": str(path)}
    )
    row.sizes = {**row.sizes, **sizes}
    row.path = str(path)
    row.save(update_fields=["sizes", "path"])
    return row


def rows_for(object_ids):
    """Return the ObjectFixity rows of ``object_ids`` keyed by object id."""
    rows = ObjectFixity.objects.filter(object_id__in=list(object_ids))
    return {row.object_id: row for row in rows}


def documents_for(object_ids):
    """Return the catalog documents stored as ``object_ids``, keyed by id."""
    documents = HeritageDocument.objects.filter(ocfl_object_id__in=list(object_ids))
    return {document.ocfl_object_id: document for document in documents}


def document_for(object_id):
    """Return the catalog document stored as ``object_id``, or None."""
    return documents_for([object_id]).get(object_id)

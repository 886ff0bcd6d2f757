"""Import one inventory into the catalog, all or nothing.

Rows are read, checked and written a chunk at a time inside one database
transaction. If any row is invalid (and ``valid_only`` is not given), or
for a dry run, the transaction is rolled back at the end, so nothing is
written; the report covers every row either way. Memory stays flat: only
a chunk of rows and the set of identifiers seen are held.

Trade-off: one transaction holds the database's write lock for the whole
import (on SQLite, ingest workers wait). Revisit if imports of millions of
rows must run beside ingest: stage rows in a table, then switch.
"""

import logging
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from disan.catalog.importing.exceptions import InventoryFileError, InventoryInvalid
from disan.catalog.importing.kinds import detect_kind
from disan.catalog.importing.readers import open_inventory
from disan.catalog.importing.rows import RowParser
from disan.catalog.importing.values import Lookups
from disan.catalog.importing.writer import RecordWriter

logger = logging.getLogger(__name__)

# Row action -> the summary's count of it.
COUNTERS = {
    "create": "created",
    "update": "updated",
    "unchanged": "unchanged",
    "invalid": "invalid",
}


@dataclass
class ImportSummary:
    """Counts of one import and whether its changes were kept."""

    source: str
    kind: str = ""
    encoding: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    written: bool = False
    dry_run: bool = False
    # Headers of row-number columns (STT…), whose values were not read.
    ignored_columns: list = field(default_factory=list)
    # Holding units named in the inventory that were not in the catalog:
    # made by this import (or, for a dry run or a refused one, they would be).
    new_units: list = field(default_factory=list)

    def as_json(self):
        return asdict(self)


def import_inventory(
    path,
    *,
    dry_run=False,
    valid_only=False,
    on_row=None,
    chunk_size=1000,
    user=None,
    kind=None,
):
    """Import the CSV or XLSX inventory at ``path``; return an :class:`ImportSummary`.

    ``kind`` (a :class:`~disan.catalog.importing.kinds.Kind`) says whether it
    lists documents or archival files; without it the header row decides.

    ``on_row`` is called with each :class:`~disan.catalog.importing.rows.RowResult`
    in file order. Raises :class:`InventoryFileError` for a file that cannot
    be read as an inventory at all (nothing is written then either).
    """
    inventory = open_inventory(path)
    summary = ImportSummary(source=inventory.name, dry_run=dry_run)
    try:
        with transaction.atomic():
            writer = _read_and_write(inventory, summary, on_row, chunk_size, user, kind)
            if dry_run or (summary.invalid and not valid_only):
                raise InventoryInvalid()
            reindex = list(writer.reindex)
            transaction.on_commit(lambda: _reindex(reindex))
            _preserve_descriptions(writer.described, summary.source, user)
            summary.written = True
    except InventoryInvalid:
        logger.info(
            "Import of %s rolled back (dry run or invalid rows)", summary.source
        )
    else:
        logger.info(
            "Imported %s: %d created, %d updated",
            summary.source,
            summary.created,
            summary.updated,
        )
    return summary


def _read_and_write(inventory, summary, on_row, chunk_size, user, kind):
    rows = inventory.rows()
    header = next(rows, None)
    summary.encoding = inventory.encoding or ""
    if header is None:
        raise InventoryFileError(summary.source, _("is empty; add a header row"))
    kind = kind or detect_kind(header[1], summary.source)
    summary.kind = kind.name
    parser = RowParser(header[1], summary.source, kind)
    summary.ignored_columns = list(parser.ignored)
    lookups = Lookups()
    summary.new_units = lookups.new_units
    writer = RecordWriter(chunk_size, f"import {summary.source}", user, kind)
    seen = {}

    def report(done):
        for row in done:
            summary.rows += 1
            counter = COUNTERS[row.action]
            setattr(summary, counter, getattr(summary, counter) + 1)
            if on_row is not None:
                on_row(row)

    for line, cells in rows:
        if not any(cells):
            continue
        row = parser.parse(line, cells, lookups)
        if row.identifier:
            first = seen.setdefault(row.identifier, line)
            if first != line:
                row.error(
                    kind.header_of(kind.key, parser.written),
                    _("'%(key)s' is also on line %(line)s")
                    % {"key": row.identifier, "line": first},
                )
        report(writer.add(row))
    report(writer.flush())
    return writer


def _reindex(document_ids):
    """Bring changed online documents up to date in the search index."""
    if not document_ids:
        return
    from disan.catalog.models import HeritageDocument
    from disan.search.indexing import index_document

    for document in HeritageDocument.objects.select_related("holding_unit").filter(
        pk__in=document_ids
    ):
        index_document(document)


def _preserve_descriptions(document_ids, source, user):
    """Queue new versions of the preserved objects whose description changed."""
    if not document_ids:
        return
    from disan.preservation import description

    who = f"import of {source}"
    if user is not None:
        who = f"{user.get_username()} ({who})"
    description.request(document_ids, changed_by=who)

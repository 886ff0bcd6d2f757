"""Write checked rows to the catalog in chunks: create, or update by key.

A document is found by its identifier, an archival file by its file code.
Rows are buffered and written a chunk at a time with bulk queries (one
query for the existing records, bulk inserts and updates with their history
rows), so 100,000 rows take a few hundred queries, not 100,000.
"""

import copy
import logging

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from disan.catalog.importing.kinds import DOCUMENTS
from disan.catalog.models import DocumentStatus

logger = logging.getLogger(__name__)


class RecordWriter:
    """Buffer rows of one kind of inventory and write them a chunk at a time.

    :meth:`add` and :meth:`flush` return the rows of each written chunk, in
    the order they came, with ``action`` and ``changed`` set; invalid rows
    pass through unwritten so a report keeps file order.
    """

    def __init__(self, chunk_size=1000, change_reason="", user=None, kind=DOCUMENTS):
        self.kind = kind
        self.model = kind.model()
        self.chunk_size = chunk_size
        self.change_reason = change_reason
        self.user = user
        self.buffer = []
        self.reindex = []
        # Changed documents with an OCFL object, whose description to store.
        self.described = []

    def add(self, row):
        self.buffer.append(row)
        if len(self.buffer) >= self.chunk_size:
            return self.flush()
        return []

    def flush(self):
        rows, self.buffer = self.buffer, []
        key = self.kind.key
        existing = {
            getattr(record, key): record
            for record in self.kind.queryset().filter(
                **{f"{key}__in": [row.identifier for row in rows if row.identifier]}
            )
        }

        # Sort each row into a new record, a change, or nothing to do.
        creates, updates, fields = [], [], set()
        for row in rows:
            document = existing.get(row.identifier)
            self.kind.settle(row, document)
            if row.errors:
                self._report_rules(row, document)
                continue
            if document is None:
                document = self.model(**row.values)
                if self._invalid(row, document):
                    continue
                creates.append(document)
                row.action = "create"
                continue
            row.changed = _changes(document, row.values)
            refused = self.kind.create_only & set(row.changed)
            if refused:
                row.error(
                    ", ".join(
                        sorted(
                            self.kind.header_of(name, row.headers) for name in refused
                        )
                    ),
                    _(
                        "heritage status differs from the record; a status change "
                        "needs a decision: record it in the staff interface"
                    ),
                )
                row.changed = []
                continue
            if not row.changed:
                row.action = "unchanged"
                continue
            for name in row.changed:
                setattr(document, name, row.values[name])
            if self._invalid(row, document):
                row.changed = []
                continue
            document.updated = timezone.now()
            updates.append(document)
            fields.update(row.changed)
            row.action = "update"
            if getattr(document, "status", None) == DocumentStatus.ONLINE:
                self.reindex.append(document.pk)
            if getattr(document, "ocfl_object_id", None):
                self.described.append(document.pk)

        # Write them, with a history row for each.
        if creates:
            bulk_create_with_history(
                creates,
                self.model,
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        if updates:
            bulk_update_with_history(
                updates,
                self.model,
                sorted(fields | {"updated"}),
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        for row in rows:
            if row.errors:
                row.action = "invalid"
        return rows

    def _invalid(self, row, record):
        """Check ``record`` whole, the row's values with its others; report.

        A record not yet in the catalog is checked for what a new one must
        be given too. A cell the row already refused is not reported again.
        """
        problems = [
            (problem.field, problem) for problem in self.kind.problems_of(record)
        ]
        if record._state.adding:
            problems += self.kind.problems_of_new(row.values)
        return self.kind.report(row, problems)

    def _report_rules(self, row, stored):
        """Add the catalog's rules a refused row breaks too, writing nothing.

        The row's readable values go over the stored record (or a new one),
        so every error of a row is reported at once.
        """
        if stored is None:
            record = self.model(**row.values)
        else:
            record = copy.copy(stored)
            for name, value in row.values.items():
                setattr(record, name, value)
        self._invalid(row, record)


def _changes(document, values):
    """Return the fields of ``document`` that ``values`` would change."""
    changed = []
    for name, value in values.items():
        if isinstance(value, Model) or (
            value is None and document._meta.get_field(name).is_relation
        ):
            current = getattr(document, f"{name}_id")
            wanted = value.pk if value is not None else None
        else:
            current, wanted = getattr(document, name), value
        if current != wanted:
            changed.append(name)
    return changed

"""How far digitization has come: documents on record, digitized, online.

The plan's headline question is answered per holding unit and in total,
twice: for registered heritage (heritage status "registered" or higher) and
for every document on record. Counting starts from
:func:`disan.access.policy.visible_documents`, so a reader is never told
about documents they may not see.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from disan.access.policy import visible_documents
from disan.catalog.models import DocumentStatus, HeritageStatus, HoldingUnit, Page

# Heritage statuses counted as "registered heritage": registered or higher.
REGISTERED_OR_HIGHER = (
    HeritageStatus.REGISTERED,
    HeritageStatus.NATIONAL,
    HeritageStatus.MOW_ASIA_PACIFIC,
    HeritageStatus.MOW_INTERNATIONAL,
)


@dataclass(frozen=True)
class Tally:
    """Documents on record, how many have pages, how many are online."""

    on_record: int = 0
    digitized: int = 0
    online: int = 0

    @property
    def digitized_percent(self):
        return _percent(self.digitized, self.on_record)

    @property
    def online_percent(self):
        return _percent(self.online, self.on_record)

    def __add__(self, other):
        return Tally(
            self.on_record + other.on_record,
            self.digitized + other.digitized,
            self.online + other.online,
        )


@dataclass(frozen=True)
class ProgressRow:
    """One line of the progress table: a holding unit, none, or the total."""

    holding_unit: HoldingUnit | None
    registered: Tally
    all_documents: Tally
    is_total: bool = False


def progress_rows(user):
    """Return one row per holding unit, then one for unassigned, then the total.

    Every holding unit gets a row, even with nothing on record, so the table
    lists the whole department. The unassigned row appears only when some
    visible document has no holding unit. The last row has ``is_total``.
    """
    counts = _counts_by_unit(user)

    rows = [
        ProgressRow(unit, *counts.pop(unit.pk, (Tally(), Tally())))
        for unit in HoldingUnit.objects.order_by("name")
    ]
    if None in counts:
        rows.append(ProgressRow(None, *counts.pop(None)))

    registered = sum((row.registered for row in rows), Tally())
    everything = sum((row.all_documents for row in rows), Tally())
    rows.append(ProgressRow(None, registered, everything, is_total=True))
    return rows


def _counts_by_unit(user):
    """Return ``{holding_unit_id: (registered Tally, all Tally)}`` in one query."""
    has_pages = Exists(Page.objects.filter(document=OuterRef("pk")))
    digitized = Q(has_pages=True)
    online = Q(status=DocumentStatus.ONLINE)
    registered = Q(heritage_status__in=REGISTERED_OR_HIGHER)
    # order_by() drops the model ordering, which would split the groups.
    grouped = (
        visible_documents(user)
        .annotate(has_pages=has_pages)
        .order_by()
        .values("holding_unit")
        .annotate(
            all_n=Count("pk"),
            all_digitized=Count("pk", filter=digitized),
            all_online=Count("pk", filter=online),
            reg_n=Count("pk", filter=registered),
            reg_digitized=Count("pk", filter=registered & digitized),
            reg_online=Count("pk", filter=registered & online),
        )
    )
    return {
        row["holding_unit"]: (
            Tally(row["reg_n"], row["reg_digitized"], row["reg_online"]),
            Tally(row["all_n"], row["all_digitized"], row["all_online"]),
        )
        for row in grouped
    }


def _percent(part, whole):
    """Return ``part`` as a percentage of ``whole`` to one decimal, or None if empty."""
    if whole == 0:
        return None
    return round(100 * part / whole, 1)

"""The periodic audit: a slice of the store every run, all of it per interval.

The worker's beacon calls :func:`tick` every minute or so. When a run is
due it queues :func:`disan.preservation.tasks.periodic_audit`, which audits
the objects whose last audit is oldest (never-audited ones first), as many
as make the whole store covered once per ``DISAN_AUDIT_INTERVAL``. A large
store is thus read steadily, a little each hour, never all at once.

Several workers may tick: the time of the last run is kept in a file under
DISAN_HOME/run and changed under a file lock, so one run is queued per
period whatever the number of workers.
"""

import json
import logging
import math
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from disan.preservation.models import ObjectFixity
from disan.preservation.storage.durable import FileLock

logger = logging.getLogger(__name__)

# Runs per interval: hourly for the default week.
RUNS_PER_INTERVAL = 168
MIN_PERIOD_SECONDS = 60


def period_seconds(interval=None):
    """Return the seconds between two runs of the periodic audit."""
    interval = settings.DISAN_AUDIT_INTERVAL if interval is None else interval
    return max(MIN_PERIOD_SECONDS, interval / RUNS_PER_INTERVAL)


def slice_size(total, interval=None):
    """Return how many of ``total`` objects one run must audit."""
    interval = settings.DISAN_AUDIT_INTERVAL if interval is None else interval
    if total <= 0 or interval <= 0:
        return 0
    return min(total, math.ceil(total * period_seconds(interval) / interval))


def due_objects(object_ids, interval=None):
    """Return the slice of ``object_ids`` to audit now, oldest audit first."""
    object_ids = list(object_ids)
    last = dict(
        ObjectFixity.objects.filter(object_id__in=object_ids).values_list(
            "object_id", "last_audit"
        )
    )
    never = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(object_ids, key=lambda oid: (last.get(oid) or never, oid))
    return ordered[: slice_size(len(object_ids), interval)]


def tick(dispatch=None, now=None):
    """Queue a periodic audit run if one is due; return True if queued."""
    if settings.DISAN_AUDIT_INTERVAL <= 0:
        return False
    now = time.time() if now is None else now
    state = Path(settings.DISAN_HOME) / "run" / "fixity-audit.json"
    with FileLock(state.with_suffix(".lock")):
        try:
            last = json.loads(state.read_text())["last_run"]
        except (OSError, ValueError, KeyError):
            last = 0
        if now - last < period_seconds():
            return False
        state.write_text(json.dumps({"last_run": now}))
    if dispatch is None:
        from disan.preservation.tasks import periodic_audit

        dispatch = periodic_audit.delay
    dispatch()
    logger.info("Queued the periodic fixity audit")
    return True

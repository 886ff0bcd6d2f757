"""Celery tasks of the preservation app: the periodic fixity audit, and the
storing of descriptions changed in the catalog."""

import logging

from celery import shared_task
from django.db import close_old_connections

from disan.core.exceptions import DisanError
from disan.preservation import alerts, audit, description, schedule
from disan.preservation.replicas import copies

logger = logging.getLogger(__name__)


@shared_task(name="disan.preservation.periodic_audit", ignore_result=True)
def periodic_audit():
    """Audit this period's slice of objects; return how many were audited."""
    close_old_connections()
    try:
        configured = copies()
    except DisanError as err:
        # Auditing without a replica would pass over its damage: tell people.
        alerts.notify_unavailable(err)
        return 0
    object_ids = schedule.due_objects(audit.list_object_ids(configured))
    if not object_ids:
        return 0
    # One process: a worker's job runs in a pool process that may not fork
    # a pool of its own, and a steady slice needs no more.
    report = audit.audit(object_ids, workers=1, copies=configured)
    logger.info(
        "Periodic fixity audit: %d object(s), %d failed",
        len(report.objects),
        sum(not result.ok for result in report.objects),
    )
    return len(report.objects)


@shared_task(name="disan.preservation.preserve_description", ignore_result=True)
def preserve_description(document_id):
    """Store the current description of a document changed in the catalog."""
    close_old_connections()
    description.preserve(document_id)

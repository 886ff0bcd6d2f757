"""Step 5: index the document for search and put it online."""

import logging

from django.utils import timezone

from disan.catalog.models import DocumentStatus
from disan.ingest.models import Job
from disan.ingest.steps.store import discard_staging
from disan.search.indexing import index_document

logger = logging.getLogger(__name__)


def run(job):
    """Index the document; online if every page has its derivatives."""
    transfer = job.transfer
    document = transfer.document
    status_before = document.status

    failed = Job.objects.filter(
        transfer=transfer, step=Job.Step.DERIVE, status=Job.Status.FAILED
    ).count()
    if failed:
        document.status = DocumentStatus.FAILED
        job.message = (
            f"{failed} page(s) have no derivatives; the document stays offline."
        )
    else:
        document.status = DocumentStatus.ONLINE
        document.published = document.published or timezone.now()
    document.save(update_fields=["status", "published", "updated"])

    # A change of status re-indexes the document through the catalog's own
    # signal; only new page text under an unchanged status needs a call.
    if document.status == status_before:
        index_document(document)
    discard_staging(transfer)
    logger.info("Document %s is %s", document.pk, document.status)
    return []

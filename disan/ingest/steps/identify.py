"""Step 1: describe the document and identify each staged file by content."""

import dataclasses
import logging
from pathlib import Path

from disan.catalog.models import HeritageDocument
from disan.catalog.services import upsert_document
from disan.ingest import pipeline
from disan.ingest.exceptions import RejectedFile
from disan.ingest.identify import identify_file
from disan.ingest.models import Job, Rejection

logger = logging.getLogger(__name__)


def run(job):
    """Identify the transfer's files; queue the store job if any was accepted."""
    transfer = job.transfer

    # Identify by content; a bad file is refused alone, never the batch.
    accepted = 0
    for entry in transfer.files:
        entry.pop("report", None)
        entry.pop("rejected", None)
        try:
            report = identify_file(Path(entry["path"]))
        except RejectedFile as err:
            _reject(transfer, entry, err)
            continue
        entry["report"] = _as_dict(report)
        accepted += 1

    # A folder of refused files makes no record; one already on record is
    # kept up to date with its metadata either way.
    identifier = transfer.metadata["identifier"]
    if accepted or HeritageDocument.objects.filter(identifier=identifier).exists():
        transfer.document, _ = upsert_document(transfer.metadata)
    transfer.save(update_fields=["document", "files"])

    if not accepted:
        job.message = "No file of this document could be accepted."
        return []
    return [pipeline.new_job(transfer, Job.Step.STORE)]


def _reject(transfer, entry, err):
    entry["rejected"] = {"code": err.code, "reason": str(err)}
    Rejection.objects.update_or_create(
        batch_id=transfer.batch_id,
        transfer=transfer,
        path=entry["source"],
        defaults={"code": err.code, "reason": str(err)},
    )
    logger.warning("Rejected %s: %s", entry["source"], err)


def _as_dict(report):
    data = dataclasses.asdict(report)
    data["pages"] = [list(size) for size in report.pages]
    return data

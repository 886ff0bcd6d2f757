"""The order of ingest steps, as data, and the moves between them.

identify -> store -> (derive -> ocr) per page -> index

Per-page jobs run in parallel across workers. The index job of a transfer
waits until every page job has finished; whichever page job finishes last
releases it, with a conditional UPDATE so it is released exactly once.
"""

import logging

from django.utils import timezone

from disan.ingest.models import Batch, Job

logger = logging.getLogger(__name__)

PAGE_STEPS = (Job.Step.DERIVE, Job.Step.OCR)


def new_job(transfer, step, *, page=None, waiting=False):
    """Create a job of ``transfer``; waiting jobs are released later."""
    status = Job.Status.WAITING if waiting else Job.Status.QUEUED
    return Job.objects.create(transfer=transfer, step=step, page=page, status=status)


def release(job):
    """Move a waiting job to queued; return it if this call did so."""
    moved = Job.objects.filter(pk=job.pk, status=Job.Status.WAITING).update(
        status=Job.Status.QUEUED
    )
    return job if moved else None


def skip_waiting(transfer, *, page=None, message=""):
    """Mark waiting jobs (of one page, or all of the transfer) as skipped."""
    jobs = Job.objects.filter(transfer=transfer, status=Job.Status.WAITING)
    if page is not None:
        jobs = jobs.filter(page=page)
    return jobs.update(status=Job.Status.SKIPPED, message=message)


def after_failure(job):
    """Settle the jobs that depended on a failed ``job``; return jobs to queue."""
    if job.step == Job.Step.DERIVE:
        skip_waiting(
            job.transfer, page=job.page, message="No image to read: derivation failed."
        )
    elif job.step in (Job.Step.IDENTIFY, Job.Step.STORE):
        skip_waiting(job.transfer, message=f"Not run: the {job.step} job failed.")
    return []


def index_if_ready(job):
    """Release the transfer's index job once no page job is left unfinished."""
    if job.step not in PAGE_STEPS:
        return []
    unfinished = Job.objects.filter(
        transfer_id=job.transfer_id, step__in=PAGE_STEPS
    ).exclude(status__in=Job.FINISHED)
    if unfinished.exists():
        return []
    index_job = Job.objects.filter(
        transfer_id=job.transfer_id, step=Job.Step.INDEX, status=Job.Status.WAITING
    ).first()
    if index_job is None:
        return []
    released = release(index_job)
    return [released] if released else []


def settle_batch(batch_id):
    """Mark the batch done (or failed) once none of its jobs is left."""
    jobs = Job.objects.filter(transfer__batch_id=batch_id)
    if jobs.exclude(status__in=Job.FINISHED).exists():
        return
    failed = jobs.filter(status=Job.Status.FAILED).exists()
    Batch.objects.filter(pk=batch_id, status=Batch.Status.RUNNING).update(
        status=Batch.Status.FAILED if failed else Batch.Status.DONE,
        finished=timezone.now(),
    )

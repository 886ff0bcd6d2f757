"""Celery tasks of the ingest pipeline: thin wrappers that run one step.

Each task takes a job id, claims the job (see :mod:`disan.ingest.jobs`),
runs its step and queues the jobs the step made ready. The steps themselves
live in :mod:`disan.ingest.steps`, one module each.
"""

import logging

from celery import shared_task
from django.db import close_old_connections

from disan.ingest import jobs, pipeline
from disan.ingest.models import Job
from disan.ingest.steps import derive, identify, index, ocr, store

logger = logging.getLogger(__name__)

STEPS = {
    Job.Step.IDENTIFY: identify.run,
    Job.Step.STORE: store.run,
    Job.Step.DERIVE: derive.run,
    Job.Step.OCR: ocr.run,
    Job.Step.INDEX: index.run,
}


def dispatch(job):
    """Send the message that runs ``job``."""
    run_job.delay(str(job.pk))


def run(job_id):
    """Claim and run one job now, in this process; queue what it makes ready."""
    close_old_connections()
    job = jobs.claim(job_id)
    if job is None:
        logger.info("Job %s is not runnable here (done, or run elsewhere)", job_id)
        return

    try:
        with jobs.heartbeat(job):
            ready = STEPS[job.step](job) or []
    except Exception as err:
        logger.exception("Job %s (%s) failed", job.pk, job.step)
        jobs.finish(job, Job.Status.FAILED, f"{type(err).__name__}: {err}")
        ready = pipeline.after_failure(job)
    else:
        # A step may end its job as skipped, with a message saying why.
        status = Job.Status.DONE if job.status == Job.Status.RUNNING else job.status
        jobs.finish(job, status, job.message)

    ready = list(ready) + pipeline.index_if_ready(job)
    for next_job in ready:
        dispatch(next_job)
    if not ready:
        pipeline.settle_batch(job.transfer.batch_id)


@shared_task(name="disan.ingest.run_job", ignore_result=True)
def run_job(job_id):
    """Run the ingest job ``job_id``."""
    run(job_id)


@shared_task(name="disan.ingest.recover", ignore_result=True)
def recover():
    """Queue again the jobs whose worker died."""
    return jobs.recover_jobs(dispatch)

"""Job bookkeeping: claim, heartbeat, finish, and recovery of lost jobs.

The Job table, not the broker, is the source of truth. A job is claimed with
one conditional UPDATE, so a message delivered twice (after a recovery, or by
two workers) runs once. A job whose worker died is queued again by
:func:`recover_jobs`, which a worker calls when it starts and now and then
while it runs. Every step is written to be safe to run again.
"""

import logging
import os
import socket
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from disan.ingest.models import Job

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15


def worker_name():
    """Return ``host:pid`` of this process, as stored on running jobs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_alive(name):
    host, _, pid = name.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None  # cannot tell from here; the heartbeat decides
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim(job_id):
    """Mark a job running for this process; return it, or None if not ours to run."""
    stale_before = timezone.now() - timedelta(seconds=settings.DISAN_JOB_STALE_SECONDS)
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            return None
        runnable = job.status == Job.Status.QUEUED or (
            job.status == Job.Status.RUNNING and _is_lost(job, stale_before)
        )
        if not runnable:
            return None
        claimed = Job.objects.filter(
            pk=job_id, status=job.status, worker=job.worker
        ).update(
            status=Job.Status.RUNNING,
            worker=worker_name(),
            started=now,
            heartbeat=now,
            attempts=job.attempts + 1,
        )
    if not claimed:
        return None
    return Job.objects.select_related("transfer", "page").get(pk=job_id)


def _is_lost(job, stale_before):
    alive = _worker_alive(job.worker) if job.worker else False
    if alive is False:
        return True
    if alive is None:
        return job.heartbeat is None or job.heartbeat < stale_before
    return False


def finish(job, status=Job.Status.DONE, message=""):
    """Record the end of a job."""
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message[:10000], finished=timezone.now()
    )
    job.status = status
    logger.info("Job %s (%s) %s", job.pk, job.step, status)


@contextmanager
def heartbeat(job):
    """Refresh the job's heartbeat while the body runs, from a thread."""
    stop = threading.Event()

    def beat():
        while not stop.wait(HEARTBEAT_SECONDS):
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                heartbeat=timezone.now()
            )

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def lost_jobs(include_queued=True):
    """Return running jobs whose worker is gone, and queued ones if asked."""
    stale_before = timezone.now() - timedelta(seconds=settings.DISAN_JOB_STALE_SECONDS)
    statuses = [Job.Status.RUNNING] + ([Job.Status.QUEUED] if include_queued else [])
    return [
        job
        for job in Job.objects.filter(status__in=statuses)
        if job.status == Job.Status.QUEUED or _is_lost(job, stale_before)
    ]


def recover_jobs(dispatch, *, include_queued=True):
    """Queue again every unfinished job whose message may be lost.

    ``dispatch(job)`` sends a job's message. Sending a message twice is safe
    because :func:`claim` lets only one of them run.
    """
    count = 0
    for job in lost_jobs(include_queued):
        if job.status == Job.Status.RUNNING:
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.QUEUED
            )
            logger.warning(
                "Job %s (%s) lost by worker %s; queued again",
                job.pk,
                job.step,
                job.worker,
            )
        dispatch(job)
        count += 1
    return count

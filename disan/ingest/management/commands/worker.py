"""``disan worker``: run a Celery worker for Disan's background jobs."""

import os
import socket

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a worker process for background jobs (ingest, derivatives, OCR)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            type=int,
            default=None,
            help="Worker processes (default DISAN_WORKER_CONCURRENCY: one per core).",
        )
        parser.add_argument(
            "--loglevel", default="WARNING", help="Log level (default WARNING)."
        )

    def handle(self, *args, **options):
        from celery import signals

        from disan.celery import app
        from disan.ingest.workers import WorkerBeacon

        beacon = WorkerBeacon()
        signals.worker_ready.connect(lambda **_: beacon.start(), weak=False)
        signals.worker_shutdown.connect(lambda **_: beacon.stop(), weak=False)

        concurrency = options["concurrency"] or settings.DISAN_WORKER_CONCURRENCY
        argv = [
            "worker",
            f"--loglevel={options['loglevel']}",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            f"--queues={settings.DISAN_TASK_QUEUE}",
            f"--hostname=disan-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            # One job at a time per process, and a fresh process now and then,
            # keeps image work from holding memory.
            "--prefetch-multiplier=1",
            "--max-tasks-per-child=50",
        ]
        app.worker_main(argv)

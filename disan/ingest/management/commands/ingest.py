"""``disan ingest PATH``: ingest a batch and wait for it to finish."""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from disan.core.exceptions import DisanError
from disan.core.setup import ensure_ready
from disan.ingest.models import Job
from disan.ingest.services.batches import start_batch
from disan.ingest.services.summary import format_text, summarize
from disan.ingest.workers import live_workers, start_local_worker, stop_local_worker

POLL_SECONDS = 0.5
# Times a local worker that died is started again before the batch is
# reported as stuck.
WORKER_RESTARTS = 3


class Command(BaseCommand):
    help = (
        "Ingest a folder with one sub-folder per document (or one document folder): "
        "identify, store, derive, OCR and index every document, then print a summary."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="Folder of document folders, or one document folder."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the summary as JSON."
        )
        parser.add_argument(
            "--no-ocr", action="store_true", help="Skip text recognition."
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="Queue the work and return at once (the summary shows it queued).",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(
                f"{path} does not exist: give the folder of scans to ingest."
            )
        if not path.is_dir():
            raise CommandError(
                f"{path} is not a folder: put the document's files in a folder."
            )
        ensure_ready()

        try:
            batch = start_batch(path, ocr=not options["no_ocr"])
        except DisanError as err:
            raise CommandError(str(err)) from err

        worker = None
        if not options["no_wait"]:
            worker = None if live_workers() else start_local_worker()
            try:
                self._wait(batch, worker, quiet=options["json"])
            finally:
                if worker is not None:
                    stop_local_worker(worker)

        batch.refresh_from_db()
        summary = summarize(batch)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_text(summary))
        if summary["failures"]:
            sys.exit(1)

    def _wait(self, batch, worker, *, quiet):
        jobs = Job.objects.filter(transfer__batch=batch)
        restarts = 0
        with Progress(quiet=quiet) as progress:
            while True:
                total = jobs.count()
                done = jobs.filter(status__in=Job.FINISHED).count()
                progress.show(done, total, self._stage(jobs))
                if done == total:
                    break
                if (
                    worker is not None
                    and worker.poll() is not None
                    and not live_workers()
                ):
                    restarts += 1
                    if restarts > WORKER_RESTARTS:
                        raise CommandError(
                            "The local worker keeps stopping; see "
                            "DISAN_HOME/logs/worker.log for why."
                        )
                    worker = start_local_worker()
                time.sleep(POLL_SECONDS)

    @staticmethod
    def _stage(jobs):
        parts = []
        for step in Job.Step:
            of_step = jobs.filter(step=step)
            total = of_step.count()
            if total:
                done = of_step.filter(status__in=Job.FINISHED).count()
                parts.append(f"{step.value} {done}/{total}")
        return ", ".join(parts)


class Progress:
    """A progress bar on a terminal; a line now and then in a log."""

    LOG_EVERY_SECONDS = 10

    def __init__(self, *, quiet):
        self.tty = sys.stderr.isatty()
        self.quiet = quiet
        self.bar = None
        self.last_line = ("", 0.0)

    def __enter__(self):
        if self.tty:
            self.bar = tqdm(total=0, unit="job", desc="ingest", file=sys.stderr)
        return self

    def show(self, done, total, stages):
        if self.bar is not None:
            self.bar.total, self.bar.n = total, done
            self.bar.set_postfix_str(stages, refresh=False)
            self.bar.refresh()
            return
        line = f"ingest: {done}/{total} jobs ({stages})"
        now = time.monotonic()
        if (
            not self.quiet
            and line != self.last_line[0]
            and (now - self.last_line[1] >= self.LOG_EVERY_SECONDS or done == total)
        ):
            print(line, file=sys.stderr, flush=True)
            self.last_line = (line, now)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()

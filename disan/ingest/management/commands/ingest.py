"""``disan ingest PATH``: ingest a batch and wait for it to finish."""

import json
import signal
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from disan.core.exceptions import DisanError
from disan.ingest.models import Batch, Job
from disan.ingest.services.batches import start_batch
from disan.ingest.services.summary import format_text, summarize
from disan.ingest.workers import live_workers, start_local_worker, stop_local_worker
from disan.preservation.bagit import is_zip

POLL_SECONDS = 0.5
# Times a local worker that died is started again before the batch is
# reported as stuck.
WORKER_RESTARTS = 3
# Some documents of the batch were refused (not ingested), the others went in.
EXIT_DOCUMENTS_REFUSED = 3


class Command(BaseCommand):
    help = (
        "Ingest a folder with one sub-folder per document (or one document folder, "
        "or a BagIt bag, as a folder or a .zip): identify, store, derive, OCR and "
        "index every document, then print a summary."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help="Folder of document folders, one document folder, or a BagIt bag "
            "(folder or .zip).",
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
        if not options["path"].strip():
            raise CommandError(
                "Give the folder of scans to ingest, e.g. disan ingest ./lô-1"
            )
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(
                f"{path} does not exist: give the folder of scans to ingest."
            )
        if not path.is_dir() and not is_zip(path):
            raise CommandError(
                f"{path} is neither a folder nor a zipped bag: put the document's "
                "files in a folder."
            )
        home = Path(settings.DISAN_HOME).resolve()
        if (
            path.resolve() == home
            or home.is_relative_to(path.resolve())
            or (path.resolve().is_relative_to(home))
        ):
            raise CommandError(
                f"{path} holds or is inside Disan's data folder ({home}); "
                "ingest a folder of scans kept elsewhere."
            )

        try:
            batch = start_batch(path, ocr=not options["no_ocr"])
        except DisanError as err:
            raise CommandError(str(err)) from err

        # A batch whose every document was refused up front has no job.
        if not options["no_wait"] and batch.status != Batch.Status.DONE:
            self._wait_with_worker(batch, quiet=options["json"])

        batch.refresh_from_db()
        summary = summarize(batch)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_text(summary))
        # A failed job, or a finished batch that put nothing on record, is
        # an error for scripts that run this command (1); a batch that went
        # in without some of its documents is told apart from success (3).
        finished = not options["no_wait"] or batch.status == Batch.Status.DONE
        nothing = finished and not summary["documents"]
        if summary["failures"] or nothing:
            sys.exit(1)
        if summary["totals"]["documents_refused"]:
            sys.exit(EXIT_DOCUMENTS_REFUSED)

    def _wait_with_worker(self, batch, *, quiet):
        """Wait for the batch, with a worker of our own if none runs.

        Stopped by Ctrl+C or SIGTERM, the command stops the worker it
        started; the batch stays queued for the next worker.
        """
        self.worker = None if live_workers() else start_local_worker()
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self._wait(batch, quiet=quiet)
        except KeyboardInterrupt:
            raise CommandError(
                f"Stopped waiting. Batch {batch.pk} stays queued and goes on "
                "when a worker runs (disan worker or disan serve).",
                returncode=130,
            ) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            if self.worker is not None:
                stop_local_worker(self.worker, wait=False)

    def _wait(self, batch, *, quiet):
        jobs = Job.objects.filter(transfer__batch=batch)
        restarts = 0
        with Progress(quiet=quiet) as progress:
            while True:
                total = jobs.count()
                done = jobs.filter(status__in=Job.FINISHED).count()
                progress.show(done, total, self._stage(jobs))
                if done == total:
                    break
                # The worker we rely on is gone (ours exited, or the one that
                # ran when we started stopped): start one of our own.
                ours_dead = self.worker is None or self.worker.poll() is not None
                if ours_dead and not live_workers():
                    restarts += 1
                    if restarts > WORKER_RESTARTS:
                        raise CommandError(
                            "The local worker keeps stopping; see "
                            "DISAN_HOME/logs/worker.log for why."
                        )
                    if self.worker is not None:
                        stop_local_worker(self.worker)
                    self.worker = start_local_worker()
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


def _interrupt(signum, frame):
    raise KeyboardInterrupt


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

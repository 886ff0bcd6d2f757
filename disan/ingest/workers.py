"""Worker processes: start one, tell whether one runs, keep jobs moving.

A running worker writes a heartbeat file under ``DISAN_HOME/run`` every few
seconds; ``disan ingest`` reads those files to decide whether it must start
a worker of its own. The broker cannot answer that question: the embedded
file-system broker has no broadcast channel.
"""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

BEAT_SECONDS = 3
FRESH_SECONDS = 15
RECOVER_SECONDS = 60


def run_dir():
    path = Path(settings.DISAN_HOME) / "run"
    path.mkdir(parents=True, exist_ok=True)
    return path


def live_workers():
    """Return the heartbeat records of workers that are alive now."""
    alive = []
    for path in run_dir().glob("worker-*.json"):
        try:
            record = json.loads(path.read_text())
            age = time.time() - path.stat().st_mtime
        except (OSError, ValueError):
            continue
        if age > FRESH_SECONDS:
            continue
        if record.get("host") == socket.gethostname() and not _pid_alive(
            record.get("pid")
        ):
            continue
        alive.append(record)
    return alive


def _pid_alive(pid):
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, TypeError, ValueError):
        return False
    except PermissionError:
        return True
    return True


def start_local_worker(log_path=None):
    """Start ``disan worker`` as a child process and return its Popen."""
    log_path = log_path or Path(settings.DISAN_HOME) / "logs" / "worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DISAN_HOME=str(settings.DISAN_HOME))
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "disan.cli", "worker"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    logger.info("Started local worker, pid %s, log %s", process.pid, log_path)
    return process


def stop_local_worker(process, timeout=60, wait=True):
    """Ask a worker we started to finish its current jobs and stop.

    Without ``wait`` the caller goes on at once: a worker takes some seconds
    to take its process pool down, and a finished batch need not wait.
    """
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    if not wait:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class WorkerBeacon:
    """Heartbeat file and periodic job recovery for one worker process."""

    def __init__(self):
        self.path = run_dir() / f"worker-{socket.gethostname()}-{os.getpid()}.json"
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name="disan-beacon", daemon=True
        )

    def start(self):
        self.path.write_text(
            json.dumps(
                {
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                    "started": time.time(),
                }
            )
        )
        self._thread.start()

    def stop(self):
        self._stop.set()
        self.path.unlink(missing_ok=True)

    def _loop(self):
        from disan.ingest import jobs
        from disan.ingest.tasks import dispatch

        # Jobs left behind by a worker that died are queued again at start.
        self._recover(jobs, dispatch, include_queued=True)
        last_recovery = time.monotonic()
        while not self._stop.wait(BEAT_SECONDS):
            try:
                os.utime(self.path)
            except FileNotFoundError:
                self.start_file_again()
            if time.monotonic() - last_recovery > RECOVER_SECONDS:
                self._recover(jobs, dispatch, include_queued=False)
                self._audit_tick()
                self._recover_descriptions()
                last_recovery = time.monotonic()

    def start_file_again(self):
        self.path.write_text(
            json.dumps({"host": socket.gethostname(), "pid": os.getpid()})
        )

    @staticmethod
    def _audit_tick():
        # The periodic fixity audit: queued when its period is due, once
        # across all workers (see disan.preservation.schedule).
        from disan.preservation import schedule

        try:
            schedule.tick()
        except Exception:
            logger.exception("Scheduling the periodic fixity audit failed")

    @staticmethod
    def _recover_descriptions():
        # Catalog edits whose description no version holds yet, their job
        # lost or failed: sent again (see disan.preservation.description).
        from disan.preservation import description

        try:
            count = description.recover(older_than=RECOVER_SECONDS)
        except Exception:
            logger.exception("Sending the waiting descriptions again failed")
            return
        if count:
            logger.info("Sent %d waiting description(s) again", count)

    @staticmethod
    def _recover(jobs, dispatch, *, include_queued):
        try:
            count = jobs.recover_jobs(dispatch, include_queued=include_queued)
        except Exception:
            logger.exception("Job recovery failed")
            return
        if count:
            # Lost running jobs were each logged as a warning by recover_jobs.
            logger.info("Sent %d unfinished job(s) again", count)

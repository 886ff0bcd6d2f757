"""Killing the worker mid-job loses nothing: a new worker finishes the batch."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import ocfl
import pytest

from tests.e2e.conftest import REPO, SAMPLES, disan_env, query, run_disan


def start_worker(home):
    log = open(home / "worker-test.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "disan.cli",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "INFO",
        ],
        env=disan_env(home, DISAN_JOB_STALE_SECONDS="5"),
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(home, predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    jobs = query(home, "SELECT step, status, attempts, message FROM ingest_job")
    log = (home / "worker-test.log").read_text(errors="replace")[-3000:]
    raise AssertionError(
        f"timed out waiting for {what}\njobs: {jobs}\nworker log:\n{log}"
    )


@pytest.mark.slow
def test_sigkill_during_derivatives_then_a_new_worker_finishes(tmp_path):
    """SIGKILL the whole worker while pages are being made; a restart completes."""
    home = tmp_path / "home"
    batch = tmp_path / "batch" / "Đại Nam"
    batch.parent.mkdir()
    shutil.copytree(SAMPLES / "dai-nam-nhat-thong-chi", batch)
    queued = run_disan(home, "ingest", str(batch), "--no-wait", "--no-ocr", "--json")
    batch_id = json.loads(queued.stdout)["batch"]

    worker = start_worker(home)
    wait_for(
        home,
        lambda: query(
            home, "SELECT 1 FROM ingest_job WHERE step='derive' AND status='running'"
        ),
        120,
        "a running derive job",
    )
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    running = query(home, "SELECT count(*) AS n FROM ingest_job WHERE status='running'")
    assert running[0]["n"] >= 1

    worker = start_worker(home)
    try:
        wait_for(
            home,
            lambda: (
                not query(
                    home,
                    "SELECT 1 FROM ingest_job WHERE status NOT IN "
                    "('done', 'skipped', 'failed')",
                )
            ),
            300,
            "every job to finish",
        )
    finally:
        # Only the main process is told to stop: a TERM sent to the pool
        # children too can leave billiard's main process waiting forever.
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            raise

    jobs = query(home, "SELECT step, status, attempts FROM ingest_job")
    assert {job["status"] for job in jobs if job["step"] != "ocr"} == {"done"}
    assert max(job["attempts"] for job in jobs) >= 2
    documents = query(
        home, "SELECT status, page_count, ocfl_version FROM catalog_heritagedocument"
    )
    assert documents == [{"status": "online", "page_count": 12, "ocfl_version": "v1"}]
    pages = query(home, "SELECT pyramid_path, width, height FROM catalog_page")
    assert len(pages) == 12
    for page in pages:
        assert (home / "derivatives" / page["pyramid_path"]).is_file()
        assert (page["width"], page["height"]) == (2000, 1773)
    leftovers = [
        p
        for p in (home / "derivatives").rglob("*")
        if p.is_file() and not p.name.endswith((".tif", ".jpg"))
    ]
    assert leftovers == []
    root = ocfl.StorageRoot(root=str(home / "ocfl"))
    assert root.validate(log_warnings=False) is True
    assert (root.num_objects, root.good_objects) == (1, 1)
    assert query(
        home,
        "SELECT status FROM ingest_batch WHERE id = ?",
        (batch_id.replace("-", ""),),
    ) == [{"status": "done"}]

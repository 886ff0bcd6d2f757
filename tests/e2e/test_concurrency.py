"""Workers killed while writing a version, and two workers on one document."""

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import time

import ocfl
import pytest

from disan.preservation.storage.validation import validate_object
from tests.e2e.conftest import SAMPLES, query, run_disan
from tests.e2e.test_worker_crash import start_worker, wait_for

BOOK = SAMPLES / "dai-nam-nhat-thong-chi"
PAGES = ["page_001.jpg", "page_002.jpg", "page_003.jpg"]


def make_document(folder):
    folder.mkdir(parents=True)
    for page in PAGES:
        shutil.copyfile(BOOK / page, folder / page)
    (folder / "metadata.json").write_text(
        json.dumps({"identifier": "DNNTC-3", "title": "Đại Nam, ba trang"}),
        encoding="utf-8",
    )
    return folder


def unfinished(home):
    return query(
        home,
        "SELECT 1 FROM ingest_job WHERE status NOT IN ('done', 'skipped', 'failed')",
    )


def stop(worker):
    # SIGTERM to the main process only, as test_worker_crash explains.
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        raise


def check_root(home):
    """The storage root is valid and every object holds only whole versions."""
    root = ocfl.StorageRoot(root=str(home / "ocfl"))
    assert root.validate(log_warnings=False) is True
    objects = [p.parent for p in (home / "ocfl").rglob("0=ocfl_object_1.1")]
    for obj in objects:
        report = validate_object(obj)
        assert report.valid, report.errors
        inventory = json.loads((obj / "inventory.json").read_text())
        on_disk = sorted(p.name for p in obj.iterdir() if p.name.startswith("v"))
        assert on_disk == sorted(inventory["versions"])
    return objects


@pytest.mark.slow
def test_sigkill_while_writing_a_version_leaves_whole_versions_then_v2(tmp_path):
    home = tmp_path / "home"
    document = make_document(tmp_path / "lô" / "Đại Nam ba trang")
    run_disan(home, "ingest", str(document), "--no-ocr", "--json")
    assert query(home, "SELECT ocfl_version FROM catalog_heritagedocument") == [
        {"ocfl_version": "v1"}
    ]

    # One page changes: the store job of the new batch writes v2.
    shutil.copyfile(BOOK / "page_010.jpg", document / "page_002.jpg")
    run_disan(home, "ingest", str(document), "--no-wait", "--no-ocr", "--json")
    rng = random.Random(20260101)
    for _round in range(4):
        worker = start_worker(home)
        time.sleep(rng.uniform(0.5, 4.0))
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        [obj] = check_root(home)
        head = json.loads((obj / "inventory.json").read_text())["head"]
        assert head in ("v1", "v2")

    worker = start_worker(home)
    try:
        wait_for(home, lambda: not unfinished(home), 300, "every job to finish")
    finally:
        stop(worker)
    [obj] = check_root(home)
    inventory = json.loads((obj / "inventory.json").read_text())
    assert inventory["head"] == "v2"
    changed = hashlib.sha256((BOOK / "page_010.jpg").read_bytes()).hexdigest()
    assert changed in inventory["versions"]["v2"]["state"]
    assert changed not in inventory["versions"]["v1"]["state"]
    assert query(
        home, "SELECT ocfl_version, page_count, status FROM catalog_heritagedocument"
    ) == [{"ocfl_version": "v2", "page_count": 3, "status": "online"}]
    assert query(home, "SELECT count(*) AS n FROM catalog_page") == [{"n": 3}]


@pytest.mark.slow
def test_two_workers_on_the_same_document_never_corrupt_it(tmp_path):
    home = tmp_path / "home"
    document = make_document(tmp_path / "lô" / "Đại Nam ba trang")
    for _batch in range(2):
        run_disan(home, "ingest", str(document), "--no-wait", "--no-ocr", "--json")
    workers = [start_worker(home), start_worker(home)]
    try:
        wait_for(home, lambda: not unfinished(home), 120, "every job to finish")
    finally:
        # Stop both even if the first does not stop in time.
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)

    [obj] = check_root(home)
    inventory = json.loads((obj / "inventory.json").read_text())
    assert inventory["head"] == "v1"
    assert list(inventory["versions"]) == ["v1"]
    assert query(
        home, "SELECT ocfl_version, page_count, status FROM catalog_heritagedocument"
    ) == [{"ocfl_version": "v1", "page_count": 3, "status": "online"}]
    pages = query(home, "SELECT sequence FROM catalog_page ORDER BY sequence")
    assert pages == [{"sequence": 1}, {"sequence": 2}, {"sequence": 3}]
    failed = query(home, "SELECT step, message FROM ingest_job WHERE status='failed'")
    assert failed == []

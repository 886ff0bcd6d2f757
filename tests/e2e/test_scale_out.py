"""Scaled out: the same ingest over RabbitMQ or Redis, and on PostgreSQL."""

import json
import shutil
import socket
import subprocess
import uuid

import pytest

from tests.e2e.conftest import SAMPLES, run_disan

pytestmark = pytest.mark.slow


def reachable(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "batch" / "Bản in tiếng Việt"
    folder.mkdir(parents=True)
    shutil.copyfile(
        SAMPLES / "printed-vietnamese" / "VietOCR_vietsample_2p_G4.tif",
        folder / "trang.tif",
    )
    return folder.parent


@pytest.fixture
def postgres_database():
    if not reachable(5432) or shutil.which("psql") is None:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    name = f"disan_test_{uuid.uuid4().hex[:8]}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True, capture_output=True)
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    subprocess.run(
        [*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True
    )


def ingest_twice(home, batch, **env):
    first = json.loads(
        run_disan(home, "ingest", str(batch), "--json", "--no-ocr", **env).stdout
    )
    again = json.loads(
        run_disan(home, "ingest", str(batch), "--json", "--no-ocr", **env).stdout
    )
    return first, again


def test_rabbitmq_broker_runs_the_same_ingest(tmp_path, batch):
    if not reachable(5672):
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672")
    vhost_queue = f"disan-test-{uuid.uuid4().hex[:8]}"
    first, again = ingest_twice(
        tmp_path / "home",
        batch,
        DISAN_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//",
        DISAN_TASK_QUEUE=vhost_queue,
    )
    (doc,) = first["documents"]
    assert (doc["status"], doc["pages"], doc["changed"]) == ("online", 2, True)
    assert [d["changed"] for d in again["documents"]] == [False]


def test_redis_broker_and_postgresql_database(tmp_path, batch, postgres_database):
    if not reachable(6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    first, again = ingest_twice(
        tmp_path / "home",
        batch,
        DISAN_BROKER_URL="redis://127.0.0.1:6379/15",
        DISAN_DATABASE_URL=postgres_database,
        DISAN_TASK_QUEUE=f"disan-test-{uuid.uuid4().hex[:8]}",
    )
    (doc,) = first["documents"]
    assert (doc["status"], doc["pages"], doc["bytes"]) == ("online", 2, 139240)
    assert [d["changed"] for d in again["documents"]] == [False]


def test_missing_tesseract_is_reported_and_the_rest_still_runs(tmp_path, batch):
    result = run_disan(
        tmp_path / "home",
        "ingest",
        str(batch),
        "--json",
        DISAN_TESSERACT_CMD=str(tmp_path / "no-such-tesseract"),
    )
    (doc,) = json.loads(result.stdout)["documents"]
    assert (doc["status"], doc["pages"]) == ("online", 2)
    assert doc["ocr"] == {"done": 0, "skipped": 2, "failed": 0}
    assert any("tesseract" in note.lower() for note in doc["notes"])

"""Fixtures for the preservation tests: a store and source files."""

import hashlib
import logging
from pathlib import Path

import ocfl
import pytest

from disan.preservation.storage import get_store

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture
def store():
    """The store configured for this test's DISAN_OCFL_ROOT."""
    return get_store()


@pytest.fixture
def source(tmp_path):
    """Return a function writing ``data`` to a new source file named ``name``."""
    folder = tmp_path / "sources"

    def write(name, data):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def replica_root(tmp_path, settings):
    """An empty folder named as the one replica in DISAN_REPLICAS."""
    root = tmp_path / "bản sao" / "ocfl"
    root.mkdir(parents=True)
    settings.DISAN_REPLICAS = [str(root)]
    return root


def assert_root_valid(root, objects):
    """Validate ``root`` with ocfl-py itself and count its valid objects."""
    storage_root = ocfl.StorageRoot(root=str(root))
    assert storage_root.validate(log_warnings=False) is True
    assert storage_root.errors == []
    assert (storage_root.num_objects, storage_root.good_objects) == (objects, objects)


def tree(folder):
    """Return every path under ``folder``, relative and sorted."""
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*"))


@pytest.fixture(scope="session")
def s3_endpoint():
    """A real S3 API (moto's server) on a free port of 127.0.0.1."""
    from moto.server import ThreadedMotoServer

    # One line per request would drown a failing test's output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, settings, monkeypatch, request):
    """A new, empty bucket on the test S3 server; return its boto3 client too.

    Returns (client, bucket name). DISAN_S3_* point at the server; boto3
    reads the test credentials from the environment like in production.
    """
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "disan-test",
        "AWS_SECRET_ACCESS_KEY": "disan-test-secret",
        "AWS_SESSION_TOKEN": "",
        "AWS_PROFILE": "",
    }.items():
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    settings.DISAN_S3_ENDPOINT_URL = s3_endpoint
    settings.DISAN_S3_REGION = "us-east-1"
    settings.DISAN_S3_MAX_ATTEMPTS = 1
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="disan-test",
        aws_secret_access_key="disan-test-secret",
    )
    bucket = "disan-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:20]
    client.create_bucket(Bucket=bucket)
    return client, bucket

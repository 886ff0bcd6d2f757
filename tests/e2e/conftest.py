"""End-to-end fixtures: run the real ``disan`` command in its own data folder."""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SAMPLES = SHARED / "samples"
HOSTILE = SHARED / "cases" / "hostile-files"


def disan_env(home, **extra):
    env = dict(os.environ, DISAN_HOME=str(home), DISAN_WORKER_CONCURRENCY="2", **extra)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def run_disan(home, *args, timeout=1200, check=True, **extra_env):
    """Run ``disan ARGS`` as a user would and return the CompletedProcess."""
    result = subprocess.run(
        [sys.executable, "-m", "disan.cli", *args],
        env=disan_env(home, **extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"disan {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-4000:]}"
        )
    return result


def query(home, sql, params=()):
    """Read the data folder's database directly, as another tool would."""
    with sqlite3.connect(home / "disan.sqlite3", timeout=30) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql, params)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``disan serve`` on a free port, for requests over loopback."""

    def __init__(self, home):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "disan.cli",
                "serve",
                "--port",
                str(self.port),
                "--no-worker",
                "--workers",
                "1",
            ],
            env=disan_env(home),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/")
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise AssertionError("disan serve did not answer within 60 s")

    def get(self, path, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def json(self, path):
        status, _, body = self.get(path)
        return status, json.loads(body) if status == 200 else None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def make_batch(root):
    """Lay out a batch as an operator would: Vietnamese folder names, metadata."""
    batch = root / "lô quét 2026"
    book = batch / "Đại Nam nhất thống chí"
    shutil.copytree(SAMPLES / "dai-nam-nhat-thong-chi", book)
    (book / "ABOUT.md").unlink(missing_ok=True)
    (book / "metadata.json").write_text(
        json.dumps(
            {
                "identifier": "DNNTC-Q1",
                "title": "Đại Nam nhất thống chí, quyển 1",
                "original_title": "大南一統志 卷之一",
                "type": "Sách chép tay",
                "date": "Tự Đức (1865–1882)",
                "languages": ["lzh"],
                "scripts": ["Hani"],
                "holding_unit": "Thư viện Hà Nội",
                "heritage_status": "registered",
                "access_level": "public",
                "reading_direction": "right-to-left",
                "description": "Bộ địa chí triều Nguyễn, đường sá và phủ huyện.",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )

    mixed = batch / "tệp hỗn hợp"
    mixed.mkdir()
    for item in HOSTILE.iterdir():
        if item.name != "README.md":
            shutil.copyfile(item, mixed / item.name)
    shutil.copyfile(
        SAMPLES / "printed-vietnamese" / "VietOCR_vietsample_2p_G4.tif",
        mixed / "VietOCR_vietsample_2p_G4.tif",
    )
    (mixed / "metadata.json").write_text(
        json.dumps(
            {
                "identifier": "HON-HOP-01",
                "title": "Tệp hỗn hợp",
                "languages": ["vi"],
                "scripts": ["Latn"],
                "holding_unit": "Thư viện Hà Nội",
                "access_level": "public",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    secret = batch / "hồ sơ mật"
    secret.mkdir()
    shutil.copyfile(
        SAMPLES / "dai-nam-nhat-thong-chi" / "page_004.jpg", secret / "trang 1.jpg"
    )
    (secret / "metadata.json").write_text(
        json.dumps(
            {
                "identifier": "MAT-01",
                "title": "Hồ sơ mật về đê điều",
                "languages": ["vi"],
                "holding_unit": "Trung tâm Lưu trữ",
                "access_level": "secret",
                "description": "Tài liệu mật: bản đồ đê điều.",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return batch


@pytest.fixture(scope="session")
def ingested(tmp_path_factory):
    """One real ingest of the sample book and the hostile files, with OCR."""
    root = tmp_path_factory.mktemp("e2e")
    home = root / "disan-data"
    batch = make_batch(root)
    result = run_disan(home, "ingest", str(batch), "--json")
    return home, batch, json.loads(result.stdout)


@pytest.fixture(scope="session")
def server(ingested):
    home, _, _ = ingested
    running = Server(home)
    yield running
    running.stop()

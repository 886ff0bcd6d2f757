"""Benchmark writing and auditing a replica in an S3-compatible bucket.

    .venv/bin/python bench/replicas_s3.py [--files 400] [--mean-kb 500]

Starts moto's S3 server (``moto_server``, a process of its own) on a free
port of 127.0.0.1, stores ``--files`` files of random sizes in
``--objects`` OCFL objects through Disan's store, and times on the same
bytes:

- replication of every object to the bucket (upload, read back, hash);
- the audit of the bucket copy alone (stream and hash every content file);
- a plain boto3 loop, ``get_object`` then SHA-256 of the body, one thread
  and 8 threads (the audit's number of streams): the yardstick.

Prints MB/s and the audit's ratio to the loops. moto keeps objects in its
own memory and serves them from Python, so the figures measure moto more
than a real service; the ratios say what Disan adds.
"""

import argparse
import concurrent.futures
import hashlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STREAMS = 8


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--mean-kb", type=int, default=500)
    parser.add_argument("--objects", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="disan-bench-s3-"))
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("moto_server")),
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        _run(args, work, f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def _run(args, work, endpoint):
    os.environ.update(
        {
            "DISAN_HOME": str(work / "home"),
            "DISAN_S3_ENDPOINT_URL": endpoint,
            "DISAN_S3_REGION": "us-east-1",
            "DISAN_REPLICAS": "s3://disan-bench/ocfl",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "DJANGO_SETTINGS_MODULE": "disan.settings",
        }
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from disan.preservation.audit import check_objects
    from disan.preservation.replicas import replica_stores, replicate
    from disan.preservation.storage import get_store
    from disan.preservation.storage.s3 import get_client

    client = get_client()
    client.create_bucket(Bucket="disan-bench")
    ids, total = _store_objects(args, work, get_store())
    print(f"{args.files} files, {total / 1e6:.1f} MB in {args.objects} objects")

    started = time.perf_counter()
    for object_id in ids:
        (result,) = replicate(object_id)
        if result.error:
            raise SystemExit(result.error)
    replication = time.perf_counter() - started

    (store,) = replica_stores()
    keys = [
        store.key(f"{folder.relative}/{relative}")
        for folder in store.object_dirs()
        for relative in folder.files()
        if "/content/" in relative
    ]
    runs = {"audit of the bucket copy": [], "boto3 loop, 1 thread": []}
    runs[f"boto3 loop, {STREAMS} threads"] = []
    for _round in range(args.repeat):
        runs["boto3 loop, 1 thread"].append(_loop(client, keys, 1))
        runs[f"boto3 loop, {STREAMS} threads"].append(_loop(client, keys, STREAMS))
        started = time.perf_counter()
        results = check_objects(ids, [(store.url, store)], workers=1)
        runs["audit of the bucket copy"].append(time.perf_counter() - started)
        if not all(result.ok for result in results):
            raise SystemExit("the bucket copy did not audit clean")

    print(f"{'run':<32} {'seconds':>8} {'MB/s':>8}")
    rate = total / 1e6 / replication
    print(f"{'replication (all objects)':<32} {replication:>8.2f} {rate:>8.1f}")
    best = {name: min(times) for name, times in runs.items()}
    for name, seconds in best.items():
        print(f"{name:<32} {seconds:>8.2f} {total / 1e6 / seconds:>8.1f}")
    audit = best["audit of the bucket copy"]
    for name in list(best)[1:]:
        print(f"audit time / {name}: {audit / best[name]:.2f}")


def _store_objects(args, work, store):
    rng = random.Random(20261204)
    sources = work / "sources"
    sources.mkdir(parents=True)
    ids, total = [], 0
    per_object = max(1, args.files // args.objects)
    for number in range(args.objects):
        files = []
        for index in range(per_object):
            size = max(1, int(rng.expovariate(1 / (args.mean_kb * 1024))))
            path = sources / f"{number}-{index}.bin"
            path.write_bytes(rng.randbytes(size))
            files.append((path, f"trang {index:04d}.tif"))
            total += size
        object_id = f"bench-{number:03d} Đại Nam"
        store.put(object_id, files, message="bench", agent="bench")
        ids.append(object_id)
    return ids, total


def _loop(client, keys, threads):
    def one(key):
        body = client.get_object(Bucket="disan-bench", Key=key)["Body"]
        digest = hashlib.sha256()
        while chunk := body.read(1024 * 1024):
            digest.update(chunk)
        return digest.hexdigest()

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, keys))
    return time.perf_counter() - started


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port):
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("moto_server did not start")


if __name__ == "__main__":
    main()

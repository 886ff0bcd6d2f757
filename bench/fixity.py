"""Benchmark the fixity audit against bagit.py and a plain hashlib loop.

    .venv/bin/python bench/fixity.py [--files 2000] [--mean-kb 540] [--keep]

Builds, in a temporary folder, an OCFL storage root of at least 1 GiB in
many files of random sizes through Disan's own store, and a BagIt bag of
the same files made with the bagit library. Then times, on the same bytes:

- a plain Python loop of ``hashlib.file_digest(f, "sha256")`` over the
  content files (the yardstick, one core);
- ``disan audit`` (``disan.preservation.audit.audit``, recording its rows)
  with 1 and 2 hashing processes;
- ``bagit.py --validate --processes 2`` on the bag.

Before each run the page cache is dropped (``sync; echo 3 >
/proc/sys/vm/drop_caches``) when this process may, so every run reads
from disk; otherwise every run reads a warm cache after one untimed
warm-up read (also with ``--warm``, which measures hashing rather than
the disk), and the table says which. Prints MB/s and ratios.
"""

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BAGIT = Path(sys.executable).with_name("bagit.py")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--mean-kb", type=int, default=540)
    parser.add_argument("--objects", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="Keep the temp folder.")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="Rounds of all runs, interleaved; the fastest of each is kept.",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="Read a warm page cache in every run (measures hashing, not disk).",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="disan-bench-fixity-"))
    os.environ["DISAN_HOME"] = str(work / "home")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disan.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    try:
        run(work, args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def run(work, args):
    from disan.core.setup import ensure_ready

    ensure_ready()
    sources = make_sources(work / "bag", args.files, args.mean_kb * 1024)
    content = make_store(sources, args.objects)
    make_bag(work / "bag")
    total = sum(path.stat().st_size for path in content)
    cold = not args.warm and drop_caches()
    print(
        f"{len(content)} files, {total / 2**30:.2f} GiB in {args.objects} OCFL "
        f"objects; page cache {'dropped before each run' if cold else 'warm'}; "
        f"{os.cpu_count()} cores"
    )

    # Rounds interleave the runs, so a burst of other load on the machine
    # slows one round of each rather than every repeat of one run.
    runs = [
        ("hashlib loop, 1 process", lambda: plain_loop(content)),
        ("disan audit, 1 worker", lambda: our_audit(1)),
        ("disan audit, 2 workers", lambda: our_audit(2)),
        ("bagit.py --validate --processes 2", lambda: bagit_validate(work / "bag")),
    ]
    timings = {}
    for _round in range(max(1, args.repeat)):
        for name, function in runs:
            if cold:
                drop_caches()
            else:
                plain_loop(content)
            started = time.perf_counter()
            function()
            elapsed = time.perf_counter() - started
            timings[name] = min(elapsed, timings.get(name, elapsed))

    report(timings, total)


def make_sources(folder, count, mean_bytes):
    """Write ``count`` files of random sizes (uniform, 0.1x to 1.9x mean)."""
    folder.mkdir(parents=True)
    generator = random.Random(20251203)
    paths = []
    for number in range(count):
        size = generator.randint(mean_bytes // 10, mean_bytes * 19 // 10)
        path = folder / f"trang {number:05d}.jpg"
        path.write_bytes(generator.randbytes(size))
        paths.append(path)
    return paths


def make_store(sources, objects):
    """Put the sources into ``objects`` OCFL objects; return content paths."""
    from disan.preservation.storage import get_store

    store = get_store()
    per_object = -(-len(sources) // objects)
    content = []
    for index in range(objects):
        group = sources[index * per_object : (index + 1) * per_object]
        object_id = f"bench-Hán-Nôm-{index:03d}"
        result = store.put(
            object_id,
            [(path, f"Quyển {index}/{path.name}") for path in group],
            message="Benchmark",
            agent="bench/fixity.py",
        )
        folder = store.object_dir(object_id)
        content.extend(folder / entry.content_path for entry in result.files.values())
    return content


def make_bag(folder):
    import logging

    import bagit

    logging.getLogger("bagit").setLevel(logging.WARNING)
    bagit.make_bag(str(folder), checksums=["sha256"], processes=2)


def drop_caches():
    """Drop the page cache; return False where this process may not."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as control:
            control.write("3\n")
    except OSError:
        return False
    return True


def plain_loop(paths):
    for path in paths:
        with open(path, "rb") as handle:
            hashlib.file_digest(handle, "sha256")


def our_audit(workers):
    from disan.preservation.audit import audit

    report = audit(workers=workers)
    if not report.ok:
        raise SystemExit("The audit found faults in a fresh store; see above.")


def bagit_validate(folder):
    subprocess.run(
        [sys.executable, str(BAGIT), "--validate", "--processes", "2", str(folder)],
        check=True,
        capture_output=True,
    )


def report(timings, total):
    plain = timings["hashlib loop, 1 process"]
    print(f"{'run':<36} {'seconds':>8} {'MB/s':>8} {'x loop':>7}")
    for name, seconds in timings.items():
        print(
            f"{name:<36} {seconds:8.2f} {total / seconds / 1e6:8.0f} "
            f"{plain / seconds:7.2f}"
        )
    one, two = timings["disan audit, 1 worker"], timings["disan audit, 2 workers"]
    print(
        f"per core: 1 worker {plain / one:.2f}x the loop, 2 workers "
        f"{plain / two / 2:.2f}x; scaling 1 -> 2 workers {one / two:.2f}x"
    )


if __name__ == "__main__":
    main()

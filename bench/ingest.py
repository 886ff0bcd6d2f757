"""Benchmark Disan's derivative and OCR code against the plain command lines.

    .venv/bin/python bench/ingest.py [--pages DIR] [--languages chi_tra_vert]

Prints one table: pages per minute and peak memory (RSS of the largest
process) for

(a) our derivatives (open_page + make_pyramid + make_thumbnail), serially
    and with one process per core, against ``vips tiffsave`` making the
    same pyramids, one process per page, serially and one per core;
(b) our OCR engine with one process per core against the ``tesseract``
    command, one process per core with OMP_THREAD_LIMIT=1, on the same
    pages with the same languages and page segmentation mode;
(c) ``disan ingest PATH --json`` with and without ``--no-ocr`` into a fresh
    DISAN_HOME, when that command is installed.

Every case runs in its own Python process, so its peak RSS is its own, and
under a time limit. The short cases of (a) run ``--repeat`` times (default
3) and keep the fastest run, as other work on the machine makes single runs
noisy. Process pools are started before the clock starts: they
stand for long-lived workers. The command-line baselines pay their start-up
per page, as they would in a shell loop. Our derivative case also writes a
thumbnail, which the vips baseline does not.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = REPO / "samples" / "dai-nam-nhat-thong-chi"
MIME_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".jp2": "image/jp2",
}
CASES = [
    # (name, section, label, baseline case)
    ("derive-ours-serial", "a", "derivatives: Disan, serial", "derive-vips-serial"),
    ("derive-vips-serial", "a", "pyramids: vips CLI, serial", None),
    ("derive-ours-pool", "a", "derivatives: Disan, 1 process/core", "derive-vips-pool"),
    ("derive-vips-pool", "a", "pyramids: vips CLI, 1 process/core", None),
    ("ocr-ours-pool", "b", "OCR: Disan engine, 1 process/core", "ocr-tesseract-pool"),
    ("ocr-tesseract-pool", "b", "OCR: tesseract CLI, 1 process/core", None),
    ("ingest-no-ocr", "c", "disan ingest --no-ocr", None),
    ("ingest-ocr", "c", "disan ingest (with OCR)", None),
]


def main(argv=None):
    """Run every case in its own process and print the table."""
    options = _parser().parse_args(argv)
    if options.case:
        print(json.dumps(_run_case(options)))
        return 0

    pages = _pages(options.pages)
    print(
        f"{len(pages)} pages from {options.pages}, {options.jobs} process(es) per "
        f"pool, OCR languages {options.languages}, time limit {options.time_limit} s "
        "per case\n"
    )
    results = {}
    for name, section, label, _baseline in CASES:
        print(f"  running {label} ...", file=sys.stderr, flush=True)
        runs = [
            _measure(name, options)
            for _ in range(options.repeat if section == "a" else 1)
        ]
        timed = [run for run in runs if "seconds" in run]
        results[name] = min(timed, key=lambda run: run["seconds"]) if timed else runs[0]
    _print_table(results, len(pages))
    return 0


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--languages", default="chi_tra_vert")
    parser.add_argument("--time-limit", type=int, default=900)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    return parser


def _pages(folder):
    """Return the image files of ``folder`` in natural order, or exit."""
    from disan.core.text import natural_key

    folder = Path(folder)
    if not folder.is_dir():
        sys.exit(f"{folder} is not a folder of page images; pass --pages DIR.")
    pages = sorted(
        (path for path in folder.iterdir() if path.suffix.lower() in MIME_TYPES),
        key=lambda path: natural_key(path.name),
    )
    if not pages:
        sys.exit(f"{folder} holds no JPEG, PNG, TIFF or JPEG 2000 file.")
    return pages


def _measure(name, options):
    """Run one case in a child process; return its JSON result or an error."""
    command = [
        sys.executable,
        __file__,
        "--case",
        name,
        "--pages",
        str(options.pages),
        "--jobs",
        str(options.jobs),
        "--languages",
        options.languages,
        "--time-limit",
        str(options.time_limit),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=options.time_limit + 60
        )
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {options.time_limit + 60} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return {"error": f"exit {done.returncode}: {last}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run_case(options):
    """Time one case in this process; add the peak RSS of this process tree."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disan.settings")
    with tempfile.TemporaryDirectory(prefix="disan-bench-") as scratch:
        scratch = Path(scratch)
        os.environ["DISAN_HOME"] = str(scratch / "home")
        pages = _pages(options.pages)
        runner = {
            "derive-ours-serial": _derive_ours_serial,
            "derive-ours-pool": _derive_ours_pool,
            "derive-vips-serial": _derive_vips_serial,
            "derive-vips-pool": _derive_vips_pool,
            "ocr-ours-pool": _ocr_ours_pool,
            "ocr-tesseract-pool": _ocr_tesseract_pool,
            "ingest-no-ocr": lambda *args: _ingest(*args, ocr=False),
            "ingest-ocr": lambda *args: _ingest(*args, ocr=True),
        }[options.case]
        result = runner(pages, scratch, options)
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {**result, "peak_rss_kib": peak}


# --- (a) derivatives ---------------------------------------------------------


def _setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disan.settings")
    django.setup()


def _derive_one(page, out_dir):
    from disan.derivatives.images import make_pyramid, make_thumbnail, open_page

    image = open_page(page, MIME_TYPES[page.suffix.lower()])
    make_pyramid(image, Path(out_dir) / f"{page.stem}.tif")
    make_thumbnail(image, Path(out_dir) / f"{page.stem}.jpg")
    return page.name


def _derive_ours_serial(pages, scratch, options):
    _setup_django()
    start = time.perf_counter()
    for page in pages:
        _derive_one(page, scratch)
        if time.perf_counter() - start > options.time_limit:
            return {"error": f"over {options.time_limit} s"}
    return {"seconds": time.perf_counter() - start}


def _derive_ours_pool(pages, scratch, options):
    with _warm_pool(options.jobs) as pool:
        start = time.perf_counter()
        futures = [pool.submit(_derive_one, page, scratch) for page in pages]
        for future in futures:
            future.result(timeout=options.time_limit)
        return {"seconds": time.perf_counter() - start}


def _vips_command(page, scratch):
    from django.conf import settings

    tile = str(settings.DISAN_TILE_SIZE)
    return [
        "vips",
        "tiffsave",
        str(page),
        str(scratch / f"{page.stem}.tif"),
        "--tile",
        "--pyramid",
        "--compression",
        "jpeg",
        "--Q",
        str(settings.DISAN_JPEG_QUALITY),
        "--tile-width",
        tile,
        "--tile-height",
        tile,
    ]


def _derive_vips_serial(pages, scratch, options):
    _setup_django()
    commands = [_vips_command(page, scratch) for page in pages]
    return _run_commands(commands, 1, options.time_limit)


def _derive_vips_pool(pages, scratch, options):
    _setup_django()
    commands = [_vips_command(page, scratch) for page in pages]
    return _run_commands(commands, options.jobs, options.time_limit)


# --- (b) OCR -------------------------------------------------------------------


def _ocr_one(page, out_dir, languages):
    from disan.derivatives.images import open_page
    from disan.ocr import get_engine
    from disan.ocr.languages import ocr_image

    image = open_page(page, MIME_TYPES[page.suffix.lower()])
    with tempfile.TemporaryDirectory(dir=out_dir) as folder:
        result = get_engine().recognize(
            ocr_image(image, Path(folder)), languages=languages
        )
    return len(result.text)


def _ocr_ours_pool(pages, scratch, options):
    with _warm_pool(options.jobs) as pool:
        start = time.perf_counter()
        futures = [
            pool.submit(_ocr_one, page, scratch, options.languages) for page in pages
        ]
        characters = sum(
            future.result(timeout=options.time_limit) for future in futures
        )
        return {"seconds": time.perf_counter() - start, "characters": characters}


def _ocr_tesseract_pool(pages, scratch, options):
    _setup_django()
    from django.conf import settings

    from disan.ocr.engines.tesseract import page_segmentation_mode

    psm = page_segmentation_mode(options.languages.split("+"))
    commands = [
        [
            settings.DISAN_TESSERACT_CMD,
            str(page),
            "stdout",
            "-l",
            options.languages,
            "--psm",
            psm,
            "tsv",
        ]
        for page in pages
    ]
    return _run_commands(commands, options.jobs, options.time_limit, one_thread=True)


# --- (c) the whole ingest ------------------------------------------------------


def _ingest(pages, scratch, options, *, ocr):
    disan = shutil.which(
        "disan", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    )
    if disan is None:
        return {"error": "skipped: the disan command is not installed"}
    probe = subprocess.run([disan, "help", "ingest"], capture_output=True, text=True)
    if probe.returncode != 0 or "--no-ocr" not in probe.stdout:
        return {
            "error": "skipped: `disan ingest PATH --json [--no-ocr]` is not there yet"
        }

    # One document folder holding copies of the pages, in a fresh data folder.
    document = scratch / "batch" / Path(options.pages).name
    document.mkdir(parents=True)
    for page in pages:
        shutil.copyfile(page, document / page.name)
    command = [disan, "ingest", str(document), "--json", *([] if ocr else ["--no-ocr"])]

    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=options.time_limit,
            env={**os.environ, "DISAN_HOME": str(scratch / "home")},
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {options.time_limit} s"}
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return {"error": f"disan ingest exit {done.returncode}: {last}"}
    return {"seconds": seconds}


# --- helpers -------------------------------------------------------------------


class _warm_pool:
    """A spawned process pool whose workers have set up Django already."""

    def __init__(self, jobs):
        self.pool = ProcessPoolExecutor(
            max_workers=jobs, mp_context=get_context("spawn"), initializer=_setup_django
        )
        self.jobs = jobs

    def __enter__(self):
        warm = [self.pool.submit(time.sleep, 0.2) for _ in range(self.jobs)]
        for future in warm:
            future.result()
        return self.pool

    def __exit__(self, *exc):
        self.pool.shutdown(cancel_futures=True)


def _run_commands(commands, jobs, time_limit, *, one_thread=False):
    """Run ``commands`` ``jobs`` at a time; fail the case if any fails."""
    environment = {**os.environ, **({"OMP_THREAD_LIMIT": "1"} if one_thread else {})}

    def run(command):
        done = subprocess.run(
            command, capture_output=True, env=environment, timeout=time_limit
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} exit {done.returncode}")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, commands))
    return {"seconds": time.perf_counter() - start}


def _print_table(results, page_count):
    header = f"{'':2}{'case':38}{'seconds':>9}{'pages/min':>11}{'peak RSS':>11}  ratio"
    print(header)
    print("-" * len(header))
    section = None
    for name, part, label, baseline in CASES:
        if part != section:
            section = part
            print(f"({part})")
        result = results[name]
        if "error" in result:
            print(f"  {label:38}{result['error']}")
            continue
        seconds = result["seconds"]
        rss = f"{result['peak_rss_kib'] / 1024:.0f} MiB"
        ratio = ""
        other = results.get(baseline) if baseline else None
        if other and "seconds" in other:
            ratio = f"{seconds / other['seconds']:.2f}x the time of the CLI"
        rate = page_count / seconds * 60
        print(f"  {label:38}{seconds:9.2f}{rate:11.1f}{rss:>11}  {ratio}")
    print(
        "\nratio = our seconds / the CLI's seconds (below 1.0: we are faster). Peak "
        "RSS is the largest single process of a case."
    )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())

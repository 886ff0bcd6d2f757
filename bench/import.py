"""Benchmark `disan import` on large generated inventories.

    .venv/bin/python bench/import.py [--rows 100000] [--small 10000]

Generates an inventory of ``--rows`` rows (Vietnamese titles and
descriptions, Gregorian, century and reign-era dates in quốc ngữ and Hán,
languages, holding units, access levels) as CSV and as XLSX, and imports
each into a fresh DISAN_HOME, first as a dry run, then for real, then again
(every row unchanged). A ``--small`` inventory is imported the same way, so
the peak memory of the two sizes can be compared: flat memory means the
same peak for both. Prints one table: rows, seconds, rows/s and peak RSS.

Every import runs in its own Python process, so its peak RSS is its own.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HEADER = [
    "Mã tài liệu",
    "Tiêu đề",
    "Niên đại",
    "Ngôn ngữ",
    "Đơn vị lưu giữ",
    "Mức truy cập",
    "Loại hình vật mang tin",
    "Mô tả",
]
WORDS = (
    "hương ước làng xã đình chùa sắc phong gia phả địa bạ văn bia thần tích "
    "ngọc phả Hà Nội Thăng Long Đông Ngạc Cổ Nhuế Thanh Trì Từ Liêm Hoàn Kiếm "
    "phường huyện tổng trấn Sơn Nam thượng hạ nguyên tiến sĩ khoa thi hội đình"
).split()
DATES = [
    "Tự Đức năm thứ {n}",
    "Cảnh Hưng năm thứ {n}",
    "tháng Chạp năm Minh Mệnh thứ {n}",
    "嗣德{h}年",
    "景興{h}年十二月",
    "{y}",
    "03/12/{y}",
    "thế kỷ XIX",
    "{y}–{z}",
]
HAN = "一二三四五六七八九十"
UNITS = ["Thư viện Hà Nội", "Bảo tàng Hà Nội", "Ban quản lý di tích Văn Miếu"]
LEVELS = ["công khai", "hạn chế", "public"]
LANGUAGES = ["Hán Nôm", "vi", "hán", "tiếng Pháp", "lzh; vi"]


def han(number):
    tens, units = divmod(number, 10)
    return (
        (HAN[tens - 1] if tens > 1 else "")
        + ("十" if tens else "")
        + (HAN[units - 1] if units else "")
    )


def rows(count, seed=5):
    rng = random.Random(seed)
    for index in range(count):
        n = rng.randint(1, 30)
        year = rng.randint(1700, 1945)
        date = rng.choice(DATES).format(n=n, h=han(n), y=year, z=year + 5)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
        description = " ".join(rng.choice(WORDS) for _ in range(40))
        yield [
            f"HN-{index:06d}",
            title[:1].upper() + title[1:],
            date,
            rng.choice(LANGUAGES),
            rng.choice(UNITS),
            rng.choice(LEVELS),
            "giấy",
            description,
        ]


def write_csv(path, count):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count))


def write_xlsx(path, count):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh mục")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    workbook.save(path)


def run_one(path, dry_run):
    """Import ``path`` in this process; print seconds, counts and peak RSS."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disan.settings")
    import django

    django.setup()
    from disan.catalog.importing.service import import_inventory

    start = time.perf_counter()
    summary = import_inventory(path, dry_run=dry_run)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_kib": peak_kib, **summary.as_json()}))


def child(home, path, dry_run):
    env = dict(os.environ, DISAN_HOME=str(home), DISAN_OCR_ENABLED="false")
    command = [sys.executable, __file__, "--one", str(path)]
    command += ["--dry-run"] if dry_run else []
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=True, cwd=REPO
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def migrate(home):
    env = dict(os.environ, DISAN_HOME=str(home))
    subprocess.run(
        [sys.executable, "-m", "disan.cli", "migrate", "-v0"],
        env=env,
        check=True,
        cwd=REPO,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        run_one(options.one, options.dry_run)
        return

    print(f"{'case':<34}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'peak MiB':>10}")
    with tempfile.TemporaryDirectory(prefix="disan-bench-import-") as scratch:
        scratch = Path(scratch)
        for count in (options.small, options.rows):
            for kind, writer in (("csv", write_csv), ("xlsx", write_xlsx)):
                path = scratch / f"danh-mục-{count}.{kind}"
                start = time.perf_counter()
                writer(path, count)
                made = time.perf_counter() - start
                size = path.stat().st_size / 1024**2
                print(f"# {path.name}: {size:.1f} MiB, generated in {made:.1f} s")
                home = scratch / f"home-{count}-{kind}"
                migrate(home)
                for label, dry_run in (
                    ("dry run", True),
                    ("import (all new)", False),
                    ("re-import (all unchanged)", False),
                ):
                    result = child(home, path, dry_run)
                    print(
                        f"{kind + ' ' + label:<34}{result['rows']:>9}"
                        f"{result['seconds']:>10.1f}"
                        f"{result['rows'] / result['seconds']:>10.0f}"
                        f"{result['peak_kib'] / 1024:>10.0f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()

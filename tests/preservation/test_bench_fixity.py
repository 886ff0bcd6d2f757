"""bench/fixity.py runs end to end on a small store and prints its table."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fixity.py"


def test_bench_prints_every_run_and_the_ratios(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--files",
            "12",
            "--mean-kb",
            "8",
            "--objects",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("12 files, 0.00 GiB in 3 OCFL objects; page cache ")
    assert [line[:36].rstrip() for line in lines[1:6]] == [
        "run",
        "hashlib loop, 1 process",
        "disan audit, 1 worker",
        "disan audit, 2 workers",
        "bagit.py --validate --processes 2",
    ]
    assert lines[6].startswith("per core: 1 worker ")

"""Every ``disan`` command that reads the database works on a new data folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from disan.cli import needs_database

REPO = Path(__file__).resolve().parents[2]


def run_disan(home, *args):
    env = dict(os.environ, DISAN_HOME=str(home))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "disan.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=300,
    )


def test_import_on_a_data_folder_with_no_database(tmp_path):
    inventory = tmp_path / "f.csv"
    inventory.write_text("identifier,title\nHN-1,Sắc phong\n", encoding="utf-8")
    home = tmp_path / "du-lieu"

    done = run_disan(home, "import", str(inventory), "--dry-run")

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    # The command speaks the site's language, Vietnamese unless set.
    assert "1 dòng, 1 mới" in done.stdout
    assert (home / "disan.sqlite3").is_file()


def test_export_catalog_on_a_data_folder_with_no_database(tmp_path):
    done = run_disan(tmp_path / "du-lieu", "export-catalog", str(tmp_path / "o.csv"))

    assert done.returncode == 0, done.stderr
    assert "Wrote 0 documents" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["import", "f.csv"],
        ["export", "X", "--format", "bagit"],
        ["export-catalog", "o.csv"],
        ["reindex"],
        ["createsuperuser"],
        ["audit"],
    ],
)
def test_commands_reading_the_database_get_it_ready(args):
    assert needs_database(args)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--version"],
        ["help"],
        ["import", "--help"],
        ["migrate"],
        ["makemigrations"],
        ["bag", "validate", "b.zip"],
    ],
)
def test_commands_needing_no_database_leave_it_alone(args):
    assert not needs_database(args)

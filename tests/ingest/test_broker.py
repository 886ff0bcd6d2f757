"""Jobs queued by the command line go through Disan's own embedded broker."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "samples" / "printed-vietnamese"


def test_ingest_queues_its_jobs_in_the_data_folder_broker(tmp_path):
    """No server is needed: messages are files under DISAN_HOME/broker."""
    home = tmp_path / "dữ liệu"
    env = dict(os.environ, DISAN_HOME=str(home))
    for name in ("DISAN_BROKER_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "disan.cli",
            "ingest",
            str(SAMPLE),
            "--no-wait",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        check=True,
    )

    messages = list((home / "broker" / "queue").glob("*.msg"))
    assert len(messages) == 1
    assert messages[0].name.endswith(".disan.msg")
    body = json.loads(messages[0].read_text())
    assert body["headers"]["task"] == "disan.ingest.run_job"
    assert json.loads(result.stdout)["status"] == "running"

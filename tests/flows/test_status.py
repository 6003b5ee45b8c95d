"""`clerkships status` shows the last runs and each source's verdict from a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.warehouse.staging_kit import record, write_run
from warehouse import load_run

REPO = Path(__file__).resolve().parents[2]


def test_status_lists_runs_and_health(tmp_path: Path) -> None:
    runs_dir, db = tmp_path / "runs", tmp_path / "clerkships.duckdb"
    first = write_run(runs_dir, 0, {"lake": [record("lake", "http://lake.test/visiting")]})
    load_run(db, runs_dir, first)
    down = write_run(runs_dir, 1, {"lake": []}, status={"lake": {"failed": True, "error": "DNSLookupError"}})
    load_run(db, runs_dir, down)
    shown = subprocess.run(
        [sys.executable, "-m", "flows", "status", "--data-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, "COLUMNS": "250"},
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert first in shown.stdout and down in shown.stdout
    lake = next(line for line in shown.stdout.splitlines() if "│ lake" in line)
    assert "failed" in lake and "DNSLookupError" in lake

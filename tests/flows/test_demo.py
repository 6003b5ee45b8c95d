"""`clerkships demo`: three nights over the fixture web, as a newcomer runs it, in a fresh data dir."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from demo import scenario
from flows.demo import MARKER
from warehouse.read import recent_events, runs

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_three_nights_and_says_where_things_are(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    done = subprocess.run(
        [sys.executable, "-m", "flows", "demo", "--data-dir", str(data_dir)],
        cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    db = data_dir / "clerkships.duckdb"
    night_runs = [r["run_id"] for r in reversed(runs(db, 10))]
    assert len(night_runs) == 3
    events = recent_events(db)
    for night, run_id in enumerate(night_runs, 1):
        got = Counter((e["event_type"], e["source_id"], e["program_name"]) for e in events if e["run_id"] == run_id)
        want = Counter((e.event_type, e.source_id, e.program_name) for e in scenario.expected_events(night, 1))
        assert got == want, f"night {night}"
    for shown in ("reopened", "closed", "source_failed", "600.0 → 650.0", str(data_dir / "exports" / "index.html")):
        assert shown in done.stdout
    assert (data_dir / MARKER).exists()


def test_demo_refuses_to_empty_a_dir_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    done = subprocess.run(
        [sys.executable, "-m", "flows", "demo", "--data-dir", str(tmp_path)], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert done.stderr.strip() == f"{tmp_path}: not empty and not a demo dir; choose another --data-dir"
    assert (tmp_path / "precious.txt").read_text() == "keep me"

"""The load names each source's last ok run in the runs folder's index, by the warehouse's verdict:
a suspect or failed night never becomes the next crawl's baseline, and a late run moves nothing back."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.run_folder import read_last_ok
from tests.warehouse.staging_kit import record, write_run
from warehouse import load_run


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "data" / "clerkships.duckdb", tmp_path / "runs"


def test_the_index_follows_the_warehouse_verdicts(paths):
    db, runs_dir = paths
    five = [record("lake", f"http://lake.test/p{i}") for i in range(5)]
    pine = [record("pine", "http://pine.test/p")]
    first = write_run(runs_dir, 0, {"lake": five, "pine": pine})
    load_run(db, runs_dir, first)
    assert read_last_ok(runs_dir) == {"lake": first, "pine": first}
    suspect = write_run(runs_dir, 1, {"lake": [], "pine": pine}, status={"pine": {"error": "down", "failed": True}})
    assert load_run(db, runs_dir, suspect).verdicts == {"lake": "suspect", "pine": "failed"}
    assert read_last_ok(runs_dir) == {"lake": first, "pine": first}
    healthy = write_run(runs_dir, 2, {"lake": five, "pine": pine})
    load_run(db, runs_dir, healthy)
    assert read_last_ok(runs_dir) == {"lake": healthy, "pine": healthy}


def test_a_reload_writes_a_lost_index_again(paths):
    db, runs_dir = paths
    rid = write_run(runs_dir, 0, {"lake": [record("lake", "http://lake.test/p")]})
    load_run(db, runs_dir, rid)
    (runs_dir / "last_ok.json").unlink()  # the process died between the commit and the index
    assert load_run(db, runs_dir, rid).already_loaded
    assert read_last_ok(runs_dir) == {"lake": rid}

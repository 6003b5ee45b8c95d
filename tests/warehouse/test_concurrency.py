"""Real other processes: a holder of the file makes the load wait then fail clearly; a load killed
mid-transaction leaves the database as it was, and loading again gives what a clean load gives."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.warehouse.staging_kit import hold, record, snapshot, write_run
from warehouse import WarehouseLockedError, load_run
from warehouse.load import PAUSE_ENV

REPO = Path(__file__).resolve().parents[2]


def two_nights(runs_dir: Path) -> tuple[str, str]:
    pages = [f"http://lake.test/p{i}" for i in range(6)]
    first = write_run(runs_dir, 0, {"lake": [record("lake", p) for p in pages]})
    second = write_run(runs_dir, 1, {"lake": [record("lake", p, night=1, application_fee_usd=9.0) for p in pages[1:]]})
    return first, second


@pytest.mark.parametrize("mode", ["read", "write"])
def test_a_held_file_makes_the_load_fail_with_one_line_and_keeps_staging(tmp_path, mode):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    first, second = two_nights(runs_dir)
    load_run(db, runs_dir, first)
    before = snapshot(db)
    staged = sorted(p.read_bytes() for p in (runs_dir / second).iterdir())
    holder = hold(db, mode, 60)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError) as caught:
            load_run(db, runs_dir, second, lock_timeout=0.5)
        assert 0.4 < time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
    message = str(caught.value)
    assert re.fullmatch(
        rf"{re.escape(str(db))} is locked by \S+python\S* \(PID {holder.pid}\); waited 0.5s, "
        rf"nothing was lost: retry with: clerkships load {second}",
        message,
    ), message
    assert sorted(p.read_bytes() for p in (runs_dir / second).iterdir()) == staged
    assert snapshot(db) == before
    assert load_run(db, runs_dir, second).counts["changed"] == 5


def test_the_load_waits_for_a_short_holder(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    first, _ = two_nights(runs_dir)
    load_run(db, runs_dir, first)
    holder = hold(db, "read", 1.0)
    try:
        assert load_run(db, runs_dir, first, lock_timeout=30).already_loaded
    finally:
        holder.wait()


def test_a_load_killed_mid_transaction_leaves_the_database_as_before(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    first, second = two_nights(runs_dir)
    load_run(db, runs_dir, first)
    before = snapshot(db)

    marker = tmp_path / "inside-transaction"
    script = "import sys; from warehouse import load_run; load_run(sys.argv[1], sys.argv[2], sys.argv[3])"
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(db), str(runs_dir), second],
        cwd=REPO,
        env={**os.environ, PAUSE_ENV: str(marker)},
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the load ended before reaching its transaction"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert snapshot(db) == before

    load_run(db, runs_dir, second)
    clean = tmp_path / "clean.duckdb"
    load_run(clean, runs_dir, first)
    load_run(clean, runs_dir, second)
    assert snapshot(db) == snapshot(clean)


def test_the_kernel_names_the_holder_of_the_file(tmp_path):
    """A reader's shared lock stands in a writer's way, not another reader's; a writer's in both."""
    from warehouse.db import lock_holder

    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    load_run(db, runs_dir, two_nights(runs_dir)[0])
    assert lock_holder(db, write=True) is None
    for mode, blocks_readers in (("read", False), ("write", True)):
        holder = hold(db, mode, 60)
        try:
            assert lock_holder(db, write=True) == holder.pid
            assert lock_holder(db, write=False) == (holder.pid if blocks_readers else None)
        finally:
            holder.kill()
            holder.wait()

"""The real pipeline as a user runs it (`clerkships ...` in its own process), and what it left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]


def command(*args: str | Path) -> list[str]:
    """`clerkships ARGS` as this interpreter runs it."""
    return [sys.executable, "-m", "flows", *map(str, args)]


def clerkships(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `clerkships ARGS` to the end; fail the test, with its output, unless it exits 0."""
    done = subprocess.run(command(*args), cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"clerkships {' '.join(map(str, args))}: exit {done.returncode}\n" + (
        done.stdout[-3000:] + done.stderr[-3000:]
    )
    return done


def run_night(config: Path, data_dir: Path) -> str:
    """One `clerkships run`; the id of the run it loaded."""
    clerkships("run", "--config", config, "--data-dir", data_dir)
    return query(data_dir, "SELECT max(run_id) FROM runs")[0][0]


def query(data_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of `sql` on the analysts' file of a data dir, opened read-only as an analyst would."""
    with duckdb.connect(str(data_dir / "clerkships.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def status_of(data_dir: Path, run_id: str) -> dict[str, dict]:
    """The per-source crawl status a run staged (its status.json)."""
    return json.loads((data_dir / "runs" / run_id / "status.json").read_text())["sources"]


def descendants(token: str) -> list[int]:
    """Processes (other than this one) whose environment carries `token`: what a run started lives on."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours
            continue
        if token.encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found

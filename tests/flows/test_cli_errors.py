"""The CLI's bad inputs each give one clear line on stderr and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.warehouse.staging_kit import hold, record, write_run

REPO = Path(__file__).resolve().parents[2]
CONFIG = """\
settings:
  user_agent: "clerkships-test/0.1 (+https://example.org/contact)"
sources:
  - id: lake
    institution: Lake University
    city: Chicago
    state: {state}
    start_urls: [http://lake.test/visiting]
"""


def clerkships(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True, cwd=REPO, timeout=120)


def one_error_line(run: subprocess.CompletedProcess) -> str:
    assert run.returncode != 0
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_missing_config(tmp_path: Path) -> None:
    line = one_error_line(clerkships("run", "--config", str(tmp_path / "nope.yaml"), "--data-dir", str(tmp_path)))
    assert line == f"{tmp_path / 'nope.yaml'}: cannot read config: No such file or directory"


def test_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(CONFIG.format(state="Illinois"))
    line = one_error_line(clerkships("run", "--config", str(config), "--data-dir", str(tmp_path / "data")))
    assert line == f"{config}:7: sources[0].state: 'Illinois' is not a 2-letter US state code"


def test_unknown_source(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(CONFIG.format(state="IL"))
    line = one_error_line(clerkships("run", "--config", str(config), "--source", "mayo", "--data-dir", str(tmp_path)))
    assert line == "unknown source id(s): mayo"


def test_unwritable_data_dir(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(CONFIG.format(state="IL"))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    line = one_error_line(clerkships("run", "--config", str(config), "--data-dir", str(blocker / "data")))
    assert line.startswith(f"{blocker / 'data'}: data dir is not writable:")


def test_locked_database_keeps_staging(tmp_path: Path) -> None:
    """The writer's file held by another process (analysts hold their snapshot, which blocks nothing)."""
    config = tmp_path / "sources.yaml"
    config.write_text(CONFIG.format(state="IL"))
    data = tmp_path / "data"
    run_id = write_run(data / "runs", 0, {"lake": [record("lake", "http://lake.test/visiting")]})
    staged = sorted(p.name for p in (data / "runs" / run_id).iterdir())
    (data / "warehouse").mkdir()
    holder = hold(data / "warehouse" / "writer.duckdb", "write", 60)
    try:
        line = one_error_line(
            clerkships("load", run_id, "--config", str(config), "--data-dir", str(data), "--wait", "1")
        )
    finally:
        holder.kill()
        holder.wait()
    assert "is locked by" in line and f"(PID {holder.pid})" in line and f"clerkships load {run_id}" in line
    assert sorted(p.name for p in (data / "runs" / run_id).iterdir()) == staged
    loaded = clerkships("load", run_id, "--config", str(config), "--data-dir", str(data))
    assert loaded.returncode == 0, loaded.stderr


def test_load_of_unknown_run(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(CONFIG.format(state="IL"))
    line = one_error_line(
        clerkships("load", "20990101T000000Z-0000", "--config", str(config), "--data-dir", str(tmp_path))
    )
    assert line == f"{tmp_path / 'runs' / '20990101T000000Z-0000'}: no staged run here (status.json missing)"

"""`clerkships status` lists every configured source (never run, ok, failed, suspect; disabled or
not) and those the warehouse knows but the config dropped, from a real DuckDB file, in text that
fits 80 columns and in one JSON document."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from crawlers.config import load_config
from flows.status_view import render, source_statuses
from tests.warehouse.staging_kit import hold, record, run_id, stats, write_run
from warehouse import load_run
from warehouse.read import status_of

REPO = Path(__file__).resolve().parents[2]
LONG_ID = "university-of-the-great-lakes-regional-medical-center-at-dun"  # 60 characters, as long as an id gets
CONFIG = f"""\
settings:
  user_agent: "clerkships-test/0.1 (+https://example.org/contact)"
sources:
  - id: lake
    institution: Lake University
    city: Chicago
    state: IL
    start_urls: [http://lake.test/visiting]
  - id: river
    institution: River College
    city: Peoria
    state: IL
    start_urls: [http://river.test/visiting]
    enabled: false
  - id: sea
    institution: Sea Medical Center
    city: Mobile
    state: AL
    start_urls: [http://sea.test/observers]
  - id: {LONG_ID}
    institution: Great Lakes Regional Medical Center
    city: Duluth
    state: MN
    start_urls: [http://dune.test/electives]
"""
KEYS = {
    "source_id",
    "institution",
    "config",
    "verdict",
    "reason",
    "last_run_id",
    "last_run_date",
    "last_ok_run_id",
    "last_ok_date",
    "not_ok_runs",
    "programs_listed",
    "pages_gone",
}
RUN_KEYS = {
    "run_id",
    "started_at",
    "finished_at",
    "records",
    "applied",
    "sources_ok",
    "sources_failed",
    "sources_suspect",
    "new",
    "changed",
    "closed",
    "reopened",
}


def status(*args: str, columns: int = 80) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows", "status", *args],
        cwd=REPO, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": str(columns)},
    )  # fmt: skip


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(CONFIG)
    return path


def lake(night: int, *pages: str) -> list[dict]:
    return [record("lake", f"http://lake.test/{page}", night=night) for page in pages]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Three nights: lake ok, ok with a page gone, then down; river (now disabled) and retired
    (now out of the config) ran on the first night only; sea and LONG_ID never ran."""
    root = tmp_path / "data"
    runs_dir, db = root / "runs", root / "clerkships.duckdb"
    first = {
        "lake": lake(0, "visiting", "electives"),
        "river": [record("river", "http://river.test/visiting")],
        "retired": [record("retired", "http://retired.test/observers")],
    }
    load_run(db, runs_dir, write_run(runs_dir, 0, first, status={"river": stats(1, pages_gone=2)}))
    gone = {"lake": stats(2, pages_gone=1)}
    load_run(db, runs_dir, write_run(runs_dir, 1, {"lake": lake(1, "visiting", "electives")}, status=gone))
    down = {"lake": {"failed": True, "error": "DNSLookupError [bold]not[/bold] markup"}}
    load_run(db, runs_dir, write_run(runs_dir, 2, {"lake": []}, status=down), source_ids=["lake"])
    return root


def test_json_lists_every_configured_source_and_the_dropped_one(config: Path, data: Path) -> None:
    shown = status("--config", str(config), "--data-dir", str(data), "--json", "--limit", "2")
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert set(doc) == {"database", "sources", "runs"}
    assert doc["database"] == str(data / "clerkships.duckdb")
    sources = {s["source_id"]: s for s in doc["sources"]}
    assert [s["source_id"] for s in doc["sources"]] == ["lake", "river", "sea", LONG_ID, "retired"]
    assert all(set(s) == KEYS for s in doc["sources"])
    assert sources["lake"] == {
        "source_id": "lake",
        "institution": "Lake University",
        "config": "enabled",
        "verdict": "failed",
        "reason": "DNSLookupError [bold]not[/bold] markup",
        "last_run_id": run_id(2),
        "last_run_date": "2026-11-22",
        "last_ok_run_id": run_id(1),
        "last_ok_date": "2026-11-21",
        "not_ok_runs": 1,
        "programs_listed": 2,
        "pages_gone": None,  # the down crawl counted nothing; an earlier crawl's count is not today's
    }
    river = sources["river"]
    assert (river["config"], river["verdict"], river["pages_gone"], river["last_ok_date"]) == (
        "disabled",
        "ok",
        2,
        "2026-11-20",
    )
    for never in ("sea", LONG_ID):
        assert sources[never]["verdict"] == "never run" and sources[never]["config"] == "enabled"
        assert sources[never]["last_run_id"] is None and sources[never]["programs_listed"] == 0
    retired = sources["retired"]
    assert (retired["config"], retired["institution"], retired["verdict"], retired["programs_listed"]) == (
        "not in config",
        None,
        "ok",
        1,
    )
    assert [r["run_id"] for r in doc["runs"]] == [run_id(2), run_id(1)]
    assert all(set(r) == RUN_KEYS for r in doc["runs"])
    assert doc["runs"][0]["started_at"] == "2026-11-22T03:00:00Z"
    assert (doc["runs"][0]["sources_failed"], doc["runs"][1]["sources_ok"]) == (1, 1)


def test_80_columns_every_source_readable(config: Path, data: Path) -> None:
    shown = status("--config", str(config), "--data-dir", str(data))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert max(map(len, lines)) <= 80, shown.stdout
    for source_id in ("lake", "river", "sea", LONG_ID, "retired"):
        [heading] = [i for i, line in enumerate(lines) if line.split()[:1] == [source_id]]
        figures = lines[heading + 1].split()
        assert figures[0] in ("ok", "failed", "never"), lines[heading : heading + 2]
    assert "5 sources (3 enabled, 1 disabled, 1 not in config): 2 ok, 1 failed, 2 never run" in lines
    river = lines.index(next(line for line in lines if line.startswith("river")))
    assert lines[river].split() == ["river", "disabled"]
    assert lines[river + 1].split() == ["ok", "2026-11-20", "2026-11-20", "1", "2"]
    assert next(line for line in lines if line.startswith("retired")).split() == ["retired", "not", "in", "config"]
    lake_at = lines.index("lake")
    assert lines[lake_at + 1].split() == ["failed", "2026-11-22", "2026-11-21", "2"]
    assert lines[lake_at + 2].strip() == "DNSLookupError [bold]not[/bold] markup"
    assert run_id(2) in shown.stdout and run_id(0) in shown.stdout


def rendered(config: Path, data: Path, width: int) -> list[str]:
    health, runs = status_of(data / "clerkships.duckdb", 5)
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None)
    render(console, source_statuses(load_config(config), health), runs, data / "clerkships.duckdb")
    return out.getvalue().splitlines()


def test_wide_console_one_line_per_source(config: Path, data: Path) -> None:
    lines = rendered(config, data, 200)
    assert max(map(len, lines)) <= 200
    rows = {line.split("│")[1].strip(): line for line in lines if line.startswith("│ ") and "never run" in line}
    assert set(rows) == {"sea", LONG_ID}
    [lake_row] = [line for line in lines if line.startswith("│ lake ")]
    cells = [cell.strip() for cell in lake_row.strip("│").split("│")]
    assert cells == [
        "lake",
        "failed",
        "2026-11-22",
        "2026-11-21",
        "2",
        "",
        "DNSLookupError [bold]not[/bold] markup",
    ]
    river_at = next(i for i, line in enumerate(lines) if line.startswith("│ river "))
    assert lines[river_at + 1].split("│")[1].strip() == "disabled"


def test_no_database_yet_every_source_never_run(config: Path, tmp_path: Path) -> None:
    empty = tmp_path / "fresh"
    shown = status("--config", str(config), "--data-dir", str(empty), "--json")
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert [(s["source_id"], s["verdict"], s["config"]) for s in doc["sources"]] == [
        ("lake", "never run", "enabled"),
        ("river", "never run", "disabled"),
        ("sea", "never run", "enabled"),
        (LONG_ID, "never run", "enabled"),
    ]
    assert doc["runs"] == []
    text = status("--config", str(config), "--data-dir", str(empty))
    assert text.returncode == 0, text.stderr
    assert "No run loaded yet" in text.stdout and "4 never run" in text.stdout
    assert not empty.exists()  # status creates nothing


def test_reads_while_an_analyst_holds_the_snapshot(config: Path, data: Path) -> None:
    analyst = hold(data / "clerkships.duckdb", "read", 60)
    try:
        shown = status("--config", str(config), "--data-dir", str(data), "--json")
    finally:
        analyst.kill()
        analyst.wait()
    assert shown.returncode == 0, shown.stderr
    assert {s["source_id"] for s in json.loads(shown.stdout)["sources"]} == {"lake", "river", "sea", LONG_ID, "retired"}


def test_bad_config_is_one_line(tmp_path: Path, data: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CONFIG.replace("state: AL", "state: Alabama"))
    shown = status("--config", str(bad), "--data-dir", str(data))
    assert shown.returncode == 1
    [line] = shown.stderr.splitlines()
    assert line.startswith(f"{bad}:") and "state" in line

"""`clerkships load` over staged runs: it judges only the run's own sources, prints scraped text
literally, completes a run's notifications exactly once, cleans what a killed publish left, says
loudly when a run was superseded, and never waits for an analyst holding the analysts' file."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from flows.paths import DataPaths
from tests.flows.clerkships_cli import clerkships, write_config
from tests.publish.receiver import Receiver
from tests.warehouse.staging_kit import hold, record, write_run
from warehouse import load_run
from warehouse.read import current_programs, runs

LAKE = "http://lake.test/visiting"


def plan(data: Path, run_id: str, config: Path, sources: list[str]) -> None:
    (data / "runs" / run_id / "run.json").write_text(json.dumps({"config_path": str(config), "source_ids": sources}))


def test_scraped_names_are_printed_literally(tmp_path: Path) -> None:
    config, data = write_config(tmp_path / "sources.yaml"), tmp_path / "data"
    names = ["Elective [/x]", "[bold]x", "[red]Surgery[/red] Rotation"]
    staged = [record("lake", f"{LAKE}/{n}", program_name=name) for n, name in enumerate(names)]
    run_id = write_run(data / "runs", 0, {"lake": staged})
    done = clerkships("load", run_id, "--config", str(config), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr[-2000:]
    for name in names:
        assert name in done.stdout, done.stdout


def test_load_judges_the_sources_the_run_meant_to_crawl(tmp_path: Path) -> None:
    """A `--source lake` run retried: river was never meant to run and gets no source_failed event;
    without --config the run's own config is used."""
    config, data = write_config(tmp_path / "sources.yaml"), tmp_path / "data"
    run_id = write_run(data / "runs", 0, {"lake": [record("lake", LAKE)]})
    plan(data, run_id, config, ["lake"])
    done = clerkships("load", run_id, "--data-dir", str(data))
    assert done.returncode == 0, done.stderr[-2000:]
    [loaded] = runs(data / "clerkships.duckdb", 5)
    assert (loaded["sources_ok"], loaded["sources_failed"]) == (1, 0)
    assert "river" not in done.stdout


def test_notifications_owed_by_a_killed_run_are_sent_once(tmp_path: Path) -> None:
    """A kill after the load committed: the next `load` of that run, or the next run's load, sends
    its notifications; loading again sends nothing more."""
    receiver = Receiver()
    config = write_config(tmp_path / "sources.yaml", [f"webhook+http://127.0.0.1:{receiver.port}/night"])
    data = tmp_path / "data"
    paths = DataPaths(data)
    first = write_run(data / "runs", 0, {"lake": [record("lake", LAKE)]})
    second = write_run(data / "runs", 1, {"lake": [record("lake", LAKE, night=1, application_fee_usd=5.0)]})
    third = write_run(data / "runs", 2, {"lake": [record("lake", LAKE, night=2, application_fee_usd=7.0)]})
    plan(data, third, config, ["lake"])
    paths.writer_db.parent.mkdir(parents=True)
    load_run(paths.writer_db, paths.runs, first)  # ... and the process was killed here
    for _ in range(2):
        done = clerkships("load", first, "--config", str(config), "--data-dir", str(data))
        assert done.returncode == 0, done.stderr[-2000:]
    assert [hook["body"]["run_id"] for hook in receiver.received] == [first]
    load_run(paths.writer_db, paths.runs, second)  # killed again after the load
    done = clerkships("load", third, "--config", str(config), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr[-2000:]
    receiver.close()
    assert [hook["body"]["run_id"] for hook in receiver.received] == [first, second, third]
    assert [[e["event_type"] for e in hook["body"]["events"]] for hook in receiver.received] == [
        ["new"],
        ["changed"],
        ["changed"],
    ]


def test_a_publish_killed_half_way_leaves_no_temporary_files(tmp_path: Path) -> None:
    config, data = write_config(tmp_path / "sources.yaml"), tmp_path / "data"
    run_id = write_run(data / "runs", 0, {"lake": [record("lake", LAKE)]})
    partition = data / "exports" / "observations" / "run_date=2026-11-20"
    partition.mkdir(parents=True)
    (data / "exports" / "programs").mkdir()
    stale = [
        data / "exports" / ".programs.parquet.tmp",
        data / "exports" / ".index.html.k2j4h1",
        data / "exports" / ".changes.html.q8w7e6",
        data / "exports" / ".hub.css.p0o9i8",
        data / "exports" / ".checks.js.m3n4b5",
        data / "exports" / "programs" / ".3f2a9c.html.z1x2c3",
        data / "exports" / ".events.atom.x0a9",
        data / "exports" / ".programs.schema.json.77.clerkships-tmp",
        data / "exports" / ".sources.atom.7fq2",
        partition / ".part-0.parquet.tmp",
        data / ".clerkships.duckdb.4242.clerkships-tmp",
    ]
    for path in stale:
        path.write_bytes(b"half")
    (data / "exports" / ".nojekyll").write_bytes(b"")  # the static host's, not ours
    done = clerkships("load", run_id, "--config", str(config), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr[-2000:]
    assert [path for path in stale if path.exists()] == []
    assert sorted(p.name for p in (data / "exports").iterdir()) == [
        ".nojekyll",
        "changes.html",
        "checks.js",
        "events.atom",
        "hub.css",
        "index.html",
        "observations",
        "observations.schema.json",
        "program_events.parquet",
        "program_events.schema.json",
        "programs",
        "programs.parquet",
        "programs.schema.json",
        "sources.atom",
    ]


def test_a_superseded_load_says_so(tmp_path: Path) -> None:
    config, data = write_config(tmp_path / "sources.yaml"), tmp_path / "data"
    older = write_run(data / "runs", 0, {"lake": [record("lake", LAKE)]})
    newer = write_run(data / "runs", 1, {"lake": [record("lake", LAKE, night=1)]})
    assert clerkships("load", newer, "--config", str(config), "--data-dir", str(data)).returncode == 0
    for strict, code in ((False, 0), (True, 1)):
        done = clerkships("load", older, "--config", str(config), "--data-dir", str(data), *["--strict"][:strict])
        assert done.returncode == code, done.stderr[-2000:]
        assert done.stderr.splitlines() == [
            f"warning: run {older} was loaded after the newer run {newer}: kept as observations only "
            "(no events, no state changes, no alerts)"
        ]


def test_an_analyst_holding_the_snapshot_never_blocks_a_load(tmp_path: Path) -> None:
    """A second process keeps a read-only connection to data/clerkships.duckdb open all along."""
    config, data = write_config(tmp_path / "sources.yaml"), tmp_path / "data"
    first = write_run(data / "runs", 0, {"lake": [record("lake", LAKE)]})
    second = write_run(data / "runs", 1, {"lake": [record("lake", LAKE, night=1), record("lake", LAKE + "/2")]})
    assert clerkships("load", first, "--config", str(config), "--data-dir", str(data)).returncode == 0
    analyst = hold(data / "clerkships.duckdb", "read", 120)
    try:
        done = clerkships("load", second, "--config", str(config), "--data-dir", str(data), "--wait", "2")
        assert done.returncode == 0, done.stderr[-2000:]
        assert analyst.poll() is None
        assert len(current_programs(data / "clerkships.duckdb")) == 2  # a new reader sees the new night
    finally:
        analyst.kill()
        analyst.wait()
    assert not list(data.glob(".clerkships.duckdb.*"))


def test_an_old_data_dir_keeps_its_history(tmp_path: Path) -> None:
    """A data dir from before the split has only data/clerkships.duckdb: the writer starts from it."""
    config, data = write_config(tmp_path / "sources.yaml"), tmp_path / "data"
    first = write_run(data / "runs", 0, {"lake": [record("lake", LAKE)]})
    second = write_run(data / "runs", 1, {"lake": [record("lake", LAKE, night=1, application_fee_usd=5.0)]})
    load_run(data / "clerkships.duckdb", data / "runs", first)
    done = clerkships("load", second, "--config", str(config), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr[-2000:]
    assert [r["run_id"] for r in runs(data / "clerkships.duckdb", 5)] == [second, first]
    with duckdb.connect(str(DataPaths(data).writer_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events WHERE event_type = 'changed'").fetchone() == (1,)

"""Two nights of `clerkships run` over the fixture web: real Scrapy, Chromium, Prefect and DuckDB.

The fixture web moves one night between the runs; the events must be exactly the scenario's
(demo/scenario.py), and in particular no program of the sites that were down may close.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pandas as pd
import pytest

from demo import scenario
from tests.publish.receiver import Receiver, closed_port
from warehouse.read import current_programs, recent_events, runs

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def run_night(config: Path, data_dir: Path, shards: int = 1) -> list[dict]:
    """One `clerkships run` in its own process; the events that run recorded."""
    command = ["run", "--config", str(config), "--data-dir", str(data_dir), "--shards", str(shards)]
    done = subprocess.run(
        [sys.executable, "-m", "flows", *command], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    latest = runs(data_dir / "clerkships.duckdb", 1)[0]["run_id"]
    return [e for e in recent_events(data_dir / "clerkships.duckdb") if e["run_id"] == latest]


def key(event: dict | scenario.Event) -> tuple:
    if isinstance(event, scenario.Event):
        return (event.event_type, event.source_id, event.program_name)
    return (event["event_type"], event["source_id"], event["program_name"])


def test_two_nights_give_exactly_the_scenario_events(tmp_path: Path, fixture_web, fixture_config: Path) -> None:
    data_dir = tmp_path / "data"
    receiver, dead = Receiver(), closed_port()
    text = fixture_config.read_text()
    hooks = f"notify: [webhook+http://127.0.0.1:{receiver.port}/night, webhook+http://127.0.0.1:{dead}/down]"
    fixture_config.write_text(text.replace("notify: []", hooks, 1))
    night1 = run_night(fixture_config, data_dir)
    assert sorted(map(key, night1)) == sorted(map(key, scenario.expected_events(1)))
    found = {
        (p["source_id"], urlsplit(p["source_url"]).path, p["program_name"]): p
        for p in current_programs(data_dir / "clerkships.duckdb")
    }
    assert len(found) == len(scenario.PROGRAMS[1])
    for expected in scenario.PROGRAMS[1]:
        got = found[(expected.source_id, expected.path, expected.program_name)]
        assert (got["program_type"], got["status"]) == (expected.program_type, expected.status), got
        for fee in ("application_fee_usd", "program_fee_usd"):
            assert got[fee] == getattr(expected, fee), (expected.program_name, fee, got[fee])

    fixture_web.advance()
    night2 = run_night(fixture_config, data_dir, shards=2)  # two Scrapy processes share the run's folder
    assert sorted(map(key, night2)) == sorted(map(key, scenario.expected_events(2)))
    for event in scenario.expected_events(2):
        got = next(e for e in night2 if key(e) == key(event))
        for field, before, after in event.changes:
            assert got["changes"][field] == [before, after], (event.why, got["changes"])
    assert not [e for e in night2 if e["event_type"] == "closed"]  # a site that is down closes nothing
    run_dir = data_dir / "runs" / runs(data_dir / "clerkships.duckdb", 1)[0]["run_id"]
    assert sorted(p.name for p in run_dir.glob("status*.json")) == ["status.0.json", "status.1.json", "status.json"]

    db = data_dir / "clerkships.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        health = dict(con.execute("SELECT source_id, verdict FROM v_source_health").fetchall())
    assert {s for s, v in health.items() if v == "failed"} == set(scenario.FAILED[2])
    assert {s for s, v in health.items() if v == "suspect"} == scenario.SUSPECT[2]
    # each night's events reached the webhook; the dead receiver was recorded and failed nothing
    receiver.close()
    assert [len(hook["body"]["events"]) for hook in receiver.received] == [len(night1), len(night2)]
    assert sorted(map(key, receiver.received[1]["body"]["events"])) == sorted(map(key, night2))
    sent = json.loads((run_dir / "notifications.json").read_text())
    assert [n["ok"] for n in sent] == [True, False]
    exported = pd.read_parquet(data_dir / "exports" / "programs.parquet")
    assert len(exported) == len(current_programs(db))
    assert (data_dir / "exports" / "index.html").is_file() and (data_dir / "exports" / "events.atom").is_file()

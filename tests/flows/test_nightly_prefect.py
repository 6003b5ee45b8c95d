"""A demo night as a Prefect flow run on a real `prefect server`: what the server then knows.

Night 1 runs plain; night 2 (a fee change, a rename, a suspension, a new page, two sites down and
one whose layout moved) runs with PREFECT_API_URL set. Read back through Prefect's own client: the
flow run's logs have one line per crawled source (with why a source failed), its final state is the
named Completed state an Automation can match, the server holds one `clerkships.*` event per event
the warehouse recorded (its program and source as resources), and the artifacts name institutions,
verdicts and reasons.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId
from prefect.events.filters import EventFilter, EventNameFilter
from prefect.settings import PREFECT_API_URL, temporary_settings

from contract.events import dotted_name, program_resource, source_resource
from crawlers.config import load_config
from demo import scenario
from flows.night_report import ALERT_STATE
from tests.flows.clerkships_cli import REPO
from tests.flows.prefect_server import prefect_server
from warehouse.read import recent_events, runs

pytestmark = pytest.mark.e2e


def night(config: Path, data: Path, env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "flows", "run", "--config", str(config), "--data-dir", str(data)]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def read_back(client: SyncPrefectClient, want: int, timeout: float = 60) -> list:
    """The server's clerkships events, once it has stored `want` of them (events are stored asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        page = client.read_events(EventFilter(event=EventNameFilter(prefix=["clerkships."])), limit=50)
        if len(page.events) >= want or time.monotonic() > deadline:
            return page.events
        time.sleep(1)


def test_a_demo_night_under_prefect_logs_each_source_emits_its_events_and_names_its_state(
    tmp_path: Path, fixture_web, fixture_config: Path
) -> None:
    data, home = tmp_path / "data", tmp_path / "prefect-home"
    plain = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {"COLUMNS": "250"}
    night(fixture_config, data, plain)
    fixture_web.advance()
    config = load_config(fixture_config)
    institutions = {s.id: s.institution for s in config.sources}
    with prefect_server(home) as api:
        night(fixture_config, data, plain | {"PREFECT_API_URL": api, "PREFECT_HOME": str(home)})
        latest = runs(data / "clerkships.duckdb", 1)[0]["run_id"]
        recorded = [e for e in recent_events(data / "clerkships.duckdb") if e["run_id"] == latest]
        with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
            [flow_run] = client.read_flow_runs()
            logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run.id])))
            events = read_back(client, len(recorded))
            artifacts = {
                a.key: a
                for a in client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])))
            }

    # The final state: Completed, named for Automations, its message naming the sources not ok.
    assert flow_run.state is not None
    assert (flow_run.state.type.value, flow_run.state.name) == ("COMPLETED", ALERT_STATE)
    failed, suspect = sorted(scenario.FAILED[2]), sorted(scenario.SUSPECT[2])
    assert flow_run.state.message == f"2 sources failed ({', '.join(failed)}); 1 source suspect ({suspect[0]})"

    # The logs: a line per crawled source from the crawl's status, a warning with the reason per source not ok.
    messages = [log.message for log in logs]
    for source in institutions:
        lines = [m for m in messages if m.startswith(f"{source}: fetched ")]
        assert len(lines) == 1 and " programs on " in lines[0], "\n".join(messages)
    [mesa] = [m for m in messages if m.startswith("high-mesa-som: fetched ")]
    assert "HTTP 500 ×" in mesa and "; failed: " in mesa, mesa
    [gulf] = [m for m in messages if m.startswith("gulf-coast-com: fetched ")]
    assert "TimeoutError ×" in gulf, gulf
    for source in (*failed, *suspect):
        verdict = "failed" if source in failed else "suspect"
        [warning] = [m for m in messages if m.startswith(f"{source} ({institutions[source]}): {verdict}: ")]
        reason = " ".join(next(e["detail"] for e in recorded if e["source_id"] == source).split())
        assert warning.endswith(reason) and reason

    # The events: one per warehouse event, named and resourced as documented, in this flow run.
    assert len(events) == len(recorded) == len(scenario.expected_events(2))
    expected = {
        (
            dotted_name(e["event_type"]),
            program_resource(e["program_id"]) if e["program_id"] else source_resource(e["source_id"]),
        )
        for e in recorded
    }
    assert {(e.event, e.resource.id) for e in events} == expected
    assert {e.event for e in events} == {
        "clerkships.program.new", "clerkships.program.changed", "clerkships.source.failed", "clerkships.source.suspect"
    }  # fmt: skip
    by_id = {e["event_id"]: e for e in recorded}
    for sent in events:
        event = by_id[sent.payload["event_id"]]
        related = {r.id: r for r in sent.related}
        assert f"prefect.flow-run.{flow_run.id}" in related
        if event["program_id"]:
            assert related[source_resource(event["source_id"])].role == "source"
            assert sent.resource.name.startswith(institutions[event["source_id"]] + " — ")
        assert sent.payload["title"]
    [suspension] = [e for e in events if e.payload["changes"] and "status" in e.payload["changes"]]
    assert suspension.payload["changes"]["status"] == ["open", "suspended"]
    assert ": suspended for 2027–28" in suspension.payload["title"]

    # The artifacts: institutions, verdicts and reasons.
    summary = str(artifacts["nightly-summary"].data)
    assert summary.startswith(f"# Night {latest}")
    for source in (*failed, *suspect):
        reason = " ".join(next(e["detail"] for e in recorded if e["source_id"] == source).split())
        assert f"| {source} | {institutions[source]} | " in summary and reason.replace("|", "\\|") in summary
    assert "Lakeshore" in summary and "application fee $600 → $650" in summary
    health = artifacts["source-health"].data
    assert {(row["source_id"], row["verdict"]) for row in _rows(health)} >= {(s, "failed") for s in failed}


def _rows(table: object) -> list[dict]:
    """A table artifact's rows as the server returns them (a JSON string of a list of dicts)."""
    assert isinstance(table, str | list), table
    return json.loads(table) if isinstance(table, str) else table

"""`clerkships serve` against a real Prefect server: the schedule is the config's, a run lands in DuckDB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from crawlers.config import load_config
from tests.flows.prefect_server import answered, prefect_server, stop, wait_for
from warehouse.read import runs

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
DEPLOYMENT = "clerkships-nightly/nightly"


def test_serve_registers_schedule_and_runs(tmp_path: Path, fixture_web, fixture_config: Path) -> None:
    config = load_config(fixture_config)
    data_dir = tmp_path / "data"
    with prefect_server(tmp_path / "prefect-home") as api:
        env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(tmp_path / "prefect-home")}
        log = (tmp_path / "serve.log").open("wb")
        serve = subprocess.Popen(
            [sys.executable, "-m", "flows", "serve", "--config", str(fixture_config), "--data-dir", str(data_dir)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            client = httpx.Client(base_url=api, timeout=10)

            def deployment():
                assert serve.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
                answer = client.get(f"/deployments/name/{DEPLOYMENT}")
                return answer.json() if answer.status_code == 200 else None

            found = wait_for(deployment, "the deployment to be registered", timeout=180, every=1.0)
            schedules = [s["schedule"] for s in found["schedules"]]
            assert [(s["cron"], s["timezone"]) for s in schedules] == [
                (config.settings.schedule.cron, config.settings.schedule.timezone)
            ]
            assert (found["global_concurrency_limit"] or {}).get("limit") == 1  # two nights never overlap
            flow_run = wait_for(
                lambda: answered(client.post(f"/deployments/{found['id']}/create_flow_run", json={})),
                "the flow run to be created",
                timeout=60,
                every=2,
            )

            def finished():
                state = (answered(client.get(f"/flow_runs/{flow_run['id']}")) or {}).get("state")
                return state if state and state["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

            state = wait_for(finished, "the triggered flow run", timeout=300, every=2)
            assert state["type"] == "COMPLETED", state
            query = {"artifacts": {"flow_run_id": {"any_": [flow_run["id"]]}}}
            artifacts = {a["key"]: a for a in client.post("/artifacts/filter", json=query).json()}
            assert artifacts["nightly-summary"]["type"] == "markdown"
            assert artifacts["nightly-summary"]["data"].startswith("# Night ")
            assert "**new**" in artifacts["nightly-summary"]["data"]  # the first night finds every program
            assert artifacts["source-health"]["type"] == "table"
        finally:
            stop(serve)
            log.close()
    assert len(runs(data_dir / "clerkships.duckdb", 10)) == 1

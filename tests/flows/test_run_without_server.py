"""`clerkships run` uses Prefect only when a Prefect server is configured: without one a night runs
its plain stages and starts no Prefect server (it used to start a temporary one every run); with
one it is a flow run recorded on that server. A plain night still retries a shard whose crawl
process died, and its terminal summary lists the first events and says where the rest are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from contract.run_folder import RunStatus
from crawlers.run import crawl
from flows import night
from flows.env import prefect_api_url
from flows.terminal import SHOWN
from tests.crawl.site import Site, html, observership, source, write_config
from tests.flows.clerkships_cli import REPO, clerkships
from tests.flows.clerkships_cli import write_config as write_staged_config
from tests.flows.prefect_server import prefect_server
from tests.warehouse.staging_kit import record, write_run
from warehouse.read import current_programs, runs

pytestmark = pytest.mark.e2e
PROGRAM = "Cardiology Observership"
PREFECT_SERVERS = ("uvicorn", "prefect.server", "prefect server")  # how a Prefect API server's command reads


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site("127.0.0.41", [])
    site.pages["/visiting"] = html("Visiting", observership(PROGRAM, 4))
    yield site
    site.close()


def one_page_config(path: Path, site: Site) -> Path:
    return write_config(path, [source("lake", [f"{site.base}/visiting"])])


def without_prefect_settings() -> dict[str, str]:
    """This environment without any Prefect setting, so the data dir's own Prefect home is used."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {"COLUMNS": "250"}


def run_watching(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `python -m flows ARGS`, noting the command line of every process it starts meanwhile."""
    process = subprocess.Popen(
        [sys.executable, "-m", "flows", *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    seen: set[str] = set()
    done = threading.Event()

    def watch() -> None:
        cli = psutil.Process(process.pid)
        while not done.wait(0.05):
            try:
                children = cli.children(recursive=True)
            except psutil.Error:
                return
            for child in children:
                try:
                    seen.add(" ".join(child.cmdline()))
                except psutil.Error:
                    continue

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        stdout, stderr = process.communicate(timeout=300)
    finally:
        done.set()
        watcher.join()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout.decode(), stderr.decode()), seen


def assert_loaded(data: Path) -> str:
    """The night was loaded with its one program; its run id."""
    [loaded] = runs(data / "clerkships.duckdb", 5)
    assert (loaded["sources_ok"], loaded["sources_failed"]) == (1, 0), loaded
    assert [p["program_name"] for p in current_programs(data / "clerkships.duckdb")] == [PROGRAM]
    return loaded["run_id"]


def test_a_night_without_a_prefect_server_starts_none(tmp_path: Path, site: Site) -> None:
    config, data = one_page_config(tmp_path / "sources.yaml", site), tmp_path / "data"
    done, started = run_watching(["run", "--config", str(config), "--data-dir", str(data)], without_prefect_settings())
    assert done.returncode == 0, done.stderr[-3000:]
    assert started, "the watcher saw no child at all (not even the crawl)"
    assert any("scrapy crawl programs" in command for command in started), started  # the crawl child was seen
    assert not [c for c in started if any(server in c for server in PREFECT_SERVERS)], started
    assert not list((data / "prefect").glob("*.db")), "a Prefect server database was created"
    run_id = assert_loaded(data)
    assert f"Run {run_id}: 1 new" in done.stdout and PROGRAM in done.stdout
    assert done.stderr == ""


def test_a_night_with_a_prefect_server_is_a_flow_run_there(tmp_path: Path, site: Site) -> None:
    config, data = one_page_config(tmp_path / "sources.yaml", site), tmp_path / "data"
    home = tmp_path / "prefect-home"
    with prefect_server(home) as api:
        env = without_prefect_settings() | {"PREFECT_API_URL": api, "PREFECT_HOME": str(home)}
        done = subprocess.run(
            [sys.executable, "-m", "flows", "run", "--config", str(config), "--data-dir", str(data)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        client = httpx.Client(base_url=api, timeout=10)
        [flow_run] = client.post("/flow_runs/filter", json={}).json()
        assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
        assert client.get(f"/flows/{flow_run['flow_id']}").json()["name"] == "clerkships-nightly"
        tasks = client.post("/task_runs/filter", json={"flow_runs": {"id": {"any_": [flow_run["id"]]}}}).json()
        assert sorted(t["name"].rsplit("-", 1)[0] for t in tasks) == ["crawl-shard", "load"], tasks
        query = {"artifacts": {"flow_run_id": {"any_": [flow_run["id"]]}}}
        artifacts = {a["key"]: a for a in client.post("/artifacts/filter", json=query).json()}
        assert PROGRAM in artifacts["nightly-summary"]["data"]
        run_id = assert_loaded(data)
        assert artifacts["nightly-summary"]["data"].startswith(f"# Night {run_id}")


def test_a_shard_whose_crawl_died_is_retried_and_one_that_always_dies_fails_its_sources(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain night, in this process: lake's crawl process dies once, river's every time."""
    site.pages["/river"] = html("River", observership("Surgery Clerkship", 2))
    config = write_config(
        tmp_path / "sources.yaml", [source("lake", [f"{site.base}/visiting"]), source("river", [f"{site.base}/river"])]
    )
    attempts: list[str] = []

    def flaky(config_path: Path, run_dir: Path, source_ids: list[str], **kwargs: Any) -> RunStatus:
        attempts.extend(source_ids)
        if source_ids == ["river"] or attempts.count("lake") == 1:  # the child exits at start
            kwargs["settings"] = {**(kwargs.get("settings") or {}), "ITEM_PIPELINES": '{"no.such.Pipeline": 1}'}
        return crawl(config_path, run_dir, source_ids, **kwargs)

    monkeypatch.setattr(night, "crawl", flaky)
    monkeypatch.setattr(night, "RETRY_DELAYS", (0, 0))
    warned: list[str] = []
    summary = night.night(str(config), str(tmp_path / "data"), shards=2, warn=warned.append)
    assert sorted(attempts) == ["lake", "lake", "river", "river", "river"]
    assert summary["verdicts"] == {"lake": "ok", "river": "failed"}
    assert [e["program_name"] for e in summary["events"] if e["event_type"] == "new"] == [PROGRAM]
    [line] = warned
    assert line.startswith("shard of river failed: shard 1: the crawl process died")


def test_the_summary_lists_the_first_events_and_says_where_the_rest_are(tmp_path: Path) -> None:
    config, data = write_staged_config(tmp_path / "sources.yaml"), tmp_path / "data"
    staged = [record("lake", f"http://lake.test/visiting/{n}", program_name=f"Elective {n:03}") for n in range(30)]
    run_id = write_run(data / "runs", 0, {"lake": staged})
    plan = {"config_path": str(config), "source_ids": ["lake"]}  # river was not meant to run: no source event
    (data / "runs" / run_id / "run.json").write_text(json.dumps(plan))
    done = clerkships("load", run_id, "--config", str(config), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Run {run_id}: 30 new" in done.stdout
    shown = [n for n in range(30) if f"Elective {n:03}" in done.stdout]
    assert len(shown) == SHOWN
    db = (data / "clerkships.duckdb").resolve()
    assert f"… and {30 - SHOWN} more events: SELECT * FROM v_events WHERE run_id = '{run_id}' in {db}" in done.stdout


def test_the_prefect_server_is_the_environment_s_or_the_active_profile_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("PREFECT_API_URL", "PREFECT_PROFILES_PATH", "PREFECT_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    assert prefect_api_url() is None  # no profiles file: Prefect would start a temporary server
    (tmp_path / "profiles.toml").write_text(
        'active = "local"\n[profiles.local]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n[profiles.ephemeral]\n'
    )
    assert prefect_api_url() == "http://127.0.0.1:4200/api"
    monkeypatch.setenv("PREFECT_PROFILE", "ephemeral")
    assert prefect_api_url() is None
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4300/api")
    assert prefect_api_url() == "http://127.0.0.1:4300/api"


def test_the_plain_night_imports_no_prefect() -> None:
    """Importing Prefect alone costs a second or more; a night without a server never pays it."""
    code = "import sys, flows.cli, flows.night; print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_cli_starts_without_the_extraction_rules() -> None:
    """`clerkships run` and the others start without loading the extraction rules (0.6 s): only
    `clerkships extract` and the crawl's readers need them."""
    code = "import sys, flows.cli; print('crawlers.extract.program' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert shown.stdout.strip() == "False"

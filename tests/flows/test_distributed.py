"""A night on a Prefect work pool: two real workers run its four shards, staged on S3 (moto's server
on loopback) through s3fs; the loader's DuckDB file ends as a single-machine night's. And a worker
whose machine dies mid-shard: that shard's sources failed, nothing closed, the rest loaded, their
shards having asked conditionally against the loader's last ok run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from contract.run_folder import RunFolder
from demo.web import FixtureWeb
from tests.flows.pool_kit import POOL, REPO, STAGING_URL, Cluster, cluster, wait_for
from warehouse.read import runs

pytestmark = [pytest.mark.e2e, pytest.mark.distributed, pytest.mark.timeout(900)]  # a server, workers, two nights
NIGHTLY = "clerkships-nightly/nightly"
SHARD_FLOW = "clerkships-crawl-shard"
PER_RUN = "first_seen, last_seen, first_run_id, last_run_id, fetched_at"  # differ between any two runs
WORKER = "prefect.worker.name"


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The server, the store, and two workers: `loader` (every queue: it runs the nightly and shards)
    and `crawler` (the shards queue only); each takes two shards at a time, so both get some."""
    with cluster(tmp_path_factory.mktemp("pool")) as found:
        found.start_worker("loader", "--limit", "3")
        found.start_worker("crawler", "--work-queue", "shards", "--limit", "2")
        yield found


def staged_config(web: FixtureWeb, path: Path, closure_grace_runs: int = 2) -> Path:
    web.write_config(path, closure_grace_runs=closure_grace_runs)
    path.write_text(path.read_text().replace("settings:\n", f"settings:\n  staging_url: {STAGING_URL}\n", 1))
    return path


def night_on_pool(pool: Cluster, config: Path, data_dir: Path) -> str:
    """`clerkships deploy` then `prefect deployment run`; the nightly flow run's id."""
    options = ["--shards", "4", "--config", str(config), "--data-dir", str(data_dir)]
    pool.clerkships("deploy", "--work-pool", POOL, *options)
    return pool.run_deployment(NIGHTLY)


def single_machine_night(pool: Cluster, config: Path, data_dir: Path) -> None:
    """`clerkships run` with no Prefect server: the night on one machine, staged in its data dir."""
    env = {k: v for k, v in pool.env.items() if k != "PREFECT_API_URL"}
    command = [sys.executable, "-m", "flows", "run", "--config", str(config), "--data-dir", str(data_dir)]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def latest_run(data_dir: Path) -> str:
    return str(runs(data_dir / "clerkships.duckdb", 1)[0]["run_id"])


def programs(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT * EXCLUDE ({PER_RUN}) FROM v_programs").fetchall()


def verdicts(db: Path, run_id: str) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT source_id, verdict FROM source_runs WHERE run_id = ?", [run_id]).fetchall())


def shard_runs(pool: Cluster, run_id: str) -> list[dict]:
    return [r for r in pool.flow_runs(SHARD_FLOW) if r["parameters"]["run_id"] == run_id]


def test_four_shards_on_two_workers_load_as_one_machine(pool: Cluster, tmp_path: Path, fixture_web: FixtureWeb) -> None:
    config = staged_config(fixture_web, tmp_path / "sources.yaml")
    single = tmp_path / "single"
    single_machine_night(pool, config, single)
    data_dir = tmp_path / "loader"
    nightly = pool.wait_final(night_on_pool(pool, config, data_dir))
    assert nightly["state"]["type"] == "COMPLETED", nightly["state"]
    assert nightly["labels"][WORKER] == "loader"
    run_id = latest_run(data_dir)

    shards = shard_runs(pool, run_id)
    assert sorted(r["parameters"]["shard"] for r in shards) == [0, 1, 2, 3]
    assert all(r["state"]["type"] == "COMPLETED" for r in shards)
    assert {r["labels"][WORKER] for r in shards} == {"loader", "crawler"}  # each worker ran at least one
    assert all(r["infrastructure_pid"] for r in shards)  # each ran in its own process on its worker

    staged = pool.store().ls(f"{STAGING_URL.removeprefix('s3://')}/{run_id}")
    names = {Path(key).name for key in staged}
    assert {f"status.{k}.json" for k in range(4)} <= names and {f"pages.{k}.jsonl" for k in range(4)} <= names
    assert not [n for n in names if n.endswith(".part")]
    run_dir = data_dir / "runs" / run_id
    assert {p.name for p in run_dir.glob("status*.json")} == {"status.json", *(f"status.{k}.json" for k in range(4))}
    assert programs(data_dir / "clerkships.duckdb") == programs(single / "clerkships.duckdb")
    assert set(verdicts(data_dir / "clerkships.duckdb", run_id).values()) == {"ok"}


def test_a_worker_dying_mid_shard_fails_its_sources_and_closes_nothing(
    pool: Cluster, tmp_path: Path, fixture_web: FixtureWeb
) -> None:
    config = staged_config(fixture_web, tmp_path / "sources.yaml", closure_grace_runs=1)  # one miss would close
    data_dir = tmp_path / "loader"
    single_machine_night(pool, config, data_dir)  # the programs a wrong night could close
    before = programs(data_dir / "clerkships.duckdb")
    first = latest_run(data_dir)

    nightly_id = night_on_pool(pool, config, data_dir)

    def crawling_on_crawler() -> list[dict] | None:
        runs = [r for r in pool.flow_runs(SHARD_FLOW) if r["state"] and r["state"]["type"] == "RUNNING"]
        return [r for r in runs if r["labels"].get(WORKER) == "crawler"] or None

    doomed = wait_for(crawling_on_crawler, "a shard running on the crawler worker", every=0.2)
    pool.kill_machine("crawler")
    nightly = pool.wait_final(nightly_id)
    assert nightly["state"]["type"] == "COMPLETED", nightly["state"]
    run_id = latest_run(data_dir)
    assert run_id != first

    shards = {r["parameters"]["shard"]: r for r in shard_runs(pool, run_id)}
    lost = {k for k, r in shards.items() if r["labels"].get(WORKER) == "crawler"}
    assert {r["parameters"]["shard"] for r in doomed} <= lost
    assert all(shards[k]["state"]["type"] == "CRASHED" for k in lost)
    failed = {s for k in lost for s in shards[k]["parameters"]["source_ids"]}
    judged = verdicts(data_dir / "clerkships.duckdb", run_id)
    assert {s for s, v in judged.items() if v == "failed"} == failed
    assert {s for s, v in judged.items() if v == "ok"} == set(judged) - failed  # the rest loaded
    with duckdb.connect(str(data_dir / "clerkships.duckdb"), read_only=True) as con:
        events = con.execute("SELECT event_type FROM events WHERE run_id = ?", [run_id]).fetchall()
        presence = con.execute("SELECT DISTINCT presence FROM programs").fetchall()
    assert ("closed",) not in events and presence == [("present",)]
    assert programs(data_dir / "clerkships.duckdb") == before  # the failed sources' programs stand as they were
    # the shards asked conditionally against the first night, sent to the store by the loader
    merged = RunFolder(data_dir / "runs" / run_id).read_status()
    assert merged and sum(merged["sources"][s].get("pages_not_modified", 0) for s in set(judged) - failed) > 0


def test_deploy_to_a_missing_pool_says_how_to_create_it(pool: Cluster, fixture_config: Path) -> None:
    options = ["--work-pool", "nowhere", "--config", str(fixture_config), "--data-dir", str(fixture_config.parent)]
    command = [sys.executable, "-m", "flows", "deploy", *options]
    done = subprocess.run(command, cwd=REPO, env=pool.env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "work pool 'nowhere' not found; create it: prefect work-pool create nowhere --type process"
    ]

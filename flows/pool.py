"""The nightly's shards on a Prefect work pool: one `clerkships-crawl-shard` flow run per shard.

The nightly sends its last-ok runs to the staging store (the shards' conditional-GET baseline),
submits every shard to the shard deployment (`run_deployment`, not waiting), then
watches the runs: a completed shard's files are fetched from the staging store into the night's
run folder, and its status is the shard's outcome. A shard that failed, crashed or was cancelled,
that completed but left no status in the store, or whose worker went offline (a machine that died
reports nothing; its run is marked Crashed here so the server says so too) is an exception: the
night marks its sources failed, and failed sources close nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast
from uuid import UUID

from prefect import get_client
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.objects import FlowRun, WorkerStatus
from prefect.deployments import run_deployment
from prefect.states import Crashed

from contract.run_folder import RunFolder, RunFolderError
from contract.staging import Staging
from crawlers.config import load_config
from flows.night import Outcome
from flows.shard_flow import SHARD_FLOW

SHARD_DEPLOYMENT = f"{SHARD_FLOW}/shard"
POLL_SECONDS = 2.0
WORKER_LABEL = "prefect.worker.name"  # the label a worker gives each flow run it starts


def staging_url(config_path: Path, run_dir: Path) -> str:
    """The config's staging store, else the night's own runs folder (workers sharing its disk)."""
    return load_config(config_path).settings.staging_url or str(run_dir.parent.resolve())


def crawl_on_pool(
    deployment: str, config_path: Path, run_dir: Path, groups: list[list[str]]
) -> Iterator[tuple[list[str], Outcome]]:
    """Every shard as a flow run of `deployment`, side by side on the pool's workers, as each ends."""
    folder, url = RunFolder(run_dir), staging_url(config_path, run_dir)
    staging = Staging(url)
    staging.put_baseline(run_dir.parent)
    pending: dict[UUID, tuple[str, list[str]]] = {}
    for k, group in enumerate(groups):
        parameters = {
            "config_path": str(config_path.resolve()),
            "run_id": folder.run_id,
            "source_ids": group,
            "shard": k,
            "staging_url": url,
        }
        submitted = cast(FlowRun, run_deployment(deployment, parameters=parameters, timeout=0))  # sync: no coroutine
        pending[submitted.id] = (str(k), group)
    with get_client(sync_client=True) as client:
        while pending:
            for flow_run_id, (shard, group) in list(pending.items()):
                outcome = shard_outcome(client, client.read_flow_run(flow_run_id), staging, folder, shard, group)
                if outcome is not None:
                    del pending[flow_run_id]
                    yield group, outcome
            if pending:
                time.sleep(POLL_SECONDS)


def shard_outcome(
    client: SyncPrefectClient, flow_run: FlowRun, staging: Staging, folder: RunFolder, shard: str, group: list[str]
) -> Outcome | None:
    """The shard's status, the exception that failed it, or None while it may still finish."""
    state = flow_run.state
    if state is None or not state.is_final():
        worker = lost_worker(client, flow_run)
        if worker is None:
            return None
        reason = f"flow run {flow_run.name}: its worker {worker} went offline"
        client.set_flow_run_state(flow_run.id, Crashed(message=reason), force=True)
        return RuntimeError(reason)
    if not state.is_completed():
        return RuntimeError(f"flow run {flow_run.name} ended {state.name}: {state.message}")
    try:
        status = folder.read_status(shard) if staging.fetch_shard(folder, shard, group) else None
    except RunFolderError as exc:
        return exc
    if status is not None:
        return status
    return RuntimeError(f"flow run {flow_run.name} completed but left no status in {staging.url}")


def lost_worker(client: SyncPrefectClient, flow_run: FlowRun) -> str | None:
    """The offline worker that held this unfinished run, or None while it may still finish.

    A running shard names its worker (its label). A shard a worker claimed but had not started when
    its machine died stays Pending with no name: it is counted lost when a worker of its pool went
    offline after it was claimed (a live worker starts a claimed run within seconds)."""
    state, pool = flow_run.state, flow_run.work_pool_name
    if state is None or pool is None:
        return None
    offline = {
        w.name: w.last_heartbeat_time
        for w in client.read_workers_for_work_pool(pool)
        if w.status == WorkerStatus.OFFLINE
    }
    worker = flow_run.labels.get(WORKER_LABEL)
    if worker is not None:
        return str(worker) if str(worker) in offline else None
    if state.is_pending():
        for name, last_heartbeat in offline.items():
            if last_heartbeat is not None and last_heartbeat > state.timestamp:
                return name
    return None

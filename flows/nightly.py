"""The nightly Prefect flow: the stages of flows.night, with the shard crawls and the load as tasks.

What Prefect adds to a plain night: a tracked flow run on the server at PREFECT_API_URL, each shard
a task run with its retries (the same delays as a plain night's), the load a task run, and the
night's summary and source health as artifacts. `clerkships serve` deploys this flow; `clerkships
run` runs it only when a server is configured. Importing this module imports Prefect: call
`flows.env.use_data_dir` first.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from flows import night
from flows.load_step import load_into
from flows.pool import crawl_on_pool

crawl_shard = task(
    night.crawl_shard,
    retries=len(night.RETRY_DELAYS),
    retry_delay_seconds=list(night.RETRY_DELAYS),
    cache_policy=NO_CACHE,
    task_run_name="crawl-shard-{shard}",
)
load = task(load_into, name="load", cache_policy=NO_CACHE)
SUMMARY_ARTIFACT = "nightly-summary"  # every event of the night, with its link


def crawl_as_tasks(
    config_path: Path, run_dir: Path, groups: list[list[str]]
) -> Iterator[tuple[list[str], night.Outcome]]:
    """Every shard as a task run, side by side, as each ends (a shard that failed every retry: its exception)."""
    futures = {crawl_shard.submit(config_path, run_dir, group, k): group for k, group in enumerate(groups)}
    for future in as_completed(list(futures)):
        try:
            outcome: night.Outcome = future.result()
        except Exception as exc:
            outcome = exc
        yield futures[future], outcome


@flow(name="clerkships-nightly", log_prints=False)
def nightly(
    config_path: str = "config/sources.yaml",
    data_dir: str = "data",
    source_ids: list[str] | None = None,
    shards: int = 1,
    run_id: str | None = None,
    shard_deployment: str | None = None,
) -> dict[str, Any]:
    """One night: crawl the enabled sources, load and diff the staging, publish what changed.
    With `shard_deployment`, each shard is a flow run of that deployment on its work pool (flows.pool)."""
    logger = get_run_logger()
    crawl_shards: night.ShardRunner = crawl_as_tasks
    if shard_deployment:
        crawl_shards = partial(crawl_on_pool, shard_deployment)
    summary = night.night(
        config_path, data_dir, source_ids, shards, run_id, crawl_shards=crawl_shards, load=load, warn=logger.warning
    )
    described = f"Run {summary['run_id']}"
    create_markdown_artifact(key=SUMMARY_ARTIFACT, markdown=summary["markdown"], description=described)
    create_table_artifact(key="source-health", table=summary["health"], description=described)
    return {**summary, "artifact": SUMMARY_ARTIFACT}

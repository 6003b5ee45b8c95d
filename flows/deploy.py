"""`clerkships deploy`: the nightly and the shard flow as deployments on a Prefect work pool.

Both are deployed by module path (`flows.nightly.nightly`, `flows.shard_flow.crawl_shard`), so a
worker needs no code download: any machine with clerkships installed runs them. The nightly goes to
the pool's `loader` queue, to be run by the one worker beside the DuckDB file (it polls every queue
of the pool); the shards go to its `shards` queue, which every worker polls. Import after
`flows.env.use_data_dir` (this imports Prefect).
"""

from __future__ import annotations

from pathlib import Path

from prefect import get_client
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from crawlers.config import Config
from flows.nightly import nightly
from flows.pool import SHARD_DEPLOYMENT
from flows.shard_flow import crawl_shard

LOADER_QUEUE = "loader"
SHARDS_QUEUE = "shards"


def deploy(config: Config, config_path: Path, data_dir: Path, work_pool: str, shards: int, name: str) -> None:
    """Register the shard deployment and the nightly one (the config's schedule, one night at a time);
    raises prefect's ObjectNotFound when the pool does not exist."""
    with get_client(sync_client=True) as client:
        client.read_work_pool(work_pool)
    shard_name = SHARD_DEPLOYMENT.split("/", 1)[1]
    crawl_shard.deploy(
        name=shard_name,
        work_queue_name=SHARDS_QUEUE,
        entrypoint_type=EntrypointType.MODULE_PATH,
        description="Crawl one shard of a night and stage its run folder files.",
        work_pool_name=work_pool,
        build=False,
        push=False,
        print_next_steps=False,
        ignore_warnings=True,  # Prefect's advice to use `serve` on a process pool
    )
    schedule = config.settings.schedule
    nightly.deploy(
        name=name,
        work_queue_name=LOADER_QUEUE,
        entrypoint_type=EntrypointType.MODULE_PATH,
        schedules=[Cron(schedule.cron, timezone=schedule.timezone)],
        concurrency_limit=1,
        parameters={
            "config_path": str(config_path.resolve()),
            "data_dir": str(data_dir),
            "shards": shards,
            "shard_deployment": SHARD_DEPLOYMENT,
        },
        description="Crawl every enabled source in shards on the work pool, then load and publish here.",
        work_pool_name=work_pool,
        build=False,
        push=False,
        print_next_steps=False,
        ignore_warnings=True,  # Prefect's advice to use `serve` on a process pool
    )

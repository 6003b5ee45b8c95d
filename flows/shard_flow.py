"""The shard flow `clerkships-crawl-shard`: one shard of a night, crawled wherever a worker runs it.

A worker on any machine (`prefect worker start --pool NAME`) fetches the shard's sources' last ok
run from the staging store (their conditional-GET baseline), crawls the shard into a local
temporary run folder beside it, with the same retries as a plain night's dead shard, then sends its files to the
staging store (contract.staging), the status last. The DuckDB file never leaves the loader: the
nightly flow (flows.pool) fetches the shard's files from the store once this run has completed.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from prefect import flow

from contract.run_folder import RunFolder
from contract.staging import Staging
from flows import night

SHARD_FLOW = "clerkships-crawl-shard"


@flow(name=SHARD_FLOW, flow_run_name="{run_id}-shard-{shard}", log_prints=False)
def crawl_shard(config_path: str, run_id: str, source_ids: list[str], shard: int, staging_url: str) -> int:
    """Crawl `source_ids` for run `run_id` and stage the result at `staging_url`; the number of
    sources with a status. Raises when the crawl process died at every attempt (nothing is staged)."""
    staging = Staging(staging_url)
    with tempfile.TemporaryDirectory(prefix="clerkships-shard-") as scratch:
        staging.fetch_baseline(Path(scratch), source_ids)
        folder = RunFolder(Path(scratch) / run_id)
        work = partial(night.crawl_shard, Path(config_path), folder.path, source_ids, shard)
        status = night.with_retries(work, night.RETRY_DELAYS)
        staging.put_shard(folder, str(shard), source_ids)
    return len(status["sources"])

"""One night's stages as plain functions: plan, crawl the shards, merge their status, load, publish, summarize.

`clerkships run` without a Prefect server calls `night` directly: nothing here imports Prefect, so
no temporary API server is started (it cost 8–19 s before the first page was fetched). The Prefect
flow (flows.nightly) runs the same `night` with its shard crawls and load as tasks, so a deployment
or a run reporting to a server keeps retries, tracking and artifacts. A crawl runs Scrapy in a child
process (a Twisted reactor cannot restart); a shard whose process died is retried after the same
delays either way, and a shard that still fails marks its sources failed (failed sources close
nothing). One run per data dir (flows.lock); the run's plan (`run.json`) is written before
crawling, so `clerkships load RUN_ID` can redo the load exactly.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from contract.run_folder import RunFolder, RunPlan, RunStatus, utc_now
from crawlers.config import load_config
from crawlers.run import crawl, died, failed_status, new_run_id
from flows.lock import data_dir_lock
from flows.paths import DataPaths
from flows.progress import report

if TYPE_CHECKING:
    from warehouse import LoadResult

RETRY_DELAYS: tuple[float, ...] = (5, 20)  # seconds before a dead shard's second and third attempt
T = TypeVar("T")
Outcome = RunStatus | Exception  # a shard's status, or why it failed every attempt
ShardRunner = Callable[[Path, Path, list[list[str]]], Iterator[tuple[list[str], Outcome]]]
Loader = Callable[[DataPaths, str, list[str], int], "LoadResult"]
LATER_STAGES = ("flows.load_step", "flows.publish.step")  # DuckDB, pyarrow, Jinja, apprise: 0.5 s to import


def usable_cpus() -> int:
    """The CPUs this process may run on: a night crawls one shard per CPU unless told otherwise (a
    Scrapy process keeps one CPU busy on an unchanged night, where every page answers 304)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def plan_shards(source_ids: list[str], shards: int | None = None) -> list[list[str]]:
    """Split sources into at most `shards` groups (default: one per usable CPU) of near-equal size,
    keeping config order."""
    shards = max(1, min(shards or usable_cpus(), len(source_ids) or 1))
    return [source_ids[k::shards] for k in range(shards) if source_ids[k::shards]]


def readers_per_shard(shards: int) -> int:
    """Page readers for each of `shards` crawls on this machine: its CPUs shared out (each reader
    process loads the extraction library, a second of CPU, and more readers than CPUs only wait)."""
    return max(1, usable_cpus() // max(1, shards))


def crawl_shard(
    config_path: Path, run_dir: Path, source_ids: list[str], shard: int, readers: int | None = None
) -> RunStatus:
    """Crawl one shard in its own Scrapy process (with `readers` page-reader processes, else the
    crawler's setting); raise (and so retry) only when no status came back: the process died
    (killed, crashed) or left sources out. Failed sites are a status, not a retry."""
    settings = {"READER_PROCESSES": str(readers)} if readers else None
    status = crawl(config_path, run_dir, source_ids, shard=str(shard), settings=settings)
    if reason := died(status):
        raise RuntimeError(f"shard {shard}: the crawl process died: {reason}")
    missing = [s for s in source_ids if s not in status.get("sources", {})]
    if missing:
        raise RuntimeError(f"shard {shard}: no status for {', '.join(missing)}")
    return status


def with_retries(work: Callable[[], T], delays: tuple[float, ...]) -> T:
    """`work()`, tried again after each delay while it raises; the last attempt's exception is raised."""
    for delay in delays:
        try:
            return work()
        except Exception:
            time.sleep(delay)
    return work()


def crawl_in_threads(config_path: Path, run_dir: Path, groups: list[list[str]]) -> Iterator[tuple[list[str], Outcome]]:
    """Every shard side by side (each is a child process; a thread only waits for it), as each ends."""
    readers = readers_per_shard(len(groups))
    with ThreadPoolExecutor(len(groups) or 1, thread_name_prefix="clerkships-shard") as pool:
        futures = {
            pool.submit(
                with_retries, partial(crawl_shard, config_path, run_dir, group, k, readers), RETRY_DELAYS
            ): group
            for k, group in enumerate(groups)
        }
        for future in as_completed(futures):
            try:
                outcome: Outcome = future.result()
            except Exception as exc:  # a KeyboardInterrupt or SystemExit goes on up
                outcome = exc
            yield futures[future], outcome


def night(
    config_path: str,
    data_dir: str,
    source_ids: list[str] | None = None,
    shards: int | None = None,
    run_id: str | None = None,
    *,
    crawl_shards: ShardRunner = crawl_in_threads,
    load: Loader | None = None,
    warn: Callable[[str], None] = lambda _line: None,
) -> dict[str, Any]:
    """One night: crawl the enabled sources, load and diff the staging, publish what changed.
    `crawl_shards`, `load` and `warn` are the flow's tasks and logger when Prefect runs it (the
    load is `flows.load_step.load_into` without)."""
    threading.Thread(target=import_later_stages, name="clerkships-imports", daemon=True).start()
    config = load_config(config_path)
    paths = DataPaths(Path(data_dir))
    sources = [s.id for s in config.enabled_sources(source_ids)]
    run_id = run_id or new_run_id()
    with data_dir_lock(paths.root, f"clerkships nightly flow, run {run_id}"):
        folder = RunFolder(paths.runs / run_id)
        run_dir = folder.path
        folder.write_plan(RunPlan(Path(config_path).resolve(), sources))
        started, clock = utc_now(), time.monotonic()

        report("crawl", 0, len(sources))
        statuses: list[RunStatus] = []
        for group, outcome in crawl_shards(Path(config_path), run_dir, plan_shards(sources, shards)):
            if isinstance(outcome, Exception):  # failed every attempt: its sources failed, the others go on
                warn(f"shard of {', '.join(group)} failed: {outcome}")
                statuses.append(failed_status(run_dir, group, started, f"shard failed: {outcome}"))
            else:
                statuses.append(outcome)
            report("crawl", sum(len(s.get("sources", {})) for s in statuses), len(sources))
        folder.merge_statuses(started, time.monotonic() - clock, statuses)

        from flows.load_step import load_into, superseded_warning  # imported while the crawl ran
        from flows.publish.step import publish

        report("load", 0, 1)
        result = (load or load_into)(paths, run_id, sources, config.settings.closure_grace_runs)
        if result.superseded_by is not None:  # not applied
            warn(superseded_warning(run_id, result.superseded_by))
        report("publish", 0, 1)
        published = publish(paths, config.settings)
    return summarize(result, published)


def import_later_stages() -> None:
    """Import the load and publish stages while the crawl runs: this process only waits for the crawl's
    child then, and a one-page night's fixed cost is mostly start-up. A failing import is left to
    the stage's own import, which reports it."""
    for name in LATER_STAGES:
        try:
            importlib.import_module(name)
        except Exception:
            return


def summarize(result: LoadResult, published: dict[str, Any]) -> dict[str, Any]:
    """The night as data: event counts, every event, each source's verdict, the published files."""
    return {
        "run_id": result.run_id,
        "superseded_by": result.superseded_by,
        "counts": dict(result.counts),
        "verdicts": dict(result.verdicts),
        "events": result.events,
        "published": {k: str(v) for k, v in published.items()},
    }

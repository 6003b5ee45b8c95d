"""The nightly Prefect flow: validate → plan shards → crawl each shard → load + diff → publish.

A crawl runs Scrapy in a child process (a Twisted reactor cannot restart), so a shard is a plain
task with retries; a shard that still fails marks its sources failed, and failed sources close
nothing. The load is the only DuckDB writer. One run per data dir (flows.lock); the run's plan
(`run.json`: config and sources) is written before crawling, so `clerkships load RUN_ID` can redo
the load exactly. Importing this module imports Prefect: call `flows.env.use_data_dir` first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from crawlers.config import load_config
from crawlers.run import crawl, died, failed_status, new_run_id
from flows.load_step import load_into, superseded_warning
from flows.lock import data_dir_lock
from flows.paths import DataPaths
from flows.progress import report
from flows.publish_step import publish
from flows.staging import RunPlan, merge_statuses, write_plan
from warehouse import LoadResult


def plan_shards(source_ids: list[str], shards: int) -> list[list[str]]:
    """Split sources into at most `shards` groups of near-equal size, keeping config order."""
    shards = max(1, min(shards, len(source_ids) or 1))
    return [source_ids[k::shards] for k in range(shards) if source_ids[k::shards]]


@task(retries=2, retry_delay_seconds=[5, 20], cache_policy=NO_CACHE, task_run_name="crawl-shard-{shard}")
def crawl_shard(config_path: Path, run_dir: Path, source_ids: list[str], shard: int) -> dict[str, Any]:
    """Crawl one shard in its own Scrapy process; raise (and so retry) only when no status came back:
    the process died (killed, crashed) or left sources out. Failed sites are a status, not a retry."""
    status = crawl(config_path, run_dir, source_ids, shard=str(shard))
    if reason := died(status):
        raise RuntimeError(f"shard {shard}: the crawl process died: {reason}")
    missing = [s for s in source_ids if s not in status.get("sources", {})]
    if missing:
        raise RuntimeError(f"shard {shard}: no status for {', '.join(missing)}")
    return status


@task(cache_policy=NO_CACHE)
def load(paths: DataPaths, run_id: str, source_ids: list[str], closure_grace_runs: int) -> LoadResult:
    return load_into(paths, run_id, source_ids, closure_grace_runs)


@flow(name="clerkships-nightly", log_prints=False)
def nightly(
    config_path: str = "config/sources.yaml",
    data_dir: str = "data",
    source_ids: list[str] | None = None,
    shards: int = 1,
    run_id: str | None = None,
) -> dict[str, Any]:
    """One night: crawl the enabled sources, load and diff the staging, publish what changed."""
    logger = get_run_logger()
    config = load_config(config_path)
    paths = DataPaths(Path(data_dir))
    sources = [s.id for s in config.enabled_sources(source_ids)]
    run_id = run_id or new_run_id()
    with data_dir_lock(paths.root, f"clerkships nightly flow, run {run_id}"):
        run_dir = paths.runs / run_id
        write_plan(run_dir, RunPlan(Path(config_path).resolve(), sources))
        started = datetime.now(UTC).isoformat()

        report("crawl", 0, len(sources))
        groups: dict[Any, list[str]] = {}  # shard future → its sources
        for k, group in enumerate(plan_shards(sources, shards)):
            groups[crawl_shard.submit(Path(config_path), run_dir, group, k)] = group
        statuses = []
        for future in as_completed(list(groups)):
            group = groups[future]
            try:
                statuses.append(future.result())
            except Exception as exc:  # a shard that failed every retry: its sources failed, the others go on
                logger.warning("shard of %s failed: %s", ", ".join(group), exc)
                statuses.append(failed_status(run_dir, group, started, f"shard failed: {exc}"))
            report("crawl", sum(len(s.get("sources", {})) for s in statuses), len(sources))
        merge_statuses(run_dir, run_id, started, statuses)

        report("load", 0, 1)
        result = load(paths, run_id, sources, config.settings.closure_grace_runs)
        if not result.applied:
            logger.warning(superseded_warning(run_id, result.superseded_by))
        report("publish", 0, 1)
        published = publish(paths, config.settings)
    summary = summarize(result, published)
    create_markdown_artifact(key="nightly-summary", markdown=summary["markdown"], description=f"Run {run_id}")
    create_table_artifact(key="source-health", table=summary["health"], description=f"Run {run_id}")
    return summary


def summarize(result: LoadResult, published: dict[str, Any]) -> dict[str, Any]:
    """The night in a few lines: event counts, each event with its link, failed and suspect sources."""
    lines = [f"# Night {result.run_id}", ""]
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()) if n) or "nothing changed"
    lines += [counts, ""]
    for event in result.events:
        name = event.get("program_name") or event.get("source_id")
        link = event.get("source_url")
        changes = "; ".join(f"{f}: {b!r} → {a!r}" for f, (b, a) in (event.get("changes") or {}).items())
        title = f"[{name}]({link})" if link else str(name)
        lines.append(f"- **{event['event_type']}** {title} {changes}".rstrip())
    health = [{"source_id": s, "verdict": v} for s, v in sorted(result.verdicts.items())]
    return {
        "run_id": result.run_id,
        "superseded_by": result.superseded_by,
        "counts": dict(result.counts),
        "verdicts": dict(result.verdicts),
        "events": result.events,
        "health": health,
        "markdown": "\n".join(lines),
        "published": {k: str(v) for k, v in published.items()},
    }

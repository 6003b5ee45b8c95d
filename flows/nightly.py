"""The nightly Prefect flow: the stages of flows.night, with the shard crawls and the load as tasks.

What Prefect adds to a plain night: a tracked flow run on the server at PREFECT_API_URL, each shard
a task run with its retries (the same delays as a plain night's), the load a task run, one log line
per crawled source and one warning per source not ok, the night's summary and source health as
artifacts, each event of the night as a Prefect event (`clerkships.program.new` … see
contract/events.py) for Automations to act on, and a night with a failed or suspect source ending
in the Completed state named `CompletedWithSourceAlerts`. `clerkships serve` deploys this flow;
`clerkships run` runs it only when a server is configured. Importing this module imports Prefect:
call `flows.env.use_data_dir` first.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.futures import as_completed
from prefect.states import Completed

from contract.events import SOURCE_EVENTS, dotted_name, program_resource, source_resource
from contract.run_folder import RunStatus
from crawlers.config import load_config
from flows import night
from flows.load_step import load_into
from flows.night_report import ALERT_STATE, alert_line, alert_message, crawl_line, health_rows, summary_markdown
from flows.pool import crawl_on_pool
from flows.publish import describe
from flows.publish.feed import program_page
from flows.publish.values import jsonable, to_utc

crawl_shard = task(
    retries=len(night.RETRY_DELAYS),
    retry_delay_seconds=list(night.RETRY_DELAYS),
    cache_policy=NO_CACHE,
    task_run_name="crawl-shard-{shard}",
)(night.crawl_shard)
load = task(name="load", cache_policy=NO_CACHE)(load_into)
SUMMARY_ARTIFACT = "nightly-summary"  # every event of the night, with its link


def crawl_as_tasks(
    config_path: Path, run_dir: Path, groups: list[list[str]]
) -> Iterator[tuple[list[str], night.Outcome]]:
    """Every shard as a task run, side by side, as each ends (a shard that failed every retry: its
    exception), each of its sources' crawl told in one log line."""
    logger = get_run_logger()
    readers = night.readers_per_shard(len(groups))
    futures = {crawl_shard.submit(config_path, run_dir, group, k, readers): group for k, group in enumerate(groups)}
    for future in as_completed(list(futures)):
        try:
            status: RunStatus = future.result()
        except Exception as exc:
            yield futures[future], exc
            continue
        for source_id, stats in status["sources"].items():
            failed = stats.get("failed") or stats.get("error")
            (logger.warning if failed else logger.info)(crawl_line(source_id, stats))
        yield futures[future], status


def announce(event: dict[str, Any], site_url: str | None) -> None:
    """One warehouse event as a Prefect event: its program (or source) the resource, its source related;
    its id derived from the event's, so the same event sent twice is one event on the server."""
    source = {
        "prefect.resource.id": source_resource(event["source_id"]),
        "prefect.resource.name": event.get("institution") or event["source_id"],
    }
    payload = {key: event.get(key) for key in ("event_id", "run_id", "event_type", "program_name", "changes", "detail")}
    payload |= {"title": describe.title(event), "source_url": event.get("source_url")}
    if event["event_type"] in SOURCE_EVENTS:
        resource, related = source, []
    else:
        resource = {
            "prefect.resource.id": program_resource(event["program_id"]),
            "prefect.resource.name": describe.subject(event),
        }
        related = [{**source, "prefect.resource.role": "source"}]
        payload["program_page"] = program_page(event["program_id"], site_url)
    emit_event(
        event=dotted_name(event["event_type"]),
        resource=resource,
        related=related,
        payload=jsonable(payload),
        occurred=to_utc(event.get("occurred_at")),
        id=uuid.uuid5(uuid.NAMESPACE_URL, f"urn:clerkships:event:{event['event_id']}"),
    )


@flow(name="clerkships-nightly", log_prints=False)
def nightly(
    config_path: str = "config/sources.yaml",
    data_dir: str = "data",
    source_ids: list[str] | None = None,
    shards: int | None = None,
    run_id: str | None = None,
    shard_deployment: str | None = None,
) -> dict[str, Any]:
    """One night: crawl the enabled sources, load and diff the staging, publish what changed, and
    tell Prefect what happened: logs, artifacts, events, and a final state Automations can match.
    With `shard_deployment`, each shard is a flow run of that deployment on its work pool (flows.pool)."""
    logger = get_run_logger()
    crawl_shards: night.ShardRunner = crawl_as_tasks
    if shard_deployment:
        crawl_shards = partial(crawl_on_pool, shard_deployment)
    summary = night.night(
        config_path, data_dir, source_ids, shards, run_id, crawl_shards=crawl_shards, load=load, warn=logger.warning
    )
    config = load_config(config_path)
    institutions = {source.id: source.institution for source in config.sources}
    rows = health_rows(summary["verdicts"], summary["events"], institutions)
    for row in rows:
        if row["verdict"] != "ok":
            logger.warning(alert_line(row))
    for event in summary["events"]:
        announce(event, config.settings.site_url)
    described = f"Run {summary['run_id']}"
    markdown = summary_markdown(summary["run_id"], summary["counts"], rows, summary["events"])
    create_markdown_artifact(key=SUMMARY_ARTIFACT, markdown=markdown, description=described)
    create_table_artifact(key="source-health", table=rows, description=described)
    result = {**summary, "artifact": SUMMARY_ARTIFACT}
    if message := alert_message(rows):
        # The returned state becomes the run's final state; the caller still gets `result`.
        return Completed(data=result, name=ALERT_STATE, message=message)  # type: ignore[return-value]
    return result

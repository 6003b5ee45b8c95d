"""Per-source health of a crawl, written to the run folder's status when the spider closes.

The spider counts into Scrapy's stats under `source/<source_id>/<name>`; this extension turns
those counters into the one file the warehouse reads to judge each source (ok / failed / suspect).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, cast

from scrapy import Spider, signals
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response

from contract.health import crawl_failure
from contract.run_folder import COUNTERS, GROUPS, RunFolder, RunStatus, SourceStatus, utc_now


class NotModifiedAwareAutoThrottle(AutoThrottle):
    """AutoThrottle that takes a 304 as the success it is; Scrapy's only lowers delays on a 200,
    so a night of conditional GETs would keep every host at its slowest delay."""

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        super()._adjust_delay(slot, latency, response.replace(status=200) if response.status == 304 else response)


class StatusWriter:
    """Writes the crawl's status (`contract.run_folder`) on spider_closed, from Scrapy's stats and the
    CLERKSHIPS_RUN_DIR / CLERKSHIPS_SHARD / CLERKSHIPS_SOURCES settings (the crawler holds this object,
    so the receivers live)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.started_at, self.clock = utc_now(), time.monotonic()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatusWriter:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        self.started_at, self.clock = utc_now(), time.monotonic()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        settings = self.crawler.settings
        folder = RunFolder(Path(settings["CLERKSHIPS_RUN_DIR"]))
        counters = per_source(self.crawler.stats.get_stats())
        status = RunStatus(
            run_id=folder.run_id,
            started_at=self.started_at,
            finished_at=utc_now(),
            sources={
                source_id: source_status(counters.get(source_id, {}), reason)
                for source_id in settings.getlist("CLERKSHIPS_SOURCES")
            },
            crawl_seconds=round(time.monotonic() - self.clock, 3),
        )
        folder.write_status(status, settings.get("CLERKSHIPS_SHARD") or None)


def per_source(stats: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Scrapy's stats split once by source: `source/<id>/<name>` → {id: {name: value}} (one pass, so
    writing the status of thousands of sources stays linear)."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in stats.items():
        if key.startswith("source/"):
            _, source_id, name = key.split("/", 2)
            out.setdefault(source_id, {})[name] = value
    return out


def source_status(counters: dict[str, Any], reason: str) -> SourceStatus:
    """One source's entry of status.json, from its own counters (`per_source`), with the crawl's
    verdict on it by the one health rule (`contract.health.crawl_failure`)."""
    out: dict[str, Any] = {name: counters.get(name, 0) for name in COUNTERS}
    for group in GROUPS:
        start = f"{group}/"
        out[group] = {key.removeprefix(start): value for key, value in counters.items() if key.startswith(start)}
    out["finish_reason"] = reason
    out["unfinished"] = counters.get("pending", 0) > 0
    out["start_error"] = counters.get("start_error")
    error = crawl_failure(out)
    out["failed"] = error is not None
    out["error"] = error
    return cast(SourceStatus, out)

"""Per-source health of a crawl, written to `<run_dir>/status.json` when the spider closes.

The spider counts into Scrapy's stats under `source/<source_id>/<name>`; this extension turns
those counters into the one file the warehouse reads to judge each source (ok / failed / suspect).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response

from contract.status import COUNTERS, GROUPS
from crawlers.pipelines import STATUS_FILE, shard_file, write_atomic


class NotModifiedAwareAutoThrottle(AutoThrottle):
    """AutoThrottle that takes a 304 as the success it is; Scrapy's only lowers delays on a 200,
    so a night of conditional GETs would keep every host at its slowest delay."""

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        super()._adjust_delay(slot, latency, response.replace(status=200) if response.status == 304 else response)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class StatusWriter:
    """Writes status.json on spider_closed (the crawler holds this object, so the receivers live)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.started_at = utc_now()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatusWriter:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        self.started_at = utc_now()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        counters = per_source(self.crawler.stats.get_stats())
        status = {
            "run_id": spider.run_dir.name,
            "started_at": self.started_at,
            "finished_at": utc_now(),
            "sources": {
                source.id: source_status(counters.get(source.id, {}), reason, spider.unfinished(source.id))
                for source in spider.sources
            },
        }
        spider.run_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(spider.run_dir / shard_file(STATUS_FILE, spider.shard), json.dumps(status, indent=2) + "\n")


def per_source(stats: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Scrapy's stats split once by source: `source/<id>/<name>` → {id: {name: value}} (one pass, so
    writing the status of thousands of sources stays linear)."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in stats.items():
        if key.startswith("source/"):
            _, source_id, name = key.split("/", 2)
            out.setdefault(source_id, {})[name] = value
    return out


def source_status(counters: dict[str, Any], reason: str, unfinished: bool) -> dict[str, Any]:
    """One source's entry of status.json, from its own counters (`per_source`)."""
    out: dict[str, Any] = {name: counters.get(name, 0) for name in COUNTERS}
    for group in GROUPS:
        start = f"{group}/"
        out[group] = {key.removeprefix(start): value for key, value in counters.items() if key.startswith(start)}
    out["finish_reason"] = reason
    error = None
    if out["start_pages"] and out["start_pages_failed"] >= out["start_pages"]:
        error = f"all {out['start_pages']} start page(s) failed; last: {counters.get('start_error')}"
    elif unfinished:
        error = f"crawl stopped ({reason}) before the source was finished"
    elif not out["start_pages"]:
        error = "no start page was requested"
    out["failed"] = error is not None
    out["error"] = error
    return out

"""A test-only Scrapy extension: writes the crawl's scheduler queue class to SCHEDULER_PROBE_FILE."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from scrapy import Spider, signals
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler


class SchedulerProbe:
    """Records which priority queue the running crawl's scheduler really holds (not what a file says)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.path = Path(crawler.settings.get("SCHEDULER_PROBE_FILE"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        probe = cls(crawler)
        crawler.signals.connect(probe.opened, signal=signals.spider_opened)
        return probe

    def opened(self, spider: Spider) -> None:
        assert self.crawler.engine is not None
        scheduler = self.crawler.engine.scheduler
        assert isinstance(scheduler, Scheduler)
        queue = type(scheduler.mqs)
        self.path.write_text(f"{queue.__module__}.{queue.__qualname__}", encoding="utf-8")

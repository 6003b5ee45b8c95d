"""A test-only Scrapy extension: what the crawl process did to stage its pages, written to
STAGING_PROBE_FILE as JSON when the spider closes.

`items`: items the pipeline was handed (Scrapy's item_scraped); `built`: ProgramRecords validated
or copied in the crawl process from the spider's opening on; `held`: ProgramRecords alive at the
end (the previous run's staging is read before extensions exist, so what it kept shows there).
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from contract.record import ProgramRecord


class CountingValidator:
    """ProgramRecord's pydantic validator, counting the records it validates (`ProgramRecord(...)`,
    `model_validate*`): the only ways pydantic builds a model besides copying and `model_construct`."""

    def __init__(self, validator: Any, probe: StagingProbe):
        self.validator, self.probe = validator, probe

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.validator, name)
        if not name.startswith("validate_"):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.probe.built += 1
            return attribute(*args, **kwargs)

        return counted


class StagingProbe:
    def __init__(self, crawler: Crawler):
        self.path = Path(crawler.settings["STAGING_PROBE_FILE"])
        self.items = self.built = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        probe = cls(crawler)
        crawler.signals.connect(probe.opened, signal=signals.spider_opened)
        crawler.signals.connect(probe.scraped, signal=signals.item_scraped)
        crawler.signals.connect(probe.closed, signal=signals.spider_closed)
        return probe

    def opened(self, spider: Spider) -> None:
        ProgramRecord.__pydantic_validator__ = CountingValidator(ProgramRecord.__pydantic_validator__, self)  # type: ignore[assignment]
        for name in ("__copy__", "__deepcopy__", "model_construct"):
            setattr(ProgramRecord, name, self.counting(getattr(ProgramRecord, name)))

    def counting(self, build: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.built += 1
            return build(*args, **kwargs)

        return counted

    def scraped(self, item: Any) -> None:
        self.items += 1

    def closed(self, spider: Spider) -> None:
        gc.collect()
        held = sum(isinstance(thing, ProgramRecord) for thing in gc.get_objects())
        report = {"items": self.items, "built": self.built, "held": held}
        self.path.write_text(json.dumps(report), encoding="utf-8")

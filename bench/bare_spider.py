"""The baseline of the crawl benchmark: a fetch-only Scrapy spider, nothing of the project's.

    python -m scrapy runspider bench/bare_spider.py -a urls=FILE -s CONCURRENT_REQUESTS=32 ...

Run from a folder without a scrapy.cfg, so it gets Scrapy's own defaults (scheduler queue,
middlewares, robots.txt obeyed) plus the politeness numbers the caller passes: what anyone would
write to download the same pages. It fetches every URL of FILE once and keeps nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    """Fetches a fixed URL list and does nothing with the pages."""

    name = "bare"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url_list = Path(urls).read_text(encoding="utf-8").split()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.url_list:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: Response) -> None:
        return None

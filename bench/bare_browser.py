"""The baseline of the JS benchmark: a bare Playwright loop over the same pages, nothing of the project's.

    python -m bench.bare_browser URLS_FILE SELECTOR PAGES_PER_HOST

Chromium is launched with the crawler's own options (crawlers.settings: /usr/bin/chromium, its
lookups of Google refused, so it stays on loopback); one context per host with PAGES_PER_HOST tabs,
as the crawl has (a context per source, two pages each). Each tab loads its URLs one after another
and waits for SELECTOR, then reads the rendered HTML. Exits non-zero if a page failed.
"""

from __future__ import annotations

import asyncio
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from playwright.async_api import Browser, async_playwright

from crawlers.settings import PLAYWRIGHT_LAUNCH_OPTIONS


async def host_loop(browser: Browser, urls: list[str], selector: str, tabs: int) -> int:
    """Every URL of one host through `tabs` tabs of one context; the number of pages read."""
    context = await browser.new_context()
    queue = list(urls)

    async def one_tab() -> int:
        page, read = await context.new_page(), 0
        while queue:
            await page.goto(queue.pop(0))
            await page.wait_for_selector(selector)
            read += bool(await page.content())
        return read

    counts = await asyncio.gather(*(one_tab() for _ in range(tabs)))
    await context.close()
    return sum(counts)


async def fetch_all(urls: list[str], selector: str, tabs: int) -> int:
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).netloc].append(url)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**cast(dict[str, Any], PLAYWRIGHT_LAUNCH_OPTIONS))
        counts = await asyncio.gather(*(host_loop(browser, group, selector, tabs) for group in by_host.values()))
        await browser.close()
    return sum(counts)


def main() -> int:
    urls_file, selector, tabs = sys.argv[1:4]
    urls = Path(urls_file).read_text(encoding="utf-8").split()
    read = asyncio.run(fetch_all(urls, selector, int(tabs)))
    return 0 if read == len(urls) else 1


if __name__ == "__main__":
    sys.exit(main())

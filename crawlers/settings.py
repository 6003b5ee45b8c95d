"""Scrapy settings for the clerkships crawler.

Defaults only: the spider overrides user agent, delays, concurrency, timeouts, size limits and the
JS download handler from `config/sources.yaml` when it opens (see `crawlers.spiders.programs`).
"""

from __future__ import annotations

from typing import TypedDict

BOT_NAME = "clerkships"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Safety: nothing may reach into the running crawler, robots.txt is law.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False

# Politeness: per-host concurrency 1–2 and AutoThrottle; the config fills in the numbers.
CONCURRENT_REQUESTS = 32
# A page yields a few records: Scrapy starts this many tasks per page for its output (default 100).
CONCURRENT_ITEMS = 8
# Many hosts with few requests each: the spider gives a source's n-th page priority -n, so Scrapy's
# plain priority queue hands out pages host by host in turn at a cost per request that does not grow
# with the hosts. DownloaderAwarePriorityQueue (least busy host first) scans every host with queued
# requests on each pop and each length check: 1,000 hosts cost it far more than the crawl itself.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.ScrapyPriorityQueue"
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# Worker processes that extract pages while the reactor fetches (see the spider).
READER_PROCESSES = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10_000_000
DOWNLOAD_WARNSIZE = 0

# Retries only for errors that may go away by themselves (not 500, 404, robots refusals...).
RETRY_ENABLED = True
RETRY_TIMES = 1
RETRY_HTTP_CODES = [502, 503, 504, 408, 429]
# A Retry-After answer is retried after the wait it asks, at most this long (seconds) and at most
# two download timeouts; one asking more is not retried (see crawlers.downloadermiddlewares).
RETRY_AFTER_MAX = 60

DOWNLOADER_MIDDLEWARES = {
    # Each request stays on its own source's hosts (redirect targets too), checked before robots.txt.
    "crawlers.downloadermiddlewares.SourceHosts": 60,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.downloadermiddlewares.RetryAfterMiddleware": 550,
}

EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawlers.extensions.NotModifiedAwareAutoThrottle": 0,
    "crawlers.extensions.StatusWriter": 500,
    "crawlers.capture.ResponseCapture": 600,  # only with CAPTURE_DIR set (`clerkships capture`)
}
ITEM_PIPELINES = {"crawlers.pipelines.StagingPipeline": 300}
# Spider middlewares wrap every output of every page; these two do nothing for this spider: it keeps
# each page's depth itself (`follow.max_depth`, no DEPTH_LIMIT) and copies no response meta blindly.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}

# JavaScript pages (only used when a `render: js` source is crawled; see the spider).
PLAYWRIGHT_BROWSER_TYPE = "chromium"


class LaunchOptions(TypedDict):
    """Playwright's `launch()` keywords that the crawler sets (tests launch the same Chromium)."""

    executable_path: str
    headless: bool
    args: list[str]


PLAYWRIGHT_LAUNCH_OPTIONS: LaunchOptions = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # Chromium's own Google-account and updater lookups, sent even headless and with the flags
        # above: a crawler has no business there (and a test must stay on loopback).
        "--host-resolver-rules=MAP accounts.google.com ~NOTFOUND, MAP update.googleapis.com ~NOTFOUND",
    ],
}
PLAYWRIGHT_ABORT_REQUEST = "crawlers.middlewares.abort_heavy_resources"
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

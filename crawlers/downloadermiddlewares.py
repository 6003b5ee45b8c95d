"""Downloader middlewares: every request stays on its source's hosts, and a retry waits as long as
the server asked it to.

Requests carry `dont_filter=True` (the spider de-duplicates per source, by canonical URL), which
also turns off Scrapy's OffsiteMiddleware; and its allowed domains would be the union of every
source's hosts, so a page redirected onto another source's host would pass. `SourceHosts` checks
each request against its own source, before robots.txt is asked, so an off-site redirect target
is never contacted. An on-host redirect target passes and then meets RobotsTxtMiddleware like any
request: robots.txt is obeyed for every host actually fetched.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Protocol, Self, cast

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

    from crawlers.config import Source

logger = logging.getLogger(__name__)

RETRY_AFTER_TIMEOUTS = 2
"""A Retry-After wait is bounded by RETRY_AFTER_MAX and by this many download timeouts, so a night
never waits on one page longer than two timed-out downloads of it would have taken."""


class OffsiteRequest(IgnoreRequest):
    """A request (a redirect's target) off its source's hosts: dropped unfetched."""

    def __init__(self, url: str, redirected_from: list[str]):
        self.url = url
        self.redirected_from = redirected_from
        how = f"redirected from {redirected_from[0]} to" if redirected_from else "request for"
        super().__init__(f"{how} {url}, which is off the source's hosts")


class SourcesSpider(Protocol):
    """What `SourceHosts` needs of the spider: the source each request was made for."""

    def source_for(self, request: Request) -> Source | None: ...


class SourceHosts:
    """Drops any request whose URL is not on the hosts of the source it was made for."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = cast("SourcesSpider", self.crawler.spider)  # Scrapy types it as any Spider
        source = spider.source_for(request)
        if source is not None and not source.allows(request.url):
            raise OffsiteRequest(request.url, request.meta.get("redirect_urls", []))


def retry_after(value: bytes | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks to wait (delay-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, but an answer with Retry-After (a 429 or 503, typically) is retried only after
    the wait it asks for, within `max_wait`; one asking for longer is not retried early against the
    server's wish: the page fails now, with its status. Without the header, retries are Scrapy's own.

    The wait holds only this request: the rest of the host's pages go on at the usual pace.
    """

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.max_wait = min(
            settings.getfloat("RETRY_AFTER_MAX"), RETRY_AFTER_TIMEOUTS * settings.getfloat("DOWNLOAD_TIMEOUT")
        )

    # Scrapy awaits a coroutine process_response; RetryMiddleware's own is a plain method.
    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        wait = retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
        if wait is None or request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return super().process_response(request, response)
        if wait > self.max_wait:
            logger.info("not retrying %s: Retry-After asks %g s, over the %g s allowed", request, wait, self.max_wait)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        logger.info("retrying %s in %g s, as its Retry-After asks", request, wait)
        await asyncio.sleep(wait)
        return retry

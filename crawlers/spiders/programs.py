"""The one spider: crawls every enabled (or named) source of the config into the run's staging.

`scrapy crawl programs [-a config=PATH] [-a run_dir=DIR] [-a source=ID,ID2] [-a shard=N]`, or the same
as settings (`-s CLERKSHIPS_CONFIG=PATH -s CLERKSHIPS_RUN_DIR=DIR -s CLERKSHIPS_SOURCES=ID,ID2
-s CLERKSHIPS_SHARD=N`). Arguments win over settings; the spider writes what it resolved back into
those settings, which are all the pipeline and the status writer read (the Scrapy way, as
`JOBDIR` is for Scrapy's own components).

Extraction (and the link discovery that reads the same parsed page) runs in a small pool of worker
processes, so the reactor keeps fetching while pages are read; the crawl process itself never
imports the extraction library, which a night of unchanged pages does not need.

Each page is counted under `source/<id>/...` in Scrapy's stats (see `crawlers.extensions`):
`pages_fetched` = pages that answered 2xx or 304 (`pages_not_modified` are among them),
`pages_gone` = 404/410, `pages_failed` = other statuses and download errors, `robots_refused`
and `offsite_dropped` (a page redirected off the source's hosts, see `crawlers.downloadermiddlewares`)
apart: those pages were not fetched, and their manifest entries say so (status None, an error).
`links_offsite` counts program-looking links off the source's hosts on the pages read this run.
A page that answers 304, or whose body hash equals the last run's, is not extracted again:
its programs are copied from the last run's staging as staged (never rebuilt as models), with a
new `fetched_at`. So is a page that came incomplete (`crawlers.completeness`), counted in
`pages_incomplete`; without a last version to keep, an incomplete page is one of `pages_failed`.
Every page is one item for the pipeline (`crawlers.items.StagedPage`): its manifest entry with
its records.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import multiprocessing
import re
import sys
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings
from twisted.python.failure import Failure

from contract.identity import canonical_url, program_id
from contract.record import ExtractedProgram, ProgramRecord
from contract.run_folder import PageEntry, utc_now
from crawlers.completeness import closes_wrappers, cut_markup, shrunk
from crawlers.config import Config, Source, load_config
from crawlers.downloadermiddlewares import OffsiteRequest
from crawlers.items import StagedPage
from crawlers.links import is_pdf, program_links, program_pattern
from crawlers.pipelines import PreviousRun
from crawlers.run import new_run_id
from crawlers.sitemaps import MAX_SITEMAPS, read_sitemap, robots_urls

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
# Statuses that reach the callback so they are counted per source instead of silently dropped.
HANDLED_STATUSES = [304, *range(400, 600)]
SWITCH_INTERVAL = 0.0005  # seconds; see reader_pool
RENDER_IF_CHANGED = "render_if_changed"  # meta: a JS page's plain conditional request, rendered unless 304
PAGE_META = (
    "source_id",
    "page_key",
    "page_depth",
    "start_page",
    "handle_httpstatus_list",
    "autothrottle_dont_adjust_delay",
)


@dataclass
class SourceState:
    """A source's progress: pages seen (canonical URLs), requests in flight, its browser context."""

    source: Source
    pattern: re.Pattern[str]
    seen: set[str] = field(default_factory=set)
    pending: int = 0
    context: BrowserContext | None = None
    sitemaps: int = 0  # robots.txt and sitemap files requested (`follow.sitemap`)


@dataclass
class PageReading:
    """What a worker read from one page: its programs, its program links, or why it could not.

    `text_chars`, `closes` and `cut` are set for HTML only: the length of its readable text, whether
    it closes its `<body>`/`<html>`, and why its markup stops short (`crawlers.completeness`)."""

    programs: list[ExtractedProgram]
    links: list[str]
    error: str | None = None
    offsite_links: int = 0
    text_chars: int | None = None
    closes: bool | None = None
    cut: str | None = None


@lru_cache(maxsize=65_536)
def page_key(url: str) -> str:
    """The page's canonical URL, kept: a source's pages link to the same pages (every page to its
    index and menus), and w3lib's canonicalization costs 100 µs, a tenth of an unchanged page's crawl."""
    return canonical_url(url)


def read_page(
    source: Source,
    pattern: re.Pattern[str],
    url: str,
    body: bytes,
    content_type: str | None,
    encoding: str | None,
    closed_before: bool | None = None,
) -> PageReading:
    """Extract a page's programs and find its program links (PDFs too when it has programs).

    Runs in a worker process: the page travels as bytes and is parsed there, once, for both jobs.
    """
    from crawlers.extract import ExtractError, extract_programs  # heavy; loaded where pages are read
    from crawlers.extract.document import load_document

    text_chars = closes = cut = None
    html = None
    try:
        document = load_document(body, content_type)
        html = document.html
        if html is not None:
            text_chars, closes, cut = len(document.text), closes_wrappers(body), cut_markup(body, closed_before)
        programs, error = extract_programs(document, url=url, source=source), None
    except ExtractError as exc:
        programs, error = [], str(exc)
    links, offsite = program_links(url, html, encoding, source, pattern, with_pdfs=bool(programs))
    return PageReading(programs, links, error, offsite, text_chars, closes, cut)


def reader_pool(workers: int) -> ProcessPoolExecutor:
    """Workers forked from a fresh server process that loaded the extraction library once (not from
    the crawl process, whose threads and sockets a fork would copy).

    The pool's threads hand pages and results over while the reactor thread holds the GIL; at the
    default 5 ms switch interval each handover waits that long and the workers starve.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["crawlers.spiders.programs", "crawlers.extract.program"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


async def wait_if_present(page: Any, selector: str, timeout_ms: float) -> None:
    """Wait for the source's `wait_for` selector, but take the page as it is when it never comes:
    a 404 page or a page of another layout is still an answer, not a failed download."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        await page.wait_for_selector(selector, timeout=timeout_ms)


DEFAULT_CONFIG = "config/sources.yaml"
DEFAULT_RUNS = Path("data") / "runs"


class ProgramsSpider(Spider):
    name = "programs"

    def __init__(
        self,
        config: str | None = None,
        run_dir: str | None = None,
        source: str | None = None,
        shard: str | None = None,
        **kwargs: Any,
    ):
        """`scrapy crawl programs -a source=ID` alone crawls with the repo's config into data/runs/<new run id>."""
        super().__init__(**kwargs)
        self.arguments = {"config": config, "run_dir": run_dir, "source": source, "shard": shard}
        self.readers: ProcessPoolExecutor | None = None
        self.readers_started: asyncio.Future[Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ProgramsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup(crawler.settings)
        return spider

    def setup(self, settings: Settings) -> None:
        """Resolve config, run folder, sources and shard (arguments, else settings, else defaults),
        write them back as settings, and read the previous run's staging."""
        given = self.arguments
        config_path = given["config"] or settings.get("CLERKSHIPS_CONFIG") or DEFAULT_CONFIG
        self.config: Config = load_config(config_path)
        run_dir = given["run_dir"] or settings.get("CLERKSHIPS_RUN_DIR") or str(DEFAULT_RUNS / new_run_id())
        names = given["source"] or ",".join(settings.getlist("CLERKSHIPS_SOURCES"))
        ids = [part.strip() for part in names.split(",") if part.strip()] or None
        self.sources = self.config.enabled_sources(ids)
        self.run_dir = Path(run_dir)
        shard = given["shard"] or settings.get("CLERKSHIPS_SHARD") or None  # shards share a run's folder
        settings.setdict(
            {
                "CLERKSHIPS_CONFIG": str(config_path),
                "CLERKSHIPS_RUN_DIR": str(self.run_dir),
                "CLERKSHIPS_SOURCES": [s.id for s in self.sources],
                "CLERKSHIPS_SHARD": shard or "",
            },
            priority="spider",
        )
        configure(settings, self.config, self.sources)
        self.previous = PreviousRun.find(self.run_dir, [s.id for s in self.sources])
        self.states = {s.id: SourceState(s, program_pattern(s)) for s in self.sources}
        self.allowed_domains = sorted({host.split(":")[0] for s in self.sources for host in s.hosts})

    @property
    def render_wait_ms(self) -> float:
        """How long a JS page may take to show its `wait_for` selector: the download timeout."""
        return self.config.settings.politeness.download_timeout * 1000

    def closed(self, reason: str) -> None:
        if self.readers is not None:
            self.readers.shutdown(cancel_futures=True)

    async def read(self, state: SourceState, response: Response, previous: PageEntry | None) -> PageReading:
        """Read the page in the worker pool, the reactor fetching meanwhile (READER_PROCESSES = 0: here)."""
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        encoding = response.encoding if isinstance(response, TextResponse) else None
        closed_before = previous.closes if previous else None
        job = (
            read_page,
            state.source,
            state.pattern,
            response.url,
            response.body,
            content_type,
            encoding,
            closed_before,
        )
        if not self.settings.getint("READER_PROCESSES"):
            return read_page(*job[1:])
        await self.start_readers()
        assert self.readers is not None  # started just above
        return await asyncio.wrap_future(self.readers.submit(read_page, *job[1:]))

    def start_readers(self) -> asyncio.Future[Any]:
        """Start the worker pool once, from a thread: a new process takes a second to be ready, and the
        reactor keeps fetching meanwhile."""
        if self.readers_started is None:
            self.readers = readers = reader_pool(self.settings.getint("READER_PROCESSES"))
            self.readers_started = asyncio.get_running_loop().run_in_executor(
                None, lambda: readers.submit(int).result()
            )
        return self.readers_started

    def source_for(self, request: Request) -> Source | None:
        """The source a request was made for; None for Scrapy's own (robots.txt)."""
        state = self.states.get(request.meta.get("source_id", ""))
        return state.source if state else None

    async def start(self) -> AsyncIterator[Request]:
        if self.settings.getint("READER_PROCESSES") and any(not self.previous.pages[s.id] for s in self.sources):
            self.start_readers()  # some source was never crawled: it has pages to read
        # Build every start request first so no source looks finished between two of its start pages.
        requests = [
            request
            for state in self.states.values()
            for url in state.source.start_urls
            if (request := self.page_request(state, url, depth=0, start=True))
        ]
        requests += [
            self.sitemap_request(state, url)
            for state in self.states.values()
            if state.source.follow.sitemap and state.source.follow.max_depth
            for url in robots_urls(state.source)
        ]
        for request in requests:
            yield request

    def count(self, source_id: str, name: str, value: int = 1) -> None:
        self.crawler.stats.inc_value(f"source/{source_id}/{name}", value)

    def page_request(self, state: SourceState, url: str, depth: int, start: bool = False) -> Request | None:
        """A request for a page not seen yet within the source's page budget, else None.

        A page known from the last run asks for itself only if changed (its validators); a JS page
        asks so with a plain request first and is rendered only when that is not answered 304."""
        source = state.source
        key = page_key(url)
        if key in state.seen or len(state.seen) >= source.follow.max_pages:
            return None
        state.seen.add(key)
        self.hold(state)
        if start:
            self.count(source.id, "start_pages")
        meta: dict[str, Any] = {
            "source_id": source.id,
            "page_key": key,
            "page_depth": depth,
            "start_page": start,
            "handle_httpstatus_list": HANDLED_STATUSES,
        }
        if source.politeness and source.politeness.download_delay is not None:
            meta["autothrottle_dont_adjust_delay"] = True
        headers = validators(self.previous.page(source.id, key))
        if source.render == "js" and not is_pdf(url):
            # A check that fails is the page's failure, not retried, like a render that times out.
            meta.update(self.render_meta(source) if not headers else {RENDER_IF_CHANGED: True, "dont_retry": True})
        return Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            meta=meta,
            headers=headers,
            priority=1 - len(state.seen),  # every source's n-th page before any source's (n+1)-th: see settings
            dont_filter=True,  # de-duplication is per source, by canonical URL (above)
        )

    def render_meta(self, source: Source) -> dict[str, Any]:
        """What has Chromium render a page of `source` (waiting for its `wait_for` selector)."""
        from scrapy_playwright.page import PageMethod  # only JS crawls load Playwright

        waits = [PageMethod(wait_if_present, source.wait_for, self.render_wait_ms)] if source.wait_for else []
        return {
            "playwright": True,
            "playwright_context": source.id,
            "playwright_include_page": True,
            "playwright_page_methods": waits,
        }

    def render_request(self, state: SourceState, response: Response) -> Request:
        """The page of a plain conditional request that was not answered 304, now for Chromium to
        render, without validators (the browser must get the page itself, not a 304)."""
        meta = {key: response.meta[key] for key in PAGE_META if key in response.meta}
        request = response.request
        assert request is not None  # a response the spider got always carries its request
        url = (response.meta.get("redirect_urls") or [request.url])[0]
        return Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            meta={**meta, **self.render_meta(state.source)},
            priority=request.priority,
            dont_filter=True,
        )

    def sitemap_request(self, state: SourceState, url: str) -> Request:
        """A robots.txt or sitemap to read for program pages (not a page: no manifest entry, no
        health counter; one that fails is only logged)."""
        state.sitemaps += 1
        self.hold(state)
        robots = url.endswith("/robots.txt")  # a missing one is answered too: then /sitemap.xml is tried
        meta = {"source_id": state.source.id, "dont_obey_robotstxt": robots}
        if robots:
            meta["handle_httpstatus_list"] = HANDLED_STATUSES
        return Request(url, callback=self.parse_sitemap, errback=self.sitemap_failed, meta=meta, dont_filter=True)

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Request]:
        """The sitemaps it names (within MAX_SITEMAPS) and its program-looking pages, at depth 1."""
        state = self.states[response.meta["source_id"]]
        reading = read_sitemap(response, state.source, state.pattern, self.settings.getint("DOWNLOAD_MAXSIZE"))
        for url in reading.sitemaps[: max(0, MAX_SITEMAPS - state.sitemaps)]:
            yield self.sitemap_request(state, url)
        for url in reading.pages:
            if request := self.page_request(state, url, depth=1):
                yield request
        await self.release(state)

    async def sitemap_failed(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]
        self.logger.info("no sitemap at %s: %s", request.url, failure.getErrorMessage())
        await self.release(self.states[request.meta["source_id"]])

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        state = self.states[response.meta["source_id"]]
        if response.meta.get(RENDER_IF_CHANGED) and response.status != 304:
            yield self.render_request(state, response)  # still pending: the render finishes the page
            return
        page = response.meta.pop("playwright_page", None)
        if page is not None:
            state.context = page.context
            await page.close()
        async for output in self.handle_response(state, response):
            yield output
        await self.release(state)

    async def page_failed(self, failure: Failure) -> AsyncIterator[Any]:
        request: Request = failure.request  # type: ignore[attr-defined]
        state = self.states[request.meta["source_id"]]
        page = request.meta.pop("playwright_page", None)
        if page is not None:
            await page.close()
        sid = state.source.id
        if failure.check(OffsiteRequest):
            self.count(sid, "offsite_dropped")
            error = str(failure.value)
        elif failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            self.count(sid, "robots_refused")
            error = "refused by robots.txt"
        else:
            name = type(failure.value).__name__
            self.count(sid, "pages_failed")
            self.count(sid, f"exceptions/{name}")
            error = f"{name}: {failure.getErrorMessage()}"
        url = (request.meta.get("redirect_urls") or [request.url])[0]  # the page's own URL, not a redirect's
        if request.meta["start_page"]:
            self.start_failed(sid, url, error)
        yield StagedPage(PageEntry(sid, request.meta["page_key"], url, None, utc_now(), error=error))
        await self.release(state)

    def start_failed(self, source_id: str, url: str, error: str) -> None:
        self.count(source_id, "start_pages_failed")
        self.crawler.stats.set_value(f"source/{source_id}/start_error", f"{url}: {error}")

    def hold(self, state: SourceState) -> None:
        """One more request of the source in flight; `pending` in the stats tells the status writer
        that a source whose crawl stopped early was unfinished."""
        state.pending += 1
        self.count(state.source.id, "pending")

    async def release(self, state: SourceState) -> None:
        """One request of the source is done; when it was the last, close the source's browser context."""
        state.pending -= 1
        self.count(state.source.id, "pending", -1)
        if state.pending == 0:
            self.logger.info("source %s done: %d page(s)", state.source.id, len(state.seen))
            if state.context is not None:
                context, state.context = state.context, None
                await context.close()

    async def handle_response(self, state: SourceState, response: Response) -> AsyncIterator[Any]:
        sid = state.source.id
        meta = response.meta
        status = response.status
        if not state.source.allows(response.url):  # a browser followed a redirect off the source's hosts
            page_url = response.request.url if response.request else response.url
            error = str(OffsiteRequest(response.url, [page_url]))
            self.count(sid, "offsite_dropped")
            if meta["start_page"]:
                self.start_failed(sid, page_url, error)
            yield StagedPage(PageEntry(sid, meta["page_key"], page_url, None, utc_now(), error=error))
            return
        self.count(sid, f"http_status/{status}")
        previous = self.previous.page(sid, meta["page_key"])
        if (status == 304 and previous) or 200 <= status < 300:
            self.count(sid, "pages_fetched")
            sha = hashlib.sha256(response.body).hexdigest() if status != 304 else None
            if previous and (status == 304 or previous.sha256 == sha):
                self.count(sid, "pages_not_modified")
                outputs = self.reuse(state, response, previous)
            else:
                outputs = await self.extract(state, response, sha or "", previous)
            for output in outputs:
                yield output
            return
        error = f"HTTP {status}"
        if status in (404, 410):
            self.count(sid, "pages_gone")
        else:
            self.count(sid, "pages_failed")
        if meta["start_page"]:
            self.start_failed(sid, response.url, error)
        yield StagedPage(PageEntry(sid, meta["page_key"], response.url, status, utc_now(), error=error))

    async def extract(self, state: SourceState, response: Response, sha: str, previous: PageEntry | None) -> list[Any]:
        """A new or changed page: extract its programs, stage them, follow its program links.

        An incomplete page keeps its last version (or, without one, is a failed page)."""
        source = state.source
        reading = await self.read(state, response, previous)
        if reading.offsite_links:
            self.count(source.id, "links_offsite", reading.offsite_links)
        last_chars = previous.text_chars if previous else None
        incomplete = reading.cut or shrunk(reading.text_chars, last_chars, reading.programs)
        if incomplete:
            return self.incomplete(state, response, reading, previous, incomplete)
        if reading.error:
            self.logger.warning("cannot extract %s: %s", response.url, reading.error)
            self.count(source.id, "exceptions/ExtractError")
        now = utc_now()
        records = staged_records(source, response.url, reading.programs, sha, now)
        entry = PageEntry(
            source.id,
            response.meta["page_key"],
            response.url,
            response.status,
            now,
            etag=header(response, b"ETag"),
            last_modified=header(response, b"Last-Modified"),
            sha256=None if reading.error else sha,
            links=reading.links,
            programs=len(records),
            error=reading.error,
            text_chars=reading.text_chars,
            closes=reading.closes,
        )
        return self.stage(state, response, StagedPage(entry, records=records))

    def incomplete(
        self, state: SourceState, response: Response, reading: PageReading, previous: PageEntry | None, why: str
    ) -> list[Any]:
        """A page that came cut off is not the site's new version: keep the last one, validators and
        all (so the next night asks again), or, with none, stage the page as failed."""
        sid = state.source.id
        self.logger.warning("incomplete page %s: %s", response.url, why)
        if previous:
            self.count(sid, "pages_incomplete")
            return self.reuse(state, response, previous, renew_validators=False)
        error = f"incomplete page: {why}"
        self.count(sid, "pages_failed")
        if response.meta["start_page"]:
            self.start_failed(sid, response.url, error)
        entry = PageEntry(
            sid, response.meta["page_key"], response.url, response.status, utc_now(), links=reading.links, error=error
        )
        return self.stage(state, response, StagedPage(entry))

    def reuse(
        self, state: SourceState, response: Response, previous: PageEntry, renew_validators: bool = True
    ) -> list[Any]:
        """An unchanged page: its last programs are still observed now (staged again as they were, with
        the entry's `fetched_at`); its links are followed again."""
        now = utc_now()
        update: dict[str, Any] = {"status": response.status, "fetched_at": now}
        if renew_validators:
            update["etag"] = header(response, b"ETag") or previous.etag
            update["last_modified"] = header(response, b"Last-Modified") or previous.last_modified
        entry = PageEntry(**{**previous.__dict__, **update})
        kept = self.previous.programs(state.source.id, previous.source_url)
        return self.stage(state, response, StagedPage(entry, kept=kept))

    def stage(self, state: SourceState, response: Response, page: StagedPage) -> list[Any]:
        """The staged page (one item), and requests for its links within the depth."""
        if page.records or page.kept:
            self.count(state.source.id, "pages_with_programs")
        outputs: list[Any] = [page]
        entry = page.entry
        if response.meta["page_depth"] < state.source.follow.max_depth:
            depth = response.meta["page_depth"] + 1
            outputs += [request for url in entry.links if (request := self.page_request(state, url, depth))]
        return outputs


def staged_records(
    source: Source, url: str, programs: list[ExtractedProgram], sha: str, fetched_at: str
) -> list[ProgramRecord]:
    """A page's programs as staged: named by `program_id`, with the source's identity and the page's provenance."""
    return [
        ProgramRecord(
            **program.model_dump(),
            program_id=program_id(source.id, url, program.program_key),
            source_id=source.id,
            institution=source.institution,
            campus=source.campus,
            city=source.city,
            state=source.state,
            source_url=url,
            page_sha256=sha,
            fetched_at=fetched_at,
        )
        for program in programs
    ]


def validators(previous: PageEntry | None) -> dict[str, str]:
    """The conditional-GET headers for a page the last run fetched (none without its validators)."""
    headers = {}
    if previous and previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous and previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    return headers


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def configure(settings: Settings, config: Config, sources: list[Source]) -> None:
    """Politeness and limits from the config (AutoThrottle only when there is a delay to adapt);
    Chromium's download handler only when a JS source runs."""
    politeness = config.settings.politeness
    values: dict[str, Any] = {
        "USER_AGENT": config.settings.user_agent,
        "DOWNLOAD_DELAY": politeness.download_delay,
        "AUTOTHROTTLE_START_DELAY": politeness.download_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": politeness.concurrency_per_host,
        "DOWNLOAD_TIMEOUT": politeness.download_timeout,
        "DOWNLOAD_MAXSIZE": politeness.max_page_bytes,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": politeness.download_timeout * 1000,
        "DOWNLOAD_SLOTS": {
            host.split(":")[0]: {
                key: value
                for key, value in (
                    ("delay", source.politeness.download_delay),
                    ("concurrency", source.politeness.concurrency),
                )
                if value is not None
            }
            for source in sources
            if source.politeness
            for host in source.hosts
        },
    }
    if not politeness.download_delay:
        # No delay asked: AutoThrottle would still hold each host to its latency (25.5 s against 18.5 s
        # on the loopback bench); per-source delays still apply through DOWNLOAD_SLOTS.
        values["AUTOTHROTTLE_ENABLED"] = False
    if any(source.render == "js" for source in sources):
        values["DOWNLOAD_HANDLERS"] = {"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER}
    settings.setdict(values, priority="spider")

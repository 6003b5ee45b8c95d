"""Crawl benchmark (not a test): the full spider against a bare fetch-only Scrapy spider.

    uv run python bench/bench_crawl.py [--hosts 50] [--pages 40] [--rounds 3] [--small-pages]
                                       [--js-hosts 4] [--js-pages 10]

Serves a synthetic web (bench/synthetic_web.py: realistic 15-20 KB pages with ~130 links, or the
2.9 KB ones with `--small-pages`) on distinct 127.0.0.N addresses and prints: the page readers'
time per page (link discovery apart), pages/s of the full spider (discovery + extraction +
staging) and of a bare spider fetching the same URLs with the same politeness settings, run A/B
interleaved for `--rounds` rounds (medians), their ratio (goal >= 0.8), the second-night crawl of
the unchanged web as a fraction of the first (goal <= 0.3), peak RSS of the crawl process tree
(goal <= 400 MB), and Chromium pages/s for JS pages.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, Self

import psutil
import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic_web import SyntheticWeb
from contract.run_folder import RunStatus
from crawlers.config import load_config
from crawlers.extract.document import load_document
from crawlers.links import program_links, program_pattern
from crawlers.run import crawl
from crawlers.spiders.programs import configure, read_page

REPO = Path(__file__).resolve().parents[1]


class BareSpider(scrapy.Spider):
    """Fetches a fixed URL list and does nothing with the pages: the baseline."""

    name = "bare"

    def __init__(self, urls: str, config: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.url_list = Path(urls).read_text(encoding="utf-8").split()
        self.config_path = config

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        config = load_config(spider.config_path)
        configure(crawler.settings, config, config.enabled_sources())
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.url_list:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> None:
        return None


class PeakMemory:
    """Samples this process's children every 0.1 s: the largest RSS of one process (the Scrapy
    crawl) and the summed PSS of all of them (the crawl plus Chromium, shared pages counted once)."""

    def __enter__(self) -> PeakMemory:
        self.process = self.tree = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self

    def sample(self) -> None:
        me = psutil.Process()
        while not self.stop.wait(0.1):
            tree = 0
            for child in me.children(recursive=True):
                try:
                    info = child.memory_full_info()
                except psutil.Error:
                    continue
                self.process = max(self.process, info.rss)
                tree += info.pss
            self.tree = max(self.tree, tree)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def full_crawl(config: Path, run_dir: Path) -> tuple[float, RunStatus]:
    started = time.perf_counter()
    status = crawl(config, run_dir, timeout=1800)
    return time.perf_counter() - started, status


def bare_crawl(config: Path, urls: Path, log: Path) -> float:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
    command = [sys.executable, "-m", "scrapy", "runspider", __file__, "-a", f"urls={urls}", "-a", f"config={config}"]
    command += ["-s", "ITEM_PIPELINES={}", "-s", "EXTENSIONS={}"]
    started = time.perf_counter()
    with log.open("wb") as out:
        subprocess.run(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - started


def totals(status: Mapping[str, Any]) -> dict[str, int]:
    keys = ("pages_fetched", "pages_not_modified", "pages_failed", "items")
    return {key: sum(source[key] for source in status["sources"].values()) for key in keys}


def reading_times(web_: SyntheticWeb, config: Path, rounds: int) -> tuple[float, float]:
    """Median ms per page of `read_page` (extraction and link discovery, as a page reader runs it)
    and of its link discovery alone, over the first host's pages, in this process."""
    source = load_config(config).sources[0]
    pattern = program_pattern(source)
    base = web_.base_urls[0]
    paths = ["international/", *(f"international/observerships/{page}.html" for page in range(web_.pages))]
    pages = [(f"{base}/{path}", (web_.body(0, path) or "").encode()) for path in paths]
    parsed = [(url, load_document(body, "text/html").html) for url, body in pages]
    read_page(source, pattern, *pages[0], "text/html", "utf-8")  # loads the extraction library
    reading, links = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for url, body in pages:
            read_page(source, pattern, url, body, "text/html", "utf-8")
        reading.append((time.perf_counter() - started) / len(pages) * 1e3)
        started = time.perf_counter()
        for url, html in parsed:
            program_links(url, html, "utf-8", source, pattern, with_pdfs=True)
        links.append((time.perf_counter() - started) / len(pages) * 1e3)
    return statistics.median(reading), statistics.median(links)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--pages", type=int, default=40, help="program pages per host")
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds of full and bare crawls (medians)")
    parser.add_argument("--small-pages", action="store_true", help="2.9 KB pages with 2 links, not realistic ones")
    parser.add_argument("--js-hosts", type=int, default=4)
    parser.add_argument("--js-pages", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    kind = "2.9 KB" if args.small_pages else "realistic"
    print(f"synthetic web: {args.hosts} hosts x {args.pages} {kind} program pages; work dir {work}")

    with SyntheticWeb(args.hosts, args.pages, realistic=not args.small_pages) as web_:
        config = web_.write_config(work / "sources.yaml")
        page_bytes = len(web_.body(0, "international/observerships/0.html") or "")
        read_ms, links_ms = reading_times(web_, config, args.rounds)
        print(f"page reading: {read_ms:.2f} ms/page of {page_bytes / 1000:.1f} KB, link discovery {links_ms:.2f} ms")
        firsts, bares = [], []
        for round_ in range(args.rounds):  # A/B interleaved: full first in even rounds, bare first in odd ones
            runs = work / f"round{round_}" / "runs"
            if round_ % 2:
                bares.append(bare_crawl(config, work / "urls.txt", work / "bare.log"))
            with PeakMemory() as memory:
                elapsed, status1 = full_crawl(config, runs / "night1")
            firsts.append(elapsed)
            if round_ == 0:
                lines = (runs / "night1" / "pages.jsonl").read_text().splitlines()
                urls = [json.loads(line)["source_url"] for line in lines]
                (work / "urls.txt").write_text("\n".join(urls), encoding="utf-8")
            if not round_ % 2:
                bares.append(bare_crawl(config, work / "urls.txt", work / "bare.log"))
        t1 = totals(status1)
        pages = t1["pages_fetched"]
        first, bare = statistics.median(firsts), statistics.median(bares)
        second, status2 = full_crawl(config, runs / "night2")
        t2 = totals(status2)

    rounds = f"median of {args.rounds}: full {', '.join(f'{t:.1f}' for t in firsts)} s; "
    rounds += f"bare {', '.join(f'{t:.1f}' for t in bares)} s"
    print(f"night 1 (full spider): {pages} pages, {t1['items']} programs, {first:.1f} s, {pages / first:.1f} pages/s")
    print(f"bare fetch-only spider: {len(urls)} pages, {bare:.1f} s, {len(urls) / bare:.1f} pages/s ({rounds})")
    print(f"full / bare pages/s ratio: {(pages / first) / (len(urls) / bare):.2f} (goal >= 0.8)")
    print(
        f"night 2 (unchanged): {t2['pages_fetched']} pages, {t2['pages_not_modified']} not modified, "
        f"{t2['items']} programs, {second:.1f} s; night2/night1 time ratio {second / first:.2f} (goal <= 0.3)"
    )
    print(
        f"peak RSS of the crawl process (night 1): {memory.process / 1e6:.0f} MB (goal <= 400 MB); "
        f"peak PSS with its page readers {memory.tree / 1e6:.0f} MB"
    )

    if args.js_hosts:
        with SyntheticWeb(args.js_hosts, args.js_pages, js=True) as js_web:
            config = js_web.write_config(work / "sources-js.yaml", render="js")
            with PeakMemory() as js_memory:
                elapsed, status = full_crawl(config, work / "runs" / "js")
        js = totals(status)
        print(
            f"chromium: {js['pages_fetched']} JS pages, {js['items']} programs, {elapsed:.1f} s, "
            f"{js['pages_fetched'] / elapsed:.1f} pages/s; peak RSS of the crawl process "
            f"{js_memory.process / 1e6:.0f} MB, peak PSS with Chromium {js_memory.tree / 1e6:.0f} MB"
        )


if __name__ == "__main__":
    main()

"""A JS night: `render: js` sources crawled through Chromium, against a bare Playwright loop.

A synthetic web whose pages write their content with a script (bench/synthetic_web.py, `js=True`).
In each round, A/B interleaved: the crawl step (crawlers.run.crawl, the Scrapy child of a night)
on night 1 and again on the unchanged web (night 2 finds night 1 next to it), and
bench/bare_browser.py loading the same pages in the same Chromium with the same parallelism.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.nights import REPO, children_cpu, totals
from bench.report import Goal, Row, seconds
from bench.rounds import interleaved
from bench.synthetic_web import SyntheticWeb
from crawlers.run import crawl

PAGES_PER_SOURCE = 4
SELECTOR = "main.ready"  # what the page's script marks when the content is in (the config's wait_for)
TABS = 2  # pages per browser context, as the crawler's PLAYWRIGHT_MAX_PAGES_PER_CONTEXT


def bare_loop(urls: list[str], work: Path) -> dict[str, float]:
    """Wall and CPU seconds of bench/bare_browser.py over `urls`."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "bench.bare_browser", str(work / "urls.txt"), SELECTOR, str(TABS)]
    started, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, cwd=REPO, check=True)
    return {"bare": time.perf_counter() - started, "bare_cpu": children_cpu() - cpu}


def rows(sources: int, rounds: int, work: Path) -> list[Row]:
    counts: dict[str, int] = {}
    with SyntheticWeb(sources, PAGES_PER_SOURCE, js=True) as web:
        config = web.write_config(work / "sources.yaml", render="js")
        urls = web.urls()

        def bare(round_: int) -> dict[str, float]:
            return bare_loop(urls, work / f"bare-{round_}")

        def nights(round_: int) -> dict[str, float]:
            runs = work / f"runs-{round_}"
            started, cpu = time.perf_counter(), children_cpu()
            first = totals(crawl(config, runs / "night1"))
            middle, answered, cpu = time.perf_counter(), web.not_modified, children_cpu() - cpu
            crawl(config, runs / "night2")
            counts.update(pages=first["pages_fetched"], items=first["items"], not_modified=web.not_modified - answered)
            return {"night1": middle - started, "night2": time.perf_counter() - middle, "night1_cpu": cpu}

        t = interleaved(bare, nights, rounds)
    night1, night2, bare_s, cpu1, cpu_bare = (
        statistics.median(t[name]) for name in ("night1", "night2", "bare", "night1_cpu", "bare_cpu")
    )
    size = f"{sources} JS sources"
    return [
        Row(
            "JS night crawl step ÷ bare Playwright loop (pages/s)",
            size,
            bare_s / night1,
            Goal("≥", 0.8),
            f"crawl {seconds(t['night1'])} ({counts['pages']} pages, {counts['items']} programs, "
            f"{counts['pages'] / night1:.1f} pages/s), bare {seconds(t['bare'])}; CPU time {cpu_bare / cpu1:.2f}",
        ),
        Row(
            "unchanged JS night ÷ JS night 1 (crawl step)",
            size,
            night2 / night1,
            Goal("≤", 0.2),
            f"night 2 {seconds(t['night2'])}, {counts['not_modified']} of {counts['pages']} pages answered 304",
        ),
    ]

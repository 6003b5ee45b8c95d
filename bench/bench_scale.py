"""Nights at a given number of sources: night 1, the unchanged night, a bare download of the same web.

Each size gets its own synthetic web (bench/synthetic_web.py: realistic pages, an index and 4
program pages per institution, each institution on its own loopback address, no delays). In each
round, A/B interleaved: a bare fetch-only Scrapy download of every page (bench/bare_spider.py), and
two `clerkships run` on a fresh data dir: night 1 (every page new) and night 2 (the web unchanged:
every page answers 304). Night 1's crawl step is the crawl stage of its status.json.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from bench.memory import PeakMemory
from bench.nights import bare_download, run_night
from bench.report import Goal, Row, seconds
from bench.rounds import Timings, interleaved
from bench.synthetic_web import SyntheticWeb

PAGES_PER_SOURCE = 4  # program pages, besides the index
FLAT = Goal("≤", 1.25)  # cost per source: the dearest size over the cheapest


@dataclass(frozen=True)
class Scale:
    """The timings (seconds, per round) of one size, and its last round's pages (night 1) and
    304 answers (night 2)."""

    sources: int
    timings: Timings
    pages: int
    not_modified: int
    peak_mb: float

    def median(self, name: str) -> float:
        return statistics.median(self.timings[name])

    def per_source_ms(self, name: str) -> float:
        return self.median(name) / self.sources * 1000


def measure(sources: int, rounds: int, work: Path) -> Scale:
    """`rounds` A/B rounds at `sources` institutions."""
    counts: dict[str, int] = {}
    with SyntheticWeb(sources, PAGES_PER_SOURCE) as web, PeakMemory() as memory:
        config = web.write_config(work / "sources.yaml")
        urls = web.urls()

        def bare(round_: int) -> dict[str, float]:
            elapsed, cpu = bare_download(config, urls, work / f"bare-{round_}")
            return {"bare": elapsed, "bare_cpu": cpu}

        def nights(round_: int) -> dict[str, float]:
            data_dir = work / f"data-{round_}"
            first = run_night(config, data_dir)
            answered = web.not_modified
            second = run_night(config, data_dir)
            counts.update(pages=first.totals["pages_fetched"], not_modified=web.not_modified - answered)
            return {
                "crawl": first.crawl_seconds,
                "night1": first.seconds,
                "night2": second.seconds,
                "night1_cpu": first.cpu_seconds,
                "night2_cpu": second.cpu_seconds,
            }

        timings = interleaved(bare, nights, rounds)
    return Scale(sources, timings, counts["pages"], counts["not_modified"], memory.peak / 1e6)


def rows(scale: Scale) -> list[Row]:
    """The size's verdicts: crawl ÷ bare, the unchanged night ÷ night 1 and ÷ the bare download."""
    size = f"{scale.sources:,} sources"
    t = scale.timings
    crawl, bare = scale.median("crawl"), scale.median("bare")
    night1, night2 = scale.median("night1"), scale.median("night2")
    cpu1, cpu2, cpu_bare = (scale.median(name) for name in ("night1_cpu", "night2_cpu", "bare_cpu"))
    return [
        Row(
            "night 1 crawl step ÷ bare Scrapy (pages/s)",
            size,
            bare / crawl,
            Goal("≥", 0.8),
            f"crawl {seconds(t['crawl'])}, bare {seconds(t['bare'])}; {scale.pages:,} pages; "
            f"CPU time: bare ÷ whole night 1 {cpu_bare / cpu1:.2f}",
        ),
        Row(
            "unchanged night ÷ night 1 (clerkships run)",
            size,
            night2 / night1,
            Goal("≤", 0.2),
            f"night 2 {seconds(t['night2'])} ({scale.not_modified:,} × 304), night 1 {seconds(t['night1'])}; "
            f"CPU time {cpu2 / cpu1:.2f}",
        ),
        Row(
            "unchanged night ÷ bare full download",
            size,
            night2 / bare,
            Goal("≤", 0.5),
            f"bare {bare:.2f} s; CPU time {cpu2 / cpu_bare:.2f}",
        ),
        Row(
            "largest process of the nights (peak RSS)",
            size,
            scale.peak_mb,
            Goal("≤", 400),
            "the crawl, its page readers, the flow or the bare spider",
            unit="MB",
        ),
    ]


COSTS = {
    "night1": "night 1 (clerkships run)",
    "crawl": "night 1 crawl step",
    "night2": "unchanged night",
    "bare": "bare download",
}


def cost_rows(scales: list[Scale]) -> list[Row]:
    """Cost per source at each size, and how far from flat it is (dearest ÷ cheapest size)."""
    result = [
        Row(
            "cost per source",
            f"{scale.sources:,} sources",
            scale.per_source_ms("night1"),
            None,
            f"night 1; unchanged night {scale.per_source_ms('night2'):.1f} ms, "
            f"bare {scale.per_source_ms('bare'):.1f} ms",
            unit="ms",
        )
        for scale in scales
    ]
    if len(scales) > 1:
        span = f"{scales[0].sources:,}–{scales[-1].sources:,}"
        for name in ("night1", "night2"):
            costs = [scale.per_source_ms(name) for scale in scales]
            detail = ", ".join(f"{cost:.1f}" for cost in costs) + " ms/source"
            result.append(Row(f"cost per source flat: {COSTS[name]}", span, max(costs) / min(costs), FLAT, detail))
    return result

"""A one-page night's fixed cost: `clerkships run` as a user starts it, against its crawl step.

One synthetic host (an index and one program page). In each round, A/B interleaved: `python -m
flows run` on a fresh data dir (night 1: the warehouse is created) and again on the same dir
(night 2), and the crawl step alone (`crawlers.run.crawl`, the Scrapy child the night starts). With
no Prefect server configured (PREFECT_* unset), as a newcomer runs it.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.nights import run_night
from bench.report import Goal, Row, seconds
from bench.rounds import interleaved
from bench.synthetic_web import SyntheticWeb
from crawlers.run import crawl

MORE = Goal("≤", 2.0)  # seconds a night may add to its crawl


def rows(rounds: int, work: Path) -> list[Row]:
    with SyntheticWeb(hosts=1, pages=1) as web:
        config = web.write_config(work / "sources.yaml")

        def nights(round_: int) -> dict[str, float]:
            data_dir = work / f"data-{round_}"
            first, second = run_night(config, data_dir), run_night(config, data_dir)
            return {"night1": first.seconds, "night2": second.seconds}

        def crawl_step(round_: int) -> dict[str, float]:
            started = time.perf_counter()
            crawl(config, work / "crawls" / str(round_))
            return {"crawl": time.perf_counter() - started}

        t = interleaved(nights, crawl_step, rounds)
    crawl_s = statistics.median(t["crawl"])
    return [
        Row(
            f"one-page clerkships run − its crawl step, {what}",
            "1 source",
            statistics.median(t[name]) - crawl_s,
            MORE,
            f"night {seconds(t[name])}, crawl step {seconds(t['crawl'])}",
            unit="s",
        )
        for name, what in (("night1", "fresh data dir"), ("night2", "next night"))
    ]

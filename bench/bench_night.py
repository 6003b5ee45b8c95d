"""A one-page night's fixed cost: `clerkships run` as a user starts it, against its crawl step.

One synthetic host (an index and one program page). In each round, A/B interleaved: `python -m
flows run` on a fresh data dir (night 1: the warehouse is created) and again on the same dir
(night 2), and the crawl step alone (`crawlers.run.crawl`, the Scrapy child the night starts) of the
same two kinds: a first crawl (every page fetched and read) and one beside it (every page answers
304). Each night is set against the crawl of its kind: a first crawl starts the page readers, a
crawl of unchanged pages does not. With no Prefect server configured (PREFECT_* unset), as a
newcomer runs it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
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

        def crawl_steps(round_: int) -> dict[str, float]:
            runs = work / "crawls" / str(round_)  # its own runs folder: the first crawl finds no earlier run
            return {"crawl1": timed(crawl, config, runs / "1"), "crawl2": timed(crawl, config, runs / "2")}

        t = interleaved(nights, crawl_steps, rounds)
    return [
        Row(
            f"one-page clerkships run − its crawl step, {what}",
            "1 source",
            statistics.median(t[night]) - statistics.median(t[step]),
            MORE,
            f"night {seconds(t[night])}, crawl step {seconds(t[step])}",
            unit="s",
        )
        for night, step, what in (("night1", "crawl1", "fresh data dir"), ("night2", "crawl2", "next night"))
    ]


def timed(work: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started

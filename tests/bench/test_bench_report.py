"""The benchmark's own code on tiny inputs: its web, its A/B order, its verdicts, table and plot.

No timing is asserted (speed is what bench/ measures); the timings here are made up.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from bench.__main__ import arguments
from bench.bench_scale import Scale, cost_rows, rows
from bench.plot import plot_cost_per_source
from bench.report import render_table
from bench.rounds import Step, interleaved
from bench.synthetic_web import SyntheticWeb, host_address, index_page, program_page


def scale(sources: int, crawl: float, bare: float, night1: float, night2: float) -> Scale:
    """A size whose rounds have these medians (the other two rounds on either side of them)."""
    medians = {"crawl": crawl, "bare": bare, "night1": night1, "night2": night2}
    medians |= {f"{name}_cpu": value / 2 for name, value in medians.items()}
    timings = {name: [value * 0.9, value, value * 1.5] for name, value in medians.items()}
    return Scale(sources, timings, pages=sources * 5, not_modified=sources * 5, peak_mb=300)


def test_pages_are_realistic_and_hosts_distinct() -> None:
    for html in (index_page(4, True), program_page(7, 2, True)):
        assert 15_000 <= len(html.encode()) <= 25_000
        assert len(lxml.html.fromstring(html).xpath("//a[@href]")) >= 100
    addresses = [host_address(index) for index in range(5000)]
    assert len(set(addresses)) == 5000
    assert all(a.startswith("127.") and a.rsplit(".", 1)[1] not in ("0", "255") for a in addresses)


def test_each_host_on_its_own_loopback_address_answers_304_when_unchanged() -> None:
    with SyntheticWeb(hosts=300, pages=1) as web:
        url = web.urls()[-1]
        assert url.startswith("http://127.1.1.46:")  # the 300th host, past the first /24
        with urllib.request.urlopen(url, timeout=10) as response:
            etag = response.headers["ETag"]
            assert b"Observership" in response.read()
        request = urllib.request.Request(url, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=10)
        assert answer.value.code == 304
        assert web.not_modified == 1


def test_rounds_swap_the_order_each_round() -> None:
    calls: list[str] = []

    def step(name: str) -> Step:
        def run(round_: int) -> dict[str, float]:
            calls.append(name)
            return {name: float(round_)}

        return run

    timings = interleaved(step("a"), step("b"), 3)
    assert calls == ["a", "b", "b", "a", "a", "b"]
    assert timings == {"a": [0.0, 1.0, 2.0], "b": [0.0, 1.0, 2.0]}


def test_verdicts_are_ratios_of_medians() -> None:
    fast = scale(200, crawl=10, bare=9, night1=20, night2=3)
    slow = scale(1000, crawl=100, bare=40, night1=150, night2=90)
    verdicts = {row.check: (round(row.measured, 3), row.verdict) for row in rows(fast)}
    assert verdicts["night 1 crawl step ÷ bare Scrapy (pages/s)"] == (0.9, "PASS")
    assert verdicts["unchanged night ÷ night 1 (clerkships run)"] == (0.15, "PASS")
    assert verdicts["unchanged night ÷ bare full download"] == (0.333, "PASS")
    assert {row.verdict for row in rows(slow)[:3]} == {"MISS"}
    flat = {row.check: (round(row.measured, 3), row.verdict) for row in cost_rows([fast, slow]) if row.goal}
    assert flat["cost per source flat: night 1 (clerkships run)"] == (1.5, "MISS")  # 100 ms, then 150 ms a source
    assert flat["cost per source flat: unchanged night"] == (6.0, "MISS")


def test_table_and_plot(tmp_path: Path) -> None:
    scales = [scale(20, 1, 1, 2, 0.2), scale(60, 3, 3, 6, 0.6)]
    table = render_table([*rows(scales[0]), *cost_rows(scales)])
    lines = table.splitlines()
    assert lines[0].split() == ["check", "size", "measured", "goal", "verdict", "detail"]
    assert re.split(r"  +", lines[-2]) == [
        "cost per source flat: unchanged night",
        "20–60",
        "1.00×",
        "≤ 1.25",
        "PASS",
        "10.0, 10.0 ms/source",
    ]
    assert lines[-1] == "6 of 6 goals met"
    path = plot_cost_per_source(scales, tmp_path / "out" / "cost.png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (800, 500)


def test_quick_and_sizes_options() -> None:
    assert arguments(["--sizes", "1000,200"]).sizes == [200, 1000]
    assert arguments(["--quick"]).sizes == [20, 60]
    assert arguments(["--rounds", "1"]).rounds == 3
    with pytest.raises(SystemExit):
        arguments(["--sizes", "200,lots"])

"""`python -m bench` (`make bench`): what users see, as one table of ratios with PASS or MISS, and a plot.

    python -m bench [--sizes 200,1000,5000] [--rounds 3] [--js-sources 4] [--programs 100000] [--quick]

Runs the extraction, the warehouse load, a one-page night, a JS night, then the nights at each size (smallest
first), each section's rows printed as it ends; then the whole table and the cost-per-source plot
(bench/out/cost_per_source.png). Every comparison is A/B interleaved, the medians of the rounds.
The figures are only as quiet as the machine: on a shared one, compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import bench_extract, bench_hub, bench_js, bench_night, bench_scale, bench_warehouse
from bench.plot import OUT, plot_cost_per_source
from bench.report import Row, render_table

QUICK = "20,60"  # --quick: these sizes, 2 JS sources, 10,000 programs in the warehouse


def sizes(text: str) -> list[int]:
    """`200,1000,5000` → [200, 1000, 5000]; each at least 1."""
    try:
        values = sorted({int(part) for part in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes: not a comma-separated list of numbers: {text!r}") from None
    if values[0] < 1:
        raise argparse.ArgumentTypeError(f"--sizes: a size must be at least 1: {text!r}")
    return values


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=sizes, default=sizes("200,1000,5000"), help="numbers of sources")
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds per comparison (at least 3)")
    parser.add_argument("--js-sources", type=int, default=4, help="sources of the JS night (0: skip it)")
    parser.add_argument("--programs", type=int, default=100_000, help="programs of the warehouse load")
    parser.add_argument(
        "--quick", action="store_true", help=f"a smoke run: sizes {QUICK}, 2 JS sources, 10,000 programs, 3 rounds"
    )
    parser.add_argument("--plot", type=Path, default=OUT / "cost_per_source.png")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.js_sources, args.programs, args.rounds = sizes(QUICK), 2, 10_000, 3
    args.rounds = max(args.rounds, 3)
    return args


def main(argv: list[str]) -> int:
    args = arguments(argv)
    rows: list[Row] = []

    def section(title: str, folder: Path, measure: Callable[[Path], list[Row]]) -> None:
        print(f"== {title}", flush=True)
        folder.mkdir(parents=True)
        found = measure(folder)
        print(render_table(found), flush=True)
        rows.extend(found)

    with tempfile.TemporaryDirectory(prefix="clerkships-bench-") as tmp:
        work = Path(tmp)
        section("extraction", work / "extract", lambda _work: bench_extract.rows(max(args.rounds, 5)))
        section("warehouse", work / "warehouse", lambda w: bench_warehouse.rows(args.programs, 50, args.rounds, w))
        section("one-page night", work / "night", lambda w: bench_night.rows(args.rounds, w))
        section("hub page", work / "hub", lambda _work: bench_hub.rows(args.rounds))
        if args.js_sources:
            section("JS night", work / "js", lambda w: bench_js.rows(args.js_sources, args.rounds, w))
        scales = []
        for size in args.sizes:

            def measure(folder: Path, size: int = size) -> list[Row]:
                scales.append(bench_scale.measure(size, args.rounds, folder))
                return bench_scale.rows(scales[-1])

            section(f"{size:,} sources", work / f"scale-{size}", measure)
    rows += bench_scale.cost_rows(scales)
    print(f"\n== all checks, median of {args.rounds} A/B rounds each")
    print(render_table(rows))
    print(f"plot: {plot_cost_per_source(scales, args.plot)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

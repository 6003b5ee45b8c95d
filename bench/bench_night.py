"""A one-page night's fixed cost (not a test): `clerkships run` as a user starts it, against its crawl step.

    uv run python bench/bench_night.py [--rounds 3] [--compare OTHER_CHECKOUT]

Serves one synthetic host (bench/synthetic_web.py: an index and one program page) and, in each
round, runs `python -m flows run` on a fresh data dir (night 1: the warehouse is created) and again
on the same dir (night 2), then the crawl step alone (`crawlers.run.crawl`, the Scrapy child the
night starts), interleaved so that load on the machine hits all alike. With no Prefect server
configured (PREFECT_* unset), as a newcomer runs it. Prints each median and the night's cost over
its crawl (goal: at most 2 s more), and the night's own crawl stage (from its status.json).
`--compare DIR` also runs DIR's checkout (e.g. a `git worktree` of an older commit) in the same rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic_web import SyntheticWeb
from crawlers.run import crawl

REPO = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 2.0


def clean_env() -> dict[str, str]:
    """This environment without Prefect settings: no server, the data dir's own Prefect home."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}


def timed_run(repo: Path, config: Path, data_dir: Path) -> tuple[float, float]:
    """Seconds of one `python -m flows run` from `repo`, start to exit, and of its crawl stage
    (status.json: from the plan written to the shards' status merged)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "flows", "run", "--config", str(config), "--data-dir", str(data_dir)],
        cwd=repo,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{repo}: clerkships run failed: {done.stderr[-2000:]}")
    status = json.loads(max((data_dir / "runs").glob("*/status.json")).read_text(encoding="utf-8"))
    stage = datetime.fromisoformat(status["finished_at"]) - datetime.fromisoformat(status["started_at"])
    return elapsed, stage.total_seconds()


def timed_crawl(config: Path, run_dir: Path) -> float:
    started = time.perf_counter()
    crawl(config, run_dir)
    return time.perf_counter() - started


def line(label: str, timings: list[tuple[float, float]], crawl_s: float) -> str:
    night, stage = (statistics.median(column) for column in zip(*timings, strict=True))
    return (
        f"{label}: {night:.2f} s, crawl step {crawl_s:.2f} s: +{night - crawl_s:.2f} s ({night / crawl_s:.1f}×); "
        f"its own crawl stage {stage:.2f} s, the rest {night - stage:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="another checkout to time in the same rounds")
    args = parser.parse_args()
    repos = {"this checkout": REPO} | ({f"{args.compare}": args.compare.resolve()} if args.compare else {})
    nights: dict[tuple[str, int], list[tuple[float, float]]] = {(r, n): [] for r in repos for n in (1, 2)}
    crawls: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-night-") as tmp, SyntheticWeb(hosts=1, pages=1) as web:
        root = Path(tmp)
        config = web.write_config(root / "sources.yaml")
        for k in range(args.rounds):
            for label, repo in repos.items():
                data_dir = root / f"data-{k}-{len(nights[label, 1])}-{abs(hash(label))}"
                for n in (1, 2):
                    nights[label, n].append(timed_run(repo, config, data_dir))
            crawls.append(timed_crawl(config, root / "crawls" / str(k)))
    crawl_s = statistics.median(crawls)
    print(f"one-page night, median of {args.rounds} rounds, no Prefect server (goal: ≤ {GOAL_SECONDS} s more)")
    for label in repos:
        for n, what in ((1, "fresh data dir"), (2, "next night")):
            print(line(f"  {label}, {what}", nights[label, n], crawl_s))
    this = statistics.median(night for night, _ in nights["this checkout", 2]) - crawl_s
    print(f"  fixed cost of a night over its crawl: {this:.2f} s ({'ok' if this <= GOAL_SECONDS else 'over the goal'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

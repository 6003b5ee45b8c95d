"""Warehouse benchmark (not a test): load + diff of a night against the one before it.

    uv run python bench/bench_warehouse.py [--programs 100000] [--sources 50] [--repeat 3]

Stages two nights of synthetic programs (night 2: 5% new, 5% gone, 10% with a changed fee),
loads night 1 with `load_run`, then times, A/B interleaved over `--repeat` rounds (the order
swapped every round), the load of night 2 into a fresh copy of night 1 (staging read, health,
rename check, diff, events, versions, new state: one transaction) against a bare DuckDB diff of
the same two snapshots in the same process (read night 2's staging, `EXCEPT` both ways against
night 1 already in a table). Prints the medians, their ratio (goal <= 1.5), the reload of a
loaded run and the peak RSS of this process after the loads.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contract.identity import program_id
from warehouse import LoadResult, load_run

TYPES = ("elective", "clerkship", "observership", "sub_internship")


def program(source: str, n: int, fetched: str, fee: float) -> dict:
    url = f"https://{source}.example.edu/visiting/program-{n}"
    return {
        "program_id": program_id(source, url),
        "program_key": "",
        "source_id": source,
        "institution": f"{source} University",
        "campus": None,
        "city": "Chicago",
        "state": "IL",
        "program_name": f"Visiting Elective {n}",
        "program_type": TYPES[n % len(TYPES)],
        "audience": "students",
        "accepts_international": "yes",
        "hands_on": n % 2 == 0,
        "specialties": ["Internal Medicine", "Surgery"][: 1 + n % 2],
        "duration_weeks_min": 4.0,
        "duration_weeks_max": 8.0,
        "application_fee_usd": fee,
        "program_fee_usd": 2000.0,
        "program_fee_unit": "per_rotation",
        "usmle_steps_required": ["Step 1"],
        "ecfmg_certificate_required": None,
        "max_years_since_graduation": None,
        "english_requirement": "TOEFL iBT ≥ 100",
        "visa": "B-1/B-2",
        "application_method": "vslo",
        "application_url": url + "/apply",
        "contact_email": f"visiting@{source}.example.edu",
        "deadline_text": "Apply 8 weeks before the rotation",
        "next_deadline": None,
        "lor_policy": "unknown",
        "status": "open",
        "evidence": {"application_fee_usd": f"A ${fee:.0f} fee applies.", "status": "Applications are open."},
        "source_url": url,
        "page_sha256": f"{n:064x}",
        "fetched_at": fetched,
    }


def stage(runs_dir: Path, night: int, programs: int, sources: int) -> str:
    """Night 0: programs 0..N-1. Night 1: the first 5% gone, 5% new at the end, 10% with a new fee."""
    started = datetime(2026, 11, 20, 3) + timedelta(days=night)
    run_id = started.strftime("%Y%m%dT%H%M%SZ") + f"-{night:04x}"
    run_dir = runs_dir / run_id
    run_dir.mkdir(parents=True)
    rng = random.Random(night)
    gone = int(programs * 0.05) if night else 0
    numbers = range(gone, programs + gone)
    changed = set(rng.sample(numbers, int(programs * 0.10))) if night else set()
    fetched = (started + timedelta(minutes=10)).isoformat() + "Z"
    counts = {}
    for s in range(sources):
        source = f"src{s:03d}"
        mine = [n for n in numbers if n % sources == s]
        with (run_dir / f"{source}.jsonl").open("w") as out:
            for n in mine:
                out.write(json.dumps(program(source, n, fetched, 150.0 if n in changed else 100.0)) + "\n")
        counts[source] = len(mine)
    status = {
        source: {
            "start_pages": 1, "start_pages_failed": 0, "pages_fetched": n + 1, "pages_failed": 0,
            "pages_not_modified": 0, "pages_gone": 0, "http_status": {"200": n + 1}, "exceptions": {},
            "robots_refused": 0, "items": n, "pages_with_programs": n, "finish_reason": "finished",
            "failed": False, "error": None,
        }
        for source, n in counts.items()
    }  # fmt: skip
    (run_dir / "status.json").write_text(
        json.dumps({"run_id": run_id, "started_at": started.isoformat() + "Z", "sources": status})
    )
    return run_id


def bare_except_diff(runs_dir: Path, first: str, second: str) -> tuple[float, int, int]:
    """Night 1 in a table (untimed); timed: read night 2's staging and EXCEPT both ways."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE n1 AS SELECT * FROM read_json(?, format = 'newline_delimited')", [f"{runs_dir / first}/*.jsonl"]
    )
    started = time.perf_counter()
    con.execute(
        "CREATE TABLE n2 AS SELECT * FROM read_json(?, format = 'newline_delimited')", [f"{runs_dir / second}/*.jsonl"]
    )
    columns = "* EXCLUDE (evidence, page_sha256, fetched_at)"
    con.execute(f"CREATE TABLE added AS SELECT {columns} FROM n2 EXCEPT SELECT {columns} FROM n1")
    con.execute(f"CREATE TABLE removed AS SELECT {columns} FROM n1 EXCEPT SELECT {columns} FROM n2")
    seconds = time.perf_counter() - started
    [(added,)] = con.execute("SELECT count(*) FROM added").fetchall()
    [(removed,)] = con.execute("SELECT count(*) FROM removed").fetchall()
    con.close()
    return seconds, added, removed


def timed_load(night_one: Path, db: Path, runs_dir: Path, run_id: str) -> tuple[float, LoadResult]:
    """Load `run_id` into a fresh copy of night one; the copy is not timed."""
    shutil.copy(night_one, db)
    started = time.perf_counter()
    result = load_run(db, runs_dir, run_id)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (at least 3); the medians are reported")
    args = parser.parse_args()
    rounds = max(args.repeat, 3)
    loads, bares = [], []
    with tempfile.TemporaryDirectory() as tmp:
        runs_dir, night_one = Path(tmp) / "runs", Path(tmp) / "night-one.duckdb"
        first = stage(runs_dir, 0, args.programs, args.sources)
        second = stage(runs_dir, 1, args.programs, args.sources)
        started = time.perf_counter()
        load_run(night_one, runs_dir, first)
        first_seconds = time.perf_counter() - started

        db = Path(tmp) / "night-two.duckdb"
        for round_ in range(rounds):
            for step in ("load", "bare") if round_ % 2 == 0 else ("bare", "load"):
                if step == "load":
                    seconds, result = timed_load(night_one, db, runs_dir, second)
                    loads.append(seconds)
                else:
                    seconds, added, removed = bare_except_diff(runs_dir, first, second)
                    bares.append(seconds)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        assert load_run(db, runs_dir, second).already_loaded
        again_seconds = time.perf_counter() - started

    load_seconds, bare_seconds = statistics.median(loads), statistics.median(bares)
    ratio = load_seconds / bare_seconds
    print(f"programs per night: {args.programs:,} over {args.sources} sources; A/B interleaved, median of {rounds}")
    print(f"night 1 load (all new):        {first_seconds:6.2f} s")
    print(f"night 2 load + diff:           {load_seconds:6.2f} s   (rounds: {_list(loads)})")
    print(f"  events: {result.counts}")
    print(f"bare DuckDB EXCEPT diff:       {bare_seconds:6.2f} s   (rounds: {_list(bares)})")
    print(f"  rows only in night 2: {added:,}, only in night 1: {removed:,}")
    print(f"ratio load+diff / bare EXCEPT: {ratio:6.2f}     (goal <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
    print(f"loading night 2 again:         {again_seconds:6.2f} s   (already loaded: reads no staging)")
    print(f"peak RSS after the loads:      {peak_mb:6.0f} MB")


def _list(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds)


if __name__ == "__main__":
    main()

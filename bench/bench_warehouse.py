"""Warehouse benchmark: load + diff of a night against the one before it.

Stages two nights of synthetic programs (night 2: 5% new, 5% gone, 10% with a changed fee),
loads night 1 with `load_run`, then times, A/B interleaved over the rounds (the order swapped
every round), the load of night 2 into a fresh copy of night 1 (staging read, health,
rename check, diff, events, versions, new state: one transaction) against a bare DuckDB diff of
the same two snapshots in the same process (read night 2's staging, `EXCEPT` both ways against
night 1 already in a table): their ratio (goal <= 1.5), and the reload of a loaded run.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import duckdb

from bench.report import Goal, Row, seconds
from bench.rounds import interleaved
from contract.identity import program_id
from contract.run_folder import RunFolder, RunStatus
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
        with RunFolder(run_dir).records(source).open("w") as out:
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
    RunFolder(run_dir).write_status(
        RunStatus(run_id=run_id, started_at=started.isoformat() + "Z", finished_at="", sources=cast(Any, status))
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


def rows(programs: int, sources: int, rounds: int, work: Path) -> list[Row]:
    """Load + diff against the bare EXCEPT, A/B interleaved; then the reload of a loaded run."""
    runs_dir, night_one, db = work / "runs", work / "night-one.duckdb", work / "night-two.duckdb"
    first, second = stage(runs_dir, 0, programs, sources), stage(runs_dir, 1, programs, sources)
    load_run(night_one, runs_dir, first)

    def load(_round: int) -> dict[str, float]:
        return {"load": timed_load(night_one, db, runs_dir, second)[0]}

    def bare(_round: int) -> dict[str, float]:
        return {"bare": bare_except_diff(runs_dir, first, second)[0]}

    t = interleaved(load, bare, max(rounds, 3))
    started = time.perf_counter()
    if not load_run(db, runs_dir, second).already_loaded:
        raise SystemExit("warehouse bench: the second load of a run was not seen as already loaded")
    again = time.perf_counter() - started
    size = f"{programs:,} programs"
    return [
        Row(
            "warehouse load+diff ÷ bare DuckDB EXCEPT",
            size,
            statistics.median(t["load"]) / statistics.median(t["bare"]),
            Goal("≤", 1.5),
            f"load {seconds(t['load'])}, EXCEPT {seconds(t['bare'])}",
        ),
        Row("warehouse reload of a loaded run", size, again, None, "reads no staging", unit="s"),
    ]

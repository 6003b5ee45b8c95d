"""Hand-written staging, exactly as the crawler writes it: <run_id>/<source_id>.jsonl + status.json."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from contract.identity import program_id
from contract.record import ProgramRecord

FIRST_NIGHT = datetime(2026, 11, 20, 3, 0, 0)


def run_id(night: int) -> str:
    """Run ids that sort by time, one night apart."""
    return (FIRST_NIGHT + timedelta(days=night)).strftime("%Y%m%dT%H%M%SZ") + f"-{night:04x}"


def record(source_id: str, url: str, key: str = "", night: int = 0, **facts) -> dict:
    """One staged program record, validated by the contract itself."""
    fetched = (FIRST_NIGHT + timedelta(days=night, minutes=5)).isoformat() + "Z"
    values = {
        "program_name": "Visiting Student Elective",
        "program_type": "elective",
        "audience": "students",
        "accepts_international": "yes",
        "application_fee_usd": 100.0,
        "specialties": ["Internal Medicine", "Surgery"],
        "status": "open",
        "evidence": {"application_fee_usd": "A $100 application fee applies."},
    }
    values.update(facts)
    rec = ProgramRecord.model_validate(
        {
            "program_id": program_id(source_id, url, key),
            "program_key": key,
            "source_id": source_id,
            "institution": f"{source_id.title()} University",
            "city": "Chicago",
            "state": "IL",
            "source_url": url,
            "page_sha256": "0" * 64,
            "fetched_at": fetched,
            **values,
        }
    )
    return rec.model_dump(mode="json")


def stats(items: int, **overrides) -> dict:
    """A healthy source's crawl stats."""
    base = {
        "start_pages": 1,
        "start_pages_failed": 0,
        "pages_fetched": max(items, 1),
        "pages_failed": 0,
        "pages_not_modified": 0,
        "pages_gone": 0,
        "http_status": {"200": max(items, 1)},
        "exceptions": {},
        "robots_refused": 0,
        "items": items,
        "pages_with_programs": items,
        "finish_reason": "finished",
        "failed": False,
        "error": None,
    }
    base.update(overrides)
    return base


def write_run(runs_dir: Path, night: int, sources: dict[str, list[dict]], status: dict[str, dict] | None = None) -> str:
    """Stage one run; `status` overrides a source's stats (default: healthy, items = its records)."""
    rid = run_id(night)
    run_dir = runs_dir / rid
    run_dir.mkdir(parents=True)
    for source, records in sources.items():
        (run_dir / f"{source}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    per_source = {source: stats(len(records)) for source, records in sources.items()}
    per_source.update(status or {})
    started = FIRST_NIGHT + timedelta(days=night)
    (run_dir / "status.json").write_text(
        json.dumps(
            {
                "run_id": rid,
                "started_at": started.isoformat() + "Z",
                "finished_at": (started + timedelta(minutes=30)).isoformat() + "Z",
                "sources": per_source,
            }
        )
    )
    return rid


TABLES = ("runs", "source_runs", "observations", "programs", "program_versions", "events", "aliases")


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the load's wall-clock time: equal snapshots = same data."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {
            table: sorted(
                con.execute(f"SELECT * {'EXCLUDE (loaded_at)' if table == 'runs' else ''} FROM {table}").fetchall(),
                key=repr,
            )
            for table in TABLES
        }
    finally:
        con.close()


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
"""


def hold(db: Path, mode: str, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the DuckDB file (an analyst's reader, or a writer) for `seconds`."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), mode, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "holding"
    return child

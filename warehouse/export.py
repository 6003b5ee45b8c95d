"""Parquet exports for apps: each file written under a temporary name and renamed into place,
so a reader never sees a half-written file. Every table carries the contract's schema_version."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq

from contract.record import SCHEMA_VERSION
from warehouse.read import open_for_reading
from warehouse.snapshot import TEMP_SUFFIX

PROGRAMS_FILE, EVENTS_FILE, PART_FILE = "programs.parquet", "program_events.parquet", "part-0.parquet"
PARQUET_FILES = (PROGRAMS_FILE, EVENTS_FILE, PART_FILE)
"""The file names the exports write (each observations partition is one PART_FILE in its folder)."""


def _write(table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def export_all(db_path: Path, exports_dir: Path) -> dict[str, Path]:
    """programs.parquet, program_events.parquet and observations/run_date=YYYY-MM-DD/ (only the
    partitions whose row count changed are rewritten: observations only grow)."""
    exports_dir = Path(exports_dir)
    observations = exports_dir / "observations"
    observations.mkdir(parents=True, exist_ok=True)
    paths = {
        "programs": exports_dir / PROGRAMS_FILE,
        "program_events": exports_dir / EVENTS_FILE,
        "observations": observations,
    }
    con = open_for_reading(Path(db_path))
    if con is None:
        raise FileNotFoundError(f"{db_path}: no warehouse yet; load a run first")
    try:
        for name, view in (("programs", "v_programs"), ("program_events", "v_events")):
            table = con.sql(f"SELECT *, ?::INTEGER AS schema_version FROM {view}", params=[SCHEMA_VERSION])
            _write(table.to_arrow_table(), paths[name])
        for run_date, count in con.execute(
            "SELECT run_date, count(*) FROM observations GROUP BY run_date ORDER BY run_date"
        ).fetchall():
            part = observations / f"run_date={run_date.isoformat()}" / PART_FILE
            if part.exists() and pq.read_metadata(part).num_rows == count:
                continue
            part.parent.mkdir(exist_ok=True)
            table = con.sql(
                """SELECT * EXCLUDE (run_date), ?::INTEGER AS schema_version FROM observations
                WHERE run_date = ? ORDER BY run_id, source_id, program_id""",
                params=[SCHEMA_VERSION, run_date],
            )
            _write(table.to_arrow_table(), part)
    finally:
        con.close()
    return paths

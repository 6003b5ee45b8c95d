"""Parquet exports for apps: each file written under a temporary name and renamed into place,
so a reader never sees a half-written file. Every table carries the contract's schema_version.

DuckDB writes them, so the types analysts see in DuckDB reach the files: times are UTC
(`isAdjustedToUTC=true`), `evidence` and `changes` are of Parquet's JSON logical type. Beside each
export is `<name>.schema.json`, the JSON Schema of its rows with every column's meaning."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from contract.files import replace_atomically, temporary_for, write_atomic
from contract.record import SCHEMA_VERSION
from warehouse.json_schema import export_schema
from warehouse.read import open_for_reading

PROGRAMS_FILE, EVENTS_FILE, PART_FILE = "programs.parquet", "program_events.parquet", "part-0.parquet"
SCHEMA_SUFFIX = ".schema.json"
EXPORTS = {"programs": ("v_programs", "programs"), "program_events": ("v_events", "events")}
"""Export name → (the view it copies, the table whose rows it holds)."""
OBSERVATIONS = "observations"
SCHEMA_FILES = tuple(f"{name}{SCHEMA_SUFFIX}" for name in (*EXPORTS, OBSERVATIONS))
PARQUET_FILES = (PROGRAMS_FILE, EVENTS_FILE, PART_FILE, *SCHEMA_FILES)
"""The file names the exports write (each observations partition is one PART_FILE in its folder;
each export's JSON Schema is `<export>.schema.json` beside it)."""


def _write(rel: duckdb.DuckDBPyRelation, path: Path) -> None:
    replace_atomically(path, lambda tmp: rel.write_parquet(str(tmp)))


def _write_schema(schema: dict, path: Path) -> None:
    write_atomic(path, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")


def _column_types(schema: pa.Schema) -> list[tuple[str, pa.DataType]]:
    return [(field.name, field.type) for field in schema]


def _written_types(rel: duckdb.DuckDBPyRelation, beside: Path) -> list[tuple[str, pa.DataType]]:
    """The columns and types `rel` is written with now (an empty file is written and read back)."""
    tmp = temporary_for(beside)
    try:
        rel.limit(0).write_parquet(str(tmp))
        return _column_types(pq.read_schema(tmp))
    finally:
        tmp.unlink(missing_ok=True)


def _up_to_date(part: Path, rows: int, types: list[tuple[str, pa.DataType]]) -> bool:
    """A partition file holding `rows` rows of the columns and types written now."""
    return part.exists() and pq.read_metadata(part).num_rows == rows and _column_types(pq.read_schema(part)) == types


def _not_null(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        """SELECT column_name FROM duckdb_columns()
        WHERE database_name = current_database() AND table_name = ? AND NOT is_nullable""",
        [table],
    ).fetchall()
    return {name for (name,) in rows} | {"schema_version"}


def export_all(db_path: Path, exports_dir: Path) -> dict[str, Path]:
    """programs.parquet, program_events.parquet and observations/run_date=YYYY-MM-DD/, each with its
    schema. Observations only grow, so a partition is rewritten only when its row count changed, or
    its columns' types did (a file written by an older clerkships)."""
    exports_dir = Path(exports_dir)
    observations = exports_dir / OBSERVATIONS
    observations.mkdir(parents=True, exist_ok=True)
    paths = {name: exports_dir / f"{name}.parquet" for name in EXPORTS} | {OBSERVATIONS: observations}
    con = open_for_reading(Path(db_path))
    if con is None:
        raise FileNotFoundError(f"{db_path}: no warehouse yet; load a run first")
    try:
        for name, (view, table) in EXPORTS.items():
            rel = con.sql(f"SELECT *, ?::INTEGER AS schema_version FROM {view}", params=[SCHEMA_VERSION])
            _write(rel, paths[name])
            _write_schema(export_schema(rel, table, _not_null(con, table)), exports_dir / f"{name}{SCHEMA_SUFFIX}")
        rows = con.sql(f"SELECT *, {SCHEMA_VERSION}::INTEGER AS schema_version FROM observations")
        schema = export_schema(rows, OBSERVATIONS, _not_null(con, OBSERVATIONS))
        _write_schema(schema, exports_dir / f"{OBSERVATIONS}{SCHEMA_SUFFIX}")
        partition = """SELECT * EXCLUDE (run_date), ?::INTEGER AS schema_version FROM observations
            WHERE run_date = ? ORDER BY run_id, source_id, program_id"""
        current: list[tuple[str, pa.DataType]] | None = None
        for run_date, count in con.execute(
            "SELECT run_date, count(*) FROM observations GROUP BY run_date ORDER BY run_date"
        ).fetchall():
            part = observations / f"run_date={run_date.isoformat()}" / PART_FILE
            rel = con.sql(partition, params=[SCHEMA_VERSION, run_date])
            current = current or _written_types(rel, observations / PART_FILE)
            if _up_to_date(part, count, current):
                continue
            part.parent.mkdir(exist_ok=True)
            _write(rel, part)
    finally:
        con.close()
    return paths

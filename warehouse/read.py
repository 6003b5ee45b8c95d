"""Read helpers for publishing and `clerkships status`: plain dicts, JSON columns decoded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import orjson

from warehouse.db import connect
from warehouse.schema import LATEST, check, migrate

_JSON_COLUMNS = ("changes", "evidence", "http_status", "exceptions")
EVENT_COLUMNS = (
    "event_id, run_id, occurred_at, event_type, program_id, source_id, institution, program_name, "
    "source_url, changes, evidence, detail"
)


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Run a query and return its rows as dicts, with JSON text decoded."""
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    decoded = [name for name in _JSON_COLUMNS if name in names]
    result = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        for name in decoded:
            if isinstance(text := row[name], str):
                row[name] = orjson.loads(text)
        result.append(row)
    return result


def events_of_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    return rows(con, f"SELECT {EVENT_COLUMNS} FROM v_events WHERE run_id = ?", [run_id])


def open_for_reading(db_path: Path, lock_timeout: float = 30.0) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection to an up-to-date file; None when no run was ever loaded."""
    if not Path(db_path).exists():
        return None
    con = connect(db_path, read_only=True, lock_timeout=lock_timeout, retry="retry: clerkships status")
    if check(con, db_path) < LATEST:  # an older file: migrate once, then read
        con.close()
        writer = connect(db_path, lock_timeout=lock_timeout, retry="retry: clerkships status")
        try:
            migrate(writer, db_path)
        finally:
            writer.close()
        con = connect(db_path, read_only=True, lock_timeout=lock_timeout, retry="retry: clerkships status")
    return con


def _query(db_path: Path, sql: str, params: list | None = None) -> list[dict]:
    con = open_for_reading(db_path)
    if con is None:
        return []
    try:
        return rows(con, sql, params)
    finally:
        con.close()


def current_programs(db_path: Path) -> list[dict]:
    """Every program ever seen: contract fields, first_seen, last_seen, status, presence."""
    return _query(db_path, "SELECT * FROM v_programs")


def recent_events(db_path: Path, days: int = 30) -> list[dict]:
    """Events of the last `days` days, newest first."""
    return _query(
        db_path,
        f"SELECT {EVENT_COLUMNS} FROM v_events WHERE occurred_at >= timezone('UTC', now()) - to_days(?)",
        [days],
    )


RUNS_SQL = """
WITH verdicts AS (
    SELECT run_id, count(*) FILTER (WHERE verdict = 'ok') AS sources_ok,
           count(*) FILTER (WHERE verdict = 'failed') AS sources_failed,
           count(*) FILTER (WHERE verdict = 'suspect') AS sources_suspect
    FROM source_runs GROUP BY run_id
), counts AS (
    SELECT run_id, count(*) FILTER (WHERE event_type = 'new') AS new,
           count(*) FILTER (WHERE event_type = 'closed') AS closed,
           count(*) FILTER (WHERE event_type = 'reopened') AS reopened,
           count(*) FILTER (WHERE event_type = 'changed') AS changed
    FROM events GROUP BY run_id
)
SELECT r.*, coalesce(v.sources_ok, 0) AS sources_ok, coalesce(v.sources_failed, 0) AS sources_failed,
       coalesce(v.sources_suspect, 0) AS sources_suspect, coalesce(c.new, 0) AS new,
       coalesce(c.closed, 0) AS closed, coalesce(c.reopened, 0) AS reopened,
       coalesce(c.changed, 0) AS changed
FROM runs r LEFT JOIN verdicts v USING (run_id) LEFT JOIN counts c USING (run_id)
ORDER BY r.run_id DESC LIMIT ?
"""
"""The latest runs with their source verdicts and event counts, newest first (one parameter: how many)."""


def runs(db_path: Path, limit: int = 20) -> list[dict]:
    """The latest loaded runs with their source verdicts and event counts."""
    return _query(db_path, RUNS_SQL, [limit])


def source_health(db_path: Path) -> list[dict]:
    """Per source: its last verdict and why, its last ok run, how many runs since, its programs."""
    return _query(db_path, "SELECT * FROM v_source_health")


SOURCES_SQL = """
SELECT h.*, latest.run_date AS last_run_date, ok.run_date AS last_ok_date
FROM v_source_health h LEFT JOIN runs latest ON latest.run_id = h.last_run_id
LEFT JOIN runs ok ON ok.run_id = h.last_ok_run_id
ORDER BY h.source_id
"""


def status_of(db_path: Path, limit: int, lock_timeout: float = 5.0) -> tuple[list[dict], list[dict]]:
    """Each source's health (with its last run's and last ok run's dates) and the last `limit` runs,
    read through one short read-only connection; two empty lists when no run was ever loaded."""
    con = open_for_reading(db_path, lock_timeout=lock_timeout)
    if con is None:
        return [], []
    try:
        return rows(con, SOURCES_SQL), rows(con, RUNS_SQL, [limit])
    finally:
        con.close()

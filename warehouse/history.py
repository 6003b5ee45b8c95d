"""What the hub's program pages need beyond the current state: each program's versions and events, and
each source's last verdict with the time it was last verified (its last ok run).

One read-only connection; every program's history is read in two statements, not one per program,
so a warehouse of 10,000 programs publishes in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.read import EVENT_COLUMNS, open_for_reading, rows

VERSIONS_SQL = """
SELECT program_id, run_id, valid_from, valid_to, presence, status, application_fee_usd, program_fee_usd,
       duration_weeks_min, duration_weeks_max,
       program_fee_unit, program_name
FROM program_versions ORDER BY program_id, valid_from
"""
EVENTS_SQL = f"SELECT {EVENT_COLUMNS} FROM events WHERE program_id IS NOT NULL ORDER BY program_id, occurred_at"
SOURCES_SQL = """
SELECT h.source_id, h.verdict, h.reason, h.not_ok_runs, ok.started_at AS last_ok_at
FROM v_source_health h LEFT JOIN runs ok ON ok.run_id = h.last_ok_run_id
"""


@dataclass(frozen=True)
class History:
    """Per program: its versions and events, oldest first; per source: its last verdict and last ok run."""

    versions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)


def _grouped(found: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in found:
        groups.setdefault(row["program_id"], []).append(row)
    return groups


def read_history(db_path: Path) -> History:
    """The whole warehouse's history, or an empty one when no run was ever loaded."""
    con = open_for_reading(db_path)
    if con is None:
        return History()
    try:
        return History(
            versions=_grouped(rows(con, VERSIONS_SQL)),
            events=_grouped(rows(con, EVENTS_SQL)),
            sources={row["source_id"]: row for row in rows(con, SOURCES_SQL)},
        )
    finally:
        con.close()

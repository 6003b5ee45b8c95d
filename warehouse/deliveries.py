"""What each loaded run still owes: its publication and its notifications, marked in `runs` once done.

A run killed after its load committed has events no one was told of; the next `clerkships load`
or run finds it here (notified_at null) and completes it. A mark is written right after the step it
records, so a step is never repeated once marked.
"""

from __future__ import annotations

from pathlib import Path

from warehouse.db import connect
from warehouse.read import events_of_run

_RETRY = "retry with: clerkships load RUN_ID"


def unnotified(db_path: Path) -> list[tuple[str, list[dict]]]:
    """(run_id, its events) of every loaded run whose notifications were not sent, oldest first."""
    con = connect(db_path, read_only=True, retry=_RETRY)
    try:
        owed = [
            run
            for (run,) in con.execute("SELECT run_id FROM runs WHERE notified_at IS NULL ORDER BY run_id").fetchall()
        ]
        return [(run, events_of_run(con, run)) for run in owed]
    finally:
        con.close()


def mark(db_path: Path, column: str, run_ids: list[str] | None = None) -> None:
    """Set `published_at` or `notified_at` to now for the runs named (None: every run still unmarked)."""
    if column not in ("published_at", "notified_at"):
        raise ValueError(f"no such mark: {column}")
    con = connect(db_path, retry=_RETRY)
    try:
        where = f"{column} IS NULL" + (" AND run_id IN (SELECT unnest(?::VARCHAR[]))" if run_ids is not None else "")
        con.execute(
            f"UPDATE runs SET {column} = timezone('UTC', now()) WHERE {where}", [run_ids] if run_ids is not None else []
        )
    finally:
        con.close()

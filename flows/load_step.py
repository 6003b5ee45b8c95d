"""The load as the nightly flow and `clerkships load` both run it: into the data dir's writer file."""

from __future__ import annotations

from flows.paths import DataPaths
from warehouse import LoadResult, load_run
from warehouse.snapshot import adopt_old_file


def load_into(
    paths: DataPaths, run_id: str, source_ids: list[str] | None, closure_grace_runs: int, lock_timeout: float = 30.0
) -> LoadResult:
    """Load a run into the writer file (made once from an older data dir's only file)."""
    adopt_old_file(paths.writer_db, paths.db)
    return load_run(
        paths.writer_db,
        paths.runs,
        run_id,
        closure_grace_runs=closure_grace_runs,
        source_ids=source_ids,
        lock_timeout=lock_timeout,
    )


def superseded_warning(run_id: str, superseded_by: str) -> str:
    """The loud line for a run loaded after a newer one: it changed nothing but its observations."""
    return (
        f"warning: run {run_id} was loaded after the newer run {superseded_by}: kept as "
        "observations only (no events, no state changes, no alerts)"
    )

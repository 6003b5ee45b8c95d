"""The analysts' file: a checkpointed copy of the writer's file, replaced atomically after each load.

DuckDB lets one process open a file when any process writes it, so an analyst's read-only
connection to the file the night writes would block the load. The night writes its own file; the
analysts' file is a copy put in place by rename, so a reader holding the old copy keeps reading it
and the next connection sees the new one. Nothing ever writes the analysts' file in place.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from contract.files import replace_atomically
from warehouse.db import connect

"""Every temporary file the warehouse writes ends so, so a cleaner knows it after a kill."""


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_atomically(source: Path, target: Path) -> None:
    """`target` becomes a whole copy of `source` in one rename (a temp in the same dir, fsync, replace)."""

    def copy(tmp: Path) -> None:
        with source.open("rb") as src, tmp.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)

    replace_atomically(target, copy)
    _fsync_dir(target.parent)


def publish_snapshot(writer_db: Path, snapshot_db: Path, lock_timeout: float = 30.0) -> Path:
    """Checkpoint the writer's file (so the copy needs no WAL) and put a copy at `snapshot_db`."""
    con = connect(writer_db, lock_timeout=lock_timeout, retry="publish again with: clerkships load RUN_ID")
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    copy_atomically(writer_db, snapshot_db)
    return snapshot_db


def adopt_old_file(writer_db: Path, snapshot_db: Path) -> None:
    """A data dir from before the split holds only the analysts' file: the writer's file starts as its copy."""
    if writer_db.exists() or not snapshot_db.exists():
        return
    writer_db.parent.mkdir(parents=True, exist_ok=True)
    if snapshot_db.with_name(snapshot_db.name + ".wal").exists():  # fold a left-over WAL in first
        con = connect(snapshot_db, retry="retry once no one holds it")
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
    copy_atomically(snapshot_db, writer_db)

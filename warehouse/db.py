"""Opening the DuckDB file: one writer process at a time, a bounded wait, a one-line error."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

T = TypeVar("T")


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file for longer than we were willing to wait."""


class WarehouseCorruptError(RuntimeError):
    """The file is not a DuckDB database, or is damaged (cut short, bad checksums)."""


_HOLDER = re.compile(r"Conflicting lock is held in (.+?\(PID \d+\))")
# What DuckDB says when it cannot read the file as a database at all.
_CORRUPT = re.compile(r"not a valid DuckDB database file|Corrupt database file|Could not read enough bytes", re.I)


def connect(
    db_path: Path, *, read_only: bool = False, lock_timeout: float = 30.0, retry: str = "try again"
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds its lock; `retry` names the command to rerun."""
    return _waiting(lambda: duckdb.connect(str(db_path), read_only=read_only), db_path, lock_timeout, retry)


def attach(
    con: duckdb.DuckDBPyConnection, db_path: Path, *, lock_timeout: float, retry: str, read_only: bool = False
) -> None:
    """Attach the file (for writing unless `read_only`) to an in-memory connection and make it the
    default catalog, retrying while another process holds its lock. The lock is held until close."""
    sql = "ATTACH ? AS warehouse (READ_ONLY)" if read_only else "ATTACH ? AS warehouse"
    _waiting(lambda: con.execute(sql, [str(db_path)]), db_path, lock_timeout, retry)
    con.execute("USE warehouse")


def _waiting(open_file: Callable[[], T], db_path: Path, lock_timeout: float, retry: str) -> T:
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            return open_file()
        except duckdb.Error as exc:
            if _CORRUPT.search(str(exc)):
                first = str(exc).splitlines()[0]
                raise WarehouseCorruptError(f"{db_path}: not a DuckDB file or damaged ({first})") from None
            if not isinstance(exc, duckdb.IOException) or "lock" not in str(exc).lower():
                raise
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                match = _HOLDER.search(str(exc))
                holder = match.group(1) if match else str(exc).splitlines()[0]
                raise WarehouseLockedError(
                    f"{db_path} is locked by {holder}; waited {lock_timeout:g}s, nothing was lost: {retry}"
                ) from None
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 1.0)

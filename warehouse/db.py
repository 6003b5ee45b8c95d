"""Opening the DuckDB file: one writer process at a time, a bounded wait, a one-line error."""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file for longer than we were willing to wait."""


_HOLDER = re.compile(r"Conflicting lock is held in (.+?)(?:\. See also|$)")


def connect(
    db_path: Path, *, read_only: bool = False, lock_timeout: float = 30.0, retry: str = "try again"
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds its lock; `retry` names the command to rerun."""
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
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

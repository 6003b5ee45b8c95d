"""Opening the DuckDB file: one writer process at a time, a bounded wait, a one-line error.

Whether the file is held is asked of the kernel, not read from DuckDB's message: DuckDB takes a
POSIX record lock on the whole file (shared to read, exclusive to write), and `fcntl(F_GETLK)`
answers whether a lock of another process stands in the way, and whose.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import psutil

T = TypeVar("T")


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file for longer than we were willing to wait."""


class WarehouseCorruptError(RuntimeError):
    """The file is not a DuckDB database, or is damaged (cut short, bad checksums)."""


_FLOCK = "hhqqi4x"  # struct flock on 64-bit Linux: type, whence, start, len, pid (padded)
# What DuckDB says when it cannot read the file as a database at all.
_CORRUPT = re.compile(r"not a valid DuckDB database file|Corrupt database file|Could not read enough bytes", re.I)


def connect(
    db_path: Path, *, read_only: bool = False, lock_timeout: float = 30.0, retry: str = "try again"
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds its lock; `retry` names the command to rerun."""
    con = _waiting(
        lambda: duckdb.connect(str(db_path), read_only=read_only), db_path, lock_timeout, retry, not read_only
    )
    in_utc(con)
    return con


def in_utc(con: duckdb.DuckDBPyConnection) -> None:
    """Times are read and written in UTC whatever the machine's zone: a wall-clock time given to a
    TIMESTAMPTZ column is taken as UTC, and one read back is an aware UTC datetime."""
    con.execute("SET TimeZone = 'UTC'")


def attach(
    con: duckdb.DuckDBPyConnection, db_path: Path, *, lock_timeout: float, retry: str, read_only: bool = False
) -> None:
    """Attach the file (for writing unless `read_only`) to an in-memory connection and make it the
    default catalog, retrying while another process holds its lock. The lock is held until close."""
    sql = "ATTACH ? AS warehouse (READ_ONLY)" if read_only else "ATTACH ? AS warehouse"
    _waiting(lambda: con.execute(sql, [str(db_path)]), db_path, lock_timeout, retry, not read_only)
    con.execute("USE warehouse")
    in_utc(con)


def lock_holder(db_path: Path, write: bool) -> int | None:
    """The process id of a lock on the file that keeps this process from opening it (for writing,
    or for reading), or None: the question DuckDB's lock answers, asked of the kernel."""
    try:
        fd = os.open(db_path, os.O_RDONLY)
    except OSError:
        return None
    try:
        wanted = struct.pack(_FLOCK, fcntl.F_WRLCK if write else fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0)
        kind, _, _, _, pid = struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, wanted))
    finally:
        os.close(fd)
    return pid if kind != fcntl.F_UNLCK else None


def describe_process(pid: int) -> str:
    """`/usr/bin/python3 (PID 1234)`, as far as the process can still be seen."""
    try:
        name = psutil.Process(pid).exe() or psutil.Process(pid).name()
    except psutil.Error:
        name = "a process"
    return f"{name} (PID {pid})"


def _waiting(open_file: Callable[[], T], db_path: Path, lock_timeout: float, retry: str, write: bool = True) -> T:
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    unexplained = 0
    while True:
        try:
            return open_file()
        except duckdb.Error as exc:
            if _CORRUPT.search(str(exc)):
                first = str(exc).splitlines()[0]
                raise WarehouseCorruptError(f"{db_path}: not a DuckDB file or damaged ({first})") from None
            holder = lock_holder(db_path, write)
            if holder is None:
                unexplained += 1
                if unexplained > 1:  # not a lock (or one released just now, and this try failed anew)
                    raise
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WarehouseLockedError(
                    f"{db_path} is locked by {describe_process(holder)}; waited {lock_timeout:g}s, "
                    f"nothing was lost: {retry}"
                ) from None
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 1.0)

"""One run per data dir: `run`, `load` and the served flow take the data dir's lock first.

Two runs on one data dir would crawl every host twice, and the one that loads second would be kept
as observations only. The lock is `fcntl.flock` on `<data dir>/clerkships.lock`, so a holder that
dies (even by SIGKILL) frees it; the file names the holder (pid, host, command, start time) for the
one-line refusal. Within one process the lock is re-entrant: `clerkships run` holds it and the
nightly flow it runs in-process takes it again without waiting on itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = "clerkships.lock"
_held: dict[Path, int] = {}  # lock path → how many holders in this process


class DataDirBusyError(RuntimeError):
    """Another process holds the data dir."""


def _holder(path: Path) -> str:
    """The holder as the lock file names it, in a few words."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
        return f"pid {holder['pid']} on {holder['host']} ({holder['command']}, since {holder['started_at']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextmanager
def data_dir_lock(root: Path, command: str | None = None) -> Iterator[None]:
    """Hold `root`'s lock for the block; raise DataDirBusyError at once if another process holds it."""
    path = (Path(root) / LOCK_FILE).resolve()
    if _held.get(path):
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataDirBusyError(
                f"{root}: busy: held by {_holder(path)}; one run per data dir at a time, "
                "wait for it to finish (the lock frees itself if that process dies)"
            ) from None
        handle.seek(0)
        handle.truncate()
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": command or " ".join(["clerkships", *sys.argv[1:]]),
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        handle.write(json.dumps(holder) + "\n")
        handle.flush()
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
    finally:
        handle.close()  # closing the file frees the flock

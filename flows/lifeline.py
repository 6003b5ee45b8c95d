"""Children die with `clerkships run`: a small watcher process ends them when the CLI dies.

A SIGKILLed process runs no handler, and Prefect starts its temporary API server as a plain child
(no parent-death signal), so after a kill the server lived on, and so did the crawl's reader pool.
The CLI marks its environment with a random token before it starts anything, so every process it
starts, and every process those start, carries the token. The watcher holds the read end of a pipe
whose only writer is the CLI: end of file without a goodbye means the CLI is gone (killed,
terminated, crashed), and the watcher then terminates every process carrying the token, and kills
those that linger. Only processes with the token are touched, so a reused pid never is.

A SIGTERM or Ctrl-C of the CLI ends it at once, the same way: the work runs in a worker thread so
that the main thread's own handlers answer the signal (Prefect's handler would raise in the flow,
which then waits for the crawl's thread to finish the crawl), and the watcher ends the rest.

`python -m flows.lifeline` runs the watcher (the token in its environment).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import psutil

TOKEN_ENV = "CLERKSHIPS_LIFELINE"
GOODBYE = b"done\n"
GRACE_SECONDS = 3.0
SWEEPS = 3  # a process may start another while the first are ended
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
T = TypeVar("T")


def guarded(work: Callable[[], T]) -> T:
    """Run `work` so that every process it starts ends with this one, and a SIGTERM or SIGINT ends
    this one at once (exit 128 + the signal); its result or exception is passed on."""
    with children_die_with_me(), ThreadPoolExecutor(1, thread_name_prefix="clerkships-run") as pool:
        handlers = {number: signal.signal(number, _exit_now) for number in STOP_SIGNALS}
        try:
            return pool.submit(work).result()
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)


def _exit_now(number: int, _frame: object) -> None:
    os._exit(128 + number)  # no cleanup here: the watcher ends the children, the kernel frees the lock


@contextmanager
def children_die_with_me() -> Iterator[None]:
    """Every process started inside the block ends when this process dies; leaving the block stops the watcher."""
    token = secrets.token_hex(8)
    watcher = subprocess.Popen(
        [sys.executable, "-m", "flows.lifeline"],
        stdin=subprocess.PIPE,
        env={**os.environ, TOKEN_ENV: token},
        start_new_session=True,  # a Ctrl-C or a kill of the CLI's process group does not reach it
    )
    os.environ[TOKEN_ENV] = token
    try:
        yield
    finally:
        del os.environ[TOKEN_ENV]
        watcher.communicate(GOODBYE)


def marked(token: str) -> list[psutil.Process]:
    """The processes (but this one) whose environment carries the token."""
    wanted = f"{TOKEN_ENV}={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(psutil.Process(int(entry.name)))
        except (OSError, psutil.Error):  # gone meanwhile, or not ours
            continue
    return found


def end(processes: list[psutil.Process]) -> None:
    """SIGTERM each, SIGKILL those alive after the grace."""
    for process in processes:
        try:
            process.terminate()
        except psutil.Error:
            continue
    _, lingering = psutil.wait_procs(processes, timeout=GRACE_SECONDS)
    for process in lingering:
        try:
            process.kill()
        except psutil.Error:
            continue


def watch(token: str) -> None:
    """Wait for the goodbye or the CLI's death; on its death, end every marked process."""
    if sys.stdin.buffer.read() == GOODBYE:
        return
    for _ in range(SWEEPS):
        if not (left := marked(token)):
            return
        end(left)
        time.sleep(0.1)


if __name__ == "__main__":
    watch(os.environ[TOKEN_ENV])

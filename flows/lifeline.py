"""Children die with `clerkships run`: a small watcher process ends them when the CLI dies.

A SIGKILLed process runs no handler, and Prefect starts its temporary API server as a plain child
(no parent-death signal), so after a kill the server lived on and a crawl went on writing into a
dead run's folder. The watcher, started by the CLI, notes the CLI's descendants every moment; when
the CLI is gone (killed, terminated, or crashed), it terminates the last ones it saw, then kills any
that linger. Each is checked by its start time, so a reused pid is never touched. The watcher itself
gets SIGKILL if it outlives its purpose (it is told to stop when the CLI finishes normally).

`python -m flows.lifeline PID` runs the watcher.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psutil

POLL_SECONDS = 0.5
GRACE_SECONDS = 3.0


@contextmanager
def children_die_with_me() -> Iterator[None]:
    """Watch this process's descendants for the block; on a normal end the watcher just stops."""
    watcher = subprocess.Popen(
        [sys.executable, "-m", "flows.lifeline", str(psutil.Process().pid)],
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C or a kill of the CLI's process group does not reach it
    )
    try:
        yield
    finally:
        watcher.kill()
        watcher.wait()


def _descendants(parent: psutil.Process) -> dict[int, psutil.Process]:
    try:
        return {child.pid: child for child in parent.children(recursive=True)}
    except psutil.Error:
        return {}


def end(processes: list[psutil.Process]) -> None:
    """SIGTERM each (still the same process), SIGKILL those alive after the grace."""
    alive = []
    for process in processes:
        try:
            process.terminate()  # psutil checks the start time: a reused pid is left alone
            alive.append(process)
        except psutil.Error:
            continue
    _, lingering = psutil.wait_procs(alive, timeout=GRACE_SECONDS)
    for process in lingering:
        try:
            process.kill()
        except psutil.Error:
            continue


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def watch(parent_pid: int) -> None:
    """Until the parent dies, remember its descendants; then end them."""
    me = psutil.Process().pid
    try:
        parent = psutil.Process(parent_pid)
    except psutil.Error:
        return
    seen: dict[int, psutil.Process] = {}
    while _alive(parent):
        seen.update(_descendants(parent))
        seen = {pid: p for pid, p in seen.items() if pid != me and _alive(p)}
        time.sleep(POLL_SECONDS)
    end([p for pid, p in seen.items() if pid != me])


if __name__ == "__main__":
    watch(int(sys.argv[1]))

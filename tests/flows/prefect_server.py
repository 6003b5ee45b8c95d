"""A real `prefect server start` on loopback for tests, ended by its own process id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

OFFLINE = {
    # The server reads Prefect's collection registry from GitHub when asked for work-pool types (as
    # `prefect work-pool create` does) and falls back to the copy it ships when that fails. Its HTTP
    # client honours proxies: pointed at a closed loopback port, the fetch fails at once, and no name
    # is looked up off the machine. Loopback itself goes direct.
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost,::1",
}

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGINT the process (and its group, which it leads), then kill what is left."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def prefect_server(home: Path) -> Iterator[str]:
    """Start a Prefect server with its own home; yield its API URL once healthy."""
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **OFFLINE}
    env.pop("PREFECT_API_URL", None)
    log = (home.parent / "prefect-server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, f"prefect server exited: see {log.name}"
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise TimeoutError(f"prefect server not healthy after 120 s: see {log.name}")
        yield api
    finally:
        stop(process)
        log.close()


def wait_for(fetch: Callable[[], T | None], what: str, timeout: float = 300, every: float = 0.5) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fetch()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"timed out waiting for {what}")


def answered(response: httpx.Response) -> Any:
    """The JSON of a successful answer; None for one a busy server may answer differently next time
    (5xx, 429: the test server's SQLite under a loaded machine), so `wait_for` asks again, as
    Prefect's own client retries those; any other error fails with its body."""
    if response.status_code >= 500 or response.status_code == 429:
        return None
    request = response.request
    assert response.is_success, f"{request.method} {request.url}: {response.status_code} {response.text[:500]}"
    return response.json()

"""A night on several "machines", all on loopback: a real Prefect server, a process work pool, real
`prefect worker start` processes, and an S3 API (moto's server) for the staging store.

The commands are the README's "Running on several machines", run as `python -m prefect ...` and
`python -m flows ...` in this environment (what `uv run prefect` and `uv run clerkships` run).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import s3fs
from moto.server import ThreadedMotoServer

from tests.flows.prefect_server import prefect_server, stop, wait_for

REPO = Path(__file__).resolve().parents[2]
POOL = "clerkships"
BUCKET = "clerkships-staging"
STAGING_URL = f"s3://{BUCKET}/runs"
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


@contextmanager
def s3_on_loopback() -> Iterator[dict[str, str]]:
    """moto's S3 server on a free loopback port, one bucket; the environment that points s3fs at it."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ACCESS_KEY_ID": "clerkships-test",
        "AWS_SECRET_ACCESS_KEY": "clerkships-test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_EC2_METADATA_DISABLED": "true",  # never ask a cloud metadata address for credentials
    }
    try:
        httpx.put(f"{env['AWS_ENDPOINT_URL']}/{BUCKET}", timeout=10).raise_for_status()
        yield env
    finally:
        server.stop()


@dataclass
class Cluster:
    """The server, the pool's workers by name, and the environment every command runs with."""

    api: str
    env: dict[str, str]
    logs: Path
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)

    def command(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        done = subprocess.run(args, cwd=REPO, env=self.env, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        return done

    def prefect(self, *args: str) -> subprocess.CompletedProcess:
        return self.command(sys.executable, "-m", "prefect", *args)

    def clerkships(self, *args: str) -> subprocess.CompletedProcess:
        return self.command(sys.executable, "-m", "flows", *args)

    def start_worker(self, name: str, *options: str) -> None:
        """`prefect worker start --pool POOL --name NAME ...`, in its own process group."""
        log = (self.logs / f"worker-{name}.log").open("wb")
        self.workers[name] = subprocess.Popen(
            [sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--name", name, *options],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: name in self.online_workers(), f"worker {name} to come online", timeout=120)

    def online_workers(self) -> set[str]:
        answer = httpx.post(f"{self.api}/work_pools/{POOL}/workers/filter", json={}, timeout=10)
        return {w["name"] for w in answer.json() if w["status"] == "ONLINE"} if answer.status_code == 200 else set()

    def kill_machine(self, name: str) -> None:
        """SIGKILL a worker and everything it started, as when its machine dies: nothing reports."""
        worker = self.workers[name]
        everything = [psutil.Process(worker.pid), *psutil.Process(worker.pid).children(recursive=True)]
        for process in everything:
            with suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGKILL)
        worker.wait()

    def store(self) -> s3fs.S3FileSystem:
        """The staging store as the workers see it, with every setting given (none looked up)."""
        return s3fs.S3FileSystem(
            key=self.env["AWS_ACCESS_KEY_ID"],
            secret=self.env["AWS_SECRET_ACCESS_KEY"],
            endpoint_url=self.env["AWS_ENDPOINT_URL"],
            client_kwargs={"region_name": self.env["AWS_DEFAULT_REGION"]},
            skip_instance_cache=True,
        )

    def flow_runs(self, flow_name: str) -> list[dict[str, Any]]:
        query = {"flows": {"name": {"any_": [flow_name]}}, "sort": "START_TIME_ASC"}
        return httpx.post(f"{self.api}/flow_runs/filter", json=query, timeout=10).json()

    def run_deployment(self, name: str) -> str:
        """`prefect deployment run NAME`; the id of the flow run it created (the one it prints)."""
        printed = self.prefect("deployment", "run", name).stdout
        found = re.search(r"UUID: ([0-9a-f-]{36})", printed)
        assert found, printed
        return found.group(1)

    def wait_final(self, flow_run_id: str, timeout: float = 600) -> dict[str, Any]:
        def final() -> dict[str, Any] | None:
            run = httpx.get(f"{self.api}/flow_runs/{flow_run_id}", timeout=10).json()
            return run if run["state"] and run["state"]["type"] in FINAL else None

        return wait_for(final, f"flow run {flow_run_id} to end", timeout=timeout, every=1)


@contextmanager
def cluster(home: Path) -> Iterator[Cluster]:
    """The server, the S3 store and a process work pool; workers are started by the tests."""
    with prefect_server(home / "prefect-home") as api, s3_on_loopback() as s3_env:
        env = {
            **os.environ,
            **s3_env,
            "PREFECT_API_URL": api,
            "PREFECT_HOME": str(home / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",  # a scheduled shard is picked up within a second
            "PREFECT_WORKER_HEARTBEAT_SECONDS": "5",  # a dead worker is offline after 15 s
            "COLUMNS": "250",
        }
        found = Cluster(api, env, home)
        found.prefect("work-pool", "create", POOL, "--type", "process")
        try:
            yield found
        finally:
            for worker in found.workers.values():
                stop(worker)

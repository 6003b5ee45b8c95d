"""`clerkships run` as a careful user meets it: a failed load says two lines and how to retry (and
the retry works); one run per data dir; a killed run takes its children with it."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from flows.paths import DataPaths
from tests.crawl.site import Site, source, write_config
from tests.flows.clerkships_cli import REPO, clerkships
from tests.publish.receiver import closed_port
from tests.warehouse.staging_kit import record, write_run
from warehouse.read import runs

pytestmark = pytest.mark.e2e


def down_config(path: Path) -> Path:
    """Two sources at a port nothing listens on: a crawl that fails fast."""
    start = f"http://127.0.0.1:{closed_port()}/visiting"
    return write_config(path, [source(name, [start]) for name in ("down", "other")])


def test_a_failed_load_prints_two_lines_and_a_retry_that_works(tmp_path: Path) -> None:
    config, data = down_config(tmp_path / "sources.yaml"), tmp_path / "data"
    paths = DataPaths(data)
    paths.writer_db.parent.mkdir(parents=True)
    for damaged in (paths.writer_db, paths.db):
        damaged.write_bytes(b"not a database, and no one will read it as one")
    done = clerkships("run", "--config", str(config), "--data-dir", str(data), "--source", "down")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    run_id = lines[0].split()[1]
    assert lines[0].startswith(f"run {run_id} failed: ")
    retry = f"clerkships load {run_id} --config {config.resolve()} --data-dir {data.resolve()}"
    assert lines[1] == f"staging kept in {data.resolve() / 'runs' / run_id}; retry the load with: {retry}"
    plan = json.loads((data / "runs" / run_id / "run.json").read_text())
    assert plan == {"config_path": str(config.resolve()), "source_ids": ["down"]}

    for damaged in (paths.writer_db, paths.db):
        damaged.unlink()
    retried = clerkships(*retry.split()[1:])
    assert retried.returncode == 0, retried.stderr[-2000:]
    [loaded] = runs(paths.db, 5)
    assert (loaded["run_id"], loaded["sources_failed"], loaded["sources_ok"]) == (run_id, 1, 0)  # not `other`


HOLD_LOCK = """
import sys, time
from flows.lock import data_dir_lock
with data_dir_lock(sys.argv[1], "clerkships run --config nightly.yaml"):
    print("holding", flush=True)
    time.sleep(120)
"""


def test_one_run_per_data_dir(tmp_path: Path) -> None:
    config, data = down_config(tmp_path / "sources.yaml"), tmp_path / "data"
    staged = write_run(data / "runs", 0, {"down": [record("down", "http://down.test/visiting")]})
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(data)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        for command in (["run"], ["load", staged]):
            done = clerkships(*command, "--config", str(config), "--data-dir", str(data))
            assert done.returncode == 1
            [line] = done.stderr.splitlines()
            assert line.startswith(f"{data}: busy: held by pid {holder.pid} on "), line
            assert "(clerkships run --config nightly.yaml, since 20" in line, line
            assert [p.name for p in (data / "runs").iterdir()] == [staged]  # nothing crawled, nothing loaded
            assert not DataPaths(data).writer_db.exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # a holder that dies frees the lock
        holder.wait()
    done = clerkships("run", "--config", str(config), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture
def slow_site() -> Iterator[Site]:
    """Every page answers after 6 s, past the config's 5 s timeout: a crawl that lasts minutes."""
    site = Site("127.0.0.32", [])
    yield site
    site.close()


def children(cli: psutil.Process) -> list[psutil.Process]:
    try:
        return cli.children(recursive=True)
    except psutil.Error:
        return []


def named(processes: list[psutil.Process], word: str) -> list[psutil.Process]:
    found = []
    for process in processes:
        try:
            if any(word in part for part in process.cmdline()):
                found.append(process)
        except psutil.Error:
            continue
    return found


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM])
def test_children_die_with_a_killed_run(tmp_path: Path, slow_site: Site, stop: signal.Signals) -> None:
    starts = [f"{slow_site.base}/slow/{n}" for n in range(20)]
    politeness = "{download_delay: 0, concurrency_per_host: 1, download_timeout: 5}"
    config = write_config(tmp_path / "sources.yaml", [source("slow", starts)], politeness)
    command = [sys.executable, "-m", "flows", "run", "--config", str(config), "--data-dir", str(tmp_path / "data")]
    cli = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process = psutil.Process(cli.pid)
    started: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 180
        while not (named(started, "scrapy") and slow_site.log):  # no Prefect server: a plain night starts none
            assert cli.poll() is None, "the run ended before it was killed"
            assert time.monotonic() < deadline, [p.cmdline() for p in started]
            time.sleep(0.2)
            started = children(process)
        cli.send_signal(stop)
        cli.wait()
        _, alive = psutil.wait_procs(started, timeout=15)
        assert not alive, [p.cmdline()[:4] for p in alive]
    finally:
        for leftover in [*children(process), *started]:
            with contextlib.suppress(psutil.Error):
                leftover.kill()
        if cli.poll() is None:
            cli.kill()
            cli.wait()

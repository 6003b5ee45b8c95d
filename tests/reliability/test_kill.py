"""SIGKILL `clerkships run` at each stage of a night; recovering as a user would must give what an
uninterrupted night gives: the same tables, the same exports, every notification exactly once,
no temporary file left, and nothing the killed run started still running.

Stages: crawl (the Scrapy child is fetching), staged (status.json written, not loaded), mid-load
(inside the load's transaction: warehouse.load's PAUSE_ENV) and mid-publish (after the Parquet
exports, before the snapshot and the notifications: flows.publish.step's PAUSE_ENV). A run killed
before its load is recovered by the next `clerkships run` or by `clerkships load RUN_ID`; one
killed after it, by `clerkships load RUN_ID` or the next run.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from flows.publish.step import PAUSE_ENV as PUBLISH_PAUSE_ENV
from tests.publish.receiver import Receiver
from tests.reliability.chaos import ChaosWeb
from tests.reliability.faults import OK3, QUIET, Case
from tests.reliability.pipeline import REPO, clerkships, command, descendants
from warehouse.load import PAUSE_ENV as LOAD_PAUSE_ENV

pytestmark = pytest.mark.e2e
SITES = tuple(
    Case(site, "none", "healthy", programs, OK3, QUIET, control=True)
    for site, programs in (("kill-north", 2), ("kill-south", 3), ("kill-east", 1))
)
VOLATILE = {  # columns that name the run or its clock, not what was found
    "run_id",
    "event_id",
    "occurred_at",
    "fetched_at",
    "first_seen",
    "last_seen",
    "first_run_id",
    "last_run_id",
    "closed_at",
    "loaded_at",
}
TRIGGER_TIMEOUT = 180.0
CHILDREN_GRACE = 15.0  # seconds the killed run's children may take to notice and end


@dataclass(frozen=True)
class Night:
    """What a data dir holds after a night: its tables, its exports, what the webhook received."""

    programs: pd.DataFrame
    events: pd.DataFrame
    exports: dict[str, pd.DataFrame]  # programs.parquet, program_events.parquet
    observations: list[pd.DataFrame]  # exports/observations/, one frame per loaded run
    notified: list[list[tuple]]  # per POST: sorted (event_type, source_id, program_name)
    leftovers: list[str]  # temporary files in exports/ or beside the snapshot


@dataclass
class Setup:
    web: ChaosWeb
    root: Path

    def night(self, name: str) -> tuple[Path, Path, Receiver]:
        """A fresh data dir and config with its own webhook receiver."""
        receiver = Receiver()
        config = self.web.write_config(
            self.root / f"{name}.yaml", notify=[f"webhook+http://127.0.0.1:{receiver.port}/night"]
        )
        return config, self.root / name, receiver


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    with ChaosWeb(SITES) as web:
        yield Setup(web, tmp_path_factory.mktemp("kill"))


@pytest.fixture(scope="module")
def uninterrupted(setup: Setup) -> Night:
    config, data_dir, receiver = setup.night("uninterrupted")
    clerkships("run", "--config", config, "--data-dir", data_dir)
    return observe(data_dir, receiver)


def observe(data_dir: Path, receiver: Receiver) -> Night:
    receiver.close()
    exports = data_dir / "exports"
    frames = {name: pd.read_parquet(exports / f"{name}.parquet") for name in ("programs", "program_events")}
    observations = pd.read_parquet(exports / "observations")
    leftovers = [str(p.relative_to(data_dir)) for p in exports.rglob("*") if p.name.startswith(".") or ".tmp" in p.name]
    leftovers += [p.name for p in data_dir.glob(".clerkships.duckdb*")]
    return Night(
        programs=stable(table(data_dir, "v_programs")),
        events=stable(table(data_dir, "events")),
        exports={name: stable(frame) for name, frame in frames.items()},
        observations=[stable(rows) for _, rows in observations.groupby("run_id")],
        notified=[
            sorted((e["event_type"], e["source_id"], e.get("program_name")) for e in hook["body"]["events"])
            for hook in receiver.received
        ],
        leftovers=leftovers,
    )


def table(data_dir: Path, name: str) -> pd.DataFrame:
    with duckdb.connect(str(data_dir / "clerkships.duckdb"), read_only=True) as con:
        return con.execute(f"SELECT * FROM {name}").df()


def stable(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without its volatile columns, in a fixed row order, as comparable text."""
    kept = frame.drop(columns=[c for c in frame.columns if c in VOLATILE]).astype(str)
    return kept.sort_values(list(kept.columns)).reset_index(drop=True)


def kill_at(config: Path, data_dir: Path, env: dict[str, str], reached: Callable[[], bool]) -> list[str]:
    """Start `clerkships run` and SIGKILL it the moment `reached()` holds; return the processes it
    started that outlived it by the grace (found by a token in their environment, then killed)."""
    token = secrets.token_hex(8)
    process = subprocess.Popen(
        command("run", "--config", config, "--data-dir", data_dir),
        cwd=REPO,
        env={**os.environ, **env, "CLERKSHIPS_KILL_TEST": token},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + TRIGGER_TIMEOUT
        while not reached():
            if process.poll() is not None:
                pytest.fail(f"the run ended (exit {process.returncode}) before the kill point:\n{read(process)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the kill point was not reached in {TRIGGER_TIMEOUT:g} s")
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return wait_for_no(f"CLERKSHIPS_KILL_TEST={token}")


def wait_for_no(token: str) -> list[str]:
    """Wait for the processes whose environment holds `token` (NAME=VALUE) to end; kill and name
    any still there after the grace."""
    deadline = time.monotonic() + CHILDREN_GRACE
    while (pids := descendants(token)) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = []
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            left.append(f"{pid}: {cmdline[:200]}")
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return left


def read(process: subprocess.Popen[bytes]) -> str:
    return (process.stdout.read() if process.stdout else b"").decode(errors="replace")[-3000:]


def staged_run(data_dir: Path) -> str:
    [status] = list((data_dir / "runs").glob("*/status.json"))
    return status.parent.name


def assert_same_night(got: Night, want: Night, runs: int = 1) -> None:
    """`got` is `want`, but for the clock; with `runs` = 2, one more quiet night was loaded after it."""
    pd.testing.assert_frame_equal(got.programs, want.programs)
    pd.testing.assert_frame_equal(got.events, want.events)
    for name, frame in want.exports.items():
        pd.testing.assert_frame_equal(got.exports[name], frame, obj=f"exports/{name}")
    assert len(got.observations) == runs
    for observed in got.observations:
        pd.testing.assert_frame_equal(observed, want.observations[0], obj="exports/observations")
    assert got.notified == want.notified, "notifications must arrive exactly once"
    assert got.leftovers == []


def test_the_uninterrupted_night_is_the_reference(uninterrupted: Night) -> None:
    assert len(uninterrupted.programs) == sum(case.programs for case in SITES)
    assert sorted(uninterrupted.events["event_type"]) == ["new"] * len(uninterrupted.programs)
    assert len(uninterrupted.notified) == 1 and len(uninterrupted.notified[0]) == len(uninterrupted.programs)
    assert uninterrupted.leftovers == []


def test_killed_while_crawling_then_the_next_run(setup: Setup, uninterrupted: Night) -> None:
    config, data_dir, receiver = setup.night("crawl")
    before = len(setup.web.log)
    left = kill_at(config, data_dir, {}, lambda: len(setup.web.log) > before)
    assert not list((data_dir / "runs").glob("*/status.json")), "the kill came after the crawl"
    clerkships("run", "--config", config, "--data-dir", data_dir)
    assert_same_night(observe(data_dir, receiver), uninterrupted)
    assert left == [], f"processes of the killed run still alive: {left}"


def test_killed_when_staged_then_load(setup: Setup, uninterrupted: Night) -> None:
    config, data_dir, receiver = setup.night("staged")
    marker = data_dir.parent / "staged.load-paused"  # the load waits there, so the kill comes before any commit
    left = kill_at(
        config, data_dir, {LOAD_PAUSE_ENV: str(marker)}, lambda: bool(list(data_dir.glob("runs/*/status.json")))
    )
    run_id = staged_run(data_dir)
    clerkships("load", run_id, "--config", config, "--data-dir", data_dir)
    assert_same_night(observe(data_dir, receiver), uninterrupted)
    assert left == [], f"processes of the killed run still alive: {left}"


def test_killed_mid_load_then_load(setup: Setup, uninterrupted: Night) -> None:
    config, data_dir, receiver = setup.night("mid-load")
    marker = data_dir.parent / "mid-load.paused"
    left = kill_at(config, data_dir, {LOAD_PAUSE_ENV: str(marker)}, marker.exists)
    run_id = staged_run(data_dir)
    clerkships("load", run_id, "--config", config, "--data-dir", data_dir)
    assert_same_night(observe(data_dir, receiver), uninterrupted)
    assert left == [], f"processes of the killed run still alive: {left}"


@pytest.mark.parametrize("recovery", ["load", "next run"])
def test_killed_mid_publish(setup: Setup, uninterrupted: Night, recovery: str) -> None:
    """The load committed: `clerkships load RUN_ID`, or the next night's run, finishes publishing and
    sends the killed night's notification, once (the next night, with nothing new, sends none)."""
    config, data_dir, receiver = setup.night(f"mid-publish-{recovery.replace(' ', '-')}")
    marker = data_dir.parent / f"{data_dir.name}.paused"
    left = kill_at(config, data_dir, {PUBLISH_PAUSE_ENV: str(marker)}, marker.exists)
    assert receiver.received == [], "the kill came after the notification"
    if recovery == "load":
        clerkships("load", staged_run(data_dir), "--config", config, "--data-dir", data_dir)
        assert_same_night(observe(data_dir, receiver), uninterrupted)
    else:
        clerkships("run", "--config", config, "--data-dir", data_dir)
        assert_same_night(observe(data_dir, receiver), uninterrupted, runs=2)
    assert left == [], f"processes of the killed run still alive: {left}"

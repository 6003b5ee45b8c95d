"""`crawl()`: one Scrapy crawl in a child process, as a plain function the flow can call.

A Twisted reactor cannot be restarted in a process, and Scrapy's exit code says little (a missing
browser or a dead site still exits 0), so the child is run with `python -m scrapy crawl` and the
caller gets the parsed `status.json`; if the child died without writing one, every requested
source is reported failed with the reason.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from contract.run_folder import (
    COUNTERS,
    DIED,
    GROUPS,
    STATUS_FILE,
    RunFolder,
    RunFolderError,
    RunStatus,
    SourceStatus,
    utc_now,
)
from crawlers.config import load_config

REPO = Path(__file__).resolve().parents[1]
GRACE_SECONDS = 15.0  # after a timeout, time to close cleanly (status.json) before the kill


def new_run_id() -> str:
    """Sortable, unique run id such as `20261125T030000Z-ab12`."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def crawl(
    config_path: Path,
    run_dir: Path,
    source_ids: list[str] | None = None,
    *,
    timeout: float | None = None,
    settings: dict[str, str] | None = None,
    shard: str | None = None,
) -> RunStatus:
    """Crawl the named (or all enabled) sources into `run_dir`; return the run's status.

    `settings` are extra Scrapy settings (`-s NAME=VALUE`), e.g. for tests and benchmarks. With `shard`,
    the status and page manifest are named for it (`status.N.json`), so shards can share `run_dir`.
    Raises `ConfigError` for an unusable config; never raises because of a failed crawl.
    """
    config_path, run_dir = Path(config_path).resolve(), Path(run_dir).resolve()
    sources = [s.id for s in load_config(config_path).enabled_sources(source_ids)]
    folder = RunFolder(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    folder.status_path(shard).unlink(missing_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "programs"]
    named = {"CLERKSHIPS_CONFIG": config_path, "CLERKSHIPS_RUN_DIR": run_dir, "CLERKSHIPS_SHARD": shard or ""}
    if source_ids:
        named["CLERKSHIPS_SOURCES"] = ",".join(sources)
    for name, value in {**named, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
    started_at = utc_now()
    log_path = folder.log(shard)
    with log_path.open("ab") as log:
        child = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent
        )
        try:
            reason = wait(child, timeout)
        except BaseException:  # the caller is going away (SIGTERM, Ctrl-C): the crawl goes with it
            child.kill()
            child.wait()
            raise
    try:
        status = folder.read_status(shard)
    except RunFolderError:
        status = None
    if status is not None:
        return status
    error = reason or f"crawl process exited with {child.returncode}"
    return failed_status(run_dir, sources, started_at, error, log_path)


_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In the child before exec (Linux): be killed when the parent dies, even by SIGKILL, so a dead
    run's crawl never goes on writing into its folder. Resolved before the fork; nothing but a syscall here."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def wait(child: subprocess.Popen[bytes], timeout: float | None) -> str | None:
    """Wait for the child; past the timeout ask it to stop (it then writes status.json), then kill it."""
    try:
        child.wait(timeout=timeout)
        return None
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return f"crawl timed out after {timeout:g} s and was stopped"


def died(status: RunStatus) -> str | None:
    """Why the crawl process died without reporting (its status came from `failed_status`), or None."""
    for source in status.get("sources", {}).values():
        if source.get("finish_reason") == DIED:
            return str(source.get("error"))
    return None


def failed_status(run_dir: Path, sources: list[str], started_at: str, error: str, log: Path | None = None) -> RunStatus:
    """The status of a crawl that left none: every requested source failed."""
    tail = ""
    if log and log.exists():
        lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        tail = f" ({lines[-1].strip()}); see {log}" if lines else f"; see {log}"
    entry: dict[str, Any] = {name: 0 for name in COUNTERS} | {group: {} for group in GROUPS}
    entry |= {"finish_reason": DIED, "failed": True, "error": f"{error}; no {STATUS_FILE} written{tail}"}
    return RunStatus(
        run_id=run_dir.name,
        started_at=started_at,
        finished_at=utc_now(),
        sources={source_id: cast(SourceStatus, dict(entry)) for source_id in sources},
    )

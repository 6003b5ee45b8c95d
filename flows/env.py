"""Prefect's environment for a data dir: set before Prefect is imported, so a newcomer sees no noise.

Prefect reads its settings when it is first imported, so every command that runs a flow calls
`use_data_dir` first and imports `flows.nightly` only afterwards. `prefect_api_url` tells, without
importing Prefect, whether a run can report to a server; without one `clerkships run` does not use
Prefect at all (Prefect would start a temporary API server for every run).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # ...but a flow run's and its tasks' own lines (one per crawled source) reach the server at INFO;
    # `clerkships run` keeps them off the terminal (flows.terminal.prefect_failures_quiet).
    "PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL": "INFO",
    "PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL": "INFO",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
}


def use_data_dir(data_dir: Path) -> Path:
    """Create the data dir and keep Prefect's home inside it unless the user chose another."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(data_dir / "prefect"))
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    return data_dir


def prefect_api_url() -> str | None:
    """The Prefect server flow runs report to: PREFECT_API_URL from the environment, else from the
    active profile of Prefect's profiles file (as `prefect config set PREFECT_API_URL=...` writes
    it); None when there is none."""
    if url := os.environ.get("PREFECT_API_URL"):
        return url
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        document = tomllib.loads(profiles.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or document.get("active") or "ephemeral"
    profile = document.get("profiles", {}).get(active, {})
    return str(profile.get("PREFECT_API_URL") or "") or None

"""Prefect's environment for a data dir: set before Prefect is imported, so a newcomer sees no noise.

Prefect reads its settings when it is first imported, so every command that runs a flow calls
`use_data_dir` first and imports `flows.nightly` only afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
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

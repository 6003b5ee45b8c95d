"""Running the real `clerkships` command in its own process, and a config for staged runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG = """\
settings:
  user_agent: "clerkships-test/0.1 (+https://example.org/contact)"
  notify: [{notify}]
sources:
  - id: lake
    institution: Lake University
    city: Chicago
    state: IL
    start_urls: [http://lake.test/visiting]
  - id: river
    institution: River College
    city: Chicago
    state: IL
    start_urls: [http://river.test/visiting]
"""


def clerkships(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """One `python -m flows ...`, wide enough that tables never wrap a name."""
    return subprocess.run(
        [sys.executable, "-m", "flows", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "250"},
    )


def write_config(path: Path, notify: list[str] | None = None) -> Path:
    path.write_text(CONFIG.format(notify=", ".join(notify or [])))
    return path

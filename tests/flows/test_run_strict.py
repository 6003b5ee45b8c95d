"""`clerkships run` exits 0 when the load succeeded though a source failed; `--strict` exits 1 then."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.publish.receiver import closed_port
from warehouse.read import runs, source_health

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
CONFIG = """\
settings:
  user_agent: "clerkships-test/0.1 (+https://example.org/contact)"
  politeness: {{download_delay: 0, download_timeout: 5}}
sources:
  - id: down
    institution: Down University
    city: Chicago
    state: IL
    start_urls: [http://127.0.0.1:{port}/visiting]
    allow_private: true
"""


def test_a_failed_source_fails_the_run_only_with_strict(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(CONFIG.format(port=closed_port()))
    data = tmp_path / "data"
    for strict, code in ((False, 0), (True, 1)):
        command = ["run", "--config", str(config), "--data-dir", str(data), *(["--strict"] if strict else [])]
        done = subprocess.run([sys.executable, "-m", "flows", *command], cwd=REPO, capture_output=True, text=True)
        assert done.returncode == code, done.stdout[-2000:] + done.stderr[-2000:]
    assert len(runs(data / "clerkships.duckdb", 5)) == 2  # both loads succeeded
    [health] = source_health(data / "clerkships.duckdb")
    assert (health["source_id"], health["verdict"], health["not_ok_runs"]) == ("down", "failed", 2)

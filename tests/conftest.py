"""Top-level fixtures: the fixture web (demo/) on loopback, and a config for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.web import FixtureWeb

SLOW_SECONDS = 4.0
"""The slow site's delay in tests; the written config's download timeout is 3/4 of it (3 s), which
leaves a loaded CI machine ample time to render the JavaScript page in Chromium."""


@pytest.fixture
def fixture_web() -> Iterator[FixtureWeb]:
    """The fixture web on night 1, its slow site slow enough to time out but quick to give up."""
    with FixtureWeb(night=1, slow_seconds=SLOW_SECONDS) as web:
        yield web


@pytest.fixture
def fixture_config(fixture_web: FixtureWeb, tmp_path: Path) -> Path:
    """A sources.yaml for the running fixture web."""
    return fixture_web.write_config(tmp_path / "sources.yaml")


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir after `clerkships demo` (three real nights over the fixture web), shared by the tests
    that read its warehouse or its hub."""
    import os
    import subprocess
    import sys

    data_dir = tmp_path_factory.mktemp("demo") / "data"
    done = subprocess.run(
        [sys.executable, "-m", "flows", "demo", "--data-dir", str(data_dir)],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return data_dir

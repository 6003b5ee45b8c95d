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

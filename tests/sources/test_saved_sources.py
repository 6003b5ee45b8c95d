"""Saved-source tests: each source captured under tests/sources/<id>/ by `clerkships capture` still
extracts what it did. Its saved responses, read through the spider's own page reading
(`crawlers.capture.replay`), must give exactly the records of its expected.json (`fetched_at` aside).

A failure means extraction now reads one of these pages differently. If that is intended, make the
capture again (README, "Saved-source tests") and review the diff of its expected.json.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from flows.capture import EXPECTED_FILE, expected_records, replay_saved

HERE = Path(__file__).parent
COMMITTED = sorted(manifest.parent for manifest in HERE.glob("*/manifest.json"))
ELSEWHERE = Path(os.environ.get("CLERKSHIPS_SAVED_SOURCES", HERE))  # real sites' captures stay outside the repo
CAPTURED = sorted({*COMMITTED, *(manifest.parent for manifest in ELSEWHERE.glob("*/manifest.json"))})


def test_sources_are_captured() -> None:
    """The data-driven test below has pages to read (a glob that matched nothing would pass it)."""
    assert len(COMMITTED) >= 2, COMMITTED


@pytest.mark.parametrize("folder", CAPTURED, ids=lambda folder: folder.name)
def test_saved_source_extracts_as_expected(folder: Path) -> None:
    assert replay_saved(folder) == expected_records(folder), (
        f"{folder.name}: extraction changed what its saved pages yield; if intended, capture it again"
    )


@pytest.mark.parametrize("folder", CAPTURED, ids=lambda folder: folder.name)
def test_saved_source_has_records(folder: Path) -> None:
    """A capture that expects nothing would not notice extraction losing a page's programs."""
    assert expected_records(folder)


def test_a_changed_expectation_fails(tmp_path: Path) -> None:
    """The check notices one changed value: a copy whose expected.json states another duration fails it."""
    copy = shutil.copytree(HERE / "lakeshore-som", tmp_path / "lakeshore-som")
    records = expected_records(copy)
    assert replay_saved(copy) == records
    records[0]["duration_weeks_max"] = (records[0]["duration_weeks_max"] or 0) + 1
    (copy / EXPECTED_FILE).write_text(json.dumps(records), encoding="utf-8")
    assert replay_saved(copy) != expected_records(copy)


def test_a_changed_page_fails(tmp_path: Path) -> None:
    """...and so does a page whose text changed under the same expectations."""
    copy = shutil.copytree(HERE / "lakeshore-som", tmp_path / "lakeshore-som")
    page = copy / "bodies" / "visiting-critical-care-observership.html"
    html = page.read_text(encoding="utf-8")
    assert "two weeks to two months" in html
    page.write_text(html.replace("two weeks to two months", "three weeks to two months"), encoding="utf-8")
    assert replay_saved(copy) != expected_records(copy)

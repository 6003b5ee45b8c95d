"""The next crawl's baseline (conditional GETs, reused records) is each source's last run the
warehouse judged ok, read from one index, not the newest run the crawler itself thought fine."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.run_folder import PageEntry, RunFolder, RunStatus, SourceStatus, read_last_ok, record_last_ok
from crawlers.pipelines import PreviousRun

HEALTHY = SourceStatus(start_pages=1, start_pages_failed=0, finish_reason="finished")


def stage(runs: Path, run_id: str, etag: str, failed: bool = False) -> RunFolder:
    """A run folder with one page of source `lake`, answered with `etag`."""
    folder = RunFolder(runs / run_id)
    folder.path.mkdir(parents=True)
    entry = PageEntry(
        "lake", "https://lake.test/visiting", "https://lake.test/visiting", 200, "t", etag=etag, sha256="x"
    )
    folder.pages().write_text(entry.to_json() + "\n")
    stats = SourceStatus(**HEALTHY, failed=failed, error="down" if failed else None)
    folder.write_status(RunStatus(run_id=run_id, started_at="s", finished_at="f", sources={"lake": stats}))
    return folder


def baseline_etag(runs: Path, run_id: str) -> str | None:
    page = PreviousRun.find(runs / run_id, ["lake"]).page("lake", "https://lake.test/visiting")
    return page.etag if page else None


def test_the_warehouse_verdict_names_the_baseline(tmp_path: Path) -> None:
    stage(tmp_path, "night1", etag="one")
    stage(tmp_path, "night2", etag="two")  # crawled fine, but the warehouse found it suspect
    record_last_ok(tmp_path, "night1", ["lake"])
    assert baseline_etag(tmp_path, "night3") == "one"


def test_without_an_index_the_newest_run_the_crawl_did_not_fail(tmp_path: Path) -> None:
    stage(tmp_path, "night1", etag="one")
    stage(tmp_path, "night2", etag="two", failed=True)
    assert baseline_etag(tmp_path, "night3") == "one"
    stage(tmp_path, "night3", etag="three")
    assert baseline_etag(tmp_path, "night4") == "three"


def test_an_index_naming_a_removed_run_falls_back(tmp_path: Path) -> None:
    stage(tmp_path, "night2", etag="two")
    record_last_ok(tmp_path, "night1", ["lake"])  # night1's folder was pruned since
    assert baseline_etag(tmp_path, "night3") == "two"


def test_a_late_reload_of_an_older_run_moves_no_baseline_back(tmp_path: Path) -> None:
    record_last_ok(tmp_path, "night2", ["lake"])
    record_last_ok(tmp_path, "night1", ["lake", "pine"])
    assert read_last_ok(tmp_path) == {"lake": "night2", "pine": "night1"}


def test_a_broken_index_is_named(tmp_path: Path) -> None:
    (tmp_path / "last_ok.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"last_ok\.json:1: invalid JSON"):
        read_last_ok(tmp_path)


def test_a_broken_index_costs_a_full_scan_not_the_crawl(tmp_path: Path) -> None:
    stage(tmp_path, "night1", etag="one")
    (tmp_path / "last_ok.json").write_text("[]")
    assert baseline_etag(tmp_path, "night2") == "one"


def test_a_damaged_records_file_costs_its_source_a_full_download_not_the_crawl(tmp_path: Path) -> None:
    folder = stage(tmp_path, "night1", etag="one")
    folder.records("lake").write_text('{"source_url": "https://lake.test/visiting"}\n{"cut off\n')
    record_last_ok(tmp_path, "night1", ["lake"])
    previous = PreviousRun.find(tmp_path / "night2", ["lake"])
    assert previous.page("lake", "https://lake.test/visiting") is None  # no validators: fetched and read again
    assert previous.programs("lake", "https://lake.test/visiting") == []

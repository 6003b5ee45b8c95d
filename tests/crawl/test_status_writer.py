"""status.json from Scrapy's stats: each source's counters read from one split of the stats."""

from __future__ import annotations

from pathlib import Path

from contract.health import judge
from contract.run_folder import COUNTERS, GROUPS, RunFolder, RunStatus
from crawlers.extensions import per_source, source_status

STATS = {
    "source/lake/start_pages": 2,
    "source/lake/start_pages_failed": 2,
    "source/lake/start_error": "http://lake.example/visiting: HTTP 500",
    "source/lake/http_status/500": 2,
    "source/lake/exceptions/TimeoutError": 1,
    "source/pine/start_pages": 1,
    "source/pine/pages_fetched": 3,
    "source/pine/http_status/200": 3,
    "downloader/request_count": 9,  # Scrapy's own: no source's
}


def test_stats_are_split_by_source_once() -> None:
    counters = per_source(STATS)
    assert sorted(counters) == ["lake", "pine"]
    assert counters["pine"] == {"start_pages": 1, "pages_fetched": 3, "http_status/200": 3}


def test_a_source_entry_has_every_counter_and_group() -> None:
    counters = per_source(STATS)
    lake = source_status(counters["lake"], "finished")
    assert set(lake) == {*COUNTERS, *GROUPS, "finish_reason", "unfinished", "start_error", "failed", "error"}
    assert lake["http_status"] == {"500": 2} and lake["exceptions"] == {"TimeoutError": 1}
    assert (
        lake["failed"] and lake["error"] == "all 2 start page(s) failed; last: http://lake.example/visiting: HTTP 500"
    )
    pine = source_status(counters["pine"], "finished")
    assert not pine["failed"] and pine["pages_fetched"] == 3 and pine["exceptions"] == {}
    stopped = source_status({**counters["pine"], "pending": 2}, "closespider_timeout")
    assert stopped["error"] == "crawl stopped (closespider_timeout) before the source was finished"
    never = source_status({}, "finished")
    assert never["error"] == "no start page was requested" and never["start_pages"] == 0


def test_the_crawl_and_the_warehouse_give_one_verdict() -> None:
    """The crawl's `failed` is the warehouse's `failed`, for the same reason: one rule, one home."""
    counters = per_source(STATS)
    entries = [
        source_status(counters["lake"], "finished"),
        source_status(counters["pine"], "finished"),
        source_status({**counters["pine"], "pending": 1}, "shutdown"),
        source_status({**counters["pine"], "exceptions/TimeoutError": 1}, "finished"),
        source_status({}, "finished"),
    ]
    for entry in entries:
        verdict = judge(entry, items=1, last_ok=None)
        assert (verdict.verdict == "failed") is entry["failed"]
        assert verdict.reason == entry["error"]


def test_the_merged_status_keeps_the_crawls_seconds(tmp_path: Path) -> None:
    """A run's status.json carries the span of its shards' crawl to the millisecond, for timing."""
    folder = RunFolder(tmp_path / "20261202T030000Z-0000")
    shards = [
        RunStatus(run_id=folder.run_id, started_at="s", finished_at="f", sources={source: {"items": 1}})
        for source in ("lake", "pine")
    ]
    folder.merge_statuses("2026-12-02T03:00:00Z", 12.34567, shards)
    merged = folder.read_status()
    assert merged is not None and merged["crawl_seconds"] == 12.346 and sorted(merged["sources"]) == ["lake", "pine"]

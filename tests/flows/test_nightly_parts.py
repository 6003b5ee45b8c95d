"""Parts of the nightly flow: stage reports reach listeners only while they listen; shards split evenly."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.progress import listening, report


def test_reports_reach_listeners_while_listening() -> None:
    heard: list[tuple[str, int, int]] = []
    report("crawl", 0, 3)  # nobody listens: nothing happens
    with listening(lambda *args: heard.append(args)):
        report("crawl", 2, 3)
        report("load", 0, 1)
    report("publish", 0, 1)
    assert heard == [("crawl", 2, 3), ("load", 0, 1)]


def test_shards_split_sources_evenly_in_config_order() -> None:
    from flows.night import plan_shards

    assert plan_shards(["a", "b", "c", "d", "e"], 2) == [["a", "c", "e"], ["b", "d"]]
    assert plan_shards(["a", "b"], 5) == [["a"], ["b"]]
    assert plan_shards([], 3) == []


def test_without_a_number_a_night_crawls_one_shard_per_usable_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows import night

    monkeypatch.setattr(night.os, "sched_getaffinity", lambda _pid: {0, 2, 5})
    assert night.plan_shards(list("abcdefg")) == [["a", "d", "g"], ["b", "e"], ["c", "f"]]
    assert night.plan_shards(["a"]) == [["a"]]  # never more shards than sources


def test_shards_on_one_machine_share_its_cpus_among_their_page_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows import night

    asked: list[dict[str, str] | None] = []

    def crawl(config: Path, run_dir: Path, ids: list[str], *, shard: str, settings: dict[str, str] | None) -> dict:
        asked.append(settings)
        return {"sources": {source: {} for source in ids}}

    monkeypatch.setattr(night.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    monkeypatch.setattr(night, "crawl", crawl)
    list(night.crawl_in_threads(Path("sources.yaml"), Path("run"), [["a"], ["b"]]))
    assert asked == [{"READER_PROCESSES": "2"}, {"READER_PROCESSES": "2"}]
    assert night.readers_per_shard(8) == 1  # never none

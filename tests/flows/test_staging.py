"""The staging store through fsspec: a shard's files go up with its status last, and a shard whose
status is not up is not fetched (a half-sent shard never looks finished)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.run_folder import RunFolder, RunStatus
from contract.staging import PARTIAL_SUFFIX, Staging
from tests.warehouse.staging_kit import record

RUN_ID = "20261202T030000Z-ab12"


def crawled_shard(runs: Path, shard: str, sources: list[str]) -> RunFolder:
    """A run folder as one shard's crawl leaves it."""
    folder = RunFolder(runs / RUN_ID)
    folder.path.mkdir(parents=True)
    for source_id in sources:
        folder.records(source_id).write_text(json.dumps(record(source_id, f"http://{source_id}.test/visiting")) + "\n")
    folder.pages(shard).write_text("{}\n")
    folder.log(shard).write_text("crawl log\n")
    status = RunStatus(run_id=RUN_ID, started_at="t0", finished_at="t1", sources={s: {"items": 1} for s in sources})
    folder.write_status(status, shard)
    return folder


@pytest.mark.parametrize("scheme", ["file", "memory"])
def test_a_shard_goes_up_and_comes_down_whole(tmp_path: Path, scheme: str) -> None:
    store = f"memory://{tmp_path.name}/runs" if scheme == "memory" else str(tmp_path / "store")
    shard = crawled_shard(tmp_path / "worker", "2", ["lake", "river"])
    staging = Staging(store)
    staging.put_shard(shard, "2", ["lake", "river"])
    assert not [p for p in staging.fs.find(staging.root) if p.endswith(PARTIAL_SUFFIX)]

    loader = RunFolder(tmp_path / "loader" / RUN_ID)
    assert staging.fetch_shard(loader, "2", ["lake", "river"])
    assert sorted(p.name for p in loader.path.iterdir()) == sorted(p.name for p in shard.path.iterdir())
    for path in shard.path.iterdir():
        assert (loader.path / path.name).read_bytes() == path.read_bytes()
    assert loader.read_status("2") == shard.read_status("2")


def test_a_shard_without_its_status_in_the_store_is_not_fetched(tmp_path: Path) -> None:
    shard = crawled_shard(tmp_path / "worker", "0", ["lake"])
    staging = Staging(str(tmp_path / "store"))
    staging.put_shard(shard, "0", ["lake"])
    (tmp_path / "store" / RUN_ID / "status.0.json").unlink()  # the upload was cut off before its marker
    loader = RunFolder(tmp_path / "loader" / RUN_ID)
    assert not staging.fetch_shard(loader, "0", ["lake"])
    assert not loader.path.exists()


def test_staging_on_the_loaders_own_runs_folder_copies_nothing_down(tmp_path: Path) -> None:
    """The default store is the data dir's runs folder: shards on machines sharing its disk write
    there, and the loader finds its files in place."""
    runs = tmp_path / "runs"
    shard = crawled_shard(tmp_path / "worker", "1", ["lake"])
    staging = Staging(str(runs))
    staging.put_shard(shard, "1", ["lake"])
    loader = RunFolder(runs / RUN_ID)
    assert staging.fetch_shard(loader, "1", ["lake"])
    assert loader.read_status("1") == shard.read_status("1")
    assert not [p for p in loader.path.iterdir() if p.name.endswith(PARTIAL_SUFFIX)]


def test_a_shard_elsewhere_finds_its_sources_last_ok_run_in_the_store(tmp_path: Path) -> None:
    """The loader sends its last-ok index and the runs it names; a shard's scratch runs folder then
    gives the crawl the same conditional-GET baseline as the loader's own runs folder would."""
    from contract.run_folder import PageEntry, record_last_ok
    from crawlers.pipelines import PreviousRun

    runs, earlier = tmp_path / "loader", "20261201T030000Z-0000"
    crawled_shard(runs, "0", ["lake", "river"]).path.rename(runs / earlier)
    url = "http://lake.test/visiting"
    page = PageEntry("lake", url, url, 200, "t0", etag='"v1"', sha256="ab")
    RunFolder(runs / earlier).pages("0").write_text(page.to_json() + "\n")
    record_last_ok(runs, earlier, ["lake", "river"])
    staging = Staging(f"memory://{tmp_path.name}/store")
    staging.put_baseline(runs)

    scratch = tmp_path / "scratch"
    staging.fetch_baseline(scratch, ["lake"])
    assert sorted(p.name for p in (scratch / earlier).iterdir()) == ["lake.jsonl", "pages.0.jsonl"]
    previous = PreviousRun.find(scratch / RUN_ID, ["lake"])
    assert previous.page("lake", page.key) == page
    assert [r["program_name"] for r in previous.programs("lake", url)] == ["Visiting Student Elective"]

"""A page the crawl did not get is not a page that is gone: its programs stay as they were.

Staging as the crawler writes it (records, status.json and the page manifest), loaded night after
night with the default grace of two ok runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.warehouse.staging_kit import record, stats, write_run
from warehouse import load_run
from warehouse.read import current_programs

START, CARDIO, SURGERY = (f"http://lake.test/visiting{p}" for p in ("", "/cardiology", "/surgery"))


def manifest(runs_dir: Path, run_id: str, entries: list[tuple], links: dict[str, list[str]] | None = None) -> None:
    """The run's pages.jsonl: (url, HTTP status or None, error), with the links each page gave."""
    fields = {"source_id": "lake", "fetched_at": "2026-11-20T03:05:00Z"}
    links = links or {}
    lines = [
        json.dumps({**fields, "key": u, "source_url": u, "status": status, "error": e, "links": links.get(u, [])})
        for u, status, e in entries
    ]
    (runs_dir / run_id / "pages.jsonl").write_text("".join(line + "\n" for line in lines))


@pytest.mark.parametrize(
    ("status", "error", "crawl_stats"),
    [
        (None, "refused by robots.txt", {"robots_refused": 1}),
        (None, "OffsiteRedirect: dropped", {}),
        (200, "ExtractError: cut short", {}),
        (302, None, {}),
    ],
)
def test_a_page_not_fetched_closes_nothing(tmp_path, status, error, crawl_stats):
    runs_dir, db = tmp_path / "runs", tmp_path / "w.duckdb"
    both = write_run(runs_dir, 0, {"lake": [record("lake", CARDIO), record("lake", SURGERY)]})
    manifest(runs_dir, both, [(START, 200, None), (CARDIO, 200, None), (SURGERY, 200, None)])
    load_run(db, runs_dir, both)
    for night in (1, 2, 3):
        staged = {"lake": [record("lake", CARDIO, night=night)]}
        rid = write_run(runs_dir, night, staged, {"lake": stats(1, **crawl_stats)})
        manifest(runs_dir, rid, [(START, 200, None), (CARDIO, 200, None), (SURGERY, status, error)])
        result = load_run(db, runs_dir, rid)
        assert result.verdicts == {"lake": "ok"}
        assert not result.events, result.events
    assert {(p["source_url"], p["presence"], p["missing_runs"]) for p in current_programs(db)} == {
        (CARDIO, "present", 0),
        (SURGERY, "present", 0),
    }


def test_the_pages_below_a_page_not_fetched_are_unseen_too(tmp_path):
    """The index linking the surgery page is refused by robots.txt: the crawl never reaches surgery."""
    runs_dir, db = tmp_path / "runs", tmp_path / "w.duckdb"
    index = START + "/index"
    graph = {START: [CARDIO, index], index: [SURGERY]}
    both = write_run(runs_dir, 0, {"lake": [record("lake", CARDIO), record("lake", SURGERY)]})
    manifest(runs_dir, both, [(START, 200, None), (CARDIO, 200, None), (index, 200, None), (SURGERY, 200, None)], graph)
    load_run(db, runs_dir, both)
    for night in (1, 2, 3):
        staged = {"lake": [record("lake", CARDIO, night=night)]}
        rid = write_run(runs_dir, night, staged, {"lake": stats(1, robots_refused=1)})
        refused = (index, None, "refused by robots.txt")
        manifest(runs_dir, rid, [(START, 200, None), (CARDIO, 200, None), refused], graph)
        assert not load_run(db, runs_dir, rid).events
    assert {p["presence"] for p in current_programs(db)} == {"present"}


def test_a_page_gone_still_closes_its_program(tmp_path):
    runs_dir, db = tmp_path / "runs", tmp_path / "w.duckdb"
    both = write_run(runs_dir, 0, {"lake": [record("lake", CARDIO), record("lake", SURGERY)]})
    load_run(db, runs_dir, both)
    kinds = []
    for night in (1, 2):
        rid = write_run(runs_dir, night, {"lake": [record("lake", CARDIO, night=night)]})
        manifest(runs_dir, rid, [(START, 200, None), (CARDIO, 200, None), (SURGERY, 404, "HTTP 404")])
        kinds += [e["event_type"] for e in load_run(db, runs_dir, rid).events]
    assert kinds == ["closed"]


def test_a_small_site_that_yields_nothing_is_suspect_and_closes_nothing(tmp_path):
    """A login wall or a soft 404 ('Page not found' answered 200) on a site of one or two programs."""
    runs_dir, db = tmp_path / "runs", tmp_path / "w.duckdb"
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", CARDIO), record("lake", SURGERY)]}))
    for night in (1, 2, 3):
        result = load_run(db, runs_dir, write_run(runs_dir, night, {"lake": []}))
        assert result.verdicts == {"lake": "suspect"}
        assert [e["event_type"] for e in result.events] == ["source_suspect"]
    assert {p["presence"] for p in current_programs(db)} == {"present"}


def test_a_bad_manifest_line_is_named(tmp_path):
    runs_dir, db = tmp_path / "runs", tmp_path / "w.duckdb"
    rid = write_run(runs_dir, 0, {"lake": [record("lake", CARDIO)]})
    (runs_dir / rid / "pages.jsonl").write_text('{"source_id": "lake"}\n')
    with pytest.raises(ValueError, match=r"pages.jsonl:1: not a page entry"):
        load_run(db, runs_dir, rid)


@pytest.mark.parametrize(
    "entry",
    [
        {"source_id": "lake", "key": "https://[lake", "source_url": "https://[lake", "status": None},
        {"source_id": "lake", "key": 7, "source_url": "https://lake.test/", "status": 200},
    ],
)
def test_a_bogus_url_is_named_by_its_line_even_when_read_late(tmp_path, entry):
    """A missed page's URLs are made canonical only once a source is found to miss one."""
    runs_dir, db = tmp_path / "runs", tmp_path / "w.duckdb"
    rid = write_run(runs_dir, 0, {"lake": [record("lake", CARDIO)]})
    good = {"source_id": "lake", "key": CARDIO, "source_url": CARDIO, "status": 200}
    (runs_dir / rid / "pages.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(entry) + "\n")
    with pytest.raises(ValueError, match=r"pages.jsonl:2: not a page entry"):
        load_run(db, runs_dir, rid)
    assert not db.exists()

"""A real crawl on loopback over three nights: a program page newly disallowed by robots.txt is a
page not fetched, and closes nothing (the default grace would close it on the third night)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawlers.run import crawl
from tests.crawl.site import Site, html, observership, source, write_config
from warehouse import load_run
from warehouse.read import current_programs


@pytest.fixture
def lake() -> Iterator[Site]:
    site = Site("127.0.0.31", [])
    site.pages.update(
        {
            "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
            "/visiting": html(
                "Visiting students",
                '<h1>Visiting students</h1><ul><li><a href="/visiting/clerkships">Details</a></li>'
                '<li><a href="/visiting/observership">Cardiology</a></li></ul>',
            ),
            "/visiting/clerkships": html("Clerkships", observership("Surgery Clerkship", 4)),
            "/visiting/observership": html("Observership", observership("Cardiology Observership", 2)),
        }
    )
    yield site
    site.close()


def test_a_page_newly_refused_by_robots_closes_nothing(lake: Site, tmp_path: Path) -> None:
    config = write_config(tmp_path / "sources.yaml", [source("lake", [f"{lake.base}/visiting"])])
    runs_dir, db = tmp_path / "runs", tmp_path / "w.duckdb"
    events = []
    for night in (1, 2, 3):
        if night == 2:
            lake.pages["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow: /visiting/clerkships\n")
        run_id = f"2026112{night}T030000Z-000{night}"
        status = crawl(config, runs_dir / run_id)["sources"]["lake"]
        assert status["robots_refused"] == (0 if night == 1 else 1), status
        result = load_run(db, runs_dir, run_id)
        assert result.verdicts == {"lake": "ok"}
        events += [(night, e["event_type"], e["program_name"]) for e in result.events]
    assert sorted(events) == [(1, "new", "Cardiology Observership"), (1, "new", "Surgery Clerkship")]
    assert {(p["program_name"], p["presence"]) for p in current_programs(db)} == {
        ("Cardiology Observership", "present"),
        ("Surgery Clerkship", "present"),
    }

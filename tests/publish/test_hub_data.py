"""What the hub's pages hold, without a browser: fees (an unstated fee is unknown), which programs and
events, the program pages, and escaping."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flows.publish import write_hub
from flows.publish.cards import page_name
from flows.publish.hub import TEMPLATES
from flows.publish.packing import pack, unpack
from flows.publish.words import least_fee, total_cost, total_fee
from tests.publish import sample
from warehouse.history import History


@pytest.mark.parametrize(
    ("fees", "total", "least"),
    [
        ({}, None, None),
        ({"application_fee_usd": 100.0}, None, 100.0),  # the program fee is unknown, not $0
        ({"program_fee_usd": 1200.0, "program_fee_unit": "one_time"}, None, 1200.0),
        ({"application_fee_usd": 0.0, "program_fee_usd": 1200.0, "program_fee_unit": "one_time"}, 1200.0, 1200.0),
        ({"application_fee_usd": 75.0, "program_fee_usd": 250.0, "program_fee_unit": "per_week"}, 1075.0, 1075.0),
        ({"application_fee_usd": 0.0, "program_fee_usd": 3000.0, "program_fee_unit": "per_month"}, 3000.0, 3000.0),
        (
            {
                "application_fee_usd": 5.0,
                "program_fee_usd": 20.0,
                "program_fee_unit": "per_day",
                "duration_weeks_min": None,
            },
            None,
            5.0,
        ),
        (
            {
                "application_fee_usd": 0.0,
                "program_fee_usd": 20.0,
                "program_fee_unit": "per_day",
                "duration_weeks_max": 1.0,
            },
            140.0,
            140.0,
        ),
    ],
)
def test_total_and_least_fee(fees: dict, total: float | None, least: float | None) -> None:
    durations = {"duration_weeks_min": 4.0, "duration_weeks_max": 8.0}
    if "duration_weeks_min" in fees or "duration_weeks_max" in fees:
        durations = {}
    assert (total_fee({**durations, **fees}), least_fee({**durations, **fees})) == (total, least)


@pytest.mark.parametrize(
    ("fees", "said"),
    [
        ({"application_fee_usd": 100.0, "program_fee_usd": 1200.0, "program_fee_unit": "per_rotation"},
         "$1,300 total: $100 to apply + $1,200 per rotation"),
        ({"application_fee_usd": 0.0, "program_fee_usd": 0.0}, "$0 total: $0 to apply + $0 program fee"),
        ({"application_fee_usd": 650.0}, "at least $650: $650 to apply + program fee unknown"),
        ({"program_fee_usd": 99.5, "program_fee_unit": "per_week"},
         "at least $398: application fee unknown + $99.50 per week"),
        ({}, "unknown: no fee stated"),
    ],
)  # fmt: skip
def test_total_cost_in_words(fees: dict, said: str) -> None:
    assert total_cost({"duration_weeks_min": 4.0, **fees}) == said


def embedded(html: str) -> list[dict]:
    block = re.search(r'<script type="application/json" id="hub-data">(.*?)</script>', html, re.S)
    assert block, "no data block"
    return unpack(json.loads(block.group(1)))


def test_pages_hold_current_programs_their_pages_and_recent_program_events(tmp_path: Path) -> None:
    out = write_hub(sample.programs(), sample.events(), tmp_path / "exports" / "index.html", generated_at=sample.NOW)
    html = out.read_text()
    rows = embedded(html)

    assert {r["id"] for r in rows} == {p["program_id"] for p in sample.programs()} - {"oldtown:obs"}
    harbor = next(r for r in rows if r["id"] == "harbor:externship")
    assert harbor["f"]["total"] == 1075.0 and harbor["checked"] == "verified on 2025-03-14"
    assert harbor["href"] == "programs/" + page_name("harbor:externship")
    assert next(r for r in rows if r["id"] == "prairie:elective")["f"]["deadline"] == "2025-03-01"
    assert html.count("</script>") == 4  # the three data blocks and the script: scraped "</script>" stays escaped
    assert "<script>window" not in html and "<img" not in html

    pages = sorted(p.name for p in (tmp_path / "exports" / "programs").iterdir())
    assert pages == sorted(page_name(p["program_id"]) for p in sample.programs())  # closed ones too
    changes = (tmp_path / "exports" / "changes.html").read_text()
    assert changes.count('<li class="change">') == 4  # ev-5 is a source alert, ev-6 is older than 30 days
    assert "Old Town" not in changes and "Internal Medicine Observership" not in changes
    assert "program fee $200 → $250" in changes and "USMLE not stated → Step 1" in changes
    ridgeview = (tmp_path / "exports" / "programs" / page_name("ridgeview:cards")).read_text()
    assert 'href="../hub.css"' in ridgeview and (tmp_path / "exports" / "hub.css").is_file()  # no CDN, one copy
    assert "<img" not in ridgeview and 'href="javascript' not in ridgeview
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", ridgeview, re.S)  # ours only: scraped ones stay text
    assert scripts == [(' src="../checks.js"', ""), ("", (TEMPLATES / "checked.js").read_text())]


def test_a_failed_or_suspect_source_is_not_verified_since_its_last_sighting(tmp_path: Path) -> None:
    health = {"harbor": {"verdict": "failed"}, "summit": {"verdict": "suspect"}, "lakeshore": {"verdict": "ok"}}
    out = write_hub(
        sample.programs(), [], tmp_path / "index.html", generated_at=sample.NOW, history=History(sources=health)
    )
    rows = {r["id"]: r for r in embedded(out.read_text())}
    assert (rows["harbor:externship"]["checked"], rows["harbor:externship"]["stale"]) == (
        "not verified since 2025-03-14",
        True,
    )
    assert rows["summit:obs"]["stale"] and not rows["lakeshore:im-obs"]["stale"]
    page = (tmp_path / "programs" / page_name("harbor:externship")).read_text()
    assert "not verified since 2025-03-14" in page


def test_an_id_never_reaches_outside_the_programs_folder() -> None:
    assert page_name("3f2a9c") == "3f2a9c.html"
    hostile = page_name("../../etc/passwd")
    assert "/" not in hostile and ".." not in hostile and hostile.endswith(".html")
    assert page_name("a:b") != page_name("a-b")


def test_empty_warehouse_gives_a_page(tmp_path: Path) -> None:
    out = write_hub([], [], tmp_path / "index.html", generated_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert embedded(out.read_text()) == []
    assert "No program changed in the last 30 days." in (tmp_path / "changes.html").read_text()


def test_packed_cards_hold_every_value_and_each_string_once() -> None:
    rows: list[dict[str, Any]] = [
        {"id": "a", "n": 1075.0, "ok": True, "f": {"spec": ["Surgery", "Cardiology"], "x": None}, "t": ["not stated"]},
        {"id": "b", "n": None, "ok": False, "f": {"spec": None, "x": "Surgery"}, "t": ["not stated", None]},
    ]
    packed = pack(rows)
    assert unpack(json.loads(json.dumps(packed))) == rows
    assert packed["strings"].count("Surgery") == 1 and packed["strings"][0] is None
    assert packed["cols"] == ["id", "n#", "ok", "f.spec", "f.x", "t"]

    class Word(str):  # Markup is one: a string of a subclass is still a string
        pass

    odd: list[dict[str, Any]] = [{"w": Word("Surgery"), "l": [Word("Cardiology")]}, {"w": None, "l": []}]
    assert unpack(pack(odd)) == odd
    with pytest.raises(ValueError, match=r"column 'f\.spec' mixes numbers with strings"):
        pack([{"f": {"spec": ["Surgery", 3]}}])

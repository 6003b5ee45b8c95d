"""What the hub page holds, without a browser: fees, which programs and events, and escaping."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.publish import write_hub
from flows.publish.hub import COLUMNS, total_fee
from tests.publish import sample


@pytest.mark.parametrize(
    ("fees", "expected"),
    [
        ({}, None),
        ({"application_fee_usd": 100.0}, 100.0),
        ({"program_fee_usd": 1200.0, "program_fee_unit": "one_time"}, 1200.0),
        ({"application_fee_usd": 75.0, "program_fee_usd": 250.0, "program_fee_unit": "per_week"}, 75.0 + 250 * 4),
        ({"application_fee_usd": 0.0, "program_fee_usd": 3000.0, "program_fee_unit": "per_month"}, 3000.0),
        ({"program_fee_usd": 20.0, "program_fee_unit": "per_day", "duration_weeks_min": None}, None),
        ({"program_fee_usd": 20.0, "program_fee_unit": "per_day", "duration_weeks_max": 1.0}, 140.0),
    ],
)
def test_total_fee(fees: dict, expected: float | None) -> None:
    durations = {"duration_weeks_min": 4.0, "duration_weeks_max": 8.0}
    if "duration_weeks_min" in fees or "duration_weeks_max" in fees:
        durations = {}
    assert total_fee({**durations, **fees}) == expected


def embedded(html: str) -> list[dict]:
    block = re.search(r'<script type="application/json" id="hub-data">(.*?)</script>', html, re.S)
    assert block, "no data block"
    data = json.loads(block.group(1))
    assert data["columns"] == list(COLUMNS)
    return [dict(zip(data["columns"], row, strict=True)) for row in data["rows"]]


def test_page_holds_current_programs_and_recent_program_events(tmp_path: Path) -> None:
    out = write_hub(sample.programs(), sample.events(), tmp_path / "exports" / "index.html", generated_at=sample.NOW)
    html = out.read_text()
    rows = embedded(html)

    assert {r["program_id"] for r in rows} == {p["program_id"] for p in sample.programs()} - {"oldtown:obs"}
    harbor = next(r for r in rows if r["program_id"] == "harbor:externship")
    assert harbor["total_fee"] == 1075.0 and harbor["last_seen"] == "2025-03-14T03:30:00+00:00"
    assert next(r for r in rows if r["program_id"] == "prairie:elective")["next_deadline"] == "2025-03-01"
    assert html.count("</script>") == 2  # scraped "</script>" stays inside the JSON, escaped
    assert "<script>window" not in html and "<img" not in html

    assert html.count('<li class="change">') == 4  # ev-5 is a source alert, ev-6 is older than 30 days
    assert "Old Town" not in html.split('id="changes"')[1].split("<footer>")[0]
    assert "Internal Medicine Observership — Lakeshore" not in html
    assert "program fee $200 → $250" in html


def test_empty_warehouse_gives_a_page(tmp_path: Path) -> None:
    out = write_hub([], [], tmp_path / "index.html", generated_at=datetime(2025, 1, 1, tzinfo=UTC))
    html = out.read_text()
    assert embedded(html) == []
    assert "No program changed in the last 30 days." in html

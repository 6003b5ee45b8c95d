"""The publish functions over a real DuckDB warehouse's rows (naive timestamps, lists, decoded JSON)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from flows.publish import write_feed, write_hub
from flows.publish.cards import page_name
from flows.publish.packing import unpack
from tests.warehouse.staging_kit import record, write_run
from warehouse import load_run
from warehouse.history import read_history
from warehouse.read import current_programs, recent_events


def test_hub_and_feed_from_loaded_runs(tmp_path: Path) -> None:
    db, runs = tmp_path / "w.duckdb", tmp_path / "runs"
    pages = [f"http://lake.test/p{i}" for i in range(3)]
    load_run(db, runs, write_run(runs, 0, {"lake": [record("lake", p) for p in pages]}))
    fee_raised = [record("lake", p, night=1, application_fee_usd=150.0) for p in pages[:2]]
    load_run(db, runs, write_run(runs, 1, {"lake": fee_raised}))

    programs, events = current_programs(db), recent_events(db, days=30)
    hub = write_hub(programs, events, tmp_path / "index.html", generated_at=datetime.now(UTC), history=read_history(db))
    html = hub.read_text()
    found = re.search(r'id="hub-data">(.*?)</script>', html, re.S)
    assert found, "the hub page carries no data"
    data = json.loads(found.group(1))
    rows = {row["id"]: row for row in unpack(data)}
    assert sorted(row["f"]["least"] for row in rows.values()) == [100.0, 150.0, 150.0]
    missing = next(p for p in programs if p["presence"] == "missing")  # missing for one night, not closed yet
    assert rows[missing["program_id"]]["checked"].startswith("not seen since ")
    changes = (tmp_path / "changes.html").read_text()
    assert changes.count('<li class="change">') == len([e for e in events if e["event_type"] != "source_failed"])
    assert "application fee $100 → $150" in changes

    raised = next(p for p in programs if p["application_fee_usd"] == 150.0)
    page = (tmp_path / "programs" / page_name(raised["program_id"])).read_text()
    history = page.split("<h2>History</h2>", 1)[1]
    assert "application fee $100 → $150" in history and "Opened (first seen)" in history
    assert history.count("<tr><td>") == 2  # two versions: $100 until night 2, $150 since

    feed = feedparser.parse(write_feed(events, tmp_path / "events.atom").read_bytes())
    assert not feed.bozo
    assert sorted(entry.id for entry in feed.entries) == sorted(f"urn:clerkships:event:{e['event_id']}" for e in events)

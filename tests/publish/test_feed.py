"""The Atom feed parses and holds one entry per event, with ids that stay the same across runs."""

from __future__ import annotations

from pathlib import Path

import feedparser

from flows.publish import describe, write_feed
from flows.publish.feed import entry_id
from tests.publish import sample


def test_feed_entries_match_events(tmp_path: Path) -> None:
    events = sample.events()
    events[0]["changes"]["visa"] = ["B-1", "B-1/B-2\x00\x07"]  # control characters XML cannot hold
    out = write_feed(events, tmp_path / "events.atom", site_url="https://hub.example.org")
    feed = feedparser.parse(out.read_bytes())

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.id == "https://hub.example.org/events.atom"
    newest_first = sorted(events, key=lambda e: e["occurred_at"], reverse=True)
    assert [e.id for e in feed.entries] == [entry_id(e) for e in newest_first]
    assert [e.id for e in feed.entries][:2] == ["urn:clerkships:event:ev-1", "urn:clerkships:event:ev-2"]
    assert [e.title for e in feed.entries] == [describe.title(e) for e in newest_first]
    assert (
        feed.entries[0].title
        == "Changed: Clinical Externship for IMGs — Harbor Medical Center (program fee usd, usmle steps required, visa)"
    )

    by_id = {e.id: e for e in feed.entries}
    changed = by_id["urn:clerkships:event:ev-1"]
    assert changed.updated == "2025-03-14T04:06:00+00:00"
    assert changed.link == "https://harbor.example.edu/visiting/"
    assert "program fee usd: 200 → 250" in changed.content[0].value
    assert "visa: B-1 → B-1/B-2" in changed.content[0].value
    hostile = by_id["urn:clerkships:event:ev-3"]
    assert hostile.title.startswith("New: <img src=x onerror=")  # text, not markup
    assert all(link.href != "javascript:window.__pwned=1" for link in hostile.get("links", []))
    assert "connection refused" in by_id["urn:clerkships:event:ev-5"].content[0].value


def test_same_events_give_the_same_feed(tmp_path: Path) -> None:
    first = write_feed(sample.events(), tmp_path / "a.atom").read_bytes()
    second = write_feed(sample.events(), tmp_path / "b.atom").read_bytes()
    assert first == second
    empty = feedparser.parse(write_feed([], tmp_path / "empty.atom").read_bytes())
    assert not empty.bozo and empty.entries == []

"""The Atom feed of events: one entry per event with an id derived from event_id, so readers show it once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from flows.publish import describe
from flows.publish.values import http_url, to_utc, write_atomically, xml_text

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def entry_id(event: dict[str, Any]) -> str:
    return f"urn:clerkships:event:{quote(str(event['event_id']), safe='/:')}"


def write_feed(events: list[dict], out_path: Path, *, site_url: str = "https://clerkships.example/") -> Path:
    """Write the events as an Atom feed, newest first; the feed's time is its newest event's."""
    ordered = sorted(events, key=lambda e: to_utc(e.get("occurred_at")) or _EPOCH, reverse=True)
    site = site_url if site_url.endswith("/") else site_url + "/"
    feed = FeedGenerator()
    feed.id(f"{site}events.atom")
    feed.title("clerkships: program changes")
    feed.subtitle("New, closed, suspended, reopened and changed clerkships and observerships for IMGs and IMSs.")
    feed.author({"name": "clerkships"})
    feed.link(href=site, rel="alternate")
    feed.link(href=f"{site}events.atom", rel="self")
    feed.language("en")
    feed.updated(to_utc(ordered[0].get("occurred_at")) if ordered else _EPOCH)
    for event in reversed(ordered):  # feedgen prepends each entry: add oldest first to keep newest on top
        entry = feed.add_entry()
        entry.id(entry_id(event))
        entry.title(xml_text(describe.title(event)))
        entry.updated(to_utc(event.get("occurred_at")) or _EPOCH)
        link = http_url(event.get("source_url"))
        if link:
            entry.link(href=link, rel="alternate")
        entry.content(xml_text(describe.text(event)), type="text")
    return write_atomically(Path(out_path), feed.atom_str(pretty=True))

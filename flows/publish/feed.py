"""The Atom feeds: program events for students (`events.atom`), source-health alerts for maintainers
(`sources.atom`).

One entry per event with an id derived from event_id, so readers show it once. A feed carries the
key of its events in a comment after the XML declaration; a night whose events are the same as
those on disk renders and writes neither feed (`pages`). With
`settings.site_url` the feed's id and every link are absolute under it, and each program entry links
to the hub's page of that program (`programs/<program_id>.html`) and to its source page; without,
the links are relative to the feed (readers resolve them against where they fetched it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from contract.events import PROGRAM_EVENTS, SOURCE_EVENTS
from contract.files import write_atomic
from flows.publish import cards, describe, pages
from flows.publish.hub import PROGRAMS_DIR
from flows.publish.values import http_url, to_utc, xml_text

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KEY_NAME = pages.KEY_NAME.encode()
_KEY = re.compile(rb"<!-- " + KEY_NAME + rb" ([0-9a-f]{32}) -->")  # after the XML declaration: see `pages`


@dataclass(frozen=True)
class Feed:
    """Who a feed is for: its file, its words, and the event types it carries."""

    file: str
    title: str
    subtitle: str
    kinds: tuple[str, ...]


STUDENTS = Feed(
    "events.atom",
    "clerkships: program changes",
    "New, closed, reopened, suspended and changed clerkships, electives and observerships for IMGs and IMSs.",
    PROGRAM_EVENTS,
)
MAINTAINERS = Feed(
    "sources.atom",
    "clerkships: source health",
    "Sources that failed or look suspect on a night; their programs are not verified until they answer again.",
    SOURCE_EVENTS,
)


class EntryLinks(BaseEntryExtension):
    """An entry's links with their rel, type and title: feedgen 1.0 writes only the href of an
    entry's link (its atom_entry reads those attributes off the element it just made)."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def add(self, href: str, rel: str, **attributes: str) -> None:
        self.links.append({"href": href, "rel": rel, **attributes})

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        for attributes in self.links:
            etree.SubElement(entry, "link", attributes)
        return entry


def entry_id(event: dict[str, Any]) -> str:
    return f"urn:clerkships:event:{quote(str(event['event_id']), safe='/:')}"


def site_base(site_url: str | None) -> str:
    """The prefix of every link: the site URL ending in "/", or "" for links relative to the feed."""
    if not site_url:
        return ""
    return site_url if site_url.endswith("/") else site_url + "/"


def program_page(program_id: str, site_url: str | None = None) -> str:
    """The hub's page of one program, named as the hub names it."""
    return f"{site_base(site_url)}{PROGRAMS_DIR}/{cards.page_name(program_id)}"


def write_feed(events: list[dict], out_path: Path, *, site_url: str | None = None, feed_for: Feed = STUDENTS) -> Path:
    """Write the feed's events as Atom, newest first; the feed's time is its newest event's."""
    kept = [e for e in events if e.get("event_type") in feed_for.kinds]
    ordered = sorted(kept, key=lambda e: to_utc(e.get("occurred_at")) or _EPOCH, reverse=True)
    site = site_base(site_url)
    name = Path(out_path).name
    key = pages.digest((feed_for, site, name, ordered))
    if pages.key_on_disk(Path(out_path), _KEY) == key:  # the same events: the same bytes are there
        return Path(out_path)
    feed = FeedGenerator()
    feed.id(f"{site}{name}" if site else f"urn:clerkships:feed:{Path(name).stem}")
    feed.title(feed_for.title)
    feed.subtitle(feed_for.subtitle)
    feed.author({"name": "clerkships"})
    feed.link(href=site or "index.html", rel="alternate")
    feed.link(href=f"{site}{name}", rel="self")
    feed.language("en")
    feed.updated(to_utc(ordered[0].get("occurred_at")) if ordered else _EPOCH)
    for event in reversed(ordered):  # feedgen prepends each entry: add oldest first to keep newest on top
        entry = feed.add_entry()
        entry.register_extension("links", EntryLinks, atom=True, rss=False)
        entry.id(entry_id(event))
        entry.title(xml_text(describe.title(event)))
        entry.updated(to_utc(event.get("occurred_at")) or _EPOCH)
        if event.get("program_id"):
            entry.links.add(program_page(str(event["program_id"]), site), "alternate", type="text/html")
        if source_page := http_url(event.get("source_url")):
            entry.links.add(source_page, "related", title="the source's page")
        entry.content(xml_text(describe.text(event)), type="text")
    declaration, _, body = feed.atom_str(pretty=True).partition(b"\n")
    return write_atomic(Path(out_path), b"%s\n<!-- %s %s -->\n%s" % (declaration, KEY_NAME, key.encode(), body))


def write_feeds(events: list[dict], exports: Path, *, site_url: str | None = None) -> dict[str, Path]:
    """Both feeds in the exports folder: {"feed": students', "source_feed": maintainers'}."""
    return {
        "feed": write_feed(events, exports / STUDENTS.file, site_url=site_url, feed_for=STUDENTS),
        "source_feed": write_feed(events, exports / MAINTAINERS.file, site_url=site_url, feed_for=MAINTAINERS),
    }

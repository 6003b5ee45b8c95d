"""The Atom feeds parse, hold one entry per event with ids that stay the same across runs, link under
the configured site URL, say what happened in words, and keep source alerts in the maintainers' feed."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from crawlers.config import ConfigError, Settings, load_config
from flows.paths import DataPaths
from flows.publish import describe, write_feed, write_feeds
from flows.publish.cards import page_name
from flows.publish.feed import MAINTAINERS, STUDENTS, entry_id
from flows.publish.step import publish
from flows.publish.values import xml_text
from tests.flows.clerkships_cli import write_config
from tests.publish import sample
from tests.warehouse.staging_kit import record, stats, write_run
from warehouse import load_run

SITE = "https://hub.example.org/clerkships/"


def links(entry: feedparser.FeedParserDict) -> dict[str, str]:
    return {link.rel: link.href for link in entry.get("links", [])}


def test_students_feed_holds_the_program_events_under_the_site_url(tmp_path: Path) -> None:
    events = sample.events()
    events[0]["changes"]["visa"] = ["B-1", "B-1/B-2\x00\x07"]  # control characters XML cannot hold
    out = write_feed(events, tmp_path / "events.atom", site_url=SITE.rstrip("/"))
    feed = feedparser.parse(out.read_bytes())

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.id == f"{SITE}events.atom"
    assert links(feed.feed) == {"alternate": SITE, "self": f"{SITE}events.atom"}
    program_events = [e for e in events if e["event_type"] != "source_failed"]
    newest_first = sorted(program_events, key=lambda e: e["occurred_at"], reverse=True)
    assert [e.id for e in feed.entries] == [entry_id(e) for e in newest_first]
    assert [e.id for e in feed.entries][:2] == ["urn:clerkships:event:ev-1", "urn:clerkships:event:ev-2"]
    assert [e.title for e in feed.entries] == [xml_text(describe.title(e)) for e in newest_first]
    assert feed.entries[0].title == (
        "Harbor Medical Center — Clinical Externship for IMGs: program fee $200 → $250; "
        "USMLE not stated → Step 1; visa B-1 → B-1/B-2"
    )

    by_id = {e.id: e for e in feed.entries}
    changed = by_id["urn:clerkships:event:ev-1"]
    assert changed.updated == "2025-03-14T04:06:00+00:00"
    assert links(changed) == {
        "alternate": f"{SITE}programs/{page_name('harbor:externship')}",
        "related": "https://harbor.example.edu/visiting/",
    }
    assert "- program fee $200 → $250" in changed.content[0].value
    assert by_id["urn:clerkships:event:ev-2"].title == "Delta Regional Medical Center — IMG Observership: closed"
    reopened = by_id["urn:clerkships:event:ev-4"]
    assert reopened.title == "Summit University Hospital — Physician Observership Program: reopened"
    hostile = by_id["urn:clerkships:event:ev-3"]
    assert hostile.title.startswith("New: Ridgeview Medical Center — <img src=x onerror=")  # text, not markup
    assert links(hostile) == {"alternate": f"{SITE}programs/{page_name('ridgeview:cards')}"}  # javascript: never linked
    every_href = [link.href for entry in feed.entries for link in entry.links] + [one.href for one in feed.feed.links]
    assert all(href.startswith(SITE) or (href.startswith("https://") and "example.edu" in href) for href in every_href)


def test_source_alerts_go_to_the_maintainers_feed_only(tmp_path: Path) -> None:
    written = write_feeds(sample.events(), tmp_path, site_url=SITE)
    students = feedparser.parse(written["feed"].read_bytes())
    maintainers = feedparser.parse(written["source_feed"].read_bytes())

    assert written["source_feed"].name == MAINTAINERS.file and written["feed"].name == STUDENTS.file
    assert not maintainers.bozo and maintainers.feed.id == f"{SITE}sources.atom"
    assert [e.title for e in maintainers.entries] == [
        "Source failed: Old Town Hospital (oldtown): connection refused on every start page"
    ]
    assert "urn:clerkships:event:ev-5" not in {e.id for e in students.entries}
    assert len(students.entries) == 5


def event(kind: str, changes: dict | None = None, said: str | None = None) -> dict:
    return sample.event(
        "e",
        1,
        kind,
        "mayo:obs",
        institution="Lake Clinic",
        program_name="Obs",
        changes=changes,
        evidence={"status": said} if said else None,
    )


@pytest.mark.parametrize(
    ("given", "title"),
    [
        (event("changed", {"application_fee_usd": [600.0, 650.0]}), "Lake Clinic — Obs: application fee $600 → $650"),
        (
            event("changed", {"program_fee_usd": [1500.0, 2250.5]}),
            "Lake Clinic — Obs: program fee $1,500 → $2,250.50",
        ),
        (
            event("changed", {"program_fee_usd": [500.0, 2000.0], "program_fee_unit": ["per_week", "per_month"]}),
            "Lake Clinic — Obs: program fee $500 a week → $2,000 a month",
        ),
        (
            event("changed", {"status": ["open", "suspended"]}, "Suspended for the 2027-2028 year."),
            "Lake Clinic — Obs: suspended for 2027–28",
        ),
        (
            event("changed", {"status": ["open", "suspended"], "application_fee_usd": [None, 0.0]}, "Paused for now."),
            "Lake Clinic — Obs: suspended; application fee not stated → no fee",
        ),
        (event("changed", {"status": ["suspended", "open"]}), "Lake Clinic — Obs: open again"),
        (
            event("changed", {"duration_weeks_min": [4.0, 1.0], "audience": ["unknown", "both"]}),
            "Lake Clinic — Obs: shortest stay 4 weeks → 1 week; open to not stated → students and graduates",
        ),
        (event("closed", {"status": ["open", "closed"]}), "Lake Clinic — Obs: closed"),
        (event("reopened"), "Lake Clinic — Obs: reopened"),
        (event("new"), "New: Lake Clinic — Obs"),
    ],
)
def test_titles_say_what_happened_in_words(given: dict, title: str) -> None:
    assert describe.title(given) == title


def test_a_suspension_is_a_changed_event_the_words_call_suspended() -> None:
    suspended = event("changed", {"status": ["open", "suspended"]}, "Suspended until further notice.")
    assert describe.verb(suspended) == "Suspended"
    assert describe.verb(event("changed", {"visa": ["B-1", "B-2"]})) == "Changed"
    assert "suspended" not in describe.PROGRAM_EVENTS  # no event of that type is ever emitted
    assert "The page says: “Suspended until further notice.”" in describe.text(suspended)


def test_without_a_site_url_the_links_are_relative_to_the_feed(tmp_path: Path) -> None:
    feed = feedparser.parse(write_feed(sample.events(), tmp_path / "events.atom").read_bytes())
    assert not feed.bozo and feed.feed.id == "urn:clerkships:feed:events"
    assert links(feed.entries[0])["alternate"] == f"programs/{page_name('harbor:externship')}"


def test_same_events_give_the_same_feed(tmp_path: Path) -> None:
    first = write_feed(sample.events(), tmp_path / "a" / "events.atom", site_url=SITE).read_bytes()
    second = write_feed(sample.events(), tmp_path / "b" / "events.atom", site_url=SITE).read_bytes()
    assert first == second
    empty = feedparser.parse(write_feed([], tmp_path / "empty.atom").read_bytes())
    assert not empty.bozo and empty.entries == []


def test_a_feed_is_rewritten_only_when_what_it_holds_changes(tmp_path: Path) -> None:
    out = write_feed(sample.events(), tmp_path / "events.atom", site_url=SITE)
    written = out.stat().st_ino, out.stat().st_mtime_ns
    assert write_feed(sample.events(), out, site_url=SITE) == out
    assert (out.stat().st_ino, out.stat().st_mtime_ns) == written  # the same events: not written again

    fewer = [e for e in sample.events() if e["event_id"] != "ev-2"]  # an event left the 30 days
    feed = feedparser.parse(write_feed(fewer, out, site_url=SITE).read_bytes())
    assert not feed.bozo and "urn:clerkships:event:ev-2" not in [e.id for e in feed.entries]
    moved = write_feed(fewer, out, site_url=SITE.rstrip("/") + "/hub/").read_bytes()
    assert f"{SITE}hub/events.atom".encode() in moved  # another site: other links
    out.write_text(out.read_text().replace("clerkships-inputs", "edited by hand"))
    assert b"edited by hand" not in write_feed(fewer, out, site_url=SITE).read_bytes()  # no key: rendered


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("ftp://hub.example.org/", "'ftp://hub.example.org/' is not an http(s) URL"),
        ("hub.example.org", "'hub.example.org' is not an http(s) URL"),
        ("https://hub.example.org/?a=1", "'https://hub.example.org/?a=1' has a query or fragment"),
    ],
)
def test_a_bad_site_url_is_one_line_naming_file_line_and_field(tmp_path: Path, value: str, why: str) -> None:
    config = write_config(tmp_path / "sources.yaml")
    text = config.read_text()
    config.write_text(text.replace("settings:\n", f"settings:\n  site_url: {value!r}\n", 1))
    with pytest.raises(ConfigError) as info:
        load_config(config)
    [line] = info.value.lines
    assert line.startswith(f"{config}:2: settings.site_url: {why}"), line


def test_a_night_publishes_both_feeds_under_the_configured_site_url(tmp_path: Path) -> None:
    """The publish step of a loaded night: the config's site URL, program events for students, the
    failed source for maintainers."""
    paths = DataPaths(tmp_path)
    page = "http://lake.test/visiting"
    load_run(paths.writer_db, paths.runs, write_run(paths.runs, 0, {"lake": [record("lake", page)]}))
    raised = [record("lake", page, night=1, application_fee_usd=1250.0)]
    down = {"river": stats(0, failed=True, error="all 1 start page(s) failed; last: ConnectionRefusedError")}
    load_run(paths.writer_db, paths.runs, write_run(paths.runs, 1, {"lake": raised, "river": []}, down))
    settings = Settings(user_agent="clerkships-test (+https://example.org)", site_url=SITE)
    written = publish(paths, settings)

    students = feedparser.parse(written["feed"].read_bytes())
    maintainers = feedparser.parse(written["source_feed"].read_bytes())
    assert not students.bozo and not maintainers.bozo
    assert [e.title for e in students.entries] == [
        "Lake University — Visiting Student Elective: application fee $100 → $1,250",
        "New: Lake University — Visiting Student Elective",
    ]
    for entry in students.entries:  # each entry's link is the page the hub wrote for its program
        page = links(entry)["alternate"]
        assert page.startswith(f"{SITE}programs/") and (paths.exports / page.removeprefix(SITE)).is_file(), page
    assert [e.title.split(":")[0] for e in maintainers.entries] == ["Source failed"]
    assert "river" in maintainers.entries[0].title

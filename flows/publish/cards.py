"""A program as the hub shows it: its status line first, then the facts a student decides by, each
with the sentence it came from; and the facts its filters test.

Both the index's cards (rendered by hub.js from this data) and the program pages use these, so a
value reads the same everywhere.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flows.publish import words
from flows.publish.values import http_url, to_utc

SNIPPET_CHARS = 300
HEALTHY = "ok"
PROGRAMS = "programs"  # the program pages' folder


@dataclass(frozen=True)
class Fact:
    label: str
    fields: tuple[str, ...]  # whose evidence backs it
    text: Callable[[dict[str, Any]], str]
    stated: Callable[[dict[str, Any]], bool]


def _field(name: str) -> Fact:
    return Fact(
        words.LABELS[name],
        (name,),
        lambda p: words.value(name, p.get(name)),
        lambda p: p.get(name) not in (None, "unknown"),
    )


CARD_FACTS: tuple[Fact, ...] = (
    _field("audience"),
    _field("accepts_international"),
    _field("hands_on"),
    Fact(
        "Total cost",
        ("application_fee_usd", "program_fee_usd", "program_fee_unit"),
        words.total_cost,
        lambda p: words.total_fee(p) is not None,
    ),
    Fact(
        "Duration",
        ("duration_weeks_min", "duration_weeks_max"),
        words.duration,
        lambda p: p.get("duration_weeks_min") is not None or p.get("duration_weeks_max") is not None,
    ),
    _field("usmle_steps_required"),
    _field("visa"),
    _field("english_requirement"),
    Fact(
        "Deadline",
        ("deadline_text", "next_deadline"),
        words.deadline,
        lambda p: bool(p.get("deadline_text") or p.get("next_deadline")),
    ),
    _field("lor_policy"),
)
PROGRAM_FEE = Fact(
    words.LABELS["program_fee_usd"],
    ("program_fee_usd", "program_fee_unit"),
    words.program_fee,
    lambda p: p.get("program_fee_usd") is not None,
)
PAGE_FACTS: tuple[Fact, ...] = tuple(
    PROGRAM_FEE if name == "program_fee_usd" else _field(name)
    for name in words.LABELS
    if name not in ("status", "program_fee_unit")
)


def page_name(program_id: str) -> str:
    """The program page's file name: the id itself when it is file-name safe (the warehouse's ids are
    hashes), else a safe spelling plus a hash, so no id can reach outside programs/."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,100}", program_id):
        return f"{program_id}.html"
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", program_id)[:60].strip("-")
    return f"{safe}-{hashlib.sha256(program_id.encode()).hexdigest()[:10]}.html"


def day(value: Any) -> str | None:
    """The UTC date of a time, as the hub writes dates (YYYY-MM-DD)."""
    when = to_utc(value)
    return when.strftime("%Y-%m-%d") if when else None


def verification(program: dict[str, Any], source: dict[str, Any] | None) -> tuple[str, bool]:
    """('verified on DATE', False), or (..., True) when the program could not be checked on the last
    run: its source failed or was suspect, or its page no longer lists it (not closed yet)."""
    seen = day(program.get("last_seen")) or words.CHECKED["unknown_day"]
    if source is not None and source.get("verdict") != HEALTHY:
        return words.CHECKED["stale"].format(day=seen), True
    if program.get("presence") == "missing":
        return words.CHECKED["missing"].format(day=seen), True
    return words.CHECKED["ok"].format(day=seen), False


@dataclass(frozen=True)
class PageLine:
    """A program page's verification line as its static bytes say it, true without JavaScript and
    unchanged from night to night. `live`: checks.js may add the night's "verified on DATE" (a present
    program of a healthy source, the one case whose date moves every night), never one before `since`
    (the day its facts were first read as they are)."""

    text: str
    stale: bool
    live: bool = False
    since: str | None = None


def page_line(program: dict[str, Any], source: dict[str, Any] | None, version_start: Any) -> PageLine:
    """The line beside the program page's status: a stale or closed program's date stops moving while it
    lasts, so it is said as on the cards; a checked one says since when its facts are unchanged."""
    text, stale = verification(program, source)
    if stale or program.get("presence") == "closed":
        return PageLine(text, stale)
    since = day(version_start)
    said = words.CHECKED["unchanged" if since else "first_seen"]
    since = since or day(program.get("first_seen"))
    return PageLine(said.format(day=since or words.CHECKED["unknown_day"]), False, live=True, since=since)


def evidence(program: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    said = program.get("evidence") or {}
    found = list(dict.fromkeys(str(said[f])[:SNIPPET_CHARS] for f in fields if said.get(f)))
    return " … ".join(found) or None


def facts(program: dict[str, Any], which: tuple[Fact, ...]) -> list[dict[str, Any]]:
    return [
        {
            "label": f.label,
            "text": f.text(program),
            "evidence": evidence(program, f.fields),
            "stated": f.stated(program),
        }
        for f in which
    ]


def status_word(program: dict[str, Any]) -> str:
    return words.value("status", program.get("status")).capitalize()


def card(program: dict[str, Any], source: dict[str, Any] | None) -> dict[str, Any]:
    """The card's data for hub.js: shown words (`facts`, aligned with CARD_FACTS) and which are stated
    (`stated`, one bit each), their sentences (`ev`, which the page reads after its first render),
    filter facts (`f`) and the words a search looks in (`q`)."""
    checked, stale = verification(program, source)
    href = f"{PROGRAMS}/{page_name(program['program_id'])}"
    specialties = program.get("specialties")
    usmle = program.get("usmle_steps_required")
    place = ", ".join(v for v in (program.get("city"), program.get("state")) if v)
    shown = facts(program, CARD_FACTS)
    return {
        "id": program["program_id"],
        "href": None if href == f"{PROGRAMS}/{program['program_id']}.html" else href,  # hub.js's default
        "name": program.get("program_name") or words.NOT_STATED,
        "inst": program.get("institution") or "",
        "campus": program.get("campus") or "",
        "place": place,
        "type": words.value("program_type", program.get("program_type")),
        "status": program.get("status") or "unknown",
        "status_word": status_word(program),
        "checked": checked,
        "stale": stale,
        "src": http_url(program.get("source_url")),
        "facts": [f["text"] for f in shown],
        "stated": sum(1 << i for i, f in enumerate(shown) if f["stated"]),  # bit i: facts[i] is stated
        "ev": [f["evidence"] for f in shown],
        "f": {
            "audience": program.get("audience"),
            "hands": program.get("hands_on"),
            "intl": program.get("accepts_international"),
            "state": program.get("state"),
            "spec": list(dict.fromkeys(specialties)) if specialties is not None else None,
            "total": words.total_fee(program),
            "least": words.least_fee(program),
            "usmle": usmle,
            "seen": day(program.get("last_seen")),
            "deadline": day(program.get("next_deadline")),
        },
        "q": [  # separate words, so the ones many programs share are stored once
            str(v)
            for v in (
                program.get("institution"),
                program.get("campus"),
                place,
                program.get("program_name"),
                program.get("program_type"),
                *(specialties or []),
                program.get("visa"),
                program.get("deadline_text"),
            )
            if v
        ],
    }

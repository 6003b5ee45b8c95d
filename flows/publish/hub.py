"""The hub page: one self-contained static HTML file with every current program and the last month's events.

The programs travel as JSON inside the page (escaped by Jinja's `tojson`, so scraped text cannot close
the script block) and a small plain script renders, filters and sorts them; nothing is fetched, so the
page works from file:// and from any static host.

Filters keep only programs whose page states a matching value; a program whose page is silent
(audience unknown, no fee, hands-on not said, ...) is hidden by an active filter unless the reader
ticks "also show not stated", because a guessed match would send an IMG to the wrong program.
The filter state lives in the URL's fragment, so a link (even a file:// one) restores it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from flows.publish import describe
from flows.publish.values import http_url, jsonable, to_utc, write_atomically

TEMPLATES = Path(__file__).parent / "templates"
COLUMNS = (
    "program_id", "institution", "campus", "city", "state", "program_name", "program_type", "audience",
    "hands_on", "accepts_international", "specialties", "duration_weeks_min", "duration_weeks_max",
    "application_fee_usd", "program_fee_usd", "program_fee_unit", "total_fee", "usmle_steps_required",
    "ecfmg_certificate_required", "max_years_since_graduation", "english_requirement", "visa",
    "application_method", "application_url", "contact_email", "deadline_text", "next_deadline", "lor_policy",
    "status", "first_seen", "last_seen", "source_url", "evidence",
)  # fmt: skip
CHANGES_DAYS = 30
CHANGES_SHOWN = 300  # the feed has every event; the page stays small
SNIPPET_CHARS = 300
_WEEKS_PER_UNIT = {"per_week": 1.0, "per_month": 0.25, "per_day": 7.0}  # 1 month = 4 weeks, days = weeks × 7


def total_fee(program: dict[str, Any]) -> float | None:
    """The least a program costs by its stated fees: application fee + program fee for one rotation.

    A fee the page does not state counts as nothing; a per-week/month/day fee is multiplied by the
    shortest stated duration, and without a duration the total is unknown (None).
    """
    application, fee = program.get("application_fee_usd"), program.get("program_fee_usd")
    if application is None and fee is None:
        return None
    per_week = _WEEKS_PER_UNIT.get(program.get("program_fee_unit") or "")
    if fee is not None and per_week is not None:
        weeks = program.get("duration_weeks_min") or program.get("duration_weeks_max")
        if weeks is None:
            return None
        fee = float(fee) * per_week * float(weeks)
    return round(float(application or 0) + float(fee or 0), 2)


def _row(program: dict[str, Any]) -> list[Any]:
    values = dict(program, total_fee=total_fee(program))
    values["evidence"] = {
        field: str(snippet)[:SNIPPET_CHARS] for field, snippet in (program.get("evidence") or {}).items() if snippet
    }
    return [jsonable(values.get(name)) for name in COLUMNS]


def _changes(events: list[dict], generated_at: datetime) -> list[dict[str, Any]]:
    """Program events of the last CHANGES_DAYS days, newest first, in the words the page shows."""
    since = to_utc(generated_at) - timedelta(days=CHANGES_DAYS)
    recent = [
        (when, event)
        for event in events
        if event.get("event_type") in describe.PROGRAM_EVENTS
        and (when := to_utc(event.get("occurred_at"))) is not None
        and when >= since
    ]
    recent.sort(key=lambda pair: pair[0], reverse=True)
    return [
        {
            "when": when.strftime("%Y-%m-%d"),
            "kind": event["event_type"],
            "verb": describe.verb(event),
            "subject": describe.subject(event),
            "lines": describe.change_lines(event),
            "url": http_url(event.get("source_url")),
        }
        for when, event in recent
    ]


def render_hub(programs: list[dict], events: list[dict], *, generated_at: datetime) -> str:
    """The page's HTML. Programs no longer listed by their source (presence closed) are left out."""
    current = [p for p in programs if p.get("presence") != "closed"]
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"separators": (",", ":"), "ensure_ascii": False}
    changes = _changes(events, generated_at)
    return env.get_template("hub.html.j2").render(
        data={"columns": COLUMNS, "rows": [_row(p) for p in current]},
        programs=len(current),
        changes=changes[:CHANGES_SHOWN],
        changes_more=max(0, len(changes) - CHANGES_SHOWN),
        changes_days=CHANGES_DAYS,
        generated_at=to_utc(generated_at).strftime("%Y-%m-%d %H:%M UTC"),
        style=Markup((TEMPLATES / "hub.css").read_text()),
        script=Markup((TEMPLATES / "hub.js").read_text()),
    )


def write_hub(programs: list[dict], events: list[dict], out_path: Path, *, generated_at: datetime) -> Path:
    """Write the hub page (atomically) and return its path."""
    return write_atomically(Path(out_path), render_hub(programs, events, generated_at=generated_at))

"""Human words for an event: the same titles and change lines in the hub, the feeds, notifications and Prefect.

A title reads "Lakeshore University — International Electives: application fee $600 → $650": the
institution, the program, then what happened in words (money in dollars, units and enums spelled
out, "suspended for 2027–28" when the page's sentence names the year). The vocabulary itself (which
events exist, what a suspension is) is contract/events.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from contract import events as vocabulary
from contract.events import SOURCE_EVENTS, status_change, suspension
from flows.publish import words

PROGRAM_EVENTS = vocabulary.PROGRAM_EVENTS  # the hub's filter of program events; defined in contract/events.py
NOT_STATED = "not stated"
TITLE_PHRASES = 3  # a title names at most this many changes; the text lists them all

_VERBS = {
    "new": "New",
    "closed": "Closed",
    "reopened": "Reopened",
    "changed": "Changed",
    "source_failed": "Source failed",
    "source_suspect": "Source suspect",
}
_STATUS_NOW = {"suspended": "suspended", "closed": "closed (the page says so)", "open": "open again"}
_YEAR_SPAN = re.compile(r"\b(20\d\d)\s*(?:-|–|/|to)\s*(?:20)?(\d\d)\b")  # 2027-2028, 2025–26, 2024/25
_FEE_UNITS = {
    "per_rotation": "per rotation",
    "per_week": "a week",
    "per_month": "a month",
    "per_day": "a day",
    "one_time": "once",
}
_ENUMS: dict[str, dict[str, str]] = {
    "status": {"open": "open", "closed": "closed", "suspended": "suspended"},
    "audience": {"students": "students", "graduates": "graduates", "both": "students and graduates"},
    "accepts_international": {"yes": "yes", "no": "no", "restricted": "restricted (some schools or countries only)"},
    "program_type": {"sub_internship": "sub-internship"},
    "application_method": {"vslo": "VSLO", "portal": "online portal", "email": "e-mail", "mail": "mail"},
    "lor_policy": {
        "provided": "provided",
        "discretionary": "at the supervisor's discretion",
        "not_provided": "not provided",
    },
    "program_fee_unit": _FEE_UNITS,
}
_LABELS = {
    "application_fee_usd": "application fee",
    "program_fee_usd": "program fee",
    "program_fee_unit": "program fee charged",
    "duration_weeks_min": "shortest stay",
    "duration_weeks_max": "longest stay",
    "max_years_since_graduation": "graduated within",
    "audience": "open to",
    "accepts_international": "accepts international applicants",
    "hands_on": "hands-on",
    "usmle_steps_required": "USMLE",
    "ecfmg_certificate_required": "ECFMG certificate required",
    "application_method": "apply by",
    "lor_policy": "letter of recommendation",
    "program_type": "type",
    "next_deadline": "next deadline",
    "deadline_text": "deadline",
    "english_requirement": "English",
}


def _plural(amount: float, unit: str) -> str:
    number = f"{amount:g}"
    return f"{number} {unit}" if amount == 1 else f"{number} {unit}s"


def money(value: float) -> str:
    """A fee as a change line says it: the hub's dollars ($1,500, $300.50), or "no fee"."""
    return "no fee" if value == 0 else words.money(float(value))


_FORMATS: dict[str, Callable[[Any], str]] = {
    "application_fee_usd": money,
    "program_fee_usd": money,
    "duration_weeks_min": lambda weeks: _plural(weeks, "week"),
    "duration_weeks_max": lambda weeks: _plural(weeks, "week"),
    "max_years_since_graduation": lambda years: _plural(years, "year"),
    "usmle_steps_required": lambda steps: ", ".join(map(str, steps)) if steps else "none required",
}


def value_text(field: str, value: Any) -> str:
    """A stored value of `field` as a reader would say it; null (and "unknown") is what the page does not say."""
    if value is None or value == "unknown":
        return NOT_STATED
    if field in _FORMATS:
        return _FORMATS[field](value)
    if field in _ENUMS:
        return _ENUMS[field].get(str(value), str(value).replace("_", " "))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, datetime | date):
        return f"{value:%B} {value.day}, {value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label(field: str) -> str:
    return _LABELS.get(field, field.replace("_", " "))


def _pairs(event: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    pairs = {}
    for field, pair in (event.get("changes") or {}).items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        pairs[field] = (before, after)
    return pairs


def _status_phrase(event: Mapping[str, Any], before: Any, after: Any) -> str:
    if suspension(event):
        said = (event.get("evidence") or {}).get("status") or ""
        span = _YEAR_SPAN.search(str(said))
        return f"suspended for {span.group(1)}–{span.group(2)}" if span else "suspended"
    if after in _STATUS_NOW and (after != "open" or before in ("closed", "suspended")):
        return _STATUS_NOW[after]
    return f"status {value_text('status', before)} → {value_text('status', after)}"


def change_lines(event: Mapping[str, Any]) -> list[str]:
    """One phrase per change, the status first: "suspended for 2027–28", "application fee $600 → $650",
    "program fee $500 a week → $2,000 a month" (a fee and its unit changed together read as one).
    A closed or reopened event's status change is its verb, not a line."""
    pairs = _pairs(event)
    lines = []
    if (change := status_change(event)) is not None:
        lines.append(_status_phrase(event, *change))
    pairs.pop("status", None)
    unit = pairs.pop("program_fee_unit", None)
    if unit and "program_fee_usd" in pairs:
        (fee_before, fee_after), (unit_before, unit_after) = pairs.pop("program_fee_usd"), unit
        lines.append(f"program fee {_fee(fee_before, unit_before)} → {_fee(fee_after, unit_after)}")
    elif unit:
        pairs["program_fee_unit"] = unit
    for field, (before, after) in pairs.items():
        lines.append(f"{label(field)} {value_text(field, before)} → {value_text(field, after)}")
    return lines


def _fee(amount: Any, unit: Any) -> str:
    said = value_text("program_fee_usd", amount)
    return f"{said} {_FEE_UNITS[unit]}" if amount and unit in _FEE_UNITS else said


def verb(event: Mapping[str, Any]) -> str:
    """The event in one word or two; a `changed` event that suspends its program is "Suspended"."""
    if suspension(event):
        return "Suspended"
    kind = event.get("event_type") or "event"
    return _VERBS.get(kind, kind.replace("_", " ").capitalize())


def subject(event: Mapping[str, Any]) -> str:
    """What the event is about: "Institution — Program", or "Institution (source id)" for a source alert."""
    name, place, source = event.get("program_name"), event.get("institution"), event.get("source_id")
    if event.get("event_type") in SOURCE_EVENTS or not name:
        if place and source:
            return f"{place} ({source})"
        return place or source or "unknown source"
    return f"{place} — {name}" if place else str(name)


def title(event: Mapping[str, Any]) -> str:
    """ "New: …", "… : closed", "… : reopened", "… : suspended for 2027–28; application fee $600 → $650",
    "Source failed: Old Town Hospital (oldtown): every start page failed"."""
    kind = event.get("event_type")
    if kind == "new":
        return f"New: {subject(event)}"
    if kind in SOURCE_EVENTS:
        reason = f": {event['detail']}" if event.get("detail") else ""
        return f"{verb(event)}: {subject(event)}{reason}"
    if kind in ("closed", "reopened"):
        return f"{subject(event)}: {kind}"
    lines = change_lines(event)
    shown = "; ".join(lines[:TITLE_PHRASES]) or "changed"
    more = f" and {len(lines) - TITLE_PHRASES} more" if len(lines) > TITLE_PHRASES else ""
    return f"{subject(event)}: {shown}{more}"


def text(event: Mapping[str, Any]) -> str:
    """The whole event as plain text: its title, every change, the page's own sentence for a status
    change, the detail, and the page it is about."""
    parts = [title(event), *(f"- {line}" for line in change_lines(event))]
    said = (event.get("evidence") or {}).get("status")
    if status_change(event) is not None and said:
        parts.append(f"The page says: “{said}”")
    if event.get("event_type") == "closed":
        parts.append("No longer listed on the source's pages.")
    if event.get("detail") and event.get("event_type") not in SOURCE_EVENTS:
        parts.append(str(event["detail"]))
    if event.get("source_url"):
        parts.append(f"Source page: {event['source_url']}")
    return "\n".join(parts)

"""Human words for an event: the same title and change lines in the hub, the feed and notifications."""

from __future__ import annotations

from typing import Any

_VERBS = {
    "new": "New",
    "closed": "Closed",
    "suspended": "Suspended",
    "reopened": "Reopened",
    "changed": "Changed",
    "source_failed": "Source failed",
    "source_suspect": "Source suspect",
}
PROGRAM_EVENTS = ("new", "closed", "suspended", "reopened", "changed")


def verb(event: dict[str, Any]) -> str:
    kind = event.get("event_type") or "event"
    return _VERBS.get(kind, kind.replace("_", " ").capitalize())


def subject(event: dict[str, Any]) -> str:
    """What the event is about: the program at its institution, or the source for source alerts."""
    name = event.get("program_name")
    place = event.get("institution") or event.get("source_id") or ""
    if name and place:
        return f"{name} — {place}"
    return name or place or "unknown source"


def title(event: dict[str, Any]) -> str:
    text = f"{verb(event)}: {subject(event)}"
    changes = event.get("changes") or {}
    if event.get("event_type") == "changed" and changes:
        text += f" ({', '.join(field.replace('_', ' ') for field in changes)})"
    return text


def value_text(value: Any) -> str:
    """A stored value as a reader would say it; null is what the page does not say."""
    if value is None:
        return "not stated"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def change_lines(event: dict[str, Any]) -> list[str]:
    """One 'field: before → after' line per changed field."""
    lines = []
    for field, pair in (event.get("changes") or {}).items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        lines.append(f"{field.replace('_', ' ')}: {value_text(before)} → {value_text(after)}")
    return lines


def text(event: dict[str, Any]) -> str:
    """The whole event as plain text: title, the changes, the detail and the page it is about."""
    parts = [title(event), *change_lines(event)]
    if event.get("detail"):
        parts.append(str(event["detail"]))
    if event.get("source_url"):
        parts.append(str(event["source_url"]))
    return "\n".join(parts)

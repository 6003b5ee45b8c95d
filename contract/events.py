"""The event vocabulary: what the warehouse records, and what the hub, the feed and Prefect call it.

Four program events (new, changed, closed, reopened) and two source-health alerts. There is no
"suspended" event: a page that says a program is suspended (or closed) is a `changed` event on
`status`, with the page's sentence as evidence; `closed` always means the program disappeared from
its source's pages. `suspension` tells the first kind apart, for whoever words events.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

ProgramEvent = Literal["new", "changed", "closed", "reopened"]
SourceEvent = Literal["source_failed", "source_suspect"]
EventType = ProgramEvent | SourceEvent

PROGRAM_EVENTS: tuple[ProgramEvent, ...] = get_args(ProgramEvent)
SOURCE_EVENTS: tuple[SourceEvent, ...] = get_args(SourceEvent)
EVENT_TYPES: tuple[str, ...] = (*PROGRAM_EVENTS, *SOURCE_EVENTS)

NAMESPACE = "clerkships"
"""Prefix of the dotted names and resource ids others subscribe to (Prefect events and automations)."""


def source_event(verdict: str) -> SourceEvent:
    """The alert a source's not-ok verdict raises: failed → source_failed, suspect → source_suspect."""
    kind = f"source_{verdict}"
    if kind not in SOURCE_EVENTS:
        raise ValueError(f"no source event for verdict {verdict!r}")
    return kind


def dotted_name(event_type: str) -> str:
    """The public name of an event type: new → clerkships.program.new, source_failed → clerkships.source.failed."""
    if event_type in PROGRAM_EVENTS:
        return f"{NAMESPACE}.program.{event_type}"
    if event_type in SOURCE_EVENTS:
        return f"{NAMESPACE}.source.{event_type.removeprefix('source_')}"
    raise ValueError(f"unknown event type {event_type!r}")


def program_resource(program_id: str) -> str:
    return f"{NAMESPACE}.program.{program_id}"


def source_resource(source_id: str) -> str:
    return f"{NAMESPACE}.source.{source_id}"


def status_change(event: Mapping[str, Any]) -> tuple[Any, Any] | None:
    """(before, after) of the status a `changed` event reports, or None when its status did not change."""
    pair = (event.get("changes") or {}).get("status")
    if event.get("event_type") != "changed" or not isinstance(pair, list | tuple) or len(pair) != 2:
        return None
    return pair[0], pair[1]


def suspension(event: Mapping[str, Any]) -> bool:
    """A `changed` event whose page now says the program is suspended."""
    change = status_change(event)
    return change is not None and change[1] == "suspended"

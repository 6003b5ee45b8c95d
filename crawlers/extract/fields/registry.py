"""The field registry: every field finder, what it produces and what it reads, in dependency order.

Each field module declares one `FINDER` — the contract fields it produces, the fields it depends on
(audience reads program_type; accepts_international reads status) and a function of the `Page`.
The order is worked out from the declared dependencies (graphlib), never kept by hand: a module
that names an unknown field or closes a cycle fails at import with one line naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from graphlib import CycleError, TopologicalSorter
from typing import Any

from crawlers.extract.fields.common import Found
from crawlers.extract.text import Sentence


@dataclass
class Page:
    """What finders read: the block's sentences (sections marked), those that speak for the program
    (`own`: on a residency page, only sentences naming the visiting program), its lines, title and
    heading lines, and the fields found so far."""

    sentences: list[Sentence]
    own: list[Sentence]
    lines: list[str]
    title: str | None
    headings: set[int]
    found: dict[str, Found | None] = field(default_factory=dict)
    denied: Found | None = None  # the page only says its program does not exist (set by program_type)

    def value(self, name: str) -> Any:
        found = self.found.get(name)
        return found.value if found is not None else None


@dataclass(frozen=True)
class Finder:
    produces: tuple[str, ...]
    depends: tuple[str, ...]
    find: Callable[[Page], tuple[Found | None, ...]]


def ordered(finders: list[Finder]) -> list[Finder]:
    """The finders in an order where each comes after the finders of the fields it depends on."""
    by_field = {name: f for f in finders for name in f.produces}
    graph: dict[int, set[int]] = {}
    for i, f in enumerate(finders):
        unknown = [d for d in f.depends if d not in by_field]
        if unknown:
            raise ValueError(f"field finder for {', '.join(f.produces)} depends on unknown fields {unknown}")
        graph[i] = {finders.index(by_field[d]) for d in f.depends}
    try:
        return [finders[i] for i in TopologicalSorter(graph).static_order()]
    except CycleError as e:
        cycle = " → ".join(finders[i].produces[0] for i in e.args[1])
        raise ValueError(f"field finders depend on each other in a cycle: {cycle}") from None


@cache
def finders() -> tuple[Finder, ...]:
    """Every registered finder, in dependency order."""
    from crawlers.extract.fields import (
        accepts_international,
        application_method,
        audience,
        deadline,
        duration,
        exams,
        fees,
        hands_on,
        lor_policy,
        program_type,
        specialties,
        status,
        visa,
    )

    modules = (program_type, audience, status, accepts_international, hands_on, specialties, duration, fees, exams,
               visa, application_method, deadline, lor_policy)  # fmt: skip
    return tuple(ordered([m.FINDER for m in modules]))


def find_all(page: Page) -> dict[str, Found]:
    """Every field of the page that a finder states, each with its evidence."""
    for finder in finders():
        page.found.update(zip(finder.produces, finder.find(page), strict=True))
    return {name: found for name, found in page.found.items() if found is not None}

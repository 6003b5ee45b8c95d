"""Scope modifiers in the manner of ConText: which words of a sentence a cue such as "not", "for the
2020-21 academic year", "if" or "international" governs.

A modifier (kept as data in `lexicon/context.yaml`) has a category, a direction (forward: the words
after it; backward: the words before it; both) and a maximum scope in words; its scope also stops
at a terminator ("but", "however", ";" ...). A pseudo-modifier ("not only", "no guarantee") claims
its words so that the modifier inside it does not count. A modifier marked `section: true` that
occurs in a heading (or in an FAQ question) governs every sentence under it.

A field rule then asks which categories govern the span it matched (`categories`), instead of
spelling its own negation list and `[^.]{0,N}` windows. It names the categories it cares about
(`among`), and only their modifiers are looked for: a sentence's spans are found one category at
a time, when first asked (`Scopes`), so the ~45 modifiers do not all run on every sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from crawlers.extract.lexicon import (
    HERE,
    Gate,
    LexiconError,
    compile_patterns,
    present_literals,
    read_data,
    runnable,
    union_gate,
)

DIRECTIONS = ("forward", "backward", "both")
WORD = re.compile(r"\S+")
PSEUDO = "PSEUDO"


@dataclass(frozen=True)
class Modifier:
    id: str
    category: str
    direction: str
    max_scope: int
    patterns: tuple[re.Pattern[str], ...]
    gate: Gate  # the patterns' joint gate
    pattern_gates: tuple[Gate, ...]  # each pattern's own
    section: bool
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]


@dataclass(frozen=True)
class Context:
    modifiers: tuple[Modifier, ...]
    terminator: re.Pattern[str]
    terminator_gate: Gate
    by_category: dict[str, tuple[Modifier, ...]] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        by_category: dict[str, tuple[Modifier, ...]] = {}
        for mod in self.modifiers:
            by_category[mod.category] = (*by_category.get(mod.category, ()), mod)
        object.__setattr__(self, "by_category", by_category)

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(m.category for m in self.modifiers)


@dataclass(frozen=True)
class Span:
    """Where one modifier occurs and the characters its scope covers."""

    category: str
    start: int
    end: int
    scope_start: int
    scope_end: int


@cache
def context() -> Context:
    data = read_data(HERE / "context.yaml")
    terminators = [str(t) for t in data.get("terminators", ())]
    mods = []
    for raw in data["modifiers"]:
        where = f"context.yaml: modifier {raw.get('id')}"
        if raw.get("direction") not in DIRECTIONS:
            raise LexiconError(f"{where}: direction must be one of {', '.join(DIRECTIONS)}")
        patterns, gates = compile_patterns(list(raw["patterns"]), where)
        mods.append(
            Modifier(
                id=str(raw["id"]),
                category=str(raw["category"]),
                direction=raw["direction"],
                max_scope=int(raw.get("max_scope", 8)),
                patterns=patterns,
                gate=union_gate(gates),
                pattern_gates=gates,
                section=bool(raw.get("section", False)),
                examples=tuple(raw.get("examples", ())),
                counterexamples=tuple(raw.get("counterexamples", ())),
            )
        )
    (terminator,), (terminator_gate,) = compile_patterns(
        ["|".join(f"(?:{t})" for t in terminators)], "context.yaml: terminators"
    )
    return Context(tuple(mods), terminator, terminator_gate)


class Scopes:
    """One text's modifier spans, found one category at a time when first asked: a span is a
    category's modifier occurrence that no pseudo-modifier occurrence covers, its scope cut at
    the terminators; neither depends on the other categories."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.present = present_literals(text.lower())
        self._spans: dict[str, tuple[Span, ...]] = {PSEUDO: ()}  # a pseudo-modifier governs nothing
        self._pseudo: list[tuple[int, int]] | None = None
        self._stops: list[int] | None = None

    def of(self, category: str) -> tuple[Span, ...]:
        found = self._spans.get(category)
        if found is None:
            found = self._spans[category] = self._find(category)
        return found

    def _occurrences(self, category: str) -> list[tuple[Modifier, int, int]]:
        out: list[tuple[Modifier, int, int]] = []
        for mod in context().by_category.get(category, ()):
            if mod.gate is not None and mod.gate.isdisjoint(self.present):
                continue
            for p in runnable(mod.patterns, mod.pattern_gates, self.present):
                out.extend((mod, m.start(), m.end()) for m in p.finditer(self.text))
        return out

    def _find(self, category: str) -> tuple[Span, ...]:
        found = self._occurrences(category)
        if not found:
            return ()
        if self._pseudo is None:
            self._pseudo = [(s, e) for _, s, e in self._occurrences(PSEUDO)]
        out: list[Span] = []
        for mod, s, e in found:
            if any(ps <= s and e <= pe for ps, pe in self._pseudo):
                continue
            lo, hi = s, e
            if mod.direction in ("forward", "both"):
                hi = min([_words_after(self.text, e, mod.max_scope), *[t for t in self.stops if t >= e]])
            if mod.direction in ("backward", "both"):
                lo = max([_words_before(self.text, s, mod.max_scope), *[t for t in self.stops if t < s]])
            out.append(Span(mod.category, s, e, lo, hi))
        return tuple(out)

    @property
    def stops(self) -> list[int]:
        """Where the terminators stand (none to look for when their gate rules them out)."""
        if self._stops is None:
            ctx = context()
            gate = ctx.terminator_gate
            ruled_out = gate is not None and gate.isdisjoint(self.present)
            self._stops = [] if ruled_out else [m.start() for m in ctx.terminator.finditer(self.text)]
        return self._stops


@lru_cache(maxsize=8192)
def scopes(text: str) -> Scopes:
    return Scopes(text)


def _words_after(text: str, pos: int, n: int) -> int:
    ends = [m.end() for _, m in zip(range(n), WORD.finditer(text, pos), strict=False)]
    return ends[-1] if ends else pos


def _words_before(text: str, pos: int, n: int) -> int:
    starts = [m.start() for m in WORD.finditer(text, 0, pos)]
    return starts[-n] if len(starts) >= n else 0


def categories(
    text: str, start: int = 0, end: int | None = None, inside: bool = False, among: Iterable[str] | None = None
) -> frozenset[str]:
    """The categories (of `among`, by default all) whose scope reaches the span [start, end) of
    `text`; with no span, those that occur in the text. A modifier lying within the span is part
    of the target's own wording ("not accepting") and counts only with `inside=True` (for what a
    rule requires)."""
    found = scopes(text)
    wanted = context().categories if among is None else among
    if end is None:
        return frozenset(c for c in wanted if found.of(c))
    return frozenset(
        c
        for c in wanted
        if any(
            sp.scope_start < end and start < sp.scope_end and (inside or not _inside(sp, start, end))
            for sp in found.of(c)
        )
    )


def _inside(sp: Span, start: int, end: int) -> bool:
    return start <= sp.start and sp.end <= end


@lru_cache(maxsize=2048)
def section_categories(heading: str) -> frozenset[str]:
    """Categories a heading or FAQ question passes on to every sentence under it."""
    return categories(heading, among={m.category for m in context().modifiers if m.section})


def modifier_pattern(modifier_id: str) -> re.Pattern[str]:
    """One modifier's patterns as one regex, for code that must remove or find its words."""
    mod = next(m for m in context().modifiers if m.id == modifier_id)
    return re.compile("|".join(f"(?:{p.pattern})" for p in mod.patterns), re.I)

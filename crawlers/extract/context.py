"""Scope modifiers in the manner of ConText: which words of a sentence a cue such as "not", "for the
2020-21 academic year", "if" or "international" governs.

A modifier (kept as data in `lexicon/context.yaml`) has a category, a direction (forward: the words
after it; backward: the words before it; both) and a maximum scope in words; its scope also stops
at a terminator ("but", "however", ";" ...). A pseudo-modifier ("not only", "no guarantee") claims
its words so that the modifier inside it does not count. A modifier marked `section: true` that
occurs in a heading (or in an FAQ question) governs every sentence under it.

A field rule then asks which categories govern the span it matched (`categories`), instead of
spelling its own negation list and `[^.]{0,N}` windows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    (terminator,), _ = compile_patterns(["|".join(f"(?:{t})" for t in terminators)], "context.yaml: terminators")
    return Context(tuple(mods), terminator)


@lru_cache(maxsize=8192)
def spans(text: str) -> tuple[Span, ...]:
    """Every modifier occurrence in `text` with its scope; pseudo-modifiers mask what they cover."""
    ctx = context()
    present = present_literals(text.lower())
    found: list[tuple[Modifier, int, int]] = []
    for mod in ctx.modifiers:
        if mod.gate is not None and mod.gate.isdisjoint(present):
            continue
        for p in runnable(mod.patterns, mod.pattern_gates, present):
            found.extend((mod, m.start(), m.end()) for m in p.finditer(text))
    pseudo = [(s, e) for mod, s, e in found if mod.category == PSEUDO]
    stops = [m.start() for m in ctx.terminator.finditer(text)]
    out = []
    for mod, s, e in found:
        if mod.category == PSEUDO or any(ps <= s and e <= pe for ps, pe in pseudo):
            continue
        lo, hi = s, e
        if mod.direction in ("forward", "both"):
            hi = min([_words_after(text, e, mod.max_scope), *[t for t in stops if t >= e]])
        if mod.direction in ("backward", "both"):
            lo = max([_words_before(text, s, mod.max_scope), *[t for t in stops if t < s]])
        out.append(Span(mod.category, s, e, lo, hi))
    return tuple(out)


def _words_after(text: str, pos: int, n: int) -> int:
    ends = [m.end() for _, m in zip(range(n), WORD.finditer(text, pos), strict=False)]
    return ends[-1] if ends else pos


def _words_before(text: str, pos: int, n: int) -> int:
    starts = [m.start() for m in WORD.finditer(text, 0, pos)]
    return starts[-n] if len(starts) >= n else 0


def categories(text: str, start: int = 0, end: int | None = None, inside: bool = False) -> frozenset[str]:
    """The categories whose scope reaches the span [start, end) of `text`; with no span, every
    category that occurs in the text. A modifier lying within the span is part of the target's own
    wording ("not accepting") and counts only with `inside=True` (for what a rule requires)."""
    if end is None:
        return frozenset(sp.category for sp in spans(text))
    return frozenset(
        sp.category
        for sp in spans(text)
        if sp.scope_start < end and start < sp.scope_end and (inside or not _inside(sp, start, end))
    )


def _inside(sp: Span, start: int, end: int) -> bool:
    return start <= sp.start and sp.end <= end


@lru_cache(maxsize=2048)
def section_categories(heading: str) -> frozenset[str]:
    """Categories a heading or FAQ question passes on to every sentence under it."""
    sectional = {m.category for m in context().modifiers if m.section}
    return frozenset(sp.category for sp in spans(heading) if sp.category in sectional)


def modifier_pattern(modifier_id: str) -> re.Pattern[str]:
    """One modifier's patterns as one regex, for code that must remove or find its words."""
    mod = next(m for m in context().modifiers if m.id == modifier_id)
    return re.compile("|".join(f"(?:{p.pattern})" for p in mod.patterns), re.I)

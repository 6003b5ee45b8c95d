"""Lexicons: the phrasings each field recognizes, kept as data (one YAML file per field).

A lexicon file holds rules; a rule has an `id`, the `value` it gives, its `patterns` (regexes that
may use the shared macros of `macros.yaml` as `{NAME}`), the context categories it `requires` or is
cancelled by (`unless`, see `context.yaml`), and `examples` and `counterexamples` that the
test-suite runs. Adding a phrasing is an edit to a YAML file; the mechanism stays in code.

Every rule's cheap substring gate is read off its own compiled patterns (`gates.py`), so a gate can
never drift from what the rule matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from crawlers.extract.lexicon.gates import LiteralIndex, required_literals

HERE = Path(__file__).parent
MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
Gate = frozenset[str] | None
"""Literals of which a match needs one (None: the pattern may match without any)."""
RULE_KEYS = {"id", "value", "patterns", "requires", "unless", "sections", "examples", "counterexamples", "note"}


class LexiconError(ValueError):
    """A lexicon file that does not follow the format: names the file and the rule."""


@dataclass(frozen=True, eq=False)  # identity hash: rules are cached keys on the hot path
class Rule:
    """One phrasing family: patterns that give `value` when their context allows it."""

    id: str
    value: Any
    patterns: tuple[re.Pattern[str], ...]
    gate: Gate  # the patterns' joint gate
    pattern_gates: tuple[Gate, ...]  # each pattern's own
    requires: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    sections: bool = False  # the categories of the sentence's heading or FAQ question count too
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()

    def could_match(self, lower: str) -> bool:
        """False when the sentence (lower-cased) lacks every literal the patterns need."""
        return could_match(self.gate, lower)

    def finditer(self, text: str, lower: str | None = None) -> list[re.Match[str]]:
        lower = lower if lower is not None else text.lower()
        if not self.could_match(lower):
            return []
        present = present_literals(lower)
        return [m for p in runnable(self.patterns, self.pattern_gates, present) for m in p.finditer(text)]


@dataclass(frozen=True)
class Lexicon:
    """The rules of one field, in the file's order (earlier rules are the more specific)."""

    name: str
    rules: tuple[Rule, ...]
    by_id: dict[str, Rule] = field(default_factory=dict, compare=False)
    _by_value: dict[tuple[type, Any], tuple[Rule, ...]] = field(default_factory=dict, compare=False, repr=False)

    def rule(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]

    def with_value(self, value: Any) -> tuple[Rule, ...]:
        """The rules giving `value` (kept once worked out: finders ask it of every sentence)."""
        try:
            return self._by_value[type(value), value]
        except KeyError:
            found = self._by_value[type(value), value] = tuple(r for r in self.rules if r.value == value)
            return found
        except TypeError:  # an unhashable value
            return tuple(r for r in self.rules if r.value == value)


_LITERALS: set[str] = set()
"""Every gate literal compiled so far (rules and context modifiers register theirs)."""

PRESENT_CACHE = 65_536
"""Sentences whose present literals are kept (the cache starts over when full)."""


@cache
def _index(literals: frozenset[str]) -> LiteralIndex:
    return LiteralIndex(literals)


def present_literals(lower: str) -> frozenset[str]:
    """The gate literals that occur in a lower-cased sentence (one scan, cached per sentence: every
    field asks it of the same sentences); the cache starts over when a lexicon loaded since added literals."""
    if len(_indexed[0]) != len(_LITERALS):
        _indexed[0] = frozenset(_LITERALS)
        _present.clear()
    found = _present.get(lower)
    if found is None:
        if len(_present) >= PRESENT_CACHE:
            _present.clear()
        found = _present[lower] = _index(_indexed[0]).present(lower)
    return found


_indexed: list[frozenset[str]] = [frozenset()]
_present: dict[str, frozenset[str]] = {}


def joint_gate(rules: tuple[Rule, ...]) -> Gate:
    """The literals of which some rule of `rules` needs one (None: a rule without a gate may match
    anything), so "could any of them match" is one set test instead of one per rule."""
    return union_gate(rule.gate for rule in rules)


def union_gate(gates: Iterable[Gate]) -> Gate:
    """The gate of "any of these matches": every literal of every gate, None if one is None."""
    union: set[str] = set()
    for gate in gates:
        if gate is None:
            return None
        union |= gate
    return frozenset(union)


def runnable(
    patterns: tuple[re.Pattern[str], ...], gates: tuple[Gate, ...], present: frozenset[str]
) -> Iterator[re.Pattern[str]]:
    """The patterns, in order, less those whose own gate the sentence's present literals rule out
    (a rule's gate passing says only that one of its patterns might match)."""
    for pattern, gate in zip(patterns, gates, strict=True):
        if gate is None or not gate.isdisjoint(present):
            yield pattern


def could_match(gate: frozenset[str] | None, lower: str) -> bool:
    """False when the sentence (lower-cased) lacks every literal of the gate."""
    return gate is None or not gate.isdisjoint(present_literals(lower))


@cache
def gate_pattern(literals: frozenset[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One literal alternation per gate, compiled once: far cheaper than a loop of `in` tests."""
    return re.compile("|".join(map(re.escape, sorted(literals))))


def read_data(path: Path) -> Any:
    """A YAML data file; a file that is not YAML is one line naming it and the line."""
    try:
        return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise LexiconError(f"{path.name}{line}: not valid YAML: {getattr(e, 'problem', e)}") from None


@cache
def macros() -> dict[str, str]:
    """Shared vocabulary, each macro expanded (macros may use earlier or later macros)."""
    raw = {}
    for name, value in read_data(HERE / "macros.yaml").items():
        parts = value if isinstance(value, list) else [value]
        if not all(isinstance(p, str) for p in parts):
            raise LexiconError(f"macros.yaml: {name}: every alternative must be a string (quote those holding ': ')")
        raw[name] = "|".join(parts)
    done: dict[str, str] = {}

    def expand(name: str, seen: tuple[str, ...]) -> str:
        if name in done:
            return done[name]
        if name not in raw:
            raise LexiconError(f"macros.yaml: unknown macro {{{name}}} (used by {seen[-1] if seen else '?'})")
        if name in seen:
            raise LexiconError(f"macros.yaml: macro {name} refers to itself through {' → '.join(seen)}")
        body = MACRO.sub(lambda m: expand(m.group(1), (*seen, name)), raw[name])
        done[name] = f"(?:{body})"
        return done[name]

    for name in raw:
        expand(name, ())
    return done


def expand(pattern: str, where: str) -> str:
    """`pattern` with every `{MACRO}` replaced by its expansion."""
    table = macros()

    def one(m: re.Match[str]) -> str:
        if m.group(1) not in table:
            raise LexiconError(f"{where}: unknown macro {{{m.group(1)}}}")
        return table[m.group(1)]

    return MACRO.sub(one, pattern)


def compile_patterns(patterns: list[str], where: str) -> tuple[tuple[re.Pattern[str], ...], tuple[Gate, ...]]:
    """Compiled patterns and the gate of each (None when a pattern has no required literal)."""
    compiled: list[re.Pattern[str]] = []
    gates: list[Gate] = []
    for text in patterns:
        if not isinstance(text, str):
            raise LexiconError(f"{where}: pattern {text!r} is not a string (quote patterns holding ': ')")
        source = expand(text, where)
        try:
            compiled.append(re.compile(source, re.I))
        except re.error as e:
            raise LexiconError(f"{where}: bad pattern {text!r}: {e}") from None
        literals = required_literals(source)
        gates.append(literals)
        if literals:
            _LITERALS.update(literals)
    return tuple(compiled), tuple(gates)


@cache
def load(name: str) -> Lexicon:
    """The lexicon `crawlers/extract/lexicon/<name>.yaml`."""
    path = HERE / f"{name}.yaml"
    data = read_data(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise LexiconError(f"{path.name}: expected a mapping with a 'rules' list")
    rules: list[Rule] = []
    for n, raw in enumerate(data["rules"], 1):
        where = f"{path.name}: rule {raw.get('id', n) if isinstance(raw, dict) else n}"
        if not isinstance(raw, dict) or not {"id", "value", "patterns"} <= raw.keys():
            raise LexiconError(f"{where}: needs id, value and patterns")
        unknown = set(raw) - RULE_KEYS
        if unknown:
            raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
        patterns, gates = compile_patterns(list(raw["patterns"]), where)
        rules.append(
            Rule(
                id=str(raw["id"]),
                value=raw["value"],
                patterns=patterns,
                gate=union_gate(gates),
                pattern_gates=gates,
                requires=frozenset(raw.get("requires", ())),
                unless=frozenset(raw.get("unless", ())),
                sections=bool(raw.get("sections", False)),
                examples=tuple(raw.get("examples", ())),
                counterexamples=tuple(raw.get("counterexamples", ())),
            )
        )
    ids = [r.id for r in rules]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise LexiconError(f"{path.name}: duplicate rule ids {sorted(dupes)}")
    return Lexicon(name, tuple(rules), {r.id: r for r in rules})


def names() -> list[str]:
    """Every field lexicon in the folder (macros, context and sentence splitting are not field lexicons)."""
    return sorted(p.stem for p in HERE.glob("*.yaml") if p.stem not in ("macros", "context", "sentences"))

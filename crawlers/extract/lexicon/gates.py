"""Cheap substring gates derived from a rule's regex, so cue lists can never drift from the rules.

A sentence can only match a pattern if it contains one of the pattern's *required literals*: for
each way through the pattern (each top-level alternative), the longest run of literal characters
that every match of that alternative must contain. A plain `in` test over those few strings is
far cheaper than running the regex, and because they are read off the compiled pattern itself a
gate is never hand-kept. An alternative with no required literal (`\\d+ weeks?` has " week")
makes the gate empty: the pattern then always runs. A single character is a literal only when it
is a digit or a sign ("/" in `\\d+/\\d+`, "1" in `B-?1`): a letter or a space is in every sentence.
"""

from __future__ import annotations

import re

# The stdlib's own regex parser, stable across 3.11+; typeshed types it only under its deprecated
# names (sre_parse, sre_constants), whose union-typed arguments would need a cast at every use.
import re._parser as sre  # type: ignore[import-not-found]
from re._constants import (  # type: ignore[import-not-found]
    BRANCH,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    POSSESSIVE_REPEAT,
    SUBPATTERN,
)
from typing import Any

Code = tuple[object, Any]
"""One parsed item: an opcode and its argument (whose shape depends on the opcode)."""

MIN_LITERAL = 2
"""A required literal shorter than this (a lone space, say) is no gate worth having, unless it is
a single digit or sign (`rare`)."""


def required_literals(pattern: str, flags: int = re.I) -> frozenset[str] | None:
    """Lower-case strings one of which every match contains; None when no such set exists."""
    parsed = sre.parse(pattern, flags)
    found = _alternatives(list(parsed))
    if found is None or any(len(s) < MIN_LITERAL and not rare(s) for s in found):
        return None
    return frozenset(s.lower() for s in found)


def _alternatives(items: list[Code]) -> set[str] | None:
    """For a sequence: the best required set among its elements (the one with the longest strings)."""
    best: set[str] | None = None
    run = ""
    candidates: list[set[str]] = []
    for op, arg in items:
        if op is LITERAL:
            run += chr(arg)
            continue
        if run:
            candidates.append({run})
            run = ""
        if op is BRANCH:
            branches = [_alternatives(list(b)) for b in arg[1]]
            known = [b for b in branches if b is not None]
            if len(known) == len(branches):
                candidates.append(set[str]().union(*known))
        elif op is SUBPATTERN:
            inner = _alternatives(list(arg[-1]))
            if inner is not None:
                candidates.append(inner)
        elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT) and arg[0] >= 1:
            inner = _alternatives(list(arg[2]))
            if inner is not None:
                candidates.append(inner)
        elif op is IN and (letter := _single_case(arg)) is not None:
            run += letter
            continue
    if run:
        candidates.append({run})
    for c in candidates:
        if best is None or _rank(c) > _rank(best):
            best = c
    return best


def _rank(candidate: set[str]) -> tuple[int, bool]:
    """Longer strings make the better gate; among sets with a single character, one whose single
    characters are all digits or signs (found in few sentences) beats one with a letter or a space."""
    shortest = min(map(len, candidate))
    return shortest, all(rare(s) for s in candidate if len(s) == 1)


def rare(literal: str) -> bool:
    """One character that is neither a letter nor a space: a digit or a sign."""
    return len(literal) == 1 and not (literal.isalpha() or literal.isspace())


def _single_case(arg: list[tuple[object, int]]) -> str | None:
    """`[Aa]` (one letter in either case) is a literal for a case-blind gate."""
    letters = {chr(v).lower() for op, v in arg if op is LITERAL}
    if len(letters) == 1 and all(op is LITERAL for op, _ in arg):
        return letters.pop()
    return None


class LiteralIndex:
    """Every gate literal of every rule, found in a sentence by one scan instead of one search per rule.

    The scan is a zero-width lookahead at each position, so it reports the longest literal starting
    there; a shorter literal starting at the same place is a prefix of that one and is added from a
    table made once. The literals are one trie-shaped alternation (`trie_pattern`): at each position
    the next character picks the one branch that can go on, where a flat alternation of ~800
    literals tries them one by one; single characters are a set intersection with the sentence's.
    A rule's gate then is a set intersection."""

    def __init__(self, literals: frozenset[str]) -> None:
        longer = frozenset(lit for lit in literals if len(lit) > 1)
        self.pattern = re.compile(f"(?=({trie_pattern(longer)}))") if longer else None
        self.prefixes = {lit: frozenset(lit[:n] for n in range(1, len(lit) + 1)) & literals for lit in longer}
        self.characters = literals - longer  # found by a set intersection, not by the scan

    def present(self, lower: str) -> frozenset[str]:
        found = set(self.characters.intersection(lower))
        if self.pattern is not None:
            for m in self.pattern.finditer(lower):
                found |= self.prefixes[m.group(1)]
        return frozenset(found)


Trie = dict[str, "Trie"]
END = ""
"""The trie key that marks a literal ending at its node (no literal character is empty)."""


def trie_pattern(literals: frozenset[str]) -> str:
    """A regex matching, at a position, the longest of `literals` that starts there (exactly one of
    a node's branches can match the next character, and a literal ending at a node is optional
    after the longer ones, so the first match found is the longest)."""
    root: Trie = {}
    for literal in literals:
        node = root
        for char in literal:
            node = node.setdefault(char, {})
        node[END] = {}
    return _branches(root)


def _branches(node: Trie) -> str:
    alternatives = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char != END]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    return f"(?:{body})?" if END in node else body

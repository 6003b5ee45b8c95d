"""Lexicon rules applied to sentences: a rule matches where its pattern occurs and the context
categories governing that span (context.py, plus the sentence's section) allow it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from crawlers.extract.context import categories, section_categories
from crawlers.extract.lexicon import Rule, present_literals, runnable
from crawlers.extract.text import Sentence


@dataclass(frozen=True)
class Hit:
    rule: Rule
    sentence: Sentence
    match: re.Match[str]

    @property
    def value(self) -> object:
        return self.rule.value

    def governed_by(self, category: str) -> bool:
        """The category governs the matched words (or, for a section-aware rule, the sentence's section)."""
        return category in context_of(self.rule, self.sentence, self.match, {category})


def context_of(
    rule: Rule, s: Sentence, m: re.Match[str], among: frozenset[str] | set[str], inside: bool = False
) -> frozenset[str]:
    """The categories of `among` governing the match; with `inside`, also those within the matched words."""
    return _governing(rule, s.text, s.section, m, among, inside)


def allows(rule: Rule, s: Sentence, m: re.Match[str]) -> bool:
    """The match's context allows the rule: what it requires may be in its own words or govern
    them; what cancels it must govern them from outside."""
    return _allows(rule, s.text, s.section, m)


def _governing(
    rule: Rule, text: str, section: str, m: re.Match[str], among: frozenset[str] | set[str], inside: bool
) -> frozenset[str]:
    cats = categories(text, m.start(), m.end(), inside, among)
    return cats | (section_categories(section) & among) if rule.sections and section else cats


def _allows(rule: Rule, text: str, section: str, m: re.Match[str]) -> bool:
    if rule.requires and not rule.requires <= _governing(rule, text, section, m, rule.requires, inside=True):
        return False
    return not (rule.unless and _governing(rule, text, section, m, rule.unless, inside=False))


def match(rule: Rule, s: Sentence) -> re.Match[str] | None:
    """The first place the rule matches in `s` with its context allowing it: what it requires may be
    in its own words or govern them; what cancels it must govern them from outside."""
    present = present_literals(s.lower)
    if rule.gate is not None and rule.gate.isdisjoint(present):
        return None  # the cheap gate first: most rules are out for most sentences
    return _match(rule, s.text, s.section, present)


@lru_cache(maxsize=65536)
def _match(rule: Rule, text: str, section: str, present: frozenset[str]) -> re.Match[str] | None:
    """Fields ask the same rule of the same sentence more than once (status and accepts_international);
    `present` (the gate literals in `text`) skips the patterns that cannot match."""
    for p in runnable(rule.patterns, rule.pattern_gates, present):
        for m in p.finditer(text):
            if _allows(rule, text, section, m):
                return m
    return None


def hits(rules: Iterable[Rule], sentences: Iterable[Sentence]) -> Iterator[Hit]:
    """Every (rule, sentence) that matches, in reading order; within a sentence, in rule order."""
    rules = tuple(rules)
    passing = _passing(rules)
    for s in sentences:
        present = present_literals(s.lower)
        gated = passing.get(present)
        if gated is None:
            if len(passing) >= PASSING_CACHE:
                passing.clear()
            gated = passing[present] = tuple(r for r in rules if r.gate is None or not r.gate.isdisjoint(present))
        for rule in gated:
            m = _match(rule, s.text, s.section, present)
            if m is not None:
                yield Hit(rule, s, m)


PASSING_CACHE = 16_384
"""Sets of present literals whose passing rules are kept, per set of rules (starts over when full)."""


@lru_cache(maxsize=1024)
def _passing(rules: tuple[Rule, ...]) -> dict[frozenset[str], tuple[Rule, ...]]:
    """The rules of `rules` whose gates a sentence's present literals pass, by those literals: many
    sentences share them, and a field asks its rules of every sentence."""
    return {}


def first(rules: Iterable[Rule], sentences: Iterable[Sentence]) -> Hit | None:
    return next(hits(rules, sentences), None)

"""program_type: the page's main program, in its own noun; and which program nouns it denies.

"We do not offer observerships" denies a type; a page that only denies (a residency page saying it
has no observerships) is about that denied program, closed. A qualified denial ("no two-week
electives", "no Internal Medicine observerships", "no core clerkships") denies nothing.
"""

from __future__ import annotations

import re
from collections import Counter

from crawlers.extract import phrases
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.fields.specialties import names_in
from crawlers.extract.lexicon import could_match, joint_gate, load, present_literals
from crawlers.extract.text import Sentence

LEXICON = load("program_type")
NOUNS = tuple(r for r in LEXICON.rules if r.id.startswith("noun."))
NOUNS_GATE = joint_gate(NOUNS)
TYPES: dict[str, re.Pattern[str]] = {r.value: r.patterns[0] for r in NOUNS}
"""Each program type's noun, compiled from the lexicon (the crawler's link scoring and blocks use them too)."""
TYPE_GATES = {r.value: r.pattern_gates[0] for r in NOUNS}
"""Each noun's own gate: a sentence without one of its literals cannot name that type."""
STRONG_OBSERVER = LEXICON.rule("strong_observer").patterns[0]
DENIAL = LEXICON.rule("denial").patterns[0]
QUALIFIER = LEXICON.rule("qualifier").patterns[0]
INDIRECT = LEXICON.rule("indirect").patterns[0]  # "cannot provide letters of recommendation to observers"


def names_a_type(s: Sentence) -> bool:
    """Cheap gate: the sentence may name a program noun (the nouns' gates, derived from their patterns)."""
    return could_match(NOUNS_GATE, s.lower)


def denied_types(sentence: Sentence) -> set[str]:
    """Program types this sentence says are not offered or not open."""
    out: set[str] = set()
    if not names_a_type(sentence):
        return out
    for m in DENIAL.finditer(sentence.text):
        scope = m.group(1) or m.group(2) or ""
        for kind, pattern in TYPES.items():
            hit = pattern.search(scope)
            before = scope[: hit.start()] if hit else ""
            if hit and not QUALIFIER.search(before) and not names_in(before) and not INDIRECT.search(before):
                out.add(kind)
    return out


def find_kind(sentences: list[Sentence], title: str | None, headings: set[int]) -> tuple[Found | None, bool]:
    """(program_type, only_denied): the most weighted non-denied noun, else the first denied one.

    A program named only in headings while the text denies it ("Observerships" over "we no longer offer
    observerships") is a denial too."""
    scores: Counter[str] = Counter()
    body: Counter[str] = Counter()  # mentions outside titles and headings
    evidence: dict[str, Sentence] = {}
    first_denied: tuple[str, Sentence] | None = None
    denied_any: set[str] = set()
    questions: dict[str, Sentence] = {}
    for s in sentences:
        if not names_a_type(s):
            continue
        denied = denied_types(s)
        denied_any |= denied
        if denied and first_denied is None:
            kind = min(denied, key=lambda k: TYPES[k].search(s.text).start())  # type: ignore[union-attr]
            first_denied = (kind, s)
        if s.text.rstrip().endswith("?"):
            for kind, pattern in TYPES.items():
                if pattern.search(s.text):
                    questions.setdefault(kind, s)
            continue
        weight = 3 if title and s.text == title else 2 if s.line in headings else 1
        present = present_literals(s.lower)
        for kind, pattern in TYPES.items():
            if kind in denied:
                continue
            gate = TYPE_GATES[kind]
            n = len(pattern.findall(s.text)) if gate is None or not gate.isdisjoint(present) else 0
            if kind == "observership":
                n += 3 * len(STRONG_OBSERVER.findall(s.text))
            if n:
                scores[kind] += weight * n
                body[kind] += n if weight == 1 else 0
                evidence.setdefault(kind, s)
    asked = Counter({k: 1 for k in questions})
    if scores:
        kind, _ = scores.most_common(1)[0]
        if first_denied and kind in denied_any and not body[kind]:
            # only headings name what the text denies ("Observerships, externships" over "we offer neither")
            return Found.of(first_denied[0], first_denied[1]), True
        return Found.of(kind, evidence[kind]), False
    if first_denied:
        return Found.of(first_denied[0], first_denied[1]), True
    if asked:
        kind, _ = asked.most_common(1)[0]
        return Found.of(kind, questions[kind]), False
    return _visiting_rotation(sentences) or _other_program(sentences), False


def _visiting_rotation(sentences: list[Sentence]) -> Found | None:
    """A visiting-student page (or one applied to through VSLO) that names its program only as
    "rotations" offers electives."""
    visiting = phrases.first([LEXICON.rule("visiting_students")], sentences) is not None
    if not visiting and not phrases.first([LEXICON.rule("rotation_through_service")], sentences):
        return None
    rotation = phrases.first([LEXICON.rule("rotation_word")], (s for s in sentences if not s.residency))
    return Found.of("elective", rotation.sentence) if rotation else None


def _other_program(sentences: list[Sentence]) -> Found | None:
    """A program for visiting physicians, scholars or residents: an observership when they observe."""
    named = phrases.first([LEXICON.rule("visiting_program")], sentences)
    if named is None:
        return None
    observe = phrases.first([LEXICON.rule("visitors_observe")], sentences)
    return Found.of("observership", observe.sentence) if observe else Found.of("other", named.sentence)


def _find(page: Page) -> tuple[Found | None]:
    found, only_denied = find_kind(page.sentences, page.title, page.headings)
    page.denied = found if only_denied else None
    if only_denied:
        page.own = []  # the page says only that its program does not exist
    return (found,)


FINDER = Finder(("program_type",), (), _find)

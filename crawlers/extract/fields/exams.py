"""usmle_steps_required, ecfmg_certificate_required, max_years_since_graduation, english_requirement.

The phrasings are in lexicon/usmle_steps_required.yaml, ecfmg_certificate_required.yaml,
max_years_since_graduation.yaml and english_requirement.yaml; this module reads the step names, the
number of years and the test scores off what those rules match. Only the program's own requirements
count: sentences about residency or fellowship training never do.
"""

from __future__ import annotations

import re
from dataclasses import replace

from crawlers.extract import phrases
from crawlers.extract.fields.common import Found, to_number
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.lexicon import Rule, could_match, joint_gate, load
from crawlers.extract.text import Sentence

USMLE = load("usmle_steps_required")
ECFMG = load("ecfmg_certificate_required")
YEARS = load("max_years_since_graduation")
ENGLISH = load("english_requirement")
ENGLISH_TESTS = tuple(r for r in ENGLISH.rules if r.id not in ("not_required", "optional_test"))
ENGLISH_GATE = joint_gate(ENGLISH_TESTS)  # one set test per sentence before any test's own

STEP_ITEM = re.compile(r"(1|2|3|i{1,3}|one|two|three)(?:\s*(ck|cs))?", re.I)
STEP_NAMES = {"1": "Step 1", "i": "Step 1", "one": "Step 1", "2": "Step 2 CK", "ii": "Step 2 CK", "two": "Step 2 CK",
              "3": "Step 3", "iii": "Step 3", "three": "Step 3"}  # fmt: skip
SCORE = re.compile(
    r"(?:minimum|min\.?|at least|no lower than|score of|of|in the range|≥|>=)[^\d]{0,30}?(\d{1,3}(?:\.\d)?)", re.I
)
# "IELTS Academic overall 6.5", "TOEFL iBT 80 or higher": a score right after the test's name is its minimum
BARE_SCORE = re.compile(
    r"^\W{0,3}(?:(?:academic|ibt|internet[- ]based|english|test|overall|total|band|score|result)\W{1,3}){0,4}"
    r"(\d{1,3}(?:\.\d)?)(?![\d-])",
    re.I,
)


def matches(rule: Rule, s: Sentence) -> list[re.Match[str]]:
    """Every place `rule` matches in `s` with its context allowing it (phrases.match gives only the first)."""
    return [m for m in rule.finditer(s.text, s.lower) if phrases.allows(rule, s, m)]


def _without(rule: Rule, text: str) -> str:
    """`text` with every span the rule's patterns match removed."""
    for p in rule.patterns:
        text = p.sub("", text)
    return text


def find_usmle(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        if s.residency or not phrases.match(USMLE.rule("usmle_named"), s):
            continue
        bare = replace(s, text=_without(USMLE.rule("optional_aside"), s.text))  # "(Step 2 CK is optional)"
        if phrases.match(USMLE.rule("none_required"), bare):
            return Found.of([], s)
        steps: list[str] = []
        for m in matches(USMLE.rule("step_list"), bare):
            for item in STEP_ITEM.finditer(m.group("list")):
                name = STEP_NAMES[item.group(1).lower()]
                if item.group(2) and item.group(2).lower() == "cs":
                    name = "Step 2 CS"
                if name not in steps:
                    steps.append(name)
        if steps:
            return Found.of(steps, s)
    return None


def find_ecfmg(sentences: list[Sentence]) -> Found | None:
    hit = phrases.first(ECFMG.rules, (s for s in sentences if not s.residency))
    return Found.of(hit.value, hit.sentence) if hit else None


def find_max_years(sentences: list[Sentence]) -> Found | None:
    hit = phrases.first(YEARS.rules, (s for s in sentences if not s.residency))
    return Found.of(int(to_number(hit.match.group("n"))), hit.sentence) if hit else None


def find_english(sentences: list[Sentence]) -> Found | None:
    """'TOEFL ≥ 100 or IELTS ≥ 7' from the sentence(s) naming tests; tests not accepted are left out."""
    parts: list[str] = []
    evidence: list[str] = []
    for i, s in enumerate(sentences):
        if s.residency:
            continue
        if phrases.match(ENGLISH.rule("not_required"), s):
            return Found.of("not required", s)
        if not could_match(ENGLISH_GATE, s.lower) or not any(
            r.could_match(s.lower) and r.finditer(s.text, s.lower) for r in ENGLISH_TESTS
        ):
            continue
        follow = sentences[i + 1] if i + 1 < len(sentences) else None
        if follow and "score" in follow.lower and not any(r.finditer(follow.text) for r in ENGLISH_TESTS):
            s = replace(s, text=f"{s.text} {follow.text}")
        found = _tests_in(s)
        new = [p for p in found if p.split(" ")[0] not in {q.split(" ")[0] for q in parts}]
        if new:
            parts += new
            evidence.append(s.text)
        if len(evidence) >= 3:
            break
    if not parts:
        return None
    return Found.of(" or ".join(parts), " … ".join(evidence))


def _tests_in(s: Sentence) -> list[str]:
    """Each test the sentence asks for, with the minimum score that follows its name."""
    text = s.text
    named = sorted((m.start(), m.end(), r.value) for r in ENGLISH_TESTS for m in r.finditer(text))
    allowed = {(m.start(), r.value) for r in ENGLISH_TESTS for m in matches(r, s)}
    optional = list(ENGLISH.rule("optional_test").finditer(text))  # "TOEFL score report (if available)"
    out: list[str] = []
    for i, (start, end, name) in enumerate(named):
        if (start, name) not in allowed or any(o.start() <= start < o.end() for o in optional):
            continue
        if any(o.startswith(name) for o in out):
            continue
        scope = text[end : named[i + 1][0] if i + 1 < len(named) else len(text)]
        score = BARE_SCORE.search(scope) or SCORE.search(scope[:160])
        out.append(f"{name} ≥ {score.group(1)}" if score and float(score.group(1)) >= 5 else name)
    return out


def _find(page: Page) -> tuple[Found | None, ...]:
    own = page.own
    return find_usmle(own), find_ecfmg(own), find_max_years(own), find_english(own)


FINDER = Finder(
    ("usmle_steps_required", "ecfmg_certificate_required", "max_years_since_graduation", "english_requirement"),
    ("status",),
    _find,
)

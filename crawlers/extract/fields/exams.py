"""usmle_steps_required, ecfmg_certificate_required, max_years_since_graduation, english_requirement.

Only the program's own requirements: sentences about residency or fellowship training never count.
"""

from __future__ import annotations

import re

from crawlers.extract.fields.common import NUMBER, Found, to_number
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.text import Sentence

REQUIRE = re.compile(r"\b(?:pass\w*|completion|completed|required?|must|minimum score|score of|need)\b", re.I)
STEP_LIST = re.compile(
    r"\bsteps?\s+((?:(?:1|2|3|i{1,3}|one|two|three)(?:\s*(?:ck|cs))?(?:\s*(?:,|and|or|&|/)\s*)?)+)", re.I
)
STEP_ITEM = re.compile(r"(1|2|3|i{1,3}|one|two|three)(?:\s*(ck|cs))?", re.I)
STEP_NAMES = {"1": "Step 1", "i": "Step 1", "one": "Step 1", "2": "Step 2 CK", "ii": "Step 2 CK", "two": "Step 2 CK",
              "3": "Step 3", "iii": "Step 3", "three": "Step 3"}  # fmt: skip
NOT_REQUIRED = re.compile(
    r"\b(?:not|no)\b[^.]{0,30}\brequire\w*[^.]{0,30}\bUSMLE\b|\bUSMLE\b[^.]{0,40}\b(?:is|are) not required\b|"
    r"\bUSMLE\b[^.]{0,60}\b(?:preferred|recommended|encouraged),? but not required\b|"
    r"\bno USMLE (?:scores?|steps?|exams?|results?)\b[^.]{0,20}\b(?:is|are) required\b",
    re.I,
)
ECFMG_YES = re.compile(r"\bECFMG[- ]certifi(?:ed|cate|cation)\b", re.I)
HOLD = re.compile(r"\b(?:hold|have|possess)\w*\b[^.]{0,20}\bECFMG\b", re.I)
ECFMG_NO = re.compile(
    r"\bECFMG[^.]{0,40}\bnot (?:be )?required\b|\b(?:not|no)\b[^.]{0,20}\brequire\w*[^.]{0,20}\bECFMG\b", re.I
)
YEARS = re.compile(
    rf"\bgraduat\w*[^.]{{0,40}}?\b(?:within|in) the (?:last|past) (?P<a>{NUMBER})(?:\s*\(\d+\))? years?"
    rf"|\bgraduat\w*[^.]{{0,40}}?\bno more than (?P<b>{NUMBER}) years?"
    rf"|\bcomplet\w* of (?:medical school|(?:the |an? )?(?:MD|medical) degree)\b[^.]{{0,20}}?"
    rf"\bwithin the (?:last|past) (?P<e>{NUMBER}) years?"
    rf"|\b(?:MD|medical) (?:or equivalent )?degree\b[^.]{{0,30}}?\b(?:completed|obtained|awarded|earned) "
    rf"(?:within|in) the (?:last|past) (?P<d>{NUMBER}) years?"
    rf"|\b(?P<c>{NUMBER}) years? (?:of|since) graduation",
    re.I,
)
TESTS = [("TOEFL", r"\bTOEFL(?: iBT)?\b"), ("IELTS", r"\bIELTS\b"), ("OET", r"\bOET\b"), ("Duolingo", r"\bDuolingo\b"),
         ("CEFR", r"\bCEFR\b"), ("CAE", r"\bCAE\b"), ("CPE", r"\bCPE\b")]  # fmt: skip
TEST_ANY = re.compile("|".join(p for _, p in TESTS), re.I)
SCORE = re.compile(r"(?:minimum|min\.?|at least|no lower than|score of|of|≥|>=)[^\d]{0,30}?(\d{1,3}(?:\.\d)?)", re.I)
# "IELTS Academic overall 6.5", "TOEFL iBT 80 or higher": a score right after the test's name is its minimum
BARE_SCORE = re.compile(
    r"^\W{0,3}(?:(?:academic|ibt|internet[- ]based|english|test|overall|total|band|score|result)\W{1,3}){0,4}"
    r"(\d{1,3}(?:\.\d)?)(?![\d-])",
    re.I,
)
NOT_ACCEPTED = re.compile(r"\b(?:not|no longer)\b[^.]{0,30}\baccept", re.I)
ENGLISH_NOT_REQUIRED = re.compile(
    r"\b(?:TOEFL|IELTS|English (?:language |proficiency )?(?:test|exam))\b[^.]{0,30}\bnot required\b", re.I
)


OPTIONAL_PART = re.compile(r"\([^)]*\b(?:preferred|recommended|encouraged|optional)\b[^)]*\)", re.I)
PREFERRED = re.compile(r"\b(?:is|are) (?:strongly )?(?:preferred|recommended|encouraged)\b", re.I)


def find_usmle(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        if s.residency or "usmle" not in s.lower:
            continue
        text = OPTIONAL_PART.sub("", s.text)  # "Step 1 passed (Step 2 CK is recommended but not required)"
        if NOT_REQUIRED.search(text):
            return Found.of([], s)
        if not REQUIRE.search(s.text):
            continue
        steps: list[str] = []
        required = ";".join(c for c in text.split(";") if not PREFERRED.search(c))  # "Step 2 CK is preferred"
        for m in STEP_LIST.finditer(required):
            for item in STEP_ITEM.finditer(m.group(1)):
                name = STEP_NAMES[item.group(1).lower()]
                if item.group(2) and item.group(2).lower() == "cs":
                    name = "Step 2 CS"
                if name not in steps:
                    steps.append(name)
        if steps:
            return Found.of(steps, s)
    return None


def find_ecfmg(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        if "ecfmg" not in s.lower or s.residency:
            continue
        if ECFMG_NO.search(s.text):
            return Found.of(False, s)
        if ECFMG_YES.search(s.text) and (REQUIRE.search(s.text) or HOLD.search(s.text)):
            return Found.of(True, s)
    return None


def find_max_years(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        if not s.has("graduat", "degree", "medical school") or s.residency:
            continue
        m = YEARS.search(s.text)
        if m:
            return Found.of(
                int(to_number(m.group("a") or m.group("b") or m.group("c") or m.group("d") or m.group("e"))), s
            )
    return None


def find_english(sentences: list[Sentence]) -> Found | None:
    """'TOEFL ≥ 100 or IELTS ≥ 7' from the sentence(s) naming tests; tests not accepted are left out."""
    parts: list[str] = []
    evidence: list[str] = []
    for i, s in enumerate(sentences):
        if not s.has("toefl", "ielts", "oet", "duolingo", "cefr", "cae", "cpe", "english") or s.residency:
            continue
        if ENGLISH_NOT_REQUIRED.search(s.text):
            return Found.of("not required", s)
        if not TEST_ANY.search(s.text):
            continue
        text = s.text
        follow = sentences[i + 1] if i + 1 < len(sentences) else None
        if follow and "score" in follow.lower and not TEST_ANY.search(follow.text):
            text = f"{text} {follow.text}"
        found = _tests_in(text)
        new = [p for p in found if p.split(" ")[0] not in {q.split(" ")[0] for q in parts}]
        if new:
            parts += new
            evidence.append(text)
        if len(evidence) >= 3:
            break
    if not parts:
        return None
    return Found.of(" or ".join(parts), " … ".join(evidence))


def _tests_in(text: str) -> list[str]:
    hits = sorted((m.start(), m.end(), name) for name, pattern in TESTS for m in re.finditer(pattern, text, re.I))
    out = []
    for i, (start, end, name) in enumerate(hits):
        clause = text[max(0, start - 40) : end]
        if NOT_ACCEPTED.search(clause) or any(o.startswith(name) for o in out):
            continue
        scope = text[end : hits[i + 1][0] if i + 1 < len(hits) else len(text)]
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

"""hands_on: only when the text says so — observation only / no patient contact vs direct patient care."""

from __future__ import annotations

import re

from crawlers.extract.fields.common import Found
from crawlers.extract.text import Sentence

NO_CONTACT = re.compile(
    r"\b(?:no|without|not (?:\w+ ){0,3}(?:any|have|include|provide|permitted to have any)|may not have any)\s+"
    r"(?:\w+[- ]){0,2}(?:direct )?(?:hands-on )?patient (?:contact|care)\b|"
    r"\bobservation only\b|\bobservers? only\b|\bhands-in-pockets?\b|\bstrictly (?:observational|a shadowing)\b|"
    r"\bwatching and listening only\b|\bmay not (?:scrub|touch|examine)\b|\bno hands-on\b|"
    r"\bunable to perform clinical care\b|\bnon-clinical role\b",
    re.I,
)
CONTACT = re.compile(
    r"\bdirect patient care experiences?\b|\bhands-on (?:experience|clinical|patient)\w*\b|\bpatient care duties\b|"
    r"\bsub-?intern(?:ship)? (?:level|duties|responsibilities)\b|\btaking patient histories\b|"
    r"\bperforming physical examinations\b|\bfunction as (?:a|an) (?:sub-?intern|team member)\b",
    re.I,
)
HYPOTHETICAL = re.compile(r"\bif\b|\bwish\w*\b|\bshould explore\b|\bother (?:educational )?opportunities\b", re.I)


def find_hands_on(sentences: list[Sentence], kind: str | None) -> Found | None:
    for s in sentences:
        if NO_CONTACT.search(s.text) and not s.residency:
            return Found.of(False, s)
    if kind == "observership":
        return None
    for s in sentences:
        if CONTACT.search(s.text) and not HYPOTHETICAL.search(s.text) and not s.residency:
            return Found.of(True, s)
    return None

"""visa: the visa categories the page names for participants (B-1/B-2, visitor, F-1, visa waiver…).

A visa the program will not sponsor, or a residency visa (J-1 / H-1B sponsorship), is not one.
"""

from __future__ import annotations

import re

from crawlers.extract.fields.common import Found
from crawlers.extract.text import Sentence

CATEGORIES = [
    ("B-1/B-2", re.compile(r"\bB-?1\s*/\s*B-?2\b", re.I)),
    ("B-1", re.compile(r"\bB-?1\b(?!\s*/\s*B)", re.I)),
    ("B-2", re.compile(r"(?<!/)\bB-?2\b", re.I)),
    ("B (visitor) visa", re.compile(r"\bB visa\b", re.I)),
    ("visitor visa", re.compile(r"\bvisitor'?s?\s+visa\b", re.I)),
    ("tourist visa", re.compile(r"\btourist visa\b", re.I)),
    ("F-1", re.compile(r"\bF-?1\b", re.I)),
    ("J-1", re.compile(r"\bJ-?1\b", re.I)),
    ("Visa Waiver Program", re.compile(r"\bvisa waiver\b|\bESTA\b", re.I)),
]
NOT_NEEDED = re.compile(r"\b(?:not|no)\b[^.]{0,20}\b(?:require|need|sponsor)\w*\b", re.I)
VISA_WORD = re.compile(r"\bvisas?\b|\bwaiver\b|\bESTA\b|\bB-?1\b", re.I)


def find_visa(sentences: list[Sentence]) -> Found | None:
    names: list[str] = []
    evidence = None
    for s in sentences:
        if (
            not s.has("visa", "waiver", "esta", "b-1", "b1")
            or s.residency
            or not VISA_WORD.search(s.text)
            or re.search(r"\bH-?1B?\b|sponsor", s.text, re.I)
        ):
            continue
        text = s.text
        neg = NOT_NEEDED.search(text)
        for name, pattern in CATEGORIES:
            m = pattern.search(text)
            negated = neg and neg.start() < (m.start() if m else 0) and "instead" not in text[neg.start() : m.start()]
            if m and not negated and name not in names:
                names.append(name)
        if names and evidence is None:
            evidence = s
        if names:
            break
    return Found.of(" or ".join(names), evidence) if names and evidence else None

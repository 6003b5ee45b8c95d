"""deadline_text and next_deadline: the deadline, window or lead time as the page states it.

Families: "deadline … July 1, 2023", "accepted from January 1 through August 1", "will open on
January 12, 2026", "apply at least 90 days in advance", "six months prior to the start", "allow
60-90 days for processing", "requires a minimum of four weeks". next_deadline only when a concrete
date with a year is stated as the deadline (dateparser reads it).
"""

from __future__ import annotations

import re

import dateparser

from crawlers.extract.fields.common import NUMBER, Found, unparen
from crawlers.extract.text import Sentence

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
    r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE = re.compile(
    rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?\b|\b\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})\b",
    re.I,
)
# A month named alone (capitalised: "may apply" is not May); a season with its year ("spring 2024")
MONTH_ONLY = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May(?!\s+[a-z])|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b|\b(?:spring|summer|fall|autumn|winter) 20\d\d\b"
)
ACADEMIC_YEAR = re.compile(r"\b20\d\d[-–/](?:20)?\d\d\b")
NEGATED = re.compile(r"\b(?:not|unable|cannot|no longer|on hold|suspended|paused|cancell?ed)\b", re.I)
LEAD = re.compile(
    rf"\b{NUMBER}(?:\s*(?:-|–|to)\s*{NUMBER})?[- ](?:weeks?|months?|"
    rf"days?)\b[^.]{{0,40}}?\b(?:prior|before|in advance|notice|ahead)\b|"
    rf"\b(?:allow|requires?|takes?)\b[^.]{{0,30}}\b{NUMBER}(?:\s*(?:-|–|to)\s*{NUMBER})?[- ](?:weeks?|months?|days?)\b|"
    rf"\byear-round\b|\brolling basis\b",
    re.I,
)
APPLY = re.compile(
    r"\b(?:appl(?:y|ies|ying|ications?)|submi\w+|send|accept\w*|deadlines?|last day|register\w*|request\w*|contact|"
    r"decisions?|notified|(?:re)?open(?:s|ing)?|closes?|paid|respond|processing|review|nominations?)\b",
    re.I,
)
WINDOW = re.compile(
    r"\b(?:deadline|last day|accepted (?:from|between)|will (?:open|"
    r"begin|start|re-?open)|(?:re-?)?open(?:s|ing)? (?:on|in)|(?:begin|start|resume)\w* accepting|"
    r"until|through|closes?|by|window|period|due(?!\s+to\b))\b|\d\s*[–—-]\s*(?-i:[A-Z])[a-z]{2,8}\.?\s+\d",
    re.I,
)
BY_DEADLINE = re.compile(
    r"\b(?:apply|submit\w*|received|accepted) by the (?:published |posted )?deadline|"
    r"\bdeadlines? (?:are|is) (?:listed|posted|published)\b",
    re.I,
)
# "expect to begin accepting applications again in summer 2025": a pause's return, not a window (unless it names
# a day or an academic year, the cycle that opens)
RESUME = re.compile(r"\baccepting applications again\b|\bresum\w+ accepting\b|\bre-?open\w*\b", re.I)
SESSION = re.compile(r"\b(?:next|upcoming) (?:[\w-]+ )?(?:session|cohort|block)s?\b", re.I)
TABLE_HEAD = re.compile(r"\bapplication (?:opens|closes|deadline)|\bdeadline\b|\bsubmission\b", re.I)
DEADLINE_WORD = re.compile(r"\bdeadline\b|\blast day\b|\bdue\b(?!\s+to\b)|\bby\b|\bcloses?\b", re.I)


def find_deadline(sentences: list[Sentence], lines: list[str]) -> tuple[Found | None, Found | None]:
    """(deadline_text, next_deadline); a table row of dates counts under an application-dates header."""
    for s in sentences:
        if s.residency:
            continue
        dates = list(DATE.finditer(s.text))
        if dates and (SESSION.search(s.text) or _under_table_head(s, lines)):
            head = lines[s.line - 1] if SESSION.search(s.text) is None else ""
            return Found.of(f"{head} {s.text}".strip(), s), None
        if BY_DEADLINE.search(s.text):
            return Found.of(s.text, s), None
        if not APPLY.search(s.text) or (not dates and not ACADEMIC_YEAR.search(s.text) and RESUME.search(s.text)):
            continue
        windowed = bool(dates or MONTH_ONLY.search(s.text)) and WINDOW.search(s.text)
        windowed = windowed or (ACADEMIC_YEAR.search(s.text) and not NEGATED.search(s.text))
        if (
            LEAD.search(unparen(s.text) if "(" in s.text else s.text)
            or windowed
            or (dates and APPLY.search(s.text) and "deadline" in s.lower)
        ):
            return Found.of(s.text, s), _next_deadline(s, dates)
    return None, None


def _under_table_head(s: Sentence, lines: list[str]) -> bool:
    previous = next((lines[i] for i in range(s.line - 1, max(-1, s.line - 3), -1) if lines[i].strip()), "")
    return bool(TABLE_HEAD.search(previous)) and not previous.endswith(".")


def _next_deadline(s: Sentence, dates: list[re.Match[str]]) -> Found | None:
    if not DEADLINE_WORD.search(s.text):
        return None
    for m in dates:
        if "/" not in m.group(0) and not m.group("year"):
            continue
        parsed = dateparser.parse(m.group(0), languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
        if parsed:
            return Found.of(parsed.date(), s)
    return None

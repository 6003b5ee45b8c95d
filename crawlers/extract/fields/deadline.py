"""deadline_text and next_deadline: the deadline, window or lead time as the page states it.

The phrasings are in lexicon/deadline.yaml: windows with a date or a named month ("accepted from
January 1 through August 1", "applications open in April"), lead times ("apply at least 90 days in
advance"), rolling review, an academic year's cycle, the months a program is offered. A short dated
FAQ answer is read after its question; a bound after 'but' ("as soon as possible, but at least six
months before") stays in the scope of the request. next_deadline only when a concrete date with a
year is stated as the deadline (dateparser reads it).
"""

from __future__ import annotations

import re

import dateparser

from crawlers.extract import phrases
from crawlers.extract.fields.common import Found, unparen
from crawlers.extract.fields.registry import Finder
from crawlers.extract.lexicon import expand, load
from crawlers.extract.text import Sentence

LEXICON = load("deadline")
DATE = re.compile(
    rf"\b{expand('{MONTH}', 'deadline')}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?\b"
    r"|\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b",
    re.I,
)
SESSION = re.compile(r"\b(?:next|upcoming) (?:[\w-]+ )?(?:session|cohort|block)s?\b", re.I)
TABLE_HEAD = re.compile(r"\bapplication (?:opens|closes|deadline)|\bdeadline\b|\bsubmission\b", re.I)
DEADLINE_WORD = re.compile(r"\bdeadline\b|\blast day\b|\bdue\b(?!\s+to\b)|\bby\b|\bcloses?\b", re.I)
BUT_BOUND = re.compile(
    r",?\s*\bbut\s+(?=(?:at (?:the )?(?:latest|least)|no (?:later|less) than|not (?:later|less) than"
    r"|(?:at )?(?:a )?minimum(?: of)?)\b)",
    re.I,
)
"""'as soon as possible, but at least six months before': the bound narrows the request, it does not contrast."""
ANSWER_WORDS = 8
"""An FAQ answer this short that states a date answers its question ("When may I apply?" "March 1")."""


def find_deadline(sentences: list[Sentence], lines: list[str]) -> tuple[Found | None, Found | None]:
    """(deadline_text, next_deadline): the first sentence a deadline rule matches; a table row of dates
    under an application-dates header, or a next session's dates, count too."""
    for s in sentences:
        if s.residency:
            continue
        dates = list(DATE.finditer(s.text))
        if dates and (SESSION.search(s.text) or _under_table_head(s, lines)):
            head = lines[s.line - 1] if SESSION.search(s.text) is None else ""
            return Found.of(f"{head} {s.text}".strip(), s), None
        question = _question(s, dates, lines)
        if phrases.first(LEXICON.rules, [s.changed(text=f"{question} {_readable(s.text)}".strip())]):
            return Found.of(f"{question} {s.text}".strip(), s), _next_deadline(s, dates)
    return None, None


def _readable(text: str) -> str:
    """The sentence as the rules read it: without parentheses, a bound after 'but' kept in scope."""
    text = unparen(text) if "(" in text else text
    return BUT_BOUND.sub(", ", text) if "but" in text else text


def _question(s: Sentence, dates: list[re.Match[str]], lines: list[str]) -> str:
    """The FAQ question a short dated answer replies to (its section, or the line just above it), else ''."""
    if not dates or len(s.text.split()) > ANSWER_WORDS:
        return ""
    question = s.section if s.section.endswith("?") else _line_above(s, lines)
    return question if question.endswith("?") else ""


def _line_above(s: Sentence, lines: list[str]) -> str:
    return next((lines[i].strip() for i in range(s.line - 1, max(-1, s.line - 3), -1) if lines[i].strip()), "")


def _under_table_head(s: Sentence, lines: list[str]) -> bool:
    previous = _line_above(s, lines)
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


FINDER = Finder(("deadline_text", "next_deadline"), ("status",), lambda page: find_deadline(page.own, page.lines))

"""duration_weeks_min / _max: the length of one rotation or visit, in weeks.

"two or four weeks" → 2-4; "up to 12 weeks", "limited to 90 days", "30 days or less", "maximum
appointment is three months" → max only; "a four-week period" → 4-4; months count 4 weeks, days /7.
Lead times ("90 days in advance"), prerequisites ("48 weeks of completed clerkships", "eight weeks each
of") and lifetime caps ("a maximum of eight weeks participation") are not durations.
"""

from __future__ import annotations

import re
from datetime import datetime

from crawlers.extract.fields.common import NUMBER, Found, to_number, unparen
from crawlers.extract.fields.deadline import DATE, SESSION
from crawlers.extract.fields.registry import Finder
from crawlers.extract.text import ASPIRATION, Sentence

RANGE = re.compile(
    rf"(?:from |between )?(?P<a>{NUMBER})(?:-(?=\s))?(?:[- ]?(?P<ua>weeks?|months?|days?))?"
    rf"(?:\s*\((?:minimum|min\.?)\))?"
    rf"(?:,\s*{NUMBER})*,?"
    rf"\s*(?:to|or|-|–|through)\s*(?P<b>{NUMBER})[- ]?(?P<ub>weeks?|months?|days?)\b",
    re.I,
)
SINGLE = re.compile(rf"(?P<n>{NUMBER})[- ](?:(?:consecutive|calendar) )?(?P<u>weeks?|months?|days?)\b", re.I)
MAX_BEFORE = re.compile(
    r"(?:up to|maximum(?: \w+){0,6}(?: is| of)?|limited to|capped at|no (?:more|longer) than|"
    r"(?:may|must|shall|will|can|does|do)? ?not (?:to )?exceed|max\.?):?\s*$",
    re.I,
)
MIN_BEFORE = re.compile(r"(?:no less than|minimum(?: of)?|at least)\s*$", re.I)
OR_LESS = re.compile(r"^\s*(?:or less|or fewer|maximum|max\b)", re.I)
OR_MORE = re.compile(r"^\s*(?:minimum|min\b)", re.I)
LENGTH_WORDS = re.compile(
    r"\b(?:last|lasts|length|long|duration|period|visit|appointment|allowance|limited|rotations?|electives?|"
    r"observerships?|clerkships?|modules?|blocks?|course|program|consecutive|observers?|observe|run|stay|stays|visits|"
    r"shadowing|experiences?|sub-?internships?|externships?|preceptorships?)\b|"
    rf"\bfor (?:up to )?{NUMBER}(?:\s*[–-]\s*{NUMBER})?[- ](?:weeks?|months?|days?)\b",
    re.I,
)
NOT_LENGTH = re.compile(
    r"\b(?:processing|deadline|applications|submit\w*|notified|"
    r"completed|completion|expire\w*|(?:weeks?|months?) (?:of )?participation|total|lifetime|per year|"
    r"residency|fellowship)\b|weeks each|months each",
    re.I,
)
LEAD_AFTER = re.compile(
    r"^\W{0,3}(?:prior|before|in advance|ahead|earlier|notice|ago|each|of (?:actual|"
    r"required|clinical|core)|increments|from (?:your|the)|"
    r"time frame|after|out)\b",
    re.I,
)
LEAD_BEFORE = re.compile(r"\b(?:every|within|allow|takes?|requires?)\b[^,;]{0,20}$", re.I)
CAP_COUNT = re.compile(
    r"\b(?:maximum|up to|limited to|no more than) (?:of )?(?:one|two|three|four|five|\d) (?!weeks?|months?|days?)", re.I
)

CAP_SINGLE = re.compile(
    r"\b(?:maximum|up to|limited to|no more than) (?:of )?(?:one|two|three|four|five|\d) "
    r"(?:electives?|rotations?|observerships?|modules?|blocks?|courses?)\b\W*$",
    re.I,
)


WKS = re.compile(r"\bwks?\b\.?", re.I)  # "2–4 wks"


def weeks(n: str, unit: str) -> float:
    value = to_number(n)
    unit = unit.lower()
    if unit.startswith("month"):
        return value * 4
    if unit.startswith("day"):
        return round(value / 7, 1)
    return value


def find_duration(sentences: list[Sentence]) -> tuple[Found | None, Found | None]:
    """The first sentence that states a length; a bare answer ("Up to four weeks.") reads its question."""
    previous = ""
    for s in sentences:
        asked, previous = previous, s.text if s.text.rstrip().endswith("?") else ""
        if not s.has("week", "month", "day", "wk"):
            continue
        text = WKS.sub("weeks", unparen(s.text))
        if NOT_LENGTH.search(ASPIRATION.sub("", text)) or not (LENGTH_WORDS.search(text) or LENGTH_WORDS.search(asked)):
            continue
        got = _parse(text)
        if got:
            lo, hi = _table_rows(sentences, s, got) if "|" in text else got
            return (Found.of(lo, s) if lo is not None else None), Found.of(hi, s)
    return _session_span(sentences)


def _session_span(sentences: list[Sentence]) -> tuple[Found | None, Found | None]:
    """A page that gives no length but the dates of its next session ("The next cohort runs 9/8/25 – 10/31/25"):
    the span between them, in whole weeks."""
    for s in sentences:
        if not s.has("session", "cohort", "block") or not SESSION.search(s.text):
            continue
        dates = list(DATE.finditer(s.text))
        if len(dates) != 2 or not re.fullmatch(
            r"\s*(?:-|–|—|to|through)\s*", s.text[dates[0].end() : dates[1].start()]
        ):
            continue
        start, end = (_date(d.group(0)) for d in dates)
        if start and end and 7 <= (end - start).days <= 366:
            length = Found.of(float(round((end - start).days / 7)), s)
            return length, length
    return None, None


def _date(text: str) -> datetime | None:
    for pattern in ("%m/%d/%y", "%m/%d/%Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _table_rows(
    sentences: list[Sentence], row: Sentence, got: tuple[float | None, float]
) -> tuple[float | None, float]:
    """A flattened table lists one length per row ("Observership | 4 weeks | $1,200" then "| 8 weeks |"): the
    rows on the lines right after it widen the range."""
    lo, hi = got
    line = row.line
    for s in sentences:
        if s.line != line + 1 or "|" not in s.text:
            continue
        line = s.line
        more = _parse(unparen(s.text)) if s.has("week", "month", "day") else None
        if more:
            lo, hi = min(x for x in (lo, more[0], more[1]) if x is not None), max(hi, more[1])
    return lo, hi


def _parse(text: str) -> tuple[float | None, float] | None:
    m = RANGE.search(text)
    if (
        m
        and not CAP_COUNT.search(text[max(0, m.start() - 20) : m.end()])
        and not LEAD_AFTER.search(text[m.end() : m.end() + 25])
        and not LEAD_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
    ):
        unit_b = m.group("ub")
        lo, hi = weeks(m.group("a"), m.group("ua") or unit_b), weeks(m.group("b"), unit_b)
        if lo < hi:
            return lo, hi
    lows: list[float] = []
    highs: list[float] = []
    fixed: list[float] = []
    for m in SINGLE.finditer(text):
        value = weeks(m.group("n"), m.group("u"))
        before, after = text[max(0, m.start() - 60) : m.start()], text[m.end() : m.end() + 25]
        if LEAD_AFTER.search(after) or LEAD_BEFORE.search(before) or CAP_SINGLE.search(before):
            continue
        if MAX_BEFORE.search(before) or OR_LESS.match(after):
            highs.append(value)
        elif MIN_BEFORE.search(before) or OR_MORE.match(after):
            lows.append(value)
        else:
            fixed.append(value)
    if lows and highs:
        return lows[0], highs[0]
    if highs:
        return None, highs[0]
    if fixed:  # "4 weeks; some departments offer 2-week rotations" → 2-4
        return min(fixed), max(fixed)
    return None


FINDER = Finder(("duration_weeks_min", "duration_weeks_max"), ("status",), lambda page: find_duration(page.own))

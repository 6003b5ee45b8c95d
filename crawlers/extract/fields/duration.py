"""duration_weeks_min / _max: the length of one rotation or visit, in weeks.

The phrasings are in lexicon/duration.yaml: a range ("two or four weeks" → 2-4), a maximum ("up to
12 weeks", "limited to 90 days", "30 days or less" → max only), a minimum, a plain length ("a
four-week period" → 4-4). Lead times ("90 days in advance"), prior training ("48 weeks of completed
clerkships") and caps on how many ("a maximum of two electives") are context the rules are
cancelled by. This module turns what a rule captured into weeks (a month is 4 weeks, days / 7
rounded to 0.1) and combines a sentence's lengths; a flattened table widens the range row by row,
and a page with no length but its next session's dates has the span between them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from crawlers.extract.fields.common import Found, to_number, unparen
from crawlers.extract.fields.deadline import DATE, SESSION
from crawlers.extract.fields.registry import Finder
from crawlers.extract.lexicon import Rule, load
from crawlers.extract.phrases import allows
from crawlers.extract.text import Sentence

LEXICON = load("duration")
RANGE = LEXICON.with_value("range")
SINGLE = tuple(r for r in LEXICON.rules if r.value != "range")
WKS = re.compile(r"\bwks?\b\.?", re.I)  # "2–4 wks"


def weeks(n: str, unit: str) -> float:
    value = to_number(n)
    unit = unit.lower()
    if unit.startswith("month"):
        return value * 4
    if unit.startswith("day"):
        return round(value / 7, 1)
    return value


def matches(rules: tuple[Rule, ...], s: Sentence) -> list[tuple[Rule, re.Match[str]]]:
    """Every place in `s` a rule matches with its context allowing it, in reading order."""
    found = [(rule, m) for rule in rules for m in rule.finditer(s.text, s.lower) if allows(rule, s, m)]
    return sorted(found, key=lambda f: f[1].start())


def find_duration(sentences: list[Sentence]) -> tuple[Found | None, Found | None]:
    """The first sentence that states a length; a bare answer ("Up to four weeks.") reads its question."""
    previous = ""
    for s in sentences:
        asked, previous = previous, s.text if s.text.rstrip().endswith("?") else ""
        if s.names_residency or not s.has("week", "month", "day", "wk"):
            continue
        text = WKS.sub("weeks", unparen(s.text))
        got = _parse(replace(s, text=text, section=f"{s.section} {asked}".strip()))
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
        more = _parse(replace(s, text=unparen(s.text))) if s.has("week", "month", "day") else None
        if more:
            lo, hi = min(x for x in (lo, more[0], more[1]) if x is not None), max(hi, more[1])
    return lo, hi


def _parse(s: Sentence) -> tuple[float | None, float] | None:
    """(min, max) of the lengths the sentence states: its first widening range, else its maxima,
    minima and plain lengths (a number a range or a bound already read is not read again)."""
    for _, m in matches(RANGE, s):
        unit_b = m.group("ub")
        lo, hi = weeks(m.group("a"), m.group("ua") or unit_b), weeks(m.group("b"), unit_b)
        if lo < hi:
            return lo, hi
    by_kind: dict[str, list[tuple[int, float]]] = {"max": [], "min": [], "fixed": []}
    taken: list[tuple[int, int]] = []
    for rule, m in sorted(matches(SINGLE, s), key=lambda f: SINGLE.index(f[0])):
        at = m.span("n")
        if any(a < at[1] and at[0] < b for a, b in taken):
            continue
        taken.append(at)
        by_kind[rule.value].append((at[0], weeks(m.group("n"), m.group("u"))))
    highs, lows, fixed = ([v for _, v in sorted(by_kind[k])] for k in ("max", "min", "fixed"))
    if lows and highs:
        return lows[0], highs[0]
    if highs:
        return None, highs[0]
    if fixed:  # "4 weeks; some departments offer 2-week rotations" → 2-4
        return min(fixed), max(fixed)
    return None


FINDER = Finder(("duration_weeks_min", "duration_weeks_max"), ("status",), lambda page: find_duration(page.own))

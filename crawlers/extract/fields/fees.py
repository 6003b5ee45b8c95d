"""application_fee_usd, program_fee_usd, program_fee_unit: amounts in US dollars, parsed by price-parser.

The phrasings are in lexicon/fees.yaml: what names the fee to apply, register or process (also an
administrative fee), what names the program's cost (tuition, an observership / course / elective
fee, a deposit or placement fee, an administrative fee per rotation), a waived or free program (0),
surcharges, the units a fee is charged per and the headers of a fee table. This module reads each
clause of a sentence, takes the amount nearest a cue and parses it: "$200 per day up to $1,000 per
month" → the cap; another currency (CAD, €, £) → null; an amount a housing, insurance, visa or
background-check cost governs (EXPENSE) is no program fee.
"""

from __future__ import annotations

import re

from price_parser import Price

from crawlers.extract import phrases
from crawlers.extract.context import categories
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder
from crawlers.extract.lexicon import Rule, could_match, joint_gate, load
from crawlers.extract.text import CELL_SEPARATOR, Sentence, has_separator

LEXICON = load("fees")
FEE_GATE = joint_gate(LEXICON.rules)
APPLICATION = LEXICON.with_value("application")
APPLICATION_ROW = LEXICON.with_value("application_row")
PROGRAM = LEXICON.with_value("program")
WAIVED = LEXICON.with_value("waived")
FREE = LEXICON.with_value("free")
SURCHARGE = LEXICON.with_value("surcharge")
APPLYING = LEXICON.with_value("applying")
UNITS = tuple(r for r in LEXICON.rules if r.id in ("per_day", "per_week", "per_month", "per_rotation", "one_time"))
HEAD_APPLICATION = LEXICON.rule("head_application")
HEAD_PROGRAM = LEXICON.rule("head_program")
ABROAD_ROW = LEXICON.rule("abroad_row")
EXPENSE = "EXPENSE"

# the mechanism: an amount and its currency
AMOUNT = re.compile(
    r"(?:US\s?)?\$\s?\d[\d,]*(?:\.\d{2})?(?:\s?(?:USD|CAD|CDN|AUD|"
    r"US dollars))?|\d[\d,]*(?:\.\d{2})?\s?(?:USD|CAD|CDN|AUD|EUR|GBP|€|£)",
    re.I,
)
DIGIT = re.compile(r"\d")
FOREIGN = re.compile(r"\b(?:CAD|CDN|AUD|C\$|A\$|EUR|GBP|euros?|pounds|canadian)\b|[€£]", re.I)
# One sentence, several fees: "an application fee of $100 plus tuition of $2,500", "a $125 application fee and a
# $2,400 program fee" — each clause is read on its own.
CLAUSE = re.compile(
    r";|\bplus\b|,?\s+and(?:,\s+[\w\s]{1,25},)?\s+(?=(?:an?\s+|the\s+)?(?:[\w$,.-]+\s+){0,2}(?:fees?|tuition)\b)", re.I
)


def _has_amount(text: str) -> bool:
    """An amount occurs in `text`; every amount has a digit, and a text without one (most) is told by a
    scan far cheaper than AMOUNT's."""
    return DIGIT.search(text) is not None and AMOUNT.search(text) is not None


def _names_a_fee(s: Sentence) -> bool:
    """Cheap gate: some fee rule may match (the rules' gates, derived from their patterns)."""
    return could_match(FEE_GATE, s.lower)


def search(rules: tuple[Rule, ...], text: str) -> re.Match[str] | None:
    """The earliest place any of the rules' patterns occurs in `text` (no context asked)."""
    found = [m for r in rules for m in r.finditer(text)]
    return min(found, key=lambda m: m.start()) if found else None


def said(rules: tuple[Rule, ...], s: Sentence) -> re.Match[str] | None:
    """The earliest place a rule matches with its context allowing it."""
    found = [m for r in rules if (m := phrases.match(r, s)) is not None]
    return min(found, key=lambda m: m.start()) if found else None


def usd(text: str, amount: str | None = None) -> float | None:
    """The amount of a `$…` string, or None when it is in another currency. `text` is the amount with a few
    characters around it (a currency mark: "C$", "CAD"); only `amount` itself is parsed, so words after it
    ("$300.00, paid in cash") never become digits."""
    if FOREIGN.search(text):
        return None
    price = Price.fromstring(amount if amount is not None else text, currency_hint="USD")
    return float(price.amount) if price.amount is not None else None


def _around(text: str, amount: re.Match[str]) -> str:
    """The amount with a few characters either side (a currency mark before it: "C$"), never the tail of
    another amount ("$100 / $100 fee" must not read "00 / $100")."""
    before = re.split(r"[\d$]", text[max(0, amount.start() - 5) : amount.start()])[-1]
    return before + text[amount.start() : amount.end() + 12]


def _value(text: str, amount: re.Match[str]) -> float | None:
    return usd(_around(text, amount), amount.group(0))


def find_fees(sentences: list[Sentence]) -> tuple[Found | None, Found | None, Found | None]:
    """(application fee, program fee, program fee unit)."""
    app = prog = unit = None
    for s in sentences:
        if s.residency or not (_has_amount(s.text) or _names_a_fee(s)):
            continue
        parts = CLAUSE.split(s.text)
        for part in parts:
            clause = s.changed(text=part) if len(parts) > 1 else s  # keeps the heading it stands under
            if app is None and (found := _application_fee(clause)):
                app = Found.of(found.value, s)
            if prog is None and (got := _program_fee(clause)):
                prog, unit = Found.of(got[0].value, s), got[1] and Found.of(got[1].value, s)
    if app is None and prog is None:
        return _column_table(sentences)
    return app, prog, unit


def _column_table(sentences: list[Sentence]) -> tuple[Found | None, Found | None, Found | None]:
    """A fee table whose header row names the fee of each column: the amounts in the row for international
    applicants (or in the only row)."""
    for i, s in enumerate(sentences):
        if not has_separator(s.text.strip()) or not _names_a_fee(s):  # else no split gives two cells
            continue
        head = CELL_SEPARATOR.split(s.text.strip())
        if len(head) < 2 or _has_amount(s.text) or s.residency:
            continue
        kinds = {
            j: "app" if search((HEAD_APPLICATION,), c) else "prog"
            for j, c in enumerate(head)
            if search((HEAD_APPLICATION, HEAD_PROGRAM), c)
        }
        if not kinds:
            continue
        rows = [r for r in sentences[i + 1 : i + 10] if len(CELL_SEPARATOR.split(r.text.strip())) == len(head)]
        international = [r for r in rows if search((ABROAD_ROW,), CELL_SEPARATOR.split(r.text.strip())[0])]
        if not international and len(rows) != 1:
            return None, None, None
        row = (international or rows)[0]
        cells = CELL_SEPARATOR.split(row.text.strip())
        evidence = f"{s.text} … {row.text}"
        app: Found | None = None
        prog: Found | None = None
        unit: Found | None = None
        for j, kind in kinds.items():
            value: float | None
            if "waived" in cells[j].lower():
                value = 0.0
            elif (m := AMOUNT.search(cells[j])) and not FOREIGN.search(cells[j]):
                value = usd(m.group(0))
            else:
                continue
            if kind == "app":
                app = Found.of(value, evidence)
            else:
                prog = Found.of(value, evidence)
                per = _unit(cells[j])
                unit = Found.of(per, evidence) if per else None
        return app, prog, unit
    return None, None, None


def _unit(text: str) -> str | None:
    """What the fee is charged per: the first unit rule, in the lexicon's order, that occurs in `text`."""
    return next((r.value for r in UNITS if r.finditer(text)), None)


def _application_fee(s: Sentence) -> Found | None:
    if said(WAIVED, s):
        return Found.of(0.0, s)
    m = _application_cue(s) or said(APPLICATION_ROW, s)
    if not m:
        return None
    amounts = [a for a in AMOUNT.finditer(s.text) if abs(a.start() - m.start()) < 60]
    if not amounts:
        return None
    value = _value(s.text, _nearest(amounts, m.start()))
    return Found.of(value, s) if value is not None else None


def _program_fee(s: Sentence) -> tuple[Found, Found | None] | None:
    """The program's amount; in a sentence that also names the fee to apply ("a $300 processing fee and a $1,000
    per week observership fee"), the amount nearest the program's cue that is not the application fee's."""
    if said(FREE, s) and not search(APPLICATION, s.text):
        return Found.of(0.0, s), None
    m = said(PROGRAM, s)
    if not m or said(APPLICATION_ROW, s) or said(SURCHARGE, s):
        return None
    amounts = list(AMOUNT.finditer(s.text))
    app = _application_cue(s)
    gap: dict[int, int] = {}
    if app:
        cues = [m.start()] + [c.start() for r in PROGRAM for c in r.finditer(s.text)]
        taken = _nearest(amounts, app.start()) if amounts else None
        gap = {a.start(): min(abs(a.start() - c) for c in cues) for a in amounts}
        amounts = [a for a in amounts if a is not taken and gap[a.start()] < abs(a.start() - app.start())]
    if not amounts:
        return None
    chosen = min(amounts, key=lambda a: gap[a.start()]) if app else amounts[0]
    cap = re.search(r"up to\s*$", s.text[: amounts[-1].start()]) if len(amounts) > 1 else None
    if cap:
        chosen = amounts[-1]
    lookback = max(0, chosen.start() - 40, app.end() if app and app.end() <= chosen.start() else 0)
    if categories(s.text, chosen.start(), chosen.end(), among={EXPENSE}) or search(
        APPLYING, s.text[lookback : chosen.start()]
    ):
        return None
    value = _value(s.text, chosen)
    if value is None:
        return None
    after = s.text[chosen.end() : chosen.end() + 40]
    unit = _unit(after) or _unit(s.text[max(0, chosen.start() - 40) : chosen.end() + 40])
    return Found.of(value, s), (Found.of(unit, s) if unit else None)


def _application_cue(s: Sentence) -> re.Match[str] | None:
    """Where the sentence names a fee to apply; an administrative fee per rotation is no such fee."""
    m = said(APPLICATION, s)
    if m and m.group(0).lower().startswith("admin") and phrases.match(LEXICON.rule("admin_per_rotation"), s):
        return None
    return m


def _nearest(amounts: list[re.Match[str]], at: int) -> re.Match[str]:
    return min(amounts, key=lambda a: abs(a.start() - at))


FINDER = Finder(
    ("application_fee_usd", "program_fee_usd", "program_fee_unit"), ("status",), lambda page: find_fees(page.own)
)

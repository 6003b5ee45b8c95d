"""application_fee_usd, program_fee_usd, program_fee_unit: amounts in US dollars, parsed by price-parser.

Application fee = the fee to apply, register or process (also an administrative fee). Program fee =
tuition, observership / course / elective fee, a deposit or placement fee. "$200 per day up to $1,000
per month" → the cap. Another currency (CAD, €, £) → null. "waived" → 0. Housing, insurance, visa,
background-check and rush fees are not program fees.
"""

from __future__ import annotations

import re

from price_parser import Price

from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder
from crawlers.extract.text import Sentence

AMOUNT = re.compile(
    r"(?:US\s?)?\$\s?\d[\d,]*(?:\.\d{2})?(?:\s?(?:USD|CAD|CDN|AUD|"
    r"US dollars))?|\d[\d,]*(?:\.\d{2})?\s?(?:USD|CAD|CDN|AUD|EUR|GBP|€|£)",
    re.I,
)
FOREIGN = re.compile(r"\b(?:CAD|CDN|AUD|C\$|A\$|EUR|GBP|euros?|pounds|canadian)\b|[€£]", re.I)
APPLICATION = re.compile(
    r"\b(?:application|registration|processing|administrative|admin|applicant)(?:/\w+)?\s+(?:processing\s+)?fees?\b",
    re.I,
)
# an administrative fee charged per rotation / month / observership is what the program costs, not a fee to apply
ADMIN_PER = re.compile(
    r"\badmin(?:istrative)? fee\b[^.;]{0,40}?(?:\bper|\beach|/)\s*(?:rotation|elective|week|month|block|observership|"
    r"course|day)\b",
    re.I,
)
# a flattened fee table whose column header names the fee: "Application | $100"
CELLS = r"\s*(?:\([^)]*\))?\s*\|(?:[^|$]{0,20}\|)?\s*(?:US\s?)?\$"  # "(all programs) | — | $", a cell between
APPLICATION_ROW = re.compile(rf"^\W*(?:application|registration|processing)(?: fee)?{CELLS}", re.I)
PROGRAM = re.compile(
    r"\btuition\b|\b(?:observership|course|elective|program|"
    r"placement|rotation|block|visiting student|international student|clinical|clerkship|observation)\s+fees?\b|"
    r"\bdeposit\b|\bfee in the amount of\b|\b(?:a|the) fee (?:is|of)\b|&\s*\$[\d,]+\s*fee\b|\$[\d,]+ fee\b|"
    r"^\W*(?:fees?|cost|price|charge):\s*(?:US\s?)?\$|\bcosts?\s+(?:US\s?)?\$|"
    r"\bthe (?:price|charge|cost)(?: of (?:the|this|each|an?) [\w-]+)? is\s+(?:US\s?)?\$|"
    rf"^\W*(?:[\w-]+ )?(?:tuition|observership|observation|elective|clerkship|program|course|rotation)(?: fee)?{CELLS}",
    re.I,
)
NOT_PROGRAM = re.compile(
    r"\b(?:housing|accommodation|rent|insurance|visa|sevis|background|drug screen|health|parking|personal check|"
    r"expenses|application|registration|processing)\b",
    re.I,
)
# One sentence, several fees: "an application fee of $100 plus tuition of $2,500", "a $125 application fee and a
# $2,400 program fee" — each clause is read on its own.
CLAUSE = re.compile(
    r";|\bplus\b|,?\s+and(?:,\s+[\w\s]{1,25},)?\s+(?=(?:an?\s+|the\s+)?(?:[\w$,.-]+\s+){0,2}(?:fees?|tuition)\b)", re.I
)
SURCHARGE = re.compile(r"\b(?:less than|rush|late|expedit\w*|penalty|forfeit\w*|(?<!non-)refund\w*)\b", re.I)
WAIVED = re.compile(
    r"\b(?:application|registration) fee (?:is |will be )?waived\b|\bno (?:application|registration) fee\b", re.I
)
# "There is no cost to participate", "No fee is charged for observerships": the program is free
FREE = re.compile(
    r"\bno (?:cost|charge|fee|tuition)\b[^.;]{0,30}\b(?:to participate|for (?:the |this |our )?"
    r"(?:observership|program|elective|rotation|clerkship|participation)s?\b|(?:is|are|will be) charged)|"
    r"\bno (?:tuition|(?:program|observership|elective|course) fee)\b|\bfree of charge\b|\bat no cost\b",
    re.I,
)
# a fee table flattened to text whose header row names the fees: "Category    Application Fee    Tuition"
CELL_SPLIT = re.compile(r"\s*\|\s*|\s{3,}|\t+")
HEAD_APPLICATION = re.compile(r"^(?:application|registration|processing)(?: fees?)?$", re.I)
HEAD_PROGRAM = re.compile(r"^(?:tuition|(?:program|observership|elective|course|rotation|clerkship) fees?)$", re.I)
INTERNATIONAL_ROW = re.compile(r"\b(?:international|foreign|non-affiliated|non-U\.?S\.?)\b", re.I)
UNITS = [
    (re.compile(r"per (?:day|diem)|/ ?day\b|a day\b|daily", re.I), "per_day"),
    (re.compile(r"per week|/ ?week\b|weekly|a week\b", re.I), "per_week"),
    (re.compile(r"per month|/ ?month\b|monthly|a month\b|each (?:additional )?month|first month", re.I), "per_month"),
    (
        re.compile(
            r"(?:per|each) (?:[\w-]+ )?(?:rotation|elective|course|block|observership|module)|\d-week block|flat rate",
            re.I,
        ),
        "per_rotation",
    ),
    (re.compile(r"one-time|one time", re.I), "one_time"),
]


def usd(text: str) -> float | None:
    """The amount of a `$…` string, or None when it is in another currency."""
    if FOREIGN.search(text):  # callers pass a few characters before the amount too
        return None
    price = Price.fromstring(text, currency_hint="USD")
    return float(price.amount) if price.amount is not None else None


def _around(text: str, amount: re.Match[str]) -> str:
    """The amount with a few characters either side (a currency mark before it: "C$"), never the tail of
    another amount ("$100 / $100 fee" must not read "00 / $100")."""
    before = re.split(r"[\d$]", text[max(0, amount.start() - 5) : amount.start()])[-1]
    return before + text[amount.start() : amount.end() + 12]


def find_fees(sentences: list[Sentence]) -> tuple[Found | None, Found | None, Found | None]:
    """(application fee, program fee, program fee unit)."""
    app = prog = unit = None
    for s in sentences:
        if not s.has("fee", "tuition", "deposit", "$", "cost", "charge", "price") or s.residency:
            continue
        for part in CLAUSE.split(s.text):
            clause = Sentence(part, s.line, s.bullet)
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
        if not ("|" in s.text or "   " in s.text or "\t" in s.text) or not s.has("fee", "tuition"):
            continue
        head = CELL_SPLIT.split(s.text.strip())
        if len(head) < 2 or AMOUNT.search(s.text) or s.residency:
            continue
        kinds = {
            j: "app" if HEAD_APPLICATION.match(c) else "prog"
            for j, c in enumerate(head)
            if HEAD_APPLICATION.match(c) or HEAD_PROGRAM.match(c)
        }
        if not kinds:
            continue
        rows = [r for r in sentences[i + 1 : i + 10] if len(CELL_SPLIT.split(r.text.strip())) == len(head)]
        international = [r for r in rows if INTERNATIONAL_ROW.search(CELL_SPLIT.split(r.text.strip())[0])]
        if not international and len(rows) != 1:
            return None, None, None
        row = (international or rows)[0]
        cells = CELL_SPLIT.split(row.text.strip())
        evidence = f"{s.text} … {row.text}"
        app = prog = unit = None
        for j, kind in kinds.items():
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
                unit = next((Found.of(u, evidence) for pattern, u in UNITS if pattern.search(cells[j])), None)
        return app, prog, unit
    return None, None, None


def _application_fee(s: Sentence) -> Found | None:
    if WAIVED.search(s.text):
        return Found.of(0.0, s)
    m = _application_cue(s.text) or APPLICATION_ROW.search(s.text)
    if not m:
        return None
    amounts = [a for a in AMOUNT.finditer(s.text) if abs(a.start() - m.start()) < 60]
    if not amounts:
        return None
    nearest = _nearest(amounts, m.start())
    value = usd(_around(s.text, nearest))
    return Found.of(value, s) if value is not None else None


def _program_fee(s: Sentence) -> tuple[Found, Found | None] | None:
    """The program's amount; in a sentence that also names the fee to apply ("a $300 processing fee and a $1,000
    per week observership fee"), the amount nearest the program's cue that is not the application fee's."""
    if FREE.search(s.text) and not APPLICATION.search(s.text) and not NOT_PROGRAM.search(s.text):
        return Found.of(0.0, s), None
    m = ADMIN_PER.search(s.text) or PROGRAM.search(s.text)
    if not m or APPLICATION_ROW.search(s.text) or SURCHARGE.search(s.text):
        return None
    amounts = list(AMOUNT.finditer(s.text))
    app = _application_cue(s.text)
    if app:
        cues = [m.start()] + [c.start() for c in PROGRAM.finditer(s.text)]
        taken = _nearest(amounts, app.start()) if amounts else None
        gap = {a.start(): min(abs(a.start() - c) for c in cues) for a in amounts}
        amounts = [a for a in amounts if a is not taken and gap[a.start()] < abs(a.start() - app.start())]
    if not amounts:
        return None
    chosen = min(amounts, key=lambda a: gap[a.start()]) if app else amounts[0]
    cap = re.search(r"up to\s*$", s.text[: amounts[-1].start()]) if len(amounts) > 1 else None
    if cap:
        chosen = amounts[-1]
    context = s.text[max(0, chosen.start() - 40) : chosen.end() + 40]
    lookback = max(0, chosen.start() - 40, app.end() if app and app.end() <= chosen.start() else 0)
    if NOT_PROGRAM.search(s.text[lookback : chosen.start()]):
        return None
    value = usd(_around(s.text, chosen))
    if value is None:
        return None
    after = s.text[chosen.end() : chosen.end() + 40]
    unit = next((u for pattern, u in UNITS if pattern.search(after)), None) or next(
        (u for pattern, u in UNITS if pattern.search(context)), None
    )
    return Found.of(value, s), (Found.of(unit, s) if unit else None)


def _application_cue(text: str) -> re.Match[str] | None:
    """Where the sentence names a fee to apply; an administrative fee per rotation is no such fee."""
    m = APPLICATION.search(text)
    if m and m.group(0).lower().startswith("admin") and ADMIN_PER.search(text):
        return None
    return m


def _nearest(amounts: list[re.Match[str]], at: int) -> re.Match[str]:
    return min(amounts, key=lambda a: abs(a.start() - at))


FINDER = Finder(
    ("application_fee_usd", "program_fee_usd", "program_fee_unit"), ("status",), lambda page: find_fees(page.own)
)

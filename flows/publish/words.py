"""The hub's phrasings as data: a stored value in the words a student reads, and the total cost.

`None` is what a page does not say, so it reads "not stated" (a fee: "unknown"), never a default.
The program cards, the program pages and the changes page all speak through this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contract.events import status_change

NOT_STATED = "not stated"
UNKNOWN_FEE = "unknown"
EVIDENCE = {  # what an opened value says besides its sentence (the cards' script gets the same words)
    "no_sentence": "No sentence was kept for this value.",
    "not_said": "The page does not say.",
    "source": "source page",
}
CHECKED = {  # a program's verification line; "{day}" is a date (checks.js hands the page the first two)
    "ok": "verified on {day}",
    "stale": "not verified since {day}",
    "missing": "not seen since {day}",
    "unchanged": "facts unchanged since {day}",  # a program page's own line: true until its facts change
    "first_seen": "first seen on {day}",  # the same when no version is known
    "also": " · ",  # between a page's verification date and its "facts unchanged since"
    "unknown_day": "an unknown date",
}
ENUMS: dict[str, dict[str, str]] = {
    "audience": {
        "students": "Medical students",
        "graduates": "Graduates (IMGs)",
        "both": "Medical students and graduates",
    },
    "accepts_international": {
        "yes": "Yes",
        "no": "No: US and Canadian applicants only",
        "restricted": "Restricted: partner schools only",
    },
    "program_type": {
        "observership": "Observership",
        "clerkship": "Clerkship",
        "elective": "Elective",
        "sub_internship": "Sub-internship",
        "externship": "Externship",
        "research": "Research",
        "other": "Other",
    },
    "application_method": {"vslo": "VSLO (AAMC)", "portal": "Online portal", "email": "E-mail", "mail": "Mail"},
    "lor_policy": {
        "provided": "Provided",
        "discretionary": "At the supervisor's discretion",
        "not_provided": "Not provided",
    },
    "status": {"open": "Open", "closed": "Closed", "suspended": "Suspended"},
    "hands_on": {"True": "Yes: takes part in patient care", "False": "No: observation only"},
    "ecfmg_certificate_required": {"True": "Required", "False": "Not required"},
}
FEE_UNITS = {
    "per_rotation": "per rotation",
    "per_week": "per week",
    "per_month": "per month",
    "per_day": "per day",
    "one_time": "one-time",
}
LABELS = {
    "program_name": "Name",
    "program_type": "Type",
    "audience": "Who may apply",
    "accepts_international": "International applicants",
    "hands_on": "Hands-on",
    "specialties": "Specialties",
    "duration_weeks_min": "Shortest stay",
    "duration_weeks_max": "Longest stay",
    "application_fee_usd": "Application fee",
    "program_fee_usd": "Program fee",
    "program_fee_unit": "Program fee unit",
    "usmle_steps_required": "USMLE",
    "ecfmg_certificate_required": "ECFMG certificate",
    "max_years_since_graduation": "Years since graduation, at most",
    "english_requirement": "English",
    "visa": "Visa",
    "application_method": "How to apply",
    "application_url": "Application page",
    "contact_email": "Contact",
    "deadline_text": "Deadline",
    "next_deadline": "Next deadline",
    "lor_policy": "Letter of recommendation",
    "status": "Status",
}
_WEEKS_PER_UNIT = {"per_week": 1.0, "per_month": 0.25, "per_day": 7.0}  # 1 month = 4 weeks, days = weeks × 7


def money(amount: float) -> str:
    """Dollars with thousands separators, cents only when there are any: $1,500, $300.50."""
    return f"${amount:,.2f}".removesuffix(".00")


def number(value: float) -> str:
    return f"{value:g}"


def program_fee_cost(program: dict[str, Any]) -> float | None:
    """The program fee for one stay of the shortest stated length; None when it cannot be known."""
    fee = program.get("program_fee_usd")
    if fee is None:
        return None
    per_week = _WEEKS_PER_UNIT.get(program.get("program_fee_unit") or "")
    if per_week is None:
        return float(fee)
    weeks = program.get("duration_weeks_min") or program.get("duration_weeks_max")
    return None if weeks is None else float(fee) * per_week * float(weeks)


def total_fee(program: dict[str, Any]) -> float | None:
    """Application fee + program fee for one stay, known only when the page states both (a stated $0
    counts; an unstated fee is unknown, never $0)."""
    application, fee = program.get("application_fee_usd"), program_fee_cost(program)
    return None if application is None or fee is None else round(float(application) + fee, 2)


def least_fee(program: dict[str, Any]) -> float | None:
    """What the stated fees add up to when one is unknown: the cost is at least this; None if none stated."""
    known = [v for v in (program.get("application_fee_usd"), program_fee_cost(program)) if v is not None]
    return round(sum(float(v) for v in known), 2) if known else None


def value(field: str, raw: Any) -> str:
    """One stored value in words."""
    if raw is None or raw == "unknown":
        return NOT_STATED
    if field in ENUMS:
        return ENUMS[field].get(str(raw), str(raw))
    if field in ("application_fee_usd", "program_fee_usd"):
        return money(float(raw))
    if field == "program_fee_unit":
        return FEE_UNITS.get(str(raw), str(raw))
    if field.startswith("duration_weeks"):
        return f"{number(float(raw))} weeks"
    if field == "usmle_steps_required":
        return ", ".join(raw) + " required" if raw else "No USMLE step required"
    if isinstance(raw, list | tuple):
        return ", ".join(str(v) for v in raw) if raw else "none"
    return str(raw)


def program_fee(program: dict[str, Any]) -> str:
    """'$1,200 per rotation'."""
    fee = program.get("program_fee_usd")
    if fee is None:
        return NOT_STATED
    unit = FEE_UNITS.get(program.get("program_fee_unit") or "", "program fee")
    return f"{money(float(fee))} {unit}"


def total_cost(program: dict[str, Any]) -> str:
    """'$1,300 total: $100 to apply + $1,200 per rotation', or what is known with the rest unknown."""
    application = program.get("application_fee_usd")
    parts = [
        f"{money(float(application))} to apply" if application is not None else f"application fee {UNKNOWN_FEE}",
        program_fee(program) if program.get("program_fee_usd") is not None else f"program fee {UNKNOWN_FEE}",
    ]
    total, least = total_fee(program), least_fee(program)
    if total is not None:
        return f"{money(total)} total: {' + '.join(parts)}"
    if least is not None:
        return f"at least {money(least)}: {' + '.join(parts)}"
    return f"{UNKNOWN_FEE}: no fee stated"


def duration(program: dict[str, Any]) -> str:
    lo, hi = program.get("duration_weeks_min"), program.get("duration_weeks_max")
    if lo is None:
        return NOT_STATED if hi is None else f"up to {number(hi)} weeks"
    if hi is None or hi == lo:
        return f"{number(lo)} weeks"
    return f"{number(lo)} to {number(hi)} weeks"


def deadline(program: dict[str, Any]) -> str:
    text, next_date = program.get("deadline_text"), program.get("next_deadline")
    if next_date and text:
        return f"{text} (next: {next_date})"
    return str(text or next_date or NOT_STATED)


EVENTS = {
    "new": "Opened (first seen)",
    "closed": "Closed",
    "suspended": "Suspended",
    "reopened": "Reopened",
    "changed": "Changed",
}
PRESENCE = {"present": "listed", "missing": "not seen on its page", "closed": "no longer listed"}


def event_kind(event: Mapping[str, Any]) -> str:
    """What the event is to a reader: a `changed` event whose status went to closed or suspended is
    shown as that (the event vocabulary itself stays contract.events')."""
    change = status_change(event)
    if change is not None and change[1] in EVENTS:
        return str(change[1])
    return str(event["event_type"])

"""Field-by-field comparison of extracted records with hand labels, as the project's scorer does it.

A fact is a non-null value ("unknown" is null). TP: both state matching values; FP: a value the
label does not have, or a wrong one; FN: a labelled value missed or wrong. Alternatives in the
label accept other readings; deadline_text is scored for presence only (labels paraphrase).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

PAGES_DIR = Path(__file__).parent / "real_pages"
HELDOUT_DIR = Path(__file__).parent / "heldout_pages"
FRESH_DIRS = tuple(
    Path(__file__).parent / name
    for name in (
        "fresh_pages",
        "fresh_pages_2",
        "fresh_pages_3",
        "fresh_pages_4",
        "fresh_pages_5",
        "fresh_pages_6",
        "fresh_pages_7",
    )
)
ENUMS = ("program_type", "audience", "hands_on", "application_method", "lor_policy", "status",
         "accepts_international", "ecfmg_certificate_required")  # fmt: skip
NUMBERS = ("duration_weeks_min", "duration_weeks_max", "application_fee_usd", "program_fee_usd",
           "max_years_since_graduation")  # fmt: skip
FIELDS = (*ENUMS, *NUMBERS, "usmle_steps_required", "specialties", "english_requirement", "visa", "deadline_text",
          "contact_email")  # fmt: skip
ACCEPTS = {True: "yes", False: "no", "observer only": "restricted"}
WORD = re.compile(r"[a-z0-9]+")
VISA = re.compile(r"\b(b[\s-]?1|b[\s-]?2|f[\s-]?[12]|j[\s-]?[12]|esta|waiver|tourist|visitor)\b")


def load_pages(folder: Path = PAGES_DIR) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def is_null(field: str, value: Any) -> bool:
    if field == "usmle_steps_required":
        return value is None
    if field == "specialties":
        return not value
    return value is None or value == "" or (isinstance(value, str) and value.lower() in ("unknown", "null"))


def _enum(field: str, value: Any) -> Any:
    if field == "accepts_international":
        value = ACCEPTS.get(value, value)
    if isinstance(value, str):
        value = value.strip().lower().replace("-", "_").replace(" ", "_")
        value = {"clerkship": "elective", "vsas": "vslo"}.get(value, value)
    return value


def _step(step: str) -> str:
    s = re.sub(r"[^a-z0-9]", "", step.lower()).replace("usmle", "").replace("step", "")
    return {"2": "2ck"}.get(s, s)


def _tokens(s: str) -> set[str]:
    words = set(WORD.findall(s.lower()))
    return words - {"and", "of", "the", "medicine", "surgery"} or words


def _spec_match(e: str, got: list[str]) -> bool:
    for g in got:
        if e.lower() in g.lower() or g.lower() in e.lower():
            return True
        te, tg = _tokens(e), _tokens(g)
        if te and tg and len(te & tg) / len(te | tg) >= 0.5:
            return True
    return False


def _visa(s: str) -> set[str]:
    out = set()
    for m in VISA.findall(s.lower()):
        t = re.sub(r"[\s-]", "", m)
        out.add({"tourist": "b2", "visitor": "b2", "esta": "waiver"}.get(t, t))
    return out


def matches(field: str, expected: Any, got: Any) -> bool:
    """Does `got` state the labelled value `expected` (both non-null)?"""
    if field in ENUMS:
        return _enum(field, expected) == _enum(field, got)
    if field in NUMBERS:
        return abs(float(expected) - float(got)) <= max(0.15, 0.05 * abs(float(expected)))
    if field == "usmle_steps_required":
        return {_step(x) for x in expected} == {_step(x) for x in got}
    if field == "specialties":
        return sum(_spec_match(x, got) for x in expected) / len(expected) >= 0.5
    if field == "english_requirement":
        e, g = str(expected).lower(), str(got).lower()
        tests = [t for t in ("toefl", "ielts", "oet", "duolingo", "cefr", "cae", "cpe") if t in e]
        scores = [n for n in re.findall(r"\d+(?:\.\d+)?", e) if float(n) >= 5]
        return (not tests or any(t in g for t in tests)) and (not scores or scores[0] in g)
    if field == "visa":
        return bool(_visa(str(expected)) & _visa(str(got))) or (
            not _visa(str(expected)) and _spec_match(expected, [got])
        )
    if field == "deadline_text":
        return True
    if field == "contact_email":
        return str(expected).lower() in str(got).lower()
    raise KeyError(field)


def outcome(page: dict[str, Any], field: str, record: dict[str, Any] | None) -> str:
    """tp / tn / fp / fn / wrong for one field of one page."""
    e = page["expected"].get(field)
    g = record.get(field) if record else None
    alts = page.get("alternatives", {}).get(field, [])
    en, gn = is_null(field, e), is_null(field, g)
    if en and gn:
        return "tn"
    if en:
        return "tp" if any(not is_null(field, a) and matches(field, a, g) for a in alts) else "fp"
    if gn:
        return "tn" if any(is_null(field, a) for a in alts) else "fn"
    return "tp" if any(not is_null(field, c) and matches(field, c, g) for c in [e, *alts]) else "wrong"


def best_record(page: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, str]:
    """Outcomes for the record (of the first five) that agrees best with the label."""
    best: dict[str, str] | None = None
    best_n = -(10**6)
    for rec in records[:5] or [None]:
        got = {f: outcome(page, f, rec) for f in FIELDS}
        n = sum(v == "tp" for v in got.values()) - sum(v in ("fp", "wrong") for v in got.values())
        if n > best_n:
            best, best_n = got, n
    assert best is not None
    return best

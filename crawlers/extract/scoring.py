"""Scoring extraction against hand-labelled pages, by the rules of the reference scorer.

A labelled page is a JSON file: `id`, `text` (the page as stored, HTML already stripped), `expected`
(field → the value a careful reader takes from that text alone) and optionally `alternatives`
(field → other values that are also right). A fact is a non-null value ("unknown" is null). Per field:

  tp     both sides state a value and the values match (or the label is silent and an alternative accepts it)
  fp     the extractor states a value the label does not have
  fn     the label has a value the extractor missed
  wrong  both state a value and they differ (counted as an fp and an fn in the headline)
  tn     both are silent (or the extractor is silent and an alternative is null)

Of a page's first five records the one that agrees best (tp minus fp and wrong) is scored; a record
with more wrong than right counts as no record. Status accuracy compares the first record's status.
The headline is micro-averaged precision, recall and F1 over all fields.

These rules are the same, line for line in effect, as `../shared/tools/score_real_pages.py`; `clerkships
score` and the data-driven tests in `tests/extract/` both use this module, so their figures agree.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Page = dict[str, Any]
Record = dict[str, Any]

ENUMS = ("program_type", "audience", "hands_on", "application_method", "lor_policy", "status",
         "accepts_international", "ecfmg_certificate_required")  # fmt: skip
NUMBERS = ("duration_weeks_min", "duration_weeks_max", "application_fee_usd", "program_fee_usd",
           "max_years_since_graduation")  # fmt: skip
FIELDS = (*ENUMS, *NUMBERS, "usmle_steps_required", "specialties", "english_requirement", "visa", "deadline_text",
          "contact_email")  # fmt: skip
OUTCOMES = ("tp", "tn", "fp", "fn", "wrong")
MISSES = ("fp", "fn", "wrong")
NOT_OPEN = ("closed", "suspended")
BEST_OF = 5
"""Only the first records of a page compete for best match."""

SOFT_TYPES = {"clerkship": "elective"}  # pages use the two words for the same hands-on rotation
ACCEPTS: dict[Any, str] = {True: "yes", False: "no", "true": "yes", "false": "no", "observer only": "restricted"}
NULL_WORDS = frozenset({"unknown", "not_stated", "null"})
WORD = re.compile(r"[a-z0-9]+")
SPECIALTY_STOP_WORDS = frozenset({"and", "of", "the", "medicine", "surgery"})
TESTS = ("toefl", "ielts", "oet", "duolingo", "cefr", "cae", "cpe")
VISA = re.compile(
    r"\b(b[\s-]?1|b[\s-]?2|f[\s-]?[12]|j[\s-]?[12]|h[\s-]?[14]b?|l[\s-]?2|o[\s-]?3|esta|wt|waiver|tourist|visitor)\b"
)
VISA_SYNONYMS = {"tourist": "b2", "visitor": "b2", "wt": "waiver", "esta": "waiver"}
STEPS = {"2": "2ck", "2ck": "2ck", "2cs": "2cs", "1": "1", "3": "3"}


class PagesError(Exception):
    """A labelled-pages folder or file that cannot be scored; the message is one line naming it."""


# ---------------------------------------------------------------------------------------------- loading


def load_pages(folder: Path) -> list[Page]:
    """Every `*.json` page in `folder`, sorted by file name; PagesError for a missing or empty folder or a bad file."""
    if not folder.is_dir():
        raise PagesError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}")
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise PagesError(f"{folder}: no labelled pages (*.json) in it")
    pages: list[Page] = []
    seen: dict[str, Path] = {}
    for path in paths:
        page = load_page(path)
        if page["id"] in seen:
            raise PagesError(f"{path}: id {page['id']!r} is also the id of {seen[page['id']].name}")
        seen[page["id"]] = path
        pages.append(page)
    return pages


def load_page(path: Path) -> Page:
    """One labelled page, checked for the keys scoring reads."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PagesError(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise PagesError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise PagesError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise PagesError(f"{path}: a labelled page is a JSON object, not {type(data).__name__}")
    problems = []
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        problems.append("'id' must be a non-empty string")
    if not isinstance(data.get("text"), str):
        problems.append("'text' must be a string")
    expected = data.get("expected")
    if not isinstance(expected, dict):
        problems.append("'expected' must be an object")
    elif "status" not in expected:
        problems.append("'expected' has no 'status'")
    alternatives = data.get("alternatives", {})
    if not isinstance(alternatives, dict):
        problems.append("'alternatives' must be an object")
    else:
        problems += [f"alternatives.{k} must be a list" for k, v in alternatives.items() if not isinstance(v, list)]
    if problems:
        raise PagesError(f"{path}: {'; '.join(problems)}")
    return data


# ---------------------------------------------------------------------------------------------- matching


def is_null(value: Any) -> bool:
    """None, empty, or a word that states nothing ("unknown")."""
    return value is None or value == "" or (isinstance(value, str) and value.strip().lower() in NULL_WORDS)


def norm_enum(name: str, value: Any) -> object:
    """An enum value as compared: lower case, underscores; clerkship = elective, VSAS = VSLO."""
    if name == "accepts_international":
        value = ACCEPTS.get(value, value)
    if isinstance(value, str):
        value = value.strip().lower().replace("-", "_").replace(" ", "_")
        if name == "program_type":
            value = SOFT_TYPES.get(value, value)
        if name == "application_method" and value == "vsas":
            value = "vslo"
    return value


def to_float(value: Any) -> float | None:
    """A number, or a string like "$1,200"; None otherwise (a bool is no number)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").replace("$", ""))
        except ValueError:
            return None
    return None


def norm_step(step: Any) -> str:
    """A step as compared: 'USMLE Step 2' → '2ck', 'Step 1' → '1'."""
    s = re.sub(r"[^a-z0-9]", "", str(step).lower()).replace("usmle", "").replace("step", "")
    return STEPS.get(s, s)


def tokens(text: Any) -> set[str]:
    """The words of a specialty name, without filler words unless nothing else is left."""
    words = set(WORD.findall(str(text).lower()))
    return words - SPECIALTY_STOP_WORDS or words


def spec_match(expected: Any, got: Iterable[Any]) -> bool:
    """Does one of `got` name the specialty `expected` (containment, or half the words shared)?"""
    te = tokens(expected)
    for g in got:
        tg = tokens(g)
        if str(expected).lower() in str(g).lower() or str(g).lower() in str(expected).lower():
            return True
        if te and tg and len(te & tg) / len(te | tg) >= 0.5:
            return True
    return False


def visa_tokens(text: Any) -> set[str]:
    """Visa classes named in a text: b1, b2, f1, j1, h1b, waiver, ..."""
    found = set()
    for m in VISA.findall(str(text).lower()):
        t = re.sub(r"[\s-]", "", m)
        found.add(VISA_SYNONYMS.get(t, t))
    return found


def _english_match(candidate: Any, got: Any) -> bool:
    ce, cg = str(candidate).lower(), str(got).lower()
    wanted = [t for t in TESTS if t in ce]
    if wanted and not any(t in cg for t in wanted):
        return False
    scores = [n for n in re.findall(r"\d+(?:\.\d+)?", ce) if float(n) >= 5]
    if scores and scores[0] not in cg:
        return False
    return not ("not required" in ce and "not" not in cg)


def _matches_one(name: str, candidate: Any, got: Any) -> bool:
    """Does the extracted `got` state the labelled (non-null) `candidate`?"""
    if name in ENUMS:
        return norm_enum(name, candidate) == norm_enum(name, got)
    if name in NUMBERS:
        a, b = to_float(candidate), to_float(got)
        return a is not None and b is not None and abs(a - b) <= max(0.15, 0.05 * abs(a))
    if name == "usmle_steps_required":
        return isinstance(got, list) and {norm_step(x) for x in candidate} == {norm_step(x) for x in got}
    if name == "specialties":
        if not (isinstance(got, list) and got):
            return False
        hits = sum(spec_match(x, got) for x in candidate)
        return hits / len(candidate) >= 0.5
    if name == "english_requirement":
        return _english_match(candidate, got)
    if name == "visa":
        vc = visa_tokens(candidate)
        return bool(vc & visa_tokens(got)) or (not vc and spec_match(candidate, [got]))
    if name == "deadline_text":
        return True  # presence: labels paraphrase, so only "states a deadline or lead time" is scored
    if name == "contact_email":
        return str(candidate).lower() in str(got).lower()
    raise KeyError(name)


def match(name: str, expected: Any, got: Any, alternatives: Sequence[Any] = ()) -> bool:
    """Does `got` match the labelled value or one of its alternatives (null candidates skipped)?"""
    return any(not is_null(c) and _matches_one(name, c, got) for c in [expected, *alternatives])


# ---------------------------------------------------------------------------------------------- outcomes


def _silent(name: str, value: Any, *, extracted: bool) -> bool:
    if name == "usmle_steps_required":
        return value is None  # [] states "no step required"
    if name == "specialties":
        return value is None or (extracted and value == [])
    return is_null(value)


def score_record(page: Page, record: Record | None) -> dict[str, str]:
    """Field → tp / tn / fp / fn / wrong for one record (None: the page gave no record)."""
    out = {}
    for name in FIELDS:
        e = page["expected"].get(name)
        g = record.get(name) if record else None
        alts = page.get("alternatives", {}).get(name, [])
        en, gn = _silent(name, e, extracted=False), _silent(name, g, extracted=True)
        if en and gn:
            out[name] = "tn"
        elif en:  # the label is silent: a value counts only where an alternative accepts it
            out[name] = "tp" if match(name, e, g, alts) else "fp"
        elif gn:
            out[name] = "tn" if any(is_null(a) for a in alts) else "fn"
        else:
            out[name] = "tp" if match(name, e, g, alts) else "wrong"
    return out


def agreement(outcomes: Mapping[str, str]) -> int:
    """Right facts minus stated wrong ones."""
    return sum(v == "tp" for v in outcomes.values()) - sum(v in ("fp", "wrong") for v in outcomes.values())


def best_record(page: Page, records: Sequence[Record]) -> tuple[int | None, dict[str, str]]:
    """The index of the scored record (None: no record scored) and its outcomes.

    Of the first five, the first record with the highest agreement wins, provided it is at least 0;
    when none is, the page is scored as if it gave no record.
    """
    best, best_i, best_n = None, None, -1
    for i, rec in enumerate(records[:BEST_OF]):
        outcomes = score_record(page, rec)
        n = agreement(outcomes)
        if n > best_n:
            best, best_i, best_n = outcomes, i, n
    if best is None:
        return None, score_record(page, None)
    return best_i, best


def first_status(records: Sequence[Record]) -> object:
    """The first record's status as compared ("unknown" when there is none)."""
    got = records[0].get("status") if records else None
    return norm_enum("status", got or "unknown")


def status_right(page: Page, records: Sequence[Record]) -> bool:
    """Does the first record's status equal the label's?"""
    return norm_enum("status", page["expected"]["status"]) == first_status(records)


# ---------------------------------------------------------------------------------------------- extraction


def extract_records(page: Page) -> list[Record]:
    """The page's records as `clerkships extract --json` prints them; [] for text the extractor cannot read."""
    from crawlers.extract.errors import ExtractError
    from crawlers.extract.program import extract_document

    try:
        programs = extract_document(page["text"].encode())
    except ExtractError:
        return []  # `clerkships extract` prints an error line for it, which the reference reads as no programs
    return [p.model_dump(mode="json") for p in programs]


# ---------------------------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Miss:
    """One field of one page the extractor gets wrong; `got` is the first record's value."""

    page_id: str
    field: str
    outcome: str
    expected: Any
    got: Any

    def line(self) -> str:
        """The miss as the reference scorer prints it."""
        return "  %s %-28s %-5s expected=%r got(first record)=%r" % (  # noqa: UP031 - the reference's layout
            self.page_id,
            self.field,
            self.outcome,
            self.expected,
            self.got,
        )


@dataclass
class Summary:
    """Counts over a set of pages, and the figures derived from them."""

    pages: int = 0
    without_result: int = 0
    records: int = 0
    status_ok: int = 0
    not_open: int = 0
    not_open_found: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {f: Counter() for f in FIELDS})
    misses: list[Miss] = field(default_factory=list)

    def add(self, page: Page, records: Sequence[Record] | None) -> None:
        """Count one page; `records` None means the extractor gave no result for it."""
        self.pages += 1
        if records is None:
            self.without_result += 1
            records = []
        self.records += len(records)
        _, outcomes = best_record(page, records)
        for name, v in outcomes.items():
            self.counts[name][v] += 1
            if v in MISSES:
                got = records[0].get(name) if records else None
                self.misses.append(Miss(page["id"], name, v, page["expected"].get(name), got))
        self.status_ok += status_right(page, records)
        if page["expected"]["status"] in NOT_OPEN:
            self.not_open += 1
            self.not_open_found += first_status(records) in NOT_OPEN

    def field_rows(self) -> list[tuple[str, int, int, int, int, float, float]]:
        """Per field: name, tp, fp, fn, wrong, precision, recall (1.0 where nothing was stated)."""
        rows = []
        for name in FIELDS:
            c = self.counts[name]
            tp, fp, fn, wr = c["tp"], c["fp"], c["fn"], c["wrong"]
            prec = tp / (tp + fp + wr) if tp + fp + wr else 1.0
            rec = tp / (tp + fn + wr) if tp + fn + wr else 1.0
            rows.append((name, tp, fp, fn, wr, prec, rec))
        return rows

    @property
    def tp(self) -> int:
        return sum(c["tp"] for c in self.counts.values())

    @property
    def fp(self) -> int:
        """Stated facts that are not right: fp plus wrong."""
        return sum(c["fp"] + c["wrong"] for c in self.counts.values())

    @property
    def fn(self) -> int:
        """Labelled facts not found: fn plus wrong."""
        return sum(c["fn"] + c["wrong"] for c in self.counts.values())

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def status_accuracy(self) -> float:
        return self.status_ok / self.pages if self.pages else 0.0

    @property
    def not_open_recall(self) -> float | None:
        """Share of closed or suspended pages whose first record says so (None: the set has none)."""
        return self.not_open_found / self.not_open if self.not_open else None

    def as_json(self, *, show_misses: bool = False) -> dict[str, Any]:
        """The reference scorer's JSON summary (plus the closure counts, and the misses when asked)."""
        out: dict[str, Any] = {
            "pages": self.pages,
            "pages_without_result": self.without_result,
            "records_per_page": self.records / self.pages if self.pages else 0.0,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "status_accuracy": round(self.status_accuracy, 3),
            "not_open_recall": None if self.not_open_recall is None else round(self.not_open_recall, 3),
            "not_open_found": self.not_open_found,
            "not_open": self.not_open,
            "fields": {r[0]: {"tp": r[1], "fp": r[2], "fn": r[3], "wrong": r[4]} for r in self.field_rows()},
        }
        if show_misses:
            out["misses"] = [
                {"page": m.page_id, "field": m.field, "outcome": m.outcome, "expected": m.expected, "got": m.got}
                for m in self.misses
            ]
        return out

    def report(self, *, show_misses: bool = False) -> str:
        """The reference scorer's text report: the field table, the misses when asked, the headline."""
        lines = [f"{'field':30} {'tp':>4} {'fp':>4} {'fn':>4} {'wrong':>5} {'prec':>6} {'recall':>6}"]
        for name, tp, fp, fn, wr, prec, rec in self.field_rows():
            lines.append(f"{name:30} {tp:4} {fp:4} {fn:4} {wr:5} {prec:6.2f} {rec:6.2f}")
        if show_misses:
            lines += ["", *(m.line() for m in self.misses)]
        per_page = self.records / self.pages if self.pages else 0.0
        lines += [
            "",
            f"pages {self.pages}, without result {self.without_result}, records/page {per_page:.2f}, "
            f"status accuracy {self.status_accuracy:.2f}, closed/suspended found {self.not_open_found}/{self.not_open}",
            f"fact precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f}",
        ]
        return "\n".join(lines)


def summarize(pages: Iterable[Page], results: Mapping[str, Sequence[Record] | None]) -> Summary:
    """Score pages against extraction results keyed by page id (a missing id: no result)."""
    summary = Summary()
    for page in pages:
        summary.add(page, results.get(page["id"]))
    return summary

"""One block's sentences → every contract field, each a value with its evidence sentence.

Order matters only where one family reads another: the program type decides how the audience and
the hands-on rules read, and a denial-only page (a residency page saying it has no observerships)
decides accepts_international and status.
"""

from __future__ import annotations

import re
from dataclasses import replace

from crawlers.extract.fields import (
    accepts_international,
    audience,
    deadline,
    duration,
    exams,
    fees,
    hands_on,
    method,
    status,
    visa,
)
from crawlers.extract.fields import (
    lor_policy as lor,
)
from crawlers.extract.fields import (
    program_type as kind,
)
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.program_type import TYPES
from crawlers.extract.fields.specialties import find_host, find_specialties
from crawlers.extract.sections import with_sections
from crawlers.extract.text import RESIDENCY, TRAINING_HEADING, Sentence

NAV_LINE = re.compile(r"^\s*home\b", re.I)
RESIDENCY_WORD = re.compile(r"\bresidency\b|\bfellowship\b", re.I)


def is_residency_page(sentences: list[Sentence]) -> bool:
    """The page is mainly about residency training: its requirements are residency's, not a program's."""
    if sum(s.residency for s in sentences) < 2:
        return False
    residency = sum(len(RESIDENCY_WORD.findall(s.text)) for s in sentences)
    stated = [s for s in sentences if not s.text.rstrip().endswith("?") and not kind.denied_types(s)]
    programs = sum(len(p.findall(s.text)) for s in stated for p in TYPES.values())
    return residency > programs


def find_facts(
    sentences: list[Sentence], lines: list[str], title: str | None, heading_lines: set[int]
) -> dict[str, Found]:
    out: dict[str, Found | None] = {}
    sentences = with_sections(mark_training_sections(sentences, lines, heading_lines), lines, heading_lines)
    kind_found, only_denied = kind.find_kind(sentences, title, heading_lines)
    program_kind = kind_found.value if kind_found else None
    denial = kind_found if only_denied else None
    own = _own_sentences(sentences)
    out["program_type"] = kind_found
    out["audience"] = audience.find_audience(sentences, program_kind, only_denied)
    found_status = status.find_status(sentences, denial, program_kind)
    out["status"] = found_status if sentences else None
    out["accepts_international"] = accepts_international.find_accepts(sentences, program_kind, found_status)
    out["hands_on"] = hands_on.find_hands_on(own, program_kind, found_status.value)
    out["specialties"] = find_specialties(own, [s.text for s in own], _program_title(title)) or find_host(own)
    out["duration_weeks_min"], out["duration_weeks_max"] = duration.find_duration(own)
    out["application_fee_usd"], out["program_fee_usd"], out["program_fee_unit"] = fees.find_fees(own)
    out["usmle_steps_required"] = exams.find_usmle(own)
    out["ecfmg_certificate_required"] = exams.find_ecfmg(own)
    out["max_years_since_graduation"] = exams.find_max_years(own)
    out["english_requirement"] = exams.find_english(own)
    out["visa"] = visa.find_visa(own)
    out["application_method"] = method.find_method(own)
    out["application_url"] = method.find_application_url(own)
    out["contact_email"] = method.find_email(sentences)
    out["deadline_text"], out["next_deadline"] = deadline.find_deadline(own, lines)
    out["lor_policy"] = lor.find_lor(own)
    return {name: found for name, found in out.items() if found is not None}


def mark_training_sections(sentences: list[Sentence], lines: list[str], heading_lines: set[int]) -> list[Sentence]:
    """Sentences under a residency / fellowship heading, or in a list a residency sentence introduces
    ("residency programs accept IMGs who meet the following requirements:"), speak for that training."""
    inside, listed, training = False, False, set()
    for i, line in enumerate(lines):
        if i in heading_lines:
            nav = NAV_LINE.match(line)  # "Home Education Residency Visiting Students" is site navigation
            inside = bool(TRAINING_HEADING.search(line)) and not nav and not any(p.search(line) for p in TYPES.values())
            listed = False
        elif not line:
            listed = False
        if inside or listed:
            training.add(i)
        if line.endswith(":") and TRAINING_HEADING.search(line) and not any(p.search(line) for p in TYPES.values()):
            listed = True
    if not training:
        return sentences
    return [
        replace(s, in_training_section=True) if s.line in training and not _names_program(s) else s for s in sentences
    ]


def _names_program(sentence: Sentence) -> bool:
    """A sentence under a residency heading that names the visiting program, not residency, speaks for it."""
    return not sentence.names_residency and any(p.search(sentence.text) for p in TYPES.values())


def _own_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """On a residency page only sentences that name a visiting program speak for that program."""
    if not is_residency_page(sentences):
        return sentences
    return [s for s in sentences if any(p.search(s.text) for p in TYPES.values())]


def _program_title(title: str | None) -> str | None:
    """A title counts for specialties only when it names a program, not a residency."""
    if title and any(p.search(title) for p in TYPES.values()) and not RESIDENCY.search(title):
        return title
    return None

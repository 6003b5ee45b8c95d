"""lor_policy: does the program give a letter of recommendation?

"provide … recommendation letters" → provided; "ask your supervisor for a letter" / at the
preceptor's discretion → discretionary; "cannot provide letters of recommendation", "no …
written evaluations or certificates will be issued" → not_provided. A certificate of attendance or
letter of completion is not a letter of recommendation, nor is a letter required to apply.
"""

from __future__ import annotations

import re

from crawlers.extract.fields.common import Found
from crawlers.extract.text import Sentence

LETTER = (
    r"(?:letters? of (?:recommendation|reference|evaluation)|(?:recommendation|reference) letters?|"
    r"\bLORs?\b|\bSLOEs?\b)"
)
# An FAQ answer under "Will I get a letter of recommendation?" says just "Letters are …"
ANSWER_LETTER = rf"(?:{LETTER}|\bletters?\b)"


def _patterns(letter: str) -> tuple[re.Pattern[str], ...]:
    """(not_provided, on_request, provided, discretionary) for one way of naming the letter."""
    not_provided = re.compile(
        rf"{letter}[^.]{{0,30}}\b(?:are|is|will) not (?:be )?(?:provided|written|given|issued|available)\b|"
        rf"\b(?:cannot|can't|will not|won't|do not|does not|unable to|"
        rf"not able to)\b[^.]{{0,40}}\b(?:provide|write|give|issue|receive)\w*\b[^.;]{{0,60}}{letter}|"
        rf"\bno\b[^.]{{0,20}}\b(?:written )?evaluations?\b[^.]{{0,40}}\bwill be issued\b|"
        rf"{letter}\s*[:–-]\s*(?:not provided|none|no)\b",  # a bullet label: "LOR: not provided"
        re.I,
    )
    on_request = re.compile(
        rf"{letter}[^.]{{0,20}}\b(?:will be|is|are) (?:provided|written|issued|given)\b[^.]{{0,40}}"
        rf"\b(?:(?:up)?on request|(?:if|when) requested|who (?:request|ask for))",
        re.I,
    )
    provided = re.compile(
        rf"\b(?:provide|write|give|issue|receive)\w*\b[^.]{{0,50}}{letter}|"
        rf"{letter}[^.]{{0,20}}\b(?:will be|is|are) (?:provided|written|issued|given)\b|"
        rf"{letter}\s*[:–-]\s*(?:provided|yes)\b",
        re.I,
    )
    discretionary = re.compile(
        rf"{letter}[^.]{{0,60}}\b(?:ask|discretion|request)\w*|\b(?:discretion|"
        rf"ask your (?:supervisor|preceptor))\b[^.]{{0,60}}{letter}|"
        rf"\bat the (?:preceptor|supervisor|faculty)'?s? discretion\b|"
        rf"\b(?:whether|if) a letter\b[^.]{{0,60}}\bdiscretion\b",
        re.I,
    )
    return not_provided, on_request, provided, discretionary


PATTERNS = _patterns(LETTER)
ANSWER_PATTERNS = _patterns(ANSWER_LETTER)
LETTER_QUESTION = re.compile(LETTER, re.I)
TO_APPLY = re.compile(
    r"\b(?:submit|required to|must (?:provide|include|submit)|"
    r"applications? must include|when submitting|in support of (?:my|your) application)\b",
    re.I,
)


def find_lor(sentences: list[Sentence]) -> Found | None:
    asked = False  # the previous sentence asked about letters: this one may answer with a bare "Letters"
    for s in sentences:
        answer, asked = asked, False
        if not (answer or s.has("letter", "lor", "evaluation", "discretion", "recommendation")):
            continue
        if s.residency:
            continue
        if s.text.rstrip().endswith("?"):  # a question ("Will I receive a letter?") states nothing
            asked = bool(LETTER_QUESTION.search(s.text))
            continue
        found = _policy(s, ANSWER_PATTERNS if answer else PATTERNS)
        if found:
            return found
    return None


def _policy(s: Sentence, patterns: tuple[re.Pattern[str], ...]) -> Found | None:
    not_provided, on_request, provided, discretionary = patterns
    if not_provided.search(s.text):
        return Found.of("not_provided", s)
    if discretionary.search(s.text) and not TO_APPLY.search(s.text) and not on_request.search(s.text):
        return Found.of("discretionary", s)
    if (
        provided.search(s.text)
        and not TO_APPLY.search(s.text)
        and not re.search(r"\b(?:submit|from (?:their|your) (?:current|home))\b", s.text, re.I)
    ):
        return Found.of("provided", s)
    return None

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

LETTER = r"(?:letters? of (?:recommendation|reference)|recommendation letters?|reference letters?|\bLORs?\b)"
NOT_PROVIDED = re.compile(
    rf"{LETTER}[^.]{{0,30}}\b(?:are|is|will) not (?:be )?(?:provided|written|given|issued|available)\b|"
    rf"\b(?:cannot|can't|will not|won't|do not|does not|unable to|"
    rf"not able to)\b[^.]{{0,40}}\b(?:provide|write|give|issue|receive)\w*\b[^.;]{{0,60}}{LETTER}|"
    rf"\bno\b[^.]{{0,20}}\b(?:written )?evaluations?\b[^.]{{0,40}}\bwill be issued\b",
    re.I,
)
ON_REQUEST = re.compile(
    rf"{LETTER}[^.]{{0,20}}\b(?:will be|is|are) (?:provided|written|issued|given) (?:up)?on request", re.I
)
PROVIDED = re.compile(
    rf"\b(?:provide|write|give|issue|receive)\w*\b[^.]{{0,40}}{LETTER}|"
    rf"{LETTER}[^.]{{0,20}}\b(?:will be|is|are) (?:provided|written|issued|given)\b",
    re.I,
)
DISCRETIONARY = re.compile(
    rf"{LETTER}[^.]{{0,60}}\b(?:ask|discretion|request)\w*|\b(?:discretion|"
    rf"ask your (?:supervisor|preceptor))\b[^.]{{0,60}}{LETTER}|"
    rf"\bat the (?:preceptor|supervisor|faculty)'?s? discretion\b|"
    rf"\b(?:whether|if) a letter\b[^.]{{0,60}}\bdiscretion\b",
    re.I,
)
TO_APPLY = re.compile(
    r"\b(?:submit|required to|must (?:provide|include|submit)|"
    r"applications? must include|when submitting|in support of (?:my|your) application)\b",
    re.I,
)


def find_lor(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        if not s.has("letter", "lor", "evaluation", "discretion", "recommendation"):
            continue
        if s.residency or s.text.rstrip().endswith("?"):  # a question ("Will I receive a letter?") states nothing
            continue
        if NOT_PROVIDED.search(s.text):
            return Found.of("not_provided", s)
        if DISCRETIONARY.search(s.text) and not TO_APPLY.search(s.text) and not ON_REQUEST.search(s.text):
            return Found.of("discretionary", s)
        if (
            PROVIDED.search(s.text)
            and not TO_APPLY.search(s.text)
            and not re.search(r"\b(?:submit|from (?:their|your) (?:current|home))\b", s.text, re.I)
        ):
            return Found.of("provided", s)
    return None

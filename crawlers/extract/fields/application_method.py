"""application_method, application_url, contact_email.

The channel phrasings are in lexicon/application_method.yaml: VSLO / VSAS (the AAMC's service) →
vslo; the institution's own web application or portal → portal; applications or documents sent to
an address → email; by post → mail; a paper packet to return → email, unless the page names how it
is sent. A channel that is refused ("do not e-mail your application"), an address given only for
questions, and a step after acceptance are governed by NEGATED, INQUIRY or ACCEPTED and are no
channel. A VSLO route in a sentence that names U.S. schools is theirs, not the program's for
applicants from abroad, unless the sentence says the route is everybody's; so is a VSLO route later
in the same paragraph, unless that sentence names applicants from abroad. The first channel in
reading order wins; within a sentence, the lexicon's order (vslo, email, portal, mail).
"""

from __future__ import annotations

import re

from w3lib.url import safe_url_string

from crawlers.extract import phrases
from crawlers.extract.context import categories
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.lexicon import load
from crawlers.extract.text import Sentence

FIELD = "application_method"
LEXICON = load(FIELD)
CHANNELS = tuple(r for r in LEXICON.rules if r.value in ("vslo", "email", "portal", "mail", "paper"))
DOMESTIC = LEXICON.rule("domestic_route")
SHARED = LEXICON.rule("shared_route")
APPLY = LEXICON.rule("apply_words")
EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+", re.I)


def find_method(sentences: list[Sentence]) -> Found | None:
    """The first channel the page gives for sending an application."""
    paper, domestic_lines = None, set()
    for hit in phrases.hits(CHANNELS, [s for s in sentences if not s.residency]):
        if hit.value == "vslo" and _domestic(hit.sentence):
            domestic_lines.add(hit.sentence.line)
            continue
        if hit.value == "vslo" and hit.sentence.line in domestic_lines and not _for_everyone(hit.sentence):
            continue  # "X uses VSLO for students of LCME schools. To apply, submit a VSLO application.": theirs
        if hit.value == "paper":
            paper = paper or hit
            continue
        return Found.of(hit.value, hit.sentence)
    return Found.of("email", paper.sentence) if paper else None


def _domestic(s: Sentence) -> bool:
    """The sentence gives the VSLO route of students of U.S. schools only."""
    return phrases.match(DOMESTIC, s) is not None and phrases.match(SHARED, s) is None


def _for_everyone(s: Sentence) -> bool:
    """The sentence names applicants from abroad, or says the route is everybody's."""
    return bool(categories(s.text, among={"ABROAD"})) or phrases.match(SHARED, s) is not None


def find_email(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        m = EMAIL.search(s.text) if "@" in s.text else None
        if m and (not s.names_residency or "contact" in s.lower):
            return Found.of(m.group(0).rstrip("."), s)
    return None


def find_application_url(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        m = URL.search(s.text) if "http" in s.lower else None
        if m and phrases.match(APPLY, s) and not s.residency:
            return Found.of(safe_url_string(m.group(0).rstrip(".,;")), s)
    return None


def _find(page: Page) -> tuple[Found | None, ...]:
    return find_method(page.own), find_application_url(page.own), find_email(page.sentences)


FINDER = Finder(("application_method", "application_url", "contact_email"), ("status",), _find)

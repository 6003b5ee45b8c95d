"""status: is the program offered now — open, closed or suspended?

The phrasings are in lexicon/status.yaml (plus the denials and U.S.-only rules of
accepts_international). A page that only denies the program, a denial for applicants from abroad
and a U.S.-only eligibility rule are closed — suspended when the sentence is governed by a return or
a time bound ("for the 2020-21 academic year", "until further notice", "will resume"). An ended
program is closed, a paused one suspended; a statement that the program runs again ("is now open
only to practising physicians") outweighs pause or end wording anywhere on the page (notices of a
reopening are as often above the old text as below it). Otherwise the
program is open, with the sentence that offers it as evidence.
"""

from __future__ import annotations

import re

from crawlers.extract import phrases
from crawlers.extract.fields import accepts_international
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.program_type import TYPES
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.fields.specialties import names_in
from crawlers.extract.lexicon import expand, load
from crawlers.extract.text import Sentence

FIELD = "status"
DEPENDS = ("program_type",)
LEXICON = load(FIELD)
TEMPORARY = "TEMPORARY"
QUALIFIED = re.compile(rf"\b{expand('{QUALIFIER}', 'status')}\s", re.I)


def judge(sentences: list[Sentence], only_denied: Found | None, kind: str | None) -> tuple[Found, str | None]:
    """The status and the id of the lexicon rule that decided it (None when no rule did)."""
    if only_denied:
        return Found("closed", only_denied.evidence), None
    own = [s for s in sentences if not s.residency]
    denied = accepts_international.denial(sentences, kind) or accepts_international.us_only(sentences, kind)
    if denied:
        return Found.of("suspended" if denied.governed_by(TEMPORARY) else "closed", denied.sentence), denied.rule.id
    stated = [h for h in phrases.hits(LEXICON.rules, own) if not _other_type(h, kind)]
    reopened = any(h.value == "reopened" for h in stated)
    for hit in stated:
        if hit.value == "reopened" or reopened:
            continue
        if hit.value == "closed" and accepts_international.restricted(sentences):
            continue  # "no formal program ... only if a faculty member agrees to sponsor you": a route remains
        if hit.value == "closed" and not hit.governed_by(TEMPORARY):
            return Found.of("closed", hit.sentence), hit.rule.id
        return Found.of("suspended", hit.sentence), hit.rule.id
    return Found("open", _offer(sentences, kind)), None


def _other_type(hit: phrases.Hit, kind: str | None) -> bool:
    """The statement is about another program type, or a qualified one ("no Internal Medicine observerships")."""
    text = hit.match.group(0)
    return accepts_international.names_other_type(text, kind) or bool(names_in(text) or QUALIFIED.search(text))


def _offer(sentences: list[Sentence], kind: str | None) -> str:
    """The sentence that offers the program: the first full sentence naming its type, else the first."""
    pattern = TYPES.get(kind or "")
    for s in sentences:
        if pattern and pattern.search(s.text) and len(s.text.split()) >= 6 and not s.text.endswith("?"):
            return s.text[:300]
    return sentences[0].text[:300] if sentences else ""


def _find(page: Page) -> tuple[Found | None]:
    """A program the page says has ended has no requirements of its own there: what else the page
    states (a residency's criteria, say) is not the program's, so later finders read no sentences."""
    if not page.sentences:
        return (None,)
    found, rule = judge(page.sentences, page.denied, page.value("program_type"))
    if rule == "program_ended":
        page.own = []
    return (found,)


FINDER = Finder((FIELD,), DEPENDS, _find)

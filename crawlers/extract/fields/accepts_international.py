"""accepts_international: may applicants from abroad take part — yes, no, or restricted?

The phrasings are in lexicon/accepts_international.yaml; this module weighs them. A stated denial
("we are unable to enroll students from outside the United States") is no; a denial with an
exception ("unless their school has an agreement with us") and partner, nomination, invitation or
faculty-sponsor rules are restricted; a U.S.-only eligibility rule ("must be enrolled at an LCME
or COCA school") is no, unless another sentence says applicants from abroad are accepted; any
other mention of applicants from abroad is yes. Residency sentences never speak for the program.
"""

from __future__ import annotations

from crawlers.extract import phrases
from crawlers.extract.fields import audience
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.program_type import TYPES
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.lexicon import load
from crawlers.extract.text import Sentence

FIELD = "accepts_international"
DEPENDS = ("program_type", "status")
LEXICON = load(FIELD)
DENIALS = ("not_accepted_from_abroad", "denied_under_abroad_heading", "catalog_says_no")
US_ONLY = ("us_schools_only", "us_schools_required_under_heading", "us_citizens_only")


def names_other_type(text: str, kind: str | None) -> bool:
    """The sentence is about a different program type than the page's (its externships, say)."""
    named = {k for k, p in TYPES.items() if p.search(text)}
    same = {kind} | ({"elective", "clerkship"} if kind in ("elective", "clerkship") else set())
    return bool(named) and not (named & same)


def denial(sentences: list[Sentence], kind: str | None) -> phrases.Hit | None:
    """The first sentence that says applicants from abroad are not accepted (for this program type)."""
    rules = [LEXICON.rule(r) for r in DENIALS]
    for hit in phrases.hits(rules, _program_sentences(sentences)):
        if names_other_type(hit.sentence.text[hit.match.start() :], kind) or _students_of_graduate_program(hit, kind):
            continue
        return hit
    return None


def _students_of_graduate_program(hit: phrases.Hit, kind: str | None) -> bool:
    """ "We do not accept students", under an international heading of an observership page for
    physicians, denies another audience (a sentence naming international students denies them)."""
    if kind in ("elective", "clerkship", "sub_internship") or hit.rule.id != "denied_under_abroad_heading":
        return False
    text = hit.sentence.text
    return bool(audience.STUDENTS.search(text)) and not audience.GRADUATES.search(text)


def us_only(sentences: list[Sentence], kind: str | None = None) -> phrases.Hit | None:
    """A U.S.-only eligibility rule, unless another sentence accepts applicants from abroad or partner
    schools ("an affiliated LCME accredited institution" restricts, it does not close)."""
    own = _program_sentences(sentences, kind)
    only = phrases.first([LEXICON.rule(r) for r in US_ONLY], own)
    if only is None:
        return None
    welcome = any(h.sentence is not only.sentence for h in phrases.hits(LEXICON.with_value("yes"), _statements(own)))
    return None if welcome or restricted(sentences) else only


def restricted(sentences: list[Sentence]) -> phrases.Hit | None:
    """A partner, nomination, invitation or faculty-sponsor route for applicants from abroad."""
    return phrases.first(LEXICON.with_value("restricted"), _program_sentences(sentences))


def find_accepts(sentences: list[Sentence], kind: str | None, status: Found | None) -> Found | None:
    """A closed program (ended, denied, or for U.S. schools only) accepts nobody from abroad."""
    if status is not None and status.value == "closed":
        return Found("no", status.evidence)
    hit = denial(sentences, kind)
    if hit:
        return Found.of("no", hit.sentence)
    own = _program_sentences(sentences)
    welcome = phrases.first(LEXICON.with_value("yes"), _statements(own))
    route = restricted(sentences)
    if route and not (welcome and welcome.rule.id == "non_partner_welcome"):
        return Found.of("restricted", route.sentence)
    only = us_only(sentences, kind)
    if only:
        return Found.of("no", only.sentence)
    mentioned = welcome or phrases.first(LEXICON.with_value("mentioned"), own)
    return Found.of("yes", mentioned.sentence) if mentioned else None


def _program_sentences(sentences: list[Sentence], kind: str | None = None) -> list[Sentence]:
    """Residency sentences never speak for the program, except for a program of visiting residents
    or fellows (type other), whose rules are residency's."""
    return sentences if kind == "other" else [s for s in sentences if not s.residency]


def _statements(sentences: list[Sentence]) -> list[Sentence]:
    """A question ("Do you accept international students?") welcomes nobody."""
    return [s for s in sentences if not s.text.rstrip().endswith("?")]


def _find(page: Page) -> tuple[Found | None]:
    return (find_accepts(page.sentences, page.value("program_type"), page.found.get("status")),)


FINDER = Finder((FIELD,), DEPENDS, _find)

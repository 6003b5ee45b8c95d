"""hands_on: only when the text says so — observation only / no patient contact vs a share of patient care.

The phrasings are in lexicon/hands_on.yaml; this module weighs them. A stated limit ("no patient
contact", "hands-in-pocket") or a share of patient care under a negation ("may not examine
patients") is false, wherever it stands on the page; on a closed program's page a negated share is
the denial of the program ("we do not offer hands-on experiences"), no limit. On an observership
page, an observer said to observe clinical care or to shadow physicians has no patient care either
(a page that only names its observership says nothing of what observers do), and an observership
is never hands-on. Otherwise a share of patient care ("participate in all aspects of patient
care", "function as interns") is true. Residency sentences never speak for the program.
"""

from __future__ import annotations

from crawlers.extract import phrases
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.lexicon import load
from crawlers.extract.text import Sentence

FIELD = "hands_on"
LEXICON = load(FIELD)
OBSERVER = tuple(r for r in LEXICON.rules if r.id.startswith("observer_"))
STATED = tuple(r for r in LEXICON.rules if not r.id.startswith("observer_"))
SHADOWS = "observer_shadows"
NEGATED = "NEGATED"


def find_hands_on(sentences: list[Sentence], kind: str | None, status: str | None = None) -> Found | None:
    own = [s for s in sentences if not s.residency]
    stated = list(phrases.hits(STATED, own))
    denied = status == "closed"  # "we do not offer hands-on experiences" denies the program, it sets no limit
    limit = next((h for h in stated if h.value is False or (not denied and h.governed_by(NEGATED))), None)
    if limit:
        return Found.of(False, limit.sentence)
    if kind == "observership":  # an observer observes: no patient care unless the page says otherwise
        watches = (h for h in phrases.hits(OBSERVER, _statements(own)) if h.rule.id == SHADOWS or status != "closed")
        watch = next(watches, None)
        return Found.of(False, watch.sentence) if watch else None
    care = next((h for h in stated if h.value is True), None)
    return Found.of(True, care.sentence) if care else None


def _statements(sentences: list[Sentence]) -> list[Sentence]:
    """A question ("How long can I observe?") says nothing of what observers do."""
    return [s for s in sentences if not s.text.rstrip().endswith("?")]


def _find(page: Page) -> tuple[Found | None]:
    return (find_hands_on(page.own, page.value("program_type"), page.value("status")),)


FINDER = Finder(("hands_on",), ("program_type", "status"), _find)

"""lor_policy: does the program give a letter of recommendation?

The phrasings are in lexicon/lor_policy.yaml; this module weighs them. A stated refusal ("LOR:
none", "no written evaluations will be issued") or a letter given under a negation ("faculty
cannot provide letters of recommendation") is not_provided; the supervisor's discretion, or "ask
your supervisor for a letter", is discretionary; a letter written, given or received is provided.
A sentence about a letter the applicant supplies ("applicants must submit two letters") gives no
policy, and a question ("Will I get a letter?") states nothing, but the sentence that answers it
may name the letter by the bare word ("Letters are at the discretion of the faculty").
"""

from __future__ import annotations

import re

from crawlers.extract import phrases
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder
from crawlers.extract.lexicon import Rule, expand, load
from crawlers.extract.text import Sentence

FIELD = "lor_policy"
LEXICON = load(FIELD)
STATED = tuple(r for r in LEXICON.rules if not r.id.startswith("answer_"))
ANSWERED = LEXICON.rules  # an answer may name the letter by the bare word
LETTER = re.compile(expand("{RECOMMENDATION_LETTER}", FIELD), re.I)
NEGATED = "NEGATED"
NOT_PROVIDED, PROVIDED, TO_APPLY = "not_provided", "provided", "to_apply"


def find_lor(sentences: list[Sentence]) -> Found | None:
    asked = False  # the previous sentence asked about letters: this one may answer with a bare "Letters"
    for s in sentences:
        answer, asked = asked, False
        if s.residency:
            continue
        if s.text.rstrip().endswith("?"):  # a question ("Will I receive a letter?") states nothing
            asked = bool(LETTER.search(s.text))
            continue
        value = _policy(s, ANSWERED if answer else STATED)
        if value:
            return Found.of(value, s)
    return None


def _policy(s: Sentence, rules: tuple[Rule, ...]) -> str | None:
    hits = list(phrases.hits(rules, [s]))
    if any(h.value == NOT_PROVIDED or (h.value == PROVIDED and _negated(h)) for h in hits):
        return NOT_PROVIDED
    if any(h.value == TO_APPLY for h in hits):  # the applicant's letter, not the program's
        return None
    return next((str(h.value) for h in hits), None)


def _negated(hit: phrases.Hit) -> bool:
    """A negation governs the letter given, or stands within the words matched ("are not provided")."""
    return NEGATED in phrases.context_of(hit.rule, hit.sentence, hit.match, {NEGATED}, inside=True)


FINDER = Finder(("lor_policy",), ("status",), lambda page: (find_lor(page.own),))

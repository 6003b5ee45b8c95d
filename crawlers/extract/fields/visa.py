"""visa: the visa categories the page names for participants (B-1/B-2, visitor, F-1, visa waiver…).

The categories and their normalized names are in lexicon/visa.yaml. The first sentence that names
any gives all it names, in the lexicon's order. A visa the program will not sponsor or that is not
needed is governed by NEGATED; a question, a residency sentence, or one naming the J-1 clinical
visa of graduate medical training names no visa of the program.
"""

from __future__ import annotations

from crawlers.extract import phrases
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder
from crawlers.extract.lexicon import load
from crawlers.extract.text import Sentence

FIELD = "visa"
LEXICON = load(FIELD)
GME = LEXICON.rule("gme_visa")
CATEGORIES = tuple(r for r in LEXICON.rules if r is not GME)


def find_visa(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        if s.residency or s.text.rstrip().endswith("?") or phrases.match(GME, s):
            continue
        names = list(dict.fromkeys(str(h.value) for h in phrases.hits(CATEGORIES, [s])))
        if names:
            return Found.of(" or ".join(names), s)
    return None


FINDER = Finder(("visa",), ("status",), lambda page: (find_visa(page.own),))

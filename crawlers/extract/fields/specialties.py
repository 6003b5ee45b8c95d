"""Specialties a page says are available, named from the controlled vocabulary (vocab/specialties.yaml).

The phrasings are in lexicon/specialties.yaml: only sentences that offer something count
("specialties include", "available in", "Department of X ... observership", a heading naming the
specialty); prerequisites ("completed clerkships in ..."), residency text and denials ("we do not
offer X") are ignored; lists under a heading and catalog rows are read item by item.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path

from ruamel.yaml import YAML

from crawlers.extract import phrases
from crawlers.extract.context import categories
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.lexicon import load
from crawlers.extract.text import Sentence, cells, without_aspiration

LEXICON = load("specialties")
LIST_SEPARATOR = re.compile(r",|;|·|•|\||\s–\s")
VOCAB_FILE = Path(__file__).resolve().parents[2] / "vocab" / "specialties.yaml"


@cache
def vocabulary() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every name and synonym, longest first so 'internal medicine' beats 'medicine';
    and the canonical name of each (lower-cased, single-spaced) spelling."""
    data = YAML(typ="safe").load(VOCAB_FILE.read_text(encoding="utf-8"))
    canonical_of: dict[str, str] = {}
    for canonical, synonyms in data.items():
        for name in [canonical, *(synonyms or [])]:
            canonical_of.setdefault(" ".join(name.lower().split()), canonical)
    spellings = []
    for name in sorted(canonical_of, key=len, reverse=True):
        short = len(name) <= 4 and name.isalpha()  # abbreviations (EM, ENT, ICU) match only in capitals
        spellings.append(f"(?-i:{name.upper()})" if short else re.escape(name).replace(r"\ ", r"\s+"))
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(spellings)})(?![\w-])", re.I)
    return pattern, canonical_of


@lru_cache(maxsize=4096)
def names_in(text: str) -> tuple[str, ...]:
    """Canonical specialties named in `text`, in order of appearance, each once."""
    pattern, canonical_of = vocabulary()
    seen: dict[str, None] = {}
    for m in pattern.finditer(text):
        seen.setdefault(canonical_of[" ".join(m.group(0).lower().split())])
    return tuple(seen)


def find_specialties(sentences: list[Sentence], lines: list[str], title: str | None) -> Found | None:
    if title and (names := list(names_in(title))):
        return Found.of(names, title)
    for i, s in enumerate(sentences):
        if len(cells(s.text)) > 2 and _is(s, "table_header") and (names := _table_names(sentences, i)):
            return Found.of(names, s)
        if len(s.text) < 60 and _is(s, "list_heading"):
            if names := [n for item in _list_after(sentences, i) for n in names_in(item.text)]:
                return Found.of(list(dict.fromkeys(names)), s)
            continue
        if not _is(s, "offer") or _is(replace(s, text=without_aspiration(s.text)), "not_offer"):
            continue
        names = list(names_in(s.text))
        if _is(s, "list_intro"):
            names += [n for item in _list_after(sentences, i) for n in names_in(item.text) if n not in names]
        if names:
            return Found.of(names, s)
    return None


def _is(s: Sentence, value: str) -> bool:
    """Some rule of the lexicon giving `value` matches the sentence."""
    return phrases.first(LEXICON.with_value(value), [s]) is not None


def find_host(sentences: list[Sentence]) -> Found | None:
    """The one specialty whose department or named program hosts the page's program (lexicon
    specialties.yaml), when no sentence lists what is offered; none when hosts disagree. A sentence
    with a negation anywhere ("The Department of Surgery does not have a formal program") hosts nothing."""
    hosts: dict[str, Sentence] = {}
    stated = (s for s in sentences if not s.residency and not categories(s.text, among={"NEGATED"}))
    for hit in phrases.hits(LEXICON.with_value("host"), stated):
        for name in names_in(hit.match.group("name")):
            hosts.setdefault(name, hit.sentence)
    if len(hosts) != 1:
        return None
    ((name, sentence),) = hosts.items()
    return Found.of([name], sentence)


def _list_after(sentences: list[Sentence], i: int) -> list[Sentence]:
    """The short list lines right after a list-introducing sentence or heading (one comma-separated
    line, even one ending in a full stop, is a list too)."""
    items = []
    for s in sentences[i + 1 :]:
        separated = len(LIST_SEPARATOR.findall(s.text)) >= 2
        if s.bullet and not names_in(s.text[:40]):
            continue  # a description bulleted under the item above ("• introduction to critical care ...")
        if (len(s.text) > 80 and not separated) or (s.text.endswith(".") and not separated):
            break
        items.append(s)
        if s.text.endswith("."):
            break  # "Urology, Neurology and Dermatology." ends the list it is
    return items


def _table_names(sentences: list[Sentence], i: int) -> list[str]:
    """The first specialty of each table row under a course / department header row."""
    names: list[str] = []
    for s in sentences[i + 1 :]:
        if len(cells(s.text)) < 2:
            break
        if found := names_in(s.text):
            names.append(found[0])
    return list(dict.fromkeys(names))


def _find(page: Page) -> tuple[Found | None]:
    own = page.own
    return (find_specialties(own, [s.text for s in own], program_title(page.title)) or find_host(own),)


def program_title(title: str | None) -> str | None:
    """A title counts for specialties only when it names a program, not a residency."""
    from crawlers.extract.fields.program_type import TYPES

    if title and any(p.search(title) for p in TYPES.values()) and not categories(title, among={"RESIDENCY"}):
        return title
    return None


FINDER = Finder(("specialties",), ("status",), _find)

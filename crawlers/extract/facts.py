"""One block's sentences → every contract field, each a value with its evidence sentence.

The fields are found by the finders of the field registry (fields/registry.py), in the order their
declared dependencies give; this module prepares what they read: sections and residency sections
marked, and the sentences that speak for the program.
"""

from __future__ import annotations

import re
from dataclasses import replace

from crawlers.extract.fields import program_type
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.program_type import TYPES
from crawlers.extract.fields.registry import Page, find_all
from crawlers.extract.sections import with_sections
from crawlers.extract.text import Sentence, about_training

NAV_LINE = re.compile(r"^\s*home\b", re.I)
VISITING = (*TYPES.values(), *program_type.LEXICON.rule("visiting_program_words").patterns)
"""What names the visiting program: a program noun, or visiting students, their rotations and VSLO."""
RESIDENCY_WORD = re.compile(r"\bresidency\b|\bfellowship\b", re.I)


def is_residency_page(sentences: list[Sentence]) -> bool:
    """The page is mainly about residency training: its requirements are residency's, not a program's."""
    if sum(s.residency for s in sentences) < 2:
        return False
    residency = sum(len(RESIDENCY_WORD.findall(s.text)) for s in sentences)
    stated = [s for s in sentences if not s.text.rstrip().endswith("?") and not program_type.denied_types(s)]
    programs = sum(len(p.findall(s.text)) for s in stated for p in VISITING)
    return residency > programs


def find_facts(
    sentences: list[Sentence], lines: list[str], title: str | None, heading_lines: set[int]
) -> dict[str, Found]:
    sentences = with_sections(mark_training_sections(sentences, lines, heading_lines), lines, heading_lines)
    return find_all(Page(sentences, _own_sentences(sentences), lines, title, heading_lines))


def mark_training_sections(sentences: list[Sentence], lines: list[str], heading_lines: set[int]) -> list[Sentence]:
    """Sentences under a residency / fellowship heading, or in a list a residency sentence introduces
    ("residency programs accept IMGs who meet the following requirements:"), speak for that training."""
    inside, listed, training = False, False, set()
    for i, line in enumerate(lines):
        if i in heading_lines:
            nav = NAV_LINE.match(line)  # "Home Education Residency Visiting Students" is site navigation
            inside = about_training(line) and not nav and not any(p.search(line) for p in TYPES.values())
            listed = False
        elif not line:
            listed = False
        if inside or listed:
            training.add(i)
        if line.endswith(":") and about_training(line) and not any(p.search(line) for p in TYPES.values()):
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
    return [s for s in sentences if any(p.search(s.text) for p in VISITING)]

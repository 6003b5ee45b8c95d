"""Text → program blocks: one block per headed program section, or the whole page as one block.

A page splits only when two or more headings name programs that differ (an observership and an
elective, or one per department); everything before the first such heading is shared context and
is kept at the top of each block (page-wide notices apply to every program).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawlers.extract.fields import program_type
from crawlers.extract.fields.program_type import TYPES, denied_types
from crawlers.extract.fields.specialties import names_in
from crawlers.extract.text import BULLET, Sentence, cells, clean_lines, continues, split_sentences

HEADING_END = re.compile(r"[.,;!?]$")


@dataclass
class Block:
    """The lines of one program, its heading (None for a whole page) and the page title."""

    lines: list[str]
    heading_lines: set[int] = field(default_factory=set)
    heading: str | None = None
    title: str | None = None

    @property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.lines)


def is_heading(lines: list[str], i: int, known: set[str]) -> bool:
    """A heading line: markup says so, or (plain text) a short title-like line followed by more text."""
    line = lines[i]
    if known:
        return " ".join(line.split()) in known
    if not line or len(line) > 90 or HEADING_END.search(line) or BULLET.match(line):
        return False
    if len(cells(line)) > 2:  # a flattened table row, not a title ("Program | Page | Contact")
        return False
    words = line.split()
    if len(words) > 12 or not line[0].isupper() or (line.count(":") > 0 and not line.endswith(":")):
        return False
    if i + 1 < len(lines) and continues(line, lines[i + 1]):
        return False  # the first line of a wrapped sentence
    return any(rest.strip() for rest in lines[i + 1 : i + 4])


def split_blocks(text: str, known_headings: set[str] | None = None) -> list[Block]:
    lines = clean_lines(text)
    known = known_headings or set()
    heads = [i for i in range(len(lines)) if is_heading(lines, i, known)]
    title = next((lines[i] for i in heads if i < 8), None)
    program_heads = [i for i in heads if starts_program(lines[i])]
    signatures = {_signature(lines[i]) for i in program_heads}
    if len(program_heads) < 2 or len(signatures) < 2:
        return [Block(lines, set(heads), None, title)]
    preamble = lines[: program_heads[0]]
    blocks = []
    for n, start in enumerate(program_heads):
        end = program_heads[n + 1] if n + 1 < len(program_heads) else len(lines)
        if all(i in heads for i in range(start, end)):
            continue  # only headings ("Elective Catalog" / "Department of X" above the first course)
        body = preamble + lines[start:end]
        offset = len(preamble) - start
        inner = {i + offset for i in heads if start <= i < end} | {i for i in heads if i < len(preamble)}
        blocks.append(Block(body, inner, lines[start], lines[start]))
    return blocks


def names_program(line: str) -> bool:
    sentence = Sentence(line, 0, False)
    return any(p.search(line) for p in TYPES.values()) and not denied_types(sentence)


def starts_program(line: str) -> bool:
    """A heading that names a program of its own; "Explore These Observerships" or "About Our
    Electives" points back at the page's programs and opens no block."""
    deictic = program_type.LEXICON.rule("deictic_heading")
    return names_program(line) and not any(p.search(line) for p in deictic.patterns)


def _signature(line: str) -> tuple[frozenset[str], tuple[str, ...]]:
    kinds = frozenset(k for k, p in TYPES.items() if p.search(line))
    return kinds, tuple(names_in(line))

"""Sections: a heading scopes the sentences under it, and an FAQ question scopes its answer.

Each sentence learns the text of the heading it stands under and of the question it answers, so a
rule can read "We cannot accept applications this year" under "International Students" as being
about international students (lexicon rules opt in with `sections: true`)."""

from __future__ import annotations

from bisect import bisect_left

from crawlers.extract.text import Sentence


def with_sections(sentences: list[Sentence], lines: list[str], heading_lines: set[int]) -> list[Sentence]:
    out = []
    heads = sorted(heading_lines)
    heading, question, last_line, own_heading = "", "", -1, False
    for s in sentences:
        if s.line != last_line:
            own_heading = s.line in heading_lines
            above = bisect_left(heads, s.line)
            new_heading = lines[heads[above - 1]] if above else ""
            if new_heading != heading:
                heading, question = new_heading, ""
            last_line = s.line
        if own_heading:
            out.append(s)
            continue
        section = f"{heading} {question}".strip()
        out.append(s.changed(section=section) if section else s)
        if s.text.rstrip().endswith("?"):
            question = s.text
    return out

"""Page content as plain data: the fixture web's texts cut into paragraphs, lists and sub-headings.

The templates render these blocks (escaped), so a text of demo/pages/ becomes the main content of a
fictional institution's page with the markup a CMS would give it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

PAGES = Path(__file__).parent / "pages"
BULLET = re.compile(r"^\s*(?:[•·▪*-]|\d{1,2}[.)])\s+")
NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+")


@dataclass(frozen=True)
class Block:
    """One piece of main content: kind is p, h (sub-heading), ul, ol, table or links."""

    kind: str
    text: str = ""
    items: tuple = ()  # list items; table rows (tuples of cells, first is the header); links (text, href)


class SectionMarkup(TypedDict, total=False):
    """A section's markup, passed on as keywords (a program card's classes and tags, say)."""

    css: str
    heading_css: str
    tag: str
    heading_level: int


@dataclass(frozen=True)
class Section:
    """A headed part of a page; `css`, `tag` and the heading's class and level are its markup (a program card, say)."""

    heading: str | None
    blocks: tuple[Block, ...]
    css: str = ""
    heading_css: str = ""
    tag: str = "section"
    heading_level: int = 2


def page_text(name: str) -> str:
    """The text `demo/pages/<name>.txt`, written for the fixture web, for one fictional institution."""
    return (PAGES / f"{name}.txt").read_text(encoding="utf-8")


def blocks(text: str) -> tuple[Block, ...]:
    """Paragraphs, bullet or numbered lists and short title-like lines (sub-headings) of a text."""
    out: list[Block] = []
    items: list[str] = []
    ordered = False
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if BULLET.match(raw):
            ordered = ordered if items else bool(NUMBERED.match(raw))
            items.append(BULLET.sub("", raw).strip())
            continue
        if items and line:
            out.append(Block("ol" if ordered else "ul", items=tuple(items)))
            items = []
        if not line:
            continue
        out.append(Block("h" if is_subheading(line) else "p", line))
    if items:
        out.append(Block("ol" if ordered else "ul", items=tuple(items)))
    return tuple(out)


def is_subheading(line: str) -> bool:
    """Short, capitalised, without a sentence's final punctuation: 'Eligibility Criteria'."""
    return len(line.split()) <= 8 and line[0].isupper() and not re.search(r"[.,;!?)]$", line)


def para(text: str) -> Block:
    return Block("p", " ".join(text.split()))


def table(*rows: tuple[str, ...]) -> Block:
    return Block("table", items=tuple(rows))


def links(*pairs: tuple[str, str]) -> Block:
    return Block("links", items=tuple(pairs))

"""The extraction entry point: page bytes → one ExtractedProgram per program, with evidence."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from contract.identity import normalize_key
from contract.record import ExtractedProgram
from crawlers.extract import selectors
from crawlers.extract.blocks import Block, names_program, split_blocks
from crawlers.extract.document import Document, load_document
from crawlers.extract.facts import find_facts
from crawlers.extract.fields.common import Found
from crawlers.extract.html import link_share, norm_space, words_outside_links
from crawlers.extract.jsonld import jsonld_facts
from crawlers.extract.text import clean_lines, snippet, split_sentences

TITLE_PARTS = re.compile(r"\s+[-–—|]\s+|:\s+")
INDEX_LINK_SHARE = 0.5
"""A page whose main text is at least this much link text is an index of program pages."""
INDEX_MIN_LINKS = 2
INDEX_MAX_OWN_WORDS = 45
"""A page with at least this many links and at most this many words of its own is an index too,
unless it states a fact about a program beyond what any intro says (its kind, who it is for)."""
INTRO_FACTS = frozenset({"program_name", "program_type", "audience", "accepts_international", "specialties"})

if TYPE_CHECKING:
    import lxml.html

    from crawlers.config import Selectors, Source


def extract_document(
    data: bytes,
    url: str | None = None,
    source: Source | None = None,
    content_type: str | None = None,
) -> list[ExtractedProgram]:
    """Every program the page describes; [] for a page that names no program; ExtractError if unreadable."""
    return extract_programs(load_document(data, content_type), url, source)


def extract_programs(doc: Document, url: str | None = None, source: Source | None = None) -> list[ExtractedProgram]:
    """Every program of an already loaded page (for a caller that reads the document itself too)."""
    if doc.html is not None and link_share(doc.html.tree) >= INDEX_LINK_SHARE:
        return []  # an index that links to program pages describes none itself
    sel: Selectors | None = source.selectors if source is not None else None
    blocks = _blocks(doc, sel)
    ld = jsonld_facts(doc.html.json_ld) if doc.html is not None and len(blocks) == 1 else {}
    programs = []
    for block, element in blocks:
        if len(blocks) > 1 and len(block.sentences) <= 1:
            continue  # a heading with no text under it ("Observerships | Department of X" above the program)
        facts = find_facts(block.sentences, block.lines, block.title, block.heading_lines)
        if "program_type" not in facts:
            continue
        if len(blocks) == 1 and doc.html is not None and _introduces_others(doc.html.tree, facts):
            continue
        for fact, found in ld.items():
            facts.setdefault(fact, found)
        if sel and sel.fields and doc.html is not None:
            facts.update(_selected(element if element is not None else doc.html.tree, sel.fields))
        name = facts.pop("program_name", None) or _name(block)
        key = "" if len(blocks) == 1 else normalize_key(block.heading or (name.value if name else "")) or "program"
        programs.append(_record(facts, name, key))
    return programs


def _blocks(doc: Document, sel: Selectors | None) -> list[tuple[Block, lxml.html.HtmlElement | None]]:
    """Program blocks: the source's `program_block` elements when configured, else by headings.

    A configured selector that matches nothing on an HTML page yields no block at all, never a
    generic guess: when a site's layout changes, its yield collapses and the source is judged
    suspect, instead of programs silently changing shape."""
    if sel and sel.program_block and doc.html is not None:
        elements = selectors.select_blocks(doc.html.tree, sel.program_block)
        out: list[tuple[Block, lxml.html.HtmlElement | None]] = []
        for el in elements:
            text = selectors.element_text(el)
            headings = {norm_space(h.text_content()) for h in el.iter("h1", "h2", "h3", "h4", "h5", "h6")}
            block = split_blocks(text, headings or None)[0]
            block.heading = block.title
            out.append((block, el))
        return out
    return [(b, None) for b in split_blocks(doc.text, doc.headings)]


def _introduces_others(tree: lxml.html.HtmlElement, facts: dict[str, Found]) -> bool:
    """A short intro above links ("Choose a department below to learn about its electives"): it
    names a kind of program but describes none; a closure or any concrete fact makes it a program."""
    links, own_words = words_outside_links(tree)
    if links < INDEX_MIN_LINKS or own_words > INDEX_MAX_OWN_WORDS:
        return False
    status = facts.get("status")
    if status is not None and status.value in ("closed", "suspended"):
        return False
    return all(name in INTRO_FACTS or name == "status" for name in facts)


def _selected(tree: lxml.html.HtmlElement, fields: dict[str, str]) -> dict[str, Found]:
    """Field values read from the source's selected elements; these win over generic ones."""
    out: dict[str, Found] = {}
    for field, css in fields.items():
        text = selectors.select_text(tree, css)
        if not text:
            continue
        lines = clean_lines(text)
        found = find_facts(split_sentences(lines), lines, None, set()).get(field)
        if found is None and field in selectors.FREE_TEXT:
            found = Found(snippet(text, 500), snippet(text))
        if found is not None:
            out[field] = found
    return out


def _name(block: Block) -> Found | None:
    """The program's own name: the first heading (or, in plain text, the first line) that names a
    program, cut to the part that does ("Hospital – International Observership: Guide" → the middle);
    else the block's heading or the page title."""
    headings = [block.lines[i] for i in sorted(block.heading_lines) if i < len(block.lines)]
    for line in filter(None, [block.heading, *headings, block.title, *block.lines[:1]]):
        for part in TITLE_PARTS.split(line):
            if len(part.split()) <= 12 and names_program(part):
                return Found(part.strip(), line)
    name = block.heading or block.title
    return Found(name, name) if name else None


def _record(facts: dict[str, Found], name: Found | None, key: str) -> ExtractedProgram:
    values: dict[str, Any] = {field: found.value for field, found in facts.items()}
    evidence = {field: found.evidence for field, found in facts.items()}
    if name is not None:
        values["program_name"], evidence["program_name"] = name.value, name.evidence
    return ExtractedProgram(program_key=key, evidence=evidence, **values)

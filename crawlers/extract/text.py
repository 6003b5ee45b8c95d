"""Text → lines and sentences, the units every field rule reads and quotes as evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property

from crawlers.extract.context import categories, modifier_pattern
from crawlers.extract.lexicon import HERE, gate_pattern, read_data

BOILERPLATE_LINE = re.compile(
    r"^\s*(?:skip to (?:main )?content\W*|skip navigation|back to top|share on:?|print(?: this page)?|"
    r"e-?mail this page.*|read more|not shown on screen|page content|photo of .*)\s*$",
    re.I,
)
COVID_BANNER = re.compile(r"covid|coronavirus|vaccin", re.I)
PROGRAM_WORD = re.compile(r"observ|elective|clerkship|externship|rotation|visiting|program|applica", re.I)
CELL_SEPARATOR = re.compile(r"\s*\|\s*|\t+|\s{3,}")
WIDE_SPACE = re.compile(r"\s{3}")  # where CELL_SEPARATOR matches without a "|" or a tab
INITIAL = re.compile(r"^[A-Z]\.$")  # "Dr. R. Okafor": a name's initial ends no sentence
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9•])")
BULLET = re.compile(r"^\s*(?:[•·▪◦*-]|\d{1,2}[.)]|[a-z][.)])\s+")
LINE_END = re.compile(r"[.!?:;][\"”’)]?$")
# A line ending in a comma, a hyphen or a word that cannot end a sentence is cut mid-sentence.
OPEN_END = re.compile(
    r"(?:[,\-–]|\b(?:and|or|of|the|a|an|to|in|for|with|by|from|at|on|as|be|is|are|must|may|will|your|our|their|"
    r"than|that|which|who|per|USMLE|Step))$",
    re.I,
)
TITLE_LINE = re.compile(r"^(?:[A-Z][\w'’&/-]*(?:\s+|$)|(?:and|of|the|for|in|to|&)\s+){1,6}$")


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int  # index of the line it came from
    bullet: bool
    in_training_section: bool = False  # under a residency / fellowship / GME heading
    section: str = ""  # the heading (or FAQ question) the sentence stands under

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @cached_property
    def residency(self) -> bool:
        """Says something about residency / fellowship training, not a visiting program."""
        return self.in_training_section or self.names_residency

    @cached_property
    def names_residency(self) -> bool:
        return bool(categories(self.text, among={"RESIDENCY"}))

    def changed(self, *, text: str | None = None, section: str | None = None) -> Sentence:
        """The sentence with another text or section: `dataclasses.replace` does the same at ten times
        the cost, and the field finders ask it of tens of thousands of sentences a night."""
        return Sentence(
            text=self.text if text is None else text,
            line=self.line,
            bullet=self.bullet,
            in_training_section=self.in_training_section,
            section=self.section if section is None else section,
        )

    def has(self, *words: str) -> bool:
        """Any of these lower-case substrings occurs: a cheap gate before a family's regexes run."""
        return gate_pattern(words).search(self.lower) is not None


def clean_lines(text: str) -> list[str]:
    """Lines of the text with site chrome removed: skip links, 'back to top', COVID banners."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if BOILERPLATE_LINE.match(line):
            continue
        if COVID_BANNER.search(line) and len(line) < 160 and not PROGRAM_WORD.search(line):
            continue
        lines.append(line)
    return lines


def continues(line: str, following: str) -> bool:
    """`following` carries on the sentence `line` left open: a line wrapped at a fixed width or by a PDF text layer."""
    if not line or not following or "|" in line or "|" in following or LINE_END.search(line):
        return False
    if BULLET.match(following) or TITLE_LINE.match(line):
        return False
    return following[0].islower() or bool(OPEN_END.search(line))


def paragraphs(lines: list[str]) -> list[tuple[int, str]]:
    """(index of the first line, text) of each run of lines that wrap one sentence over several."""
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if out and continues(lines[i - 1], line):
            out[-1] = (out[-1][0], f"{out[-1][1]} {line}")
        elif line:
            out.append((i, line))
    return out


def split_sentences(lines: list[str]) -> list[Sentence]:
    """Sentences in reading order; a bullet or table row is a sentence of its own, wrapped lines are rejoined."""
    out = []
    for i, line in paragraphs(lines):
        bullet = bool(BULLET.match(line))
        body = BULLET.sub("", line) if bullet else line
        for part in [body] if len(cells(body)) > 2 else _sentences(body):  # a table row is one unit
            out.append(Sentence(part, i, bullet))
    return out


def has_separator(text: str) -> bool:
    """`CELL_SEPARATOR` occurs in `text`, by two substring tests and a plain scan (most lines have
    none: far cheaper than a split)."""
    return "|" in text or "\t" in text or WIDE_SPACE.search(text) is not None


def cells(text: str) -> list[str]:
    """A flattened table row's cells: split at "|", tabs or runs of three spaces."""
    if not has_separator(text):
        return [text] if text.strip() else []
    return [c for c in CELL_SEPARATOR.split(text) if c.strip()]


def _sentences(body: str) -> list[str]:
    """Split at sentence ends, rejoining a split after an abbreviation ("from U.S. LCME schools")."""
    abbreviations, openers = _segmentation()
    parts: list[str] = []
    for part in SENTENCE_END.split(body):
        part = part.strip()
        if not part:
            continue
        last = parts[-1].rsplit(None, 1)[-1] if parts else ""
        if parts and (last in abbreviations or INITIAL.match(last)) and part.split(None, 1)[0] not in openers:
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    return parts


@cache
def _segmentation() -> tuple[frozenset[str], frozenset[str]]:
    data = read_data(HERE / "sentences.yaml")
    return frozenset(data["abbreviations"]), frozenset(data["openers"])


def snippet(text: str, limit: int = 300) -> str:
    """Evidence as stored: one line, at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def about_training(heading: str) -> bool:
    """A heading that opens a residency / fellowship / GME section: what follows is that training's text."""
    return bool(categories(heading, among={"TRAINING"}))


def without_aspiration(text: str) -> str:
    """The text less its residency aims ("preparing to apply for residency"), which name no residency topic."""
    return ASPIRATION.sub(" ", text)


ASPIRATION = modifier_pattern("aspiration")

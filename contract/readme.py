"""README sections generated from code (the coverage table, the data contract, the fault table):
each stands between `<!-- NAME:start -->` and `<!-- NAME:end -->`, a test keeps it equal to what
its code generates, and `python -m` of the generating module rewrites it."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GeneratedSection:
    name: str

    @property
    def start(self) -> str:
        return f"<!-- {self.name}:start -->"

    @property
    def end(self) -> str:
        return f"<!-- {self.name}:end -->"

    def read(self, text: str) -> str | None:
        """The generated part of `text` between the markers, or None without them."""
        found = re.search(re.escape(self.start) + r"\n(.*?)" + re.escape(self.end), text, re.S)
        return found.group(1).strip() if found else None

    def write(self, readme: Path, markdown: str) -> None:
        """Replace the section in `readme` with `markdown`; one line and exit 1 without the markers."""
        text = readme.read_text(encoding="utf-8")
        if self.read(text) is None:
            sys.exit(f"{readme}: no {self.start} … {self.end} markers")
        start, end = text.index(self.start) + len(self.start), text.index(self.end)
        readme.write_text(text[:start] + "\n" + markdown + "\n" + text[end:], encoding="utf-8")

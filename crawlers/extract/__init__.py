"""Extraction: a saved or fetched page (HTML, plain text or PDF) → program records with evidence.

`extract_document` is the one extraction path (`clerkships extract` calls it); the crawler, which
also measures the loaded page, calls its second half `extract_programs` on the document it loaded.
The entry points load on first use (PEP 562), so a command that only registers `clerkships extract`,
or reads `ExtractError`, does not pay for the rules and the parsers (0.6 s) at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawlers.extract.errors import ExtractError

if TYPE_CHECKING:
    from crawlers.extract.program import extract_document, extract_programs

__all__ = ["ExtractError", "extract_document", "extract_programs"]


def __getattr__(name: str) -> Any:
    if name in ("extract_document", "extract_programs"):
        from crawlers.extract import program

        return getattr(program, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

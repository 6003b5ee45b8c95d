"""Extraction: a saved or fetched page (HTML, plain text or PDF) → program records with evidence.

`extract_document` is the one extraction path (`clerkships extract` calls it); the crawler, which
also measures the loaded page, calls its second half `extract_programs` on the document it loaded.
"""

from crawlers.extract.errors import ExtractError
from crawlers.extract.program import extract_document, extract_programs

__all__ = ["ExtractError", "extract_document", "extract_programs"]

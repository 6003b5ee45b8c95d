"""Extraction: a saved or fetched page (HTML, plain text or PDF) → program records with evidence.

`extract_document` is the one extraction path: the crawler and `clerkships extract` both call it.
"""

from crawlers.extract.errors import ExtractError
from crawlers.extract.program import extract_document

__all__ = ["ExtractError", "extract_document"]

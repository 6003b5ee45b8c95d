"""Discovery: which links of a page lead to more program pages of the same source.

A link is followed when it stays on the source's hosts and its text or URL names a program
(international, visiting student, clerkship, elective, observership, ... or the source's own
keywords). PDFs are followed from pages that turned out to describe programs.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor

from crawlers.config import Source

PROGRAM_WORDS = (
    "international",
    "visiting students?",
    "visiting medical",
    "visiting physicians?",
    "clerkships?",
    "electives?",
    "observerships?",
    "observers?",
    "externships?",
    "sub internships?",
    "imgs?",
    "ims",
)

EXTRACTOR = LinkExtractor(deny_extensions=[ext for ext in IGNORED_EXTENSIONS if ext != "pdf"], unique=True)


def words(text: str) -> str:
    """Lower-case words separated by single spaces, so URLs and link texts match alike."""
    return " ".join(re.findall(r"[a-z0-9]+", unquote(text).lower()))


def program_pattern(source: Source) -> re.Pattern[str]:
    """One regex for the built-in program words plus the source's own keywords."""
    extra = [re.escape(words(keyword)) for keyword in source.follow.keywords if words(keyword)]
    return re.compile(r"\b(?:" + "|".join([*PROGRAM_WORDS, *extra]) + r")\b")


def is_pdf(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")


def program_links(
    response: Response, source: Source, pattern: re.Pattern[str], with_pdfs: bool
) -> tuple[list[str], int]:
    """On-host links of the page that look like program pages (and its PDFs when `with_pdfs`), and
    how many more looked like them but lead off the source's hosts (dropped)."""
    if not isinstance(response, TextResponse):
        return [], 0
    found, offsite = [], 0
    for link in EXTRACTOR.extract_links(response):
        path = urlsplit(link.url)
        if (with_pdfs and is_pdf(link.url)) or pattern.search(words(f"{link.text} {path.path} {path.query}")):
            if source.allows(link.url):
                found.append(link.url)
            else:
                offsite += 1
    return found, offsite

"""Discovery: which links of a page lead to more program pages of the same source.

A link is followed when it stays on the source's hosts and its text or URL names a program
(international, visiting student, clerkship, elective, observership, ... or the source's own
keywords). PDFs are followed from pages that turned out to describe programs.

The links come from the tree extraction already parsed (`HtmlPage.links`, the whole page's), read
as Scrapy's LinkExtractor reads them (base href, no images or other binaries but PDFs, each URL
once, its first link's text), but only a link that looks like a program page is normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlparse, urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from w3lib.html import get_base_url, strip_html5_whitespace
from w3lib.url import safe_url_string

from contract.identity import site_host
from crawlers.config import Source

if TYPE_CHECKING:
    from crawlers.extract.html import HtmlPage

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

DENIED_EXTENSIONS = [ext for ext in IGNORED_EXTENSIONS if ext != "pdf"]
DENIED_SUFFIXES = tuple("." + ext for ext in DENIED_EXTENSIONS)
LINK_SCHEMES = frozenset({"http", "https", "file", "ftp"})  # as Scrapy's LinkExtractor
BASE_SCAN = 4096  # characters where Scrapy looks for <base href>
EXTRACTOR = LinkExtractor(deny_extensions=DENIED_EXTENSIONS, unique=True)  # for flows.probe's link texts
WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=16_384)
def words(text: str) -> str:
    """Lower-case words separated by single spaces, so URLs and link texts match alike (cached: a
    site's menu and footer texts repeat on every page)."""
    return " ".join(WORD.findall(unquote(text).lower()))


def program_pattern(source: Source) -> re.Pattern[str]:
    """One regex for the built-in program words plus the source's own keywords."""
    extra = [re.escape(words(keyword)) for keyword in source.follow.keywords if words(keyword)]
    return re.compile(r"\b(?:" + "|".join([*PROGRAM_WORDS, *extra]) + r")\b")


def is_pdf(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")


@dataclass(frozen=True)
class HostMatcher:
    """A source's hosts as sets, so each link costs a few lookups (see `Source.allows`)."""

    exact: frozenset[str]  # every host as configured, with its port when it has one
    domains: frozenset[str]  # hosts without a port: they and their sub-domains

    def allows(self, url: str) -> bool:
        host = site_host(url)
        if host in self.exact:
            return True
        labels = host.split(":")[0].split(".")
        return any(".".join(labels[i:]) in self.domains for i in range(len(labels)))


@cache
def host_matcher(hosts: tuple[str, ...]) -> HostMatcher:
    """One matcher per source's hosts for the life of the process (Source is frozen but unhashable)."""
    return HostMatcher(frozenset(hosts), frozenset(host for host in hosts if ":" not in host))


@lru_cache(maxsize=16_384)
def target(base: str, href: str) -> tuple[str, str, bool] | None:
    """Where a link leads, its path and query as `words`, whether it is a PDF; None for a link never
    followed (bogus, not http/https/file/ftp, an image or other binary). Cached: a site's menus and
    footers repeat on every page."""
    try:
        joined = urljoin(base, href)
    except ValueError:
        return None
    if joined.split("://", 1)[0] not in LINK_SCHEMES or urlparse(joined).path.lower().endswith(DENIED_SUFFIXES):
        return None
    parts = urlsplit(joined)
    return joined, words(f"{parts.path} {parts.query}"), parts.path.lower().endswith(".pdf")


@lru_cache(maxsize=16_384)
def names_program(pattern: re.Pattern[str], text: str, url_words: str) -> bool:
    """A link's text or URL names a program (cached: a site's menus repeat on every page)."""
    return pattern.search(f"{words(text)} {url_words}") is not None


def program_links(
    url: str, page: HtmlPage | None, encoding: str | None, source: Source, pattern: re.Pattern[str], with_pdfs: bool
) -> tuple[list[str], int]:
    """On-host links of the page at `url` that look like program pages (and its PDFs when
    `with_pdfs`), and how many more looked like them but lead off the source's hosts (dropped).

    `encoding` is the response's (None: not a text response, no links), for the queries of links."""
    if page is None or encoding is None:
        return [], 0
    base = get_base_url(page.raw[:BASE_SCAN], url, encoding)
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}/" if parts.netloc else base  # what "/path" links join with
    on_hosts = host_matcher(tuple(source.hosts))
    seen: set[str] = set()  # joined URLs
    kept: set[str] = set()  # normalised program links, on the hosts or not
    found: list[str] = []
    offsite = 0
    for href, text in page.links:
        href = strip_html5_whitespace(href)
        leads = target(origin if href[:1] == "/" and href[1:2] != "/" else base, href)
        if leads is None or leads[0] in seen:
            continue
        joined, url_words, pdf = leads
        seen.add(joined)  # the first link to a URL names it, as with Scrapy's `unique`
        if not ((with_pdfs and pdf) or names_program(pattern, text, url_words)):
            continue
        try:
            link = urljoin(url, safe_url_string(joined, encoding=encoding))
        except ValueError:
            continue
        if link in kept:
            continue
        kept.add(link)
        if on_hosts.allows(link):
            found.append(link)
        else:
            offsite += 1
    return found, offsite

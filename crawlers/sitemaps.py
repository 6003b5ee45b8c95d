"""Sitemaps (a source's `follow.sitemap`): the program-looking pages a site lists in its sitemaps.

Read the way Scrapy's SitemapSpider reads them, with Scrapy's own parser: robots.txt's `Sitemap:`
lines name the sitemaps (else `/sitemap.xml` is tried), an index names more sitemaps, a urlset
names pages. A listed URL has no link text, so only its path and query are matched against the
program words; URLs off the source's hosts are left out, as links are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response, XmlResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawlers.config import Source
from crawlers.links import words

MAX_SITEMAPS = 20
"""Sitemap files (robots.txt included) read per source per run: a university's index can name
hundreds, and the program pages are a few of their URLs."""
ROBOTS = "/robots.txt"


@dataclass
class SitemapReading:
    """What one robots.txt or sitemap file lists: more sitemaps to read, and program-looking pages."""

    sitemaps: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def robots_urls(source: Source) -> list[str]:
    """The robots.txt of each start URL's host: where a site names its sitemaps."""
    return sorted({urljoin(url, ROBOTS) for url in source.start_urls})


def read_sitemap(response: Response, source: Source, pattern: re.Pattern[str], max_size: int) -> SitemapReading:
    """The on-host sitemaps and program-looking pages that a robots.txt or sitemap response lists."""
    if urlsplit(response.url).path == ROBOTS:
        named = list(sitemap_urls_from_robots(response.body, base_url=response.url)) if response.status == 200 else []
        named = named or [urljoin(response.url, "/sitemap.xml")]
        return SitemapReading(sitemaps=[url for url in named if source.allows(url)])
    body = sitemap_body(response, max_size)
    if not body:
        return SitemapReading()
    sitemap = Sitemap(body)
    listed = [entry["loc"] for entry in sitemap if entry.get("loc") and source.allows(entry["loc"])]
    if sitemap.type == "sitemapindex":
        return SitemapReading(sitemaps=listed)
    if sitemap.type == "urlset":
        return SitemapReading(pages=[url for url in listed if pattern.search(url_words(url))])
    return SitemapReading()


def url_words(url: str) -> str:
    parts = urlsplit(url)
    return words(f"{parts.path} {parts.query}")


def sitemap_body(response: Response, max_size: int) -> bytes | None:
    """The XML of a sitemap response (gunzipped within `max_size`), or None when it is not one;
    SitemapSpider's rule: an XML response, a gzip body, or a URL ending in .xml or .xml.gz."""
    if isinstance(response, XmlResponse):
        return response.body
    if gzip_magic_number(response):
        try:
            return gunzip(response.body, max_size=max_size)
        except (OSError, EOFError, ValueError):  # corrupt, or larger than allowed once unpacked
            return None
    if response.url.endswith((".xml", ".xml.gz")):
        return response.body
    return None

"""Link discovery from the tree extraction already parsed finds what Scrapy's LinkExtractor found.

The reference below is the discovery the crawler used before (LinkExtractor over a response parsed
again, `Source.allows` per link), kept here only to compare against, page by page: the fixture
web's pages on every night, pages like the crawl tests', bench/'s realistic ones and pages made of
the awkward cases (base href, relative and protocol-relative links, javascript:, mailto:, tel:,
images, PDFs, fragments, queries, duplicate URLs with other texts, non-ASCII links).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor

from bench.synthetic_web import index_page, program_page
from crawlers.config import Config, Follow, Source, load_config
from crawlers.extract.document import load_document
from crawlers.links import HostMatcher, host_matcher, is_pdf, program_links, program_pattern, words
from demo.sites import HTML, INSTITUTIONS
from demo.web import FixtureWeb
from tests.crawl.site import html, observership

REFERENCE_EXTRACTOR = LinkExtractor(deny_extensions=[e for e in IGNORED_EXTENSIONS if e != "pdf"], unique=True)


def reference_links(
    response: Response, source: Source, pattern: re.Pattern[str], with_pdfs: bool
) -> tuple[list[str], int]:
    """crawlers.links.program_links as it was, over Scrapy's LinkExtractor."""
    if not isinstance(response, TextResponse):
        return [], 0
    found, offsite = [], 0
    for link in REFERENCE_EXTRACTOR.extract_links(response):
        path = urlsplit(link.url)
        if (with_pdfs and is_pdf(link.url)) or pattern.search(words(f"{link.text} {path.path} {path.query}")):
            if source.allows(link.url):
                found.append(link.url)
            else:
                offsite += 1
    return found, offsite


def source(start: str, hosts: list[str] | None = None, keywords: tuple[str, ...] = ()) -> Source:
    return Source(
        id="lake",
        institution="Lake University",
        city="Chicago",
        state="IL",
        start_urls=[start],
        allowed_hosts=hosts,
        allow_private=True,
        follow=Follow(keywords=list(keywords)),
    )


def assert_same_links(source: Source, url: str, body: bytes, content_type: str, encoding: str = "utf-8") -> None:
    """Both discoveries agree on the page, with and without its PDFs."""
    pattern = program_pattern(source)
    page = load_document(body, content_type).html
    for with_pdfs in (False, True):
        expected = reference_links(HtmlResponse(url, body=body, encoding=encoding), source, pattern, with_pdfs)
        assert program_links(url, page, encoding, source, pattern, with_pdfs) == expected, (url, with_pdfs)


EDGE_CASES = """<!doctype html><html><head><base href="/visiting/international/"><title>Edges</title></head><body>
<nav><a href="/">Home</a><a href="../electives/surgery">Surgery</a><a href="clerkships/">Details</a></nav>
<a href="  observership.html  ">Padded href</a>
<a href="//127.0.0.41:8001/international/electives">Protocol-relative, other host</a>
<a href="//127.0.0.40:8000/international/observership">Protocol-relative, same host</a>
<a href="https://partner.example.org/international/electives">Partner electives</a>
<a href="http://sub.lake.example.edu/electives">Sub-domain electives</a>
<a href="http://www.lake.example.edu/visiting-students">www host</a>
<a href="javascript:openElectives()">International electives (script)</a>
<a href="mailto:visiting@lake.example.edu">Email the observership office</a>
<a href="tel:+15555550100">Call about clerkships</a>
<a href="/img/observership-poster.JPG">Observership poster</a>
<a href="/img/electives.png;jsessionid=7">Electives picture</a>
<a href="/docs/elective-packet.pdf">Application packet</a>
<a href="/docs/handbook.PDF?v=2">Handbook</a>
<a href="/files/clerkships.tar.gz">Archive</a>
<a href="#apply">Apply (fragment of this page)</a>
<a href="observership.html#fees">Fees (fragment)</a>
<a href="/search?q=international+electives&amp;page=2">Search results</a>
<a href="/programs?type=observer">Programs</a>
<a href="/news/gala">Read more</a><a href="/news/gala">International gala</a>
<a href="/a/b/../../visiting/x/../students">Dot segments</a>
<a href="/électives/été?année=2027">Non-ASCII</a>
<a href="/a b/observership c">Spaces</a><a href="/a%20b/observership%20c">Escaped spaces</a>
<a href="http://[bad">Bogus</a>
<a href="">Empty href: this international page</a><a>No href at all: electives</a>
<map><area href="/visiting/img-map-observers" alt="Observers"></map>
<a href="/ims/welcome"><span>IMG</span> <b>welcome</b></a>
<a href="/partners/global-health">Global health partners</a>
</body></html>"""


@pytest.mark.parametrize(
    "start, hosts, keywords",
    [
        ("http://127.0.0.40:8000/visiting", None, ()),
        ("http://127.0.0.40:8000/visiting", ["127.0.0.40:8000", "lake.example.edu"], ("global health",)),
        ("http://127.0.0.40:8000/visiting", ["127.0.0.40", "www.lake.example.edu"], ()),
    ],
)
def test_awkward_links_are_read_as_scrapy_reads_them(start, hosts, keywords):
    src = source(start, hosts, keywords)
    for url in ("http://127.0.0.40:8000/visiting", "http://127.0.0.40:8000/visiting/international/index.html"):
        assert_same_links(src, url, EDGE_CASES.encode(), HTML)
        without_base = EDGE_CASES.replace('<base href="/visiting/international/">', "")
        assert_same_links(src, url, without_base.encode(), HTML)


def test_query_text_in_the_page_encoding_and_a_base_on_another_host():
    src = source("http://127.0.0.40:8000/visiting")
    page = (
        '<html><head><meta charset="windows-1252"><base href="http://127.0.0.41:8001/"></head><body>'
        '<a href="/search?q=électives">International électives</a><a href="international/observership">Observership</a>'
        '<a href="http://127.0.0.40:8000/visiting/clerkships">Clerkships</a></body></html>'
    )
    assert_same_links(src, "http://127.0.0.40:8000/visiting", page.encode("cp1252"), "text/html", "cp1252")
    url = "http://127.0.0.40:8000/visiting"
    document = load_document(page.encode("cp1252"), "text/html")
    found, offsite = program_links(url, document.html, "cp1252", src, program_pattern(src), False)
    assert found == ["http://127.0.0.40:8000/visiting/clerkships"] and offsite == 2  # relative to the base's host


def test_the_fixture_webs_pages_every_night(tmp_path):
    web = FixtureWeb()  # not started: its pages, not its servers
    web.base_urls = {site.id: f"http://127.0.0.{n}:8000" for n, site in enumerate(INSTITUTIONS, start=2)}
    config: Config = load_config(web.write_config(tmp_path / "sources.yaml"))
    compared = 0
    for site in INSTITUTIONS:
        src = next(s for s in config.sources if s.id == site.id)
        for night in (1, 2, 3):
            for path, response in site.pages(site, night, web.base_urls).items():
                if "html" in response.content_type and response.status == 200:
                    assert_same_links(src, web.base_urls[site.id] + path, response.body, response.content_type)
                    compared += 1
    assert compared > 50


def test_crawl_test_pages_and_bench_pages():
    base = "http://127.0.0.21:8000"
    src = source(f"{base}/visiting")
    hub = html(
        "Visiting students",
        '<h1>Visiting students</h1><ul><li><a href="/visiting/clerkships?utm_source=newsletter">Surgery</a></li>'
        '<li><a href="/visiting/clerkships/">Details</a></li><li><a href="/visiting/observership">Cardiology</a></li>'
        '<li><a href="/private/elective">Private</a></li><li><a href="/news/gala">Annual gala</a></li>'
        '<li><a href="http://127.0.0.22:8000/international/electives">Our partner</a></li></ul>',
    )
    program = html("Observership", observership("Cardiology", 2, '<p><a href="/docs/packet.pdf">Packet</a></p>'))
    for content_type, body in (hub, program):
        assert_same_links(src, f"{base}/visiting", body, content_type)
    bench_source = source("http://127.0.0.10:8000/international/")
    assert_same_links(bench_source, "http://127.0.0.10:8000/international/", index_page(40, True).encode(), HTML)
    for host, number in ((0, 3), (4, 11)):
        url = f"http://127.0.0.10:8000/international/observerships/{number}.html"
        assert_same_links(bench_source, url, program_page(host, number, True).encode(), HTML)


def test_pages_without_html_have_no_links():
    src = source("http://127.0.0.40:8000/visiting")
    pattern = program_pattern(src)
    assert program_links("http://127.0.0.40:8000/a.pdf", None, None, src, pattern, True) == ([], 0)
    page = load_document(b"<html><body><a href='/electives'>Electives</a></body></html>", HTML).html
    assert program_links("http://127.0.0.40:8000/", page, None, src, pattern, True) == ([], 0)  # not a text response


@pytest.mark.parametrize(
    "url",
    [
        "http://a.edu/x",
        "http://A.edu:80/x",
        "http://www.a.edu/",
        "http://b.a.edu/",
        "http://ba.edu/",
        "http://a.edu:8080/",
        "http://c.org:8443/",
        "http://c.org/",
        "http://x.c.org:8443/",
        "file:///etc",
        "http://d.net:81/",
        "http://d.net/",
        "http://1.2.3.4/",
    ],
)
def test_host_matcher_agrees_with_source_allows(url):
    src = source("http://a.edu/", ["a.edu", "c.org:8443", "d.net:81", "2.3.4"])
    matcher = host_matcher(tuple(src.hosts))
    assert isinstance(matcher, HostMatcher) and matcher.allows(url) == src.allows(url)

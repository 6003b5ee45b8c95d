"""Main-content text of an HTML page: boilerplate dropped, headings kept on lines of their own.

Uses lxml for the tree and html-text for layout-aware text, so block elements become line breaks
and the heading lines survive for `blocks` to split programs on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import html_text
import lxml.html
from lxml import etree

DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")
DROP_ROLES = ("navigation", "banner", "contentinfo", "search", "dialog", "alertdialog")
BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:cookie|consent|gdpr|skip-?link|skip-?to|breadcrumbs?|share|social|navbar|menu|site-?footer|"
    r"site-?header|back-?to-?top|covid|alert-?banner)(?:$|[\s_-])",
    re.I,
)
MARKED = etree.XPath("//*[@role or @id or @class]")
# The markup is already text: tell libxml2 its bytes are UTF-8, or it reads a page without a
# <meta charset> as Latin-1 and one whose <meta> names another charset by that. One parser for the
# process (lxml keeps a parser context per thread), not one built per page.
PARSER = lxml.html.HTMLParser(recover=True, huge_tree=True, remove_comments=True, encoding="utf-8")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class HtmlPage:
    """A parsed page: its cleaned main-content tree, that tree's text and its heading texts, the
    (href, text) of every link of the whole page (menus too), for link discovery to reuse the parse,
    and the text of its JSON-LD script tags (cleaning drops the scripts)."""

    tree: lxml.html.HtmlElement
    text: str
    headings: set[str]
    raw: str
    links: list[tuple[str, str]]
    json_ld: list[str]


def parse_html(markup: str) -> HtmlPage:
    """Parse, drop boilerplate, keep the main content; never raises on bad markup."""
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=PARSER)
    except (etree.ParserError, ValueError):
        root = lxml.html.fromstring("<html><body></body></html>")
    links = [(href, link_text(a)) for a in root.iter("a", "area") if (href := a.get("href")) is not None]
    json_ld = [script.text_content() for script in root.iter("script") if _is_json_ld(script)]
    clean(root)
    main = main_content(root)
    text = html_text.extract_text(main, guess_layout=True)
    if not text.strip():
        text = flat_text(markup)  # libxml2 drops content nested deeper than its depth limit
    headings = {norm_space(h.text_content()) for h in main.iter(*HEADING_TAGS)}
    return HtmlPage(tree=main, text=text, headings={h for h in headings if h}, raw=markup, links=links, json_ld=json_ld)


def link_text(link: lxml.html.HtmlElement) -> str:
    """`text_content()` without its XPath call for the usual link, whose text has no child elements."""
    return link.text_content() if len(link) else link.text or ""


def _is_json_ld(script: lxml.html.HtmlElement) -> bool:
    return (script.get("type") or "").strip().lower() == "application/ld+json"


def clean(root: lxml.html.HtmlElement) -> None:
    """Remove navigation, banners, scripts and cookie notices in place."""
    doomed = [el for el in root.iter(*DROP_TAGS)]
    for el in MARKED(root):  # an element without role, id or class is never boilerplate by its marks
        if el.tag in ("html", "body"):
            continue
        if is_boilerplate(el.get("role") or "", f"{el.get('id') or ''} {el.get('class') or ''}"):
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()


@lru_cache(maxsize=16_384)
def is_boilerplate(role: str, marks: str) -> bool:
    """An element's role, or its id and classes, name site chrome (cached: a CMS repeats its classes
    on every menu item and every page)."""
    return role.lower() in DROP_ROLES or BOILERPLATE.search(marks) is not None


def main_content(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The page's <main> / role=main / single <article> when it holds the text, else the body."""
    for xpath in ("//main", "//*[@role='main']", "//article"):
        found: list[lxml.html.HtmlElement] = root.xpath(xpath)
        if len(found) == 1 and len(norm_space(found[0].text_content())) > 200:
            return found[0]
    body = root.find("body")
    return body if body is not None else root


def link_share(tree: lxml.html.HtmlElement) -> float:
    """Share of the main content's text that is link text: near 1 on an index of program pages."""
    total = len(norm_space(tree.text_content()))
    links = sum(len(norm_space(a.text_content())) for a in tree.iter("a"))
    return links / total if total else 0.0


def words_outside_links(tree: lxml.html.HtmlElement) -> tuple[int, int]:
    """(links, words not inside a link) of the main content: an index page has several links and
    says little else itself."""
    links = [a for a in tree.iter("a") if norm_space(a.text_content())]
    linked = sum(len(a.text_content().split()) for a in links)
    return len(links), max(0, len(tree.text_content().split()) - linked)


class _TextCollector(HTMLParser):
    """A tokenizer (no tree, so no depth limit) that keeps text outside script/style, a line per block."""

    BLOCK = frozenset({"p", "div", "li", "tr", "br", "section", "article", *HEADING_TAGS})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def flat_text(markup: str) -> str:
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    lines = (norm_space(line) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)


def norm_space(text: str) -> str:
    """Runs of whitespace as one space, no leading or trailing space (str.split's whitespace is the
    regex's `\\s`, and it is several times faster than a substitution)."""
    return " ".join(text.split())

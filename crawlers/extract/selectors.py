"""Per-source CSS selectors from the config: program blocks and field overrides.

A source's selectors win over generic extraction: `program_block` says what one program is on the
page, and `fields` point at the element holding a field's text, which is then read by that field's
own rule (or taken as is for free-text fields).
"""

from __future__ import annotations

import html_text
import lxml.html
from cssselect import SelectorError
from lxml.cssselect import CSSSelector

from crawlers.extract.errors import ExtractError

FREE_TEXT = {"program_name", "deadline_text", "english_requirement", "visa", "contact_email", "application_url"}


def compile_selector(css: str) -> CSSSelector:
    try:
        return CSSSelector(css, translator="html")
    except SelectorError as exc:
        raise ExtractError(f"bad CSS selector {css!r}: {exc}") from None


def select_blocks(tree: lxml.html.HtmlElement, css: str) -> list[lxml.html.HtmlElement]:
    return compile_selector(css)(tree)


def select_text(tree: lxml.html.HtmlElement, css: str) -> str | None:
    """Text of the elements matching `css` (in order), or None when nothing matches."""
    found = compile_selector(css)(tree)
    text = "\n".join(html_text.extract_text(el, guess_layout=True) for el in found).strip()
    return text or None


def element_text(el: lxml.html.HtmlElement) -> str:
    return html_text.extract_text(el, guess_layout=True)

"""Bytes → text, by what the content is (never by file name): PDF, HTML or plain text."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

from w3lib.encoding import html_to_unicode

from crawlers.extract.errors import ExtractError
from crawlers.extract.html import HtmlPage, parse_html

MAX_TEXT_CHARS = 400_000  # program facts sit near the top; past this a page is a dump, not a program page
HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|div|p|h[1-6]|section|article|table|meta|title)\b", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


@dataclass
class Document:
    """The readable text of one page, its headings (when markup says so) and its HTML, if any."""

    text: str
    headings: set[str] = field(default_factory=set)
    html: HtmlPage | None = None


def load_document(data: bytes, content_type: str | None = None) -> Document:
    """Sniff the kind of `data` and return its text; raise ExtractError when there is none."""
    if not data or not data.strip():
        raise ExtractError("empty input: no text to extract")
    if data.lstrip()[:5] == b"%PDF-":
        return Document(text=_pdf_text(data))
    text = _decode(data, content_type)
    if _looks_binary(text):
        raise ExtractError("binary data, not an HTML, text or PDF page")
    if _is_html(data, content_type):
        page = parse_html(text)
        return Document(text=page.text[:MAX_TEXT_CHARS], headings=page.headings, html=page)
    return Document(text=text.replace("\r\n", "\n").replace("\r", "\n")[:MAX_TEXT_CHARS])


def _decode(data: bytes, content_type: str | None) -> str:
    """Declared / sniffed encoding (w3lib); a wrong declaration falls back to windows-1252, the web's default."""
    _, text = html_to_unicode(content_type, data)
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return text
    return text


def _is_html(data: bytes, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    return bool(HTML_SNIFF.search(data[:4096]))


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    return len(CONTROL.findall(sample)) > max(8, len(sample) // 50)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractError(f"unreadable PDF: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    if not text.strip():
        raise ExtractError("PDF has no text layer (scanned image?): nothing to extract")
    return text[:MAX_TEXT_CHARS]

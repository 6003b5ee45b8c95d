"""Builders for test inputs: a PDF with a real text layer, one without, HTML around text."""

from __future__ import annotations

import io
from html import escape

from pypdf import PdfWriter

from demo.pdf import pdf_document


def pdf_with_text(lines: list[str]) -> bytes:
    """A PDF whose text layer holds `lines`: the first as its title, the rest as paragraphs."""
    return pdf_document(lines[0], lines[1:])


def pdf_without_text() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_page(text: str, title: str = "Program") -> bytes:
    """Plain text wrapped as a simple page: paragraphs per line, with site chrome around it."""
    body = "\n".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title><script>var x = 'observership fee $9';</script>"
        f"</head><body><nav><a href='/'>Home</a> <a href='#main'>Skip to main content</a></nav>"
        f"<div class='cookie-banner'>We use cookies. Accept all cookies.</div>"
        f"<main id='main'>{body}</main><footer>Back to top · © University</footer></body></html>"
    ).encode()

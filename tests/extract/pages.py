"""Builders for test inputs: a PDF with a real text layer, one without, HTML around text."""

from __future__ import annotations

import io
from html import escape

from pypdf import PdfWriter


def pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF whose content stream draws `lines` in Helvetica (a real text layer)."""
    ops = ["BT", "/F1 11 Tf", "72 720 Td", "14 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({safe}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


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

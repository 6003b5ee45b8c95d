"""A minimal PDF writer: paragraphs of text in Helvetica, with a real text layer.

No PDF-writing library is among the project's dependencies (pypdf reads well but cannot lay out
text), and the fixture web needs one small real PDF, so this writes the few objects a valid PDF
needs by hand: catalog, page tree, pages, one content stream per page, the standard Helvetica
font, and a cross-reference table with exact byte offsets.
"""

from __future__ import annotations

import textwrap

LINES_PER_PAGE = 48
WRAP = 92
ASCII = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "•": "-", "\u00a0": " "})


def pdf_document(title: str, paragraphs: list[str]) -> bytes:
    """A letter-size PDF: the title, then each paragraph wrapped to the page width."""
    lines = [title, ""]
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph.translate(ASCII), WRAP), ""]
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    font = 3 + 2 * len(pages)  # object number of the font, after catalog, page tree and page pairs
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(len(pages))), len(pages)),
    ]
    for i, page in enumerate(pages):
        stream = _text_stream(page)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text_stream(lines: list[str]) -> bytes:
    """Show each line 15 points below the previous one, from the top-left margin."""
    shown = b" ".join(b"(%s) Tj 0 -15 Td" % _pdf_string(line) for line in lines)
    return b"BT /F1 11 Tf 56 740 Td " + shown + b" ET"


def _pdf_string(text: str) -> bytes:
    """A PDF literal string body: WinAnsi (Latin-1) bytes with \\, ( and ) escaped."""
    raw = text.translate(ASCII).encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

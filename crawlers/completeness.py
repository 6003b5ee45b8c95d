"""Is a fetched HTML page whole? A page cut off in transfer (a 200 whose Content-Length matches
what came, but the server sent only part of the page) must not be read as the site's new version:
its missing part would null fees, deadlines and e-mails, and restore them the next night.

A page is incomplete when
- its markup is cut: it ends inside a tag (a `<` after the last `>`), or it opened `<body>` or
  `<html>` and never closed it; or
- its text is less than half of its last version's text and it states no closure (none of its
  programs is closed or suspended): a page that shrinks to say "closed" is news, not damage.

Only HTML is judged (a PDF's own structure is checked by its reader).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawlers.record import ExtractedProgram

SHRINK = 0.5
"""A page whose text falls below this share of its last version's is suspected cut off."""
CLOSURES = frozenset({"closed", "suspended"})
WRAPPERS = ("body", "html")
_OPENED = {tag: re.compile(rb"<%s[\s/>]" % tag.encode(), re.I) for tag in WRAPPERS}
_CLOSED = {tag: re.compile(rb"</%s\s*>" % tag.encode(), re.I) for tag in WRAPPERS}


def cut_markup(body: bytes) -> str | None:
    """Why the page's markup stops short, or None when it closes what it opened."""
    tail = body.rstrip()
    if tail.rfind(b"<") > tail.rfind(b">"):
        return "it ends inside a tag"
    for tag in WRAPPERS:
        if _OPENED[tag].search(body) and not _CLOSED[tag].search(body):
            return f"it opens <{tag}> and never closes it"
    return None


def shrunk(text_chars: int | None, last_chars: int | None, programs: Iterable[ExtractedProgram]) -> str | None:
    """Why the page's text looks cut against its last version, or None; a stated closure explains any shrink."""
    if text_chars is None or not last_chars or text_chars >= last_chars * SHRINK:
        return None
    if any(program.status in CLOSURES for program in programs):
        return None
    return f"its text shrank to {text_chars} characters from {last_chars}, stating no closure"

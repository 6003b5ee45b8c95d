"""Is a fetched HTML page whole? A page cut off in transfer (a 200 whose Content-Length matches
what came, but the server sent only part of the page) must not be read as the site's new version:
its missing part would null fees, deadlines and e-mails, and restore them the next night.

A page is incomplete when
- its markup is cut: it ends inside a tag (a `<` after the last `>`); or it opened `<body>` or
  `<html>`, never closed it, and either stops in the middle of text (a page that leaves out its
  closing tags, as HTML allows, still ends with a tag) or its last version did close it; or
- its text is less than half of its last version's text and it states no closure (none of its
  programs is closed or suspended): a page that shrinks to say "closed" is news, not damage.

Only HTML is judged (a PDF's own structure is checked by its reader).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from contract.record import ExtractedProgram

SHRINK = 0.5
"""A page whose text falls below this share of its last version's is suspected cut off."""
CLOSURES = frozenset({"closed", "suspended"})
WRAPPERS = ("body", "html")
_OPENED = {tag: re.compile(rb"<%s[\s/>]" % tag.encode(), re.I) for tag in WRAPPERS}
_CLOSED = {tag: re.compile(rb"</%s\s*>" % tag.encode(), re.I) for tag in WRAPPERS}


def closes_wrappers(body: bytes) -> bool:
    """Whether the page closes every `<body>` / `<html>` it opens (kept with the page's entry)."""
    return all(_CLOSED[tag].search(body) or not _OPENED[tag].search(body) for tag in WRAPPERS)


def cut_markup(body: bytes, closed_before: bool | None = None) -> str | None:
    """Why the page's markup stops short, or None; `closed_before`: its last version closed its wrappers."""
    tail = body.rstrip()
    if tail.rfind(b"<") > tail.rfind(b">"):
        return "it ends inside a tag"
    for tag in WRAPPERS:
        if _OPENED[tag].search(body) and not _CLOSED[tag].search(body):
            if not tail.endswith(b">"):
                return f"it stops mid-text inside <{tag}>"
            if closed_before:
                return f"it opens <{tag}> and never closes it, as its last version did"
    return None


def shrunk(text_chars: int | None, last_chars: int | None, programs: Iterable[ExtractedProgram]) -> str | None:
    """Why the page's text looks cut against its last version, or None; a stated closure explains any shrink."""
    if text_chars is None or not last_chars or text_chars >= last_chars * SHRINK:
        return None
    if any(program.status in CLOSURES for program in programs):
        return None
    return f"its text shrank to {text_chars} characters from {last_chars}, stating no closure"

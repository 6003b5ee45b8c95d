"""Extraction cost: ms per page on the dev pages wrapped as HTML, and its ratio to parsing alone.

Aim: extraction ≤ 10× an lxml parse of the same HTML (the rules, not the parsing, should dominate,
and stay cheap). Medians of the rounds, one after another in this process.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

import html_text
import lxml.html

from bench.report import Goal, Row
from crawlers.extract import extract_document

PAGES = Path(os.environ.get("CLERKSHIPS_REAL_PAGES") or Path(__file__).resolve().parents[2] / "shared/real-pages-dev")
"""The labelled real pages, kept outside the repository (as the extraction tests read them)."""


def as_html(text: str) -> bytes:
    """A page as a site would serve it: chrome around paragraphs, headings as <h2>."""
    parts = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            tag = "h2" if len(line) < 60 and not line.endswith(".") else "p"
            parts.append(f"<{tag}>{escape(line)}</{tag}>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Program</title>"
        "<script>window.analytics = {};</script><style>body{font:14px sans-serif}</style></head><body>"
        "<header><nav><a href='/'>Home</a><a href='/about'>About</a></nav></header>"
        f"<main>{''.join(parts)}</main><footer><p>© University · Back to top</p></footer></body></html>"
    ).encode()


def timed(fn: Callable[[bytes], object], pages: list[bytes], rounds: int) -> float:
    """Median seconds of one pass over all pages."""
    passes = []
    for _ in range(rounds):
        start = time.perf_counter()
        for page in pages:
            fn(page)
        passes.append(time.perf_counter() - start)
    return statistics.median(passes)


def rows(rounds: int) -> list[Row]:
    """Extraction per page against an lxml parse of the same HTML; none without the dev pages."""
    if not PAGES.is_dir():
        print(f"extraction skipped: real pages not found at {PAGES} (set CLERKSHIPS_REAL_PAGES)")
        return []
    pages = [as_html(json.loads(p.read_text(encoding="utf-8"))["text"]) for p in sorted(PAGES.glob("*.json"))]
    extract_document(pages[0])  # warm-up: imports, compiled patterns, vocabulary
    parse = timed(lambda b: lxml.html.document_fromstring(b), pages, rounds)
    text = timed(lambda b: html_text.extract_text(lxml.html.document_fromstring(b)), pages, rounds)
    extract = timed(lambda b: extract_document(b, content_type="text/html"), pages, rounds)
    n = len(pages)
    size = f"{sum(map(len, pages)) / n / 1024:.1f} KiB"
    detail = f"{extract / n * 1000:.2f} ms/page of {size}; parse {parse / n * 1000:.2f} ms"
    return [
        Row("extract_document ÷ lxml parse", f"{n} dev pages", extract / parse, Goal("≤", 10), detail),
        Row("extract_document ÷ (lxml parse + html-text)", f"{n} dev pages", extract / text, None),
    ]

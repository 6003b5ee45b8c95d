"""Extraction cost: ms per page on the dev pages wrapped as HTML, and its ratio to parsing alone.

Run: uv run python bench/bench_extract.py [--rounds N]. Aim: extraction ≤ 10× an lxml parse of the
same HTML (the rules, not the parsing, should dominate, and stay cheap).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from html import escape
from pathlib import Path

import html_text
import lxml.html

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


def timed(fn, pages: list[bytes], rounds: int) -> float:
    """Best-of-rounds seconds for one pass over all pages."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for page in pages:
            fn(page)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if not PAGES.is_dir():
        print(f"skipped: real pages not found at {PAGES} (set CLERKSHIPS_REAL_PAGES)")
        return
    pages = [as_html(json.loads(p.read_text(encoding="utf-8"))["text"]) for p in sorted(PAGES.glob("*.json"))]
    extract_document(pages[0])  # warm-up: imports, compiled patterns, vocabulary
    parse = timed(lambda b: lxml.html.document_fromstring(b), pages, args.rounds)
    text = timed(lambda b: html_text.extract_text(lxml.html.document_fromstring(b)), pages, args.rounds)
    extract = timed(lambda b: extract_document(b, content_type="text/html"), pages, args.rounds)
    n = len(pages)
    print(f"pages: {n} (dev pages wrapped as HTML, {sum(map(len, pages)) / n / 1024:.1f} KiB each)")
    print(f"lxml parse only : {parse / n * 1000:8.3f} ms/page")
    print(f"lxml + html-text: {text / n * 1000:8.3f} ms/page")
    print(f"extract_document: {extract / n * 1000:8.3f} ms/page")
    print(f"ratio extract / lxml parse: {extract / parse:.1f}x (aim ≤ 10x)")
    print(f"ratio extract / (lxml parse + html-text): {extract / text:.1f}x")


if __name__ == "__main__":
    main()

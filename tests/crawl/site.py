"""A small loopback web for crawl tests: program pages, robots.txt, validators, failures,
redirects and answers queued ahead of a page (a 503 before it comes back, say).

Pages live in a dict the test may change between crawls; every request is logged as
(host, path, status) so tests can prove what was (not) fetched, and timed in `times`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from demo.pdf import pdf_document
from demo.web import QuietServer

LAST_MODIFIED = "Tue, 03 Nov 2026 10:00:00 GMT"


class Site:
    """One loopback host serving `pages` ({path: (content_type, body)}); `/slow/...` hangs, `/fail/...` is 500.

    `redirects` ({path: location}) answer 301; `queued` ({path: [(status, headers, body), ...]}) are
    answered first, one per request, before the path answers as usual."""

    def __init__(self, address: str, log: list[tuple[str, str, int]]):
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.redirects: dict[str, str] = {}
        self.queued: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.times: list[tuple[str, float]] = []  # (path, time.monotonic()) as each request came
        self.log = log
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.times.append((self.path, time.monotonic()))
                status, headers, body = site.answer(self.path, self.headers.get("If-None-Match"))
                site.log.append((address, self.path, status))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = QuietServer((address, 0), Handler)
        self.base = f"http://{address}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, if_none_match: str | None) -> tuple[int, dict[str, str], bytes]:
        if path.startswith("/slow/"):
            time.sleep(6)  # well past the configs' 3 s download timeout
        if path.startswith("/fail/"):
            return 500, {"Content-Type": "text/html"}, b"<h1>Internal Server Error</h1>"
        key = path.split("?", 1)[0].rstrip("/") or "/"
        if self.queued.get(key):
            return self.queued[key].pop(0)
        if key in self.redirects:
            return 301, {"Location": self.redirects[key], "Content-Type": "text/html"}, b"moved"
        if key not in self.pages:
            return 404, {"Content-Type": "text/html"}, b"not found"
        content_type, body = self.pages[key]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"Content-Type": content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED}
        if if_none_match == etag:
            return 304, headers, b""
        return 200, headers, body

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def html(title: str, body: str) -> tuple[str, bytes]:
    page = f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"
    return "text/html; charset=utf-8", page.encode()


def pdf(title: str, *paragraphs: str) -> tuple[str, bytes]:
    return "application/pdf", pdf_document(title, list(paragraphs))


def observership(name: str, weeks: int, extra: str = "") -> str:
    """The body of a page describing one program with plain, extractable facts."""
    return (
        f"<main><h1>{name}</h1><p>The {name} is open to international medical graduates for {weeks} weeks. "
        "It is an observership: no hands-on patient care. Applicants must have passed USMLE Step 1. "
        "Application fee: $100. Apply by email to visiting@lakeshore.example.edu. "
        f"Deadline: March 1, 2027.</p>{extra}</main>"
    )


def write_config(path: Path, sources: list[str], politeness: str = "") -> Path:
    """A sources.yaml from source blocks (YAML text, indented as list items)."""
    politeness = politeness or (
        "{download_delay: 0, concurrency_per_host: 2, download_timeout: 3, max_page_bytes: 2000000}"
    )
    text = (
        "settings:\n"
        '  user_agent: "clerkships-test/0.1 (+https://example.org/test)"\n'
        f"  politeness: {politeness}\n"
        "sources:\n" + "".join(sources)
    )
    path.write_text(text, encoding="utf-8")
    return path


def source(source_id: str, start_urls: list[str], extra: str = "") -> str:
    """A source block on the loopback sites above, so it opts in to private addresses."""
    return (
        f"  - id: {source_id}\n"
        f"    institution: {source_id.title()} University\n"
        "    city: Chicago\n"
        "    state: IL\n"
        f"    start_urls: [{', '.join(start_urls)}]\n"
        "    allow_private: true\n" + extra
    )

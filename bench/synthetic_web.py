"""A synthetic web for the crawl benchmark: many hosts (127.0.0.N), program pages, validators.

Each host serves robots.txt, an index of program pages under /international/, a few news pages
the crawler must not follow, and answers conditional GETs (ETag / Last-Modified) with 304.
`js=True` hosts render their program text with a script (for the Chromium figures).
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

SPECIALTIES = ("Internal Medicine", "Surgery", "Pediatrics", "Cardiology", "Neurology", "Radiology", "Psychiatry")
LAST_MODIFIED = "Tue, 03 Nov 2026 10:00:00 GMT"


def program_page(host: int, page: int) -> str:
    """A program page of realistic length with the facts extraction looks for."""
    specialty = SPECIALTIES[(host + page) % len(SPECIALTIES)]
    weeks = 2 + (host + page) % 6
    fee = 100 + 25 * (page % 8)
    filler = " ".join(
        f"<p>Section {i}: visiting students join daily rounds, teaching conferences and clinic sessions "
        f"under the supervision of attending physicians of the {specialty} department.</p>"
        for i in range(12)
    )
    return f"""<!doctype html><html><head><title>{specialty} Observership for International Medical Graduates</title>
</head><body><nav><a href="/">Home</a> <a href="/news/{page}.html">News</a></nav>
<main><h1>{specialty} Observership for International Medical Graduates</h1>
<p>The Department of {specialty} offers a {weeks}-week observership for international medical
graduates. This is an observership only: no hands-on patient contact is permitted.</p>
<h2>Requirements</h2><ul><li>USMLE Step 1 passed</li><li>Graduated within the last 5 years</li>
<li>TOEFL iBT of 100 or higher</li><li>B-1/B-2 visa</li></ul>
<h2>Fees</h2><p>Application fee: $75. Observership fee: ${fee} per week.</p>
<h2>How to apply</h2><p>Apply through our online portal at least 3 months before the start date.
Deadline: March 1, 2027. Contact imgobserve{host}@example.edu.</p>
<p>A certificate of completion is issued; letters of recommendation are not provided.</p>
{filler}</main></body></html>"""


def scripted(html: str) -> str:
    """The same page, but its <main> content is written by a script after load (wait for main.ready)."""
    head, rest = html.split("<main>", 1)
    body, tail = rest.split("</main>", 1)
    escaped = body.replace("\\", "\\\\").replace("`", "\\`").replace("$", "\\$")
    return f"""{head}<main id="app">Loading…</main><img src="/logo.png">
<script>setTimeout(() => {{ const app = document.getElementById('app'); app.innerHTML = `{escaped}`;
app.classList.add('ready'); }}, 50);</script>{tail}"""


def index_page(pages: int) -> str:
    links = "\n".join(
        f'<li><a href="/international/observerships/{i}.html">Observership {i} for international graduates</a></li>'
        for i in range(pages)
    )
    news = "\n".join(f'<li><a href="/news/{i}.html">Campus news {i}</a></li>' for i in range(5))
    return f"""<!doctype html><html><head><title>International Visiting Programs</title></head><body>
<main><h1>International visiting programs</h1><ul>{links}</ul><ul>{news}</ul></main></body></html>"""


@dataclass
class SyntheticWeb:
    """`hosts` servers on 127.0.0.(10+i), each with `pages` program pages; run in a thread."""

    hosts: int
    pages: int
    js: bool = False
    base_urls: list[str] = field(default_factory=list)
    requests: int = 0

    def __enter__(self) -> SyntheticWeb:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.start(), self.loop).result(timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{path:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        for index in range(self.hosts):
            site = web.TCPSite(self.runner, f"127.0.0.{10 + index}", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self.base_urls.append(f"http://127.0.0.{10 + index}:{port}")

    def body(self, host: int, path: str) -> str | None:
        if path == "robots.txt":
            return "User-agent: *\nDisallow: /private/\n"
        html = None
        if path in ("", "international/"):
            html = index_page(self.pages)
        elif path.startswith("international/observerships/") and path.endswith(".html"):
            page = int(path.rsplit("/", 1)[1].removesuffix(".html"))
            html = program_page(host, page) if page < self.pages else None
        if html is not None:
            return scripted(html) if self.js else html
        if path.startswith("news/"):
            return "<html><body><h1>News</h1></body></html>"
        return None

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        host = int(request.host.split(":")[0].rsplit(".", 1)[1]) - 10
        text = self.body(host, request.match_info["path"])
        if text is None:
            return web.Response(status=404, text="not found")
        etag = '"' + hashlib.sha256(text.encode()).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        content_type = "text/plain" if request.match_info["path"] == "robots.txt" else "text/html"
        return web.Response(text=text, content_type=content_type, headers=headers)

    def write_config(self, path: Path, render: str = "static") -> Path:
        """A sources.yaml with one source per host, no delays (loopback), concurrency 2 per host."""
        lines = [
            "settings:",
            '  user_agent: "clerkships-bench/0.1 (+https://example.org/bench)"',
            "  politeness: {download_delay: 0, concurrency_per_host: 2, download_timeout: 30, max_page_bytes: 5000000}",
            "sources:",
        ]
        for index, base in enumerate(self.base_urls):
            lines += [
                f"  - id: host-{index}",
                f"    institution: Synthetic University {index}",
                "    city: Springfield",
                "    state: IL",
                f"    start_urls: [{base}/international/]",
                "    allow_private: true",  # loopback hosts
                f"    render: {render}",
                f"    follow: {{max_depth: 2, max_pages: {self.pages + 10}}}",
            ]
            if render == "js":
                lines.append('    wait_for: "main.ready"')
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

"""A synthetic web for the crawl benchmark: many hosts (127.a.b.c), program pages, validators.

Each host serves robots.txt, an index of program pages under /international/, a few news pages
the crawler must not follow, and answers conditional GETs (ETag / Last-Modified) with 304.
`js=True` hosts render their program text with a script (for the Chromium figures).
`realistic=True` pages (the default) are what hospital sites serve: 15-25 KB, well over 100 links
in menus, breadcrumbs, side bars and footers (a few off-site, mail, phone, script, image and PDF
links among them), around one of the project's own texts from demo/pages/.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from pathlib import Path

from aiohttp import web

from demo.content import PAGES

SPECIALTIES = ("Internal Medicine", "Surgery", "Pediatrics", "Cardiology", "Neurology", "Radiology", "Psychiatry")
LAST_MODIFIED = "Tue, 03 Nov 2026 10:00:00 GMT"
TEXTS = sorted(PAGES.glob("*.txt"))
MENUS = {
    "Patient Care": ("Find a Doctor", "Locations", "Appointments", "Billing", "Insurance", "Patient Portal"),
    "Departments": (*SPECIALTIES, "Oncology", "Dermatology", "Orthopedics", "Urology", "Emergency Medicine"),
    "Education": ("Medical School", "Residency Programs", "Fellowships", "Continuing Education", "Library"),
    "Research": ("Clinical Trials", "Laboratories", "Core Facilities", "Grants Office", "Publications"),
    "About Us": ("Leadership", "History", "Annual Report", "Newsroom", "Events", "Careers", "Volunteer"),
    "Giving": ("Ways to Give", "Donor Stories", "Planned Giving", "Foundation"),
    "Locations": tuple(f"{town} Clinic" for town in ("North", "South", "East", "West", "Lakeside", "Riverside")),
}

NEWS_TOPICS = ("Nursing", "Transplant", "Rehabilitation", "Imaging", "Pharmacy", "Nutrition")


def slug(text: str) -> str:
    return "-".join(text.lower().split())


def chrome(title: str, main: str, page: int) -> str:
    """A hospital CMS's page around `main`: a menu of ~50 links, breadcrumbs, a side bar, a ~40-link
    footer, with the links a real page carries besides (images, PDFs, fragments, off-site, mailto)."""
    menu = "".join(
        f'<li class="menu__item"><a href="/{slug(group)}/">{group}</a><ul class="menu__sub">'
        + "".join(
            f'<li><a href="/{slug(group)}/{slug(item)}/">{item}</a><span>{item} at Synthetic Health.</span></li>'
            for item in items
        )
        + "</ul></li>"
        for group, items in MENUS.items()
    )
    side = "".join(
        f'<li><a href="../../departments/{slug(specialty)}/rotations/?ref=side&amp;p={page}">{specialty}</a></li>'
        for specialty in SPECIALTIES
    )
    footer = "".join(
        f'<li><a href="/{slug(group)}/{slug(item)}/#top">{item}</a></li>'
        for group, items in MENUS.items()
        for item in items
    )
    news = "".join(
        f'<li><a href="/newsroom/2026/{month}/">{topic}</a><p>Staff of the {topic.lower()} team share what changed '
        f"this season for patients, families and the teams who care for them.</p></li>"
        for month, topic in enumerate(NEWS_TOPICS, 1)
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Synthetic Health</title>
<link rel="stylesheet" href="/assets/site.css"><link rel="icon" href="/favicon.ico">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{ dataLayer.push(arguments); }}</script></head>
<body><a class="skip-link" href="#main">Skip to main content</a>
<div class="cookie-banner" role="dialog"><p>We use cookies. <a href="/privacy/">Privacy policy</a></p></div>
<header class="site-header"><a href="/"><img src="/assets/logo.svg" alt="Synthetic Health"></a>
<nav class="menu" aria-label="Main"><ul>{menu}</ul></nav>
<ul class="utility"><li><a href="tel:+15555550100">Call 555-555-0100</a></li>
<li><a href="mailto:web@example.edu">Email us</a></li>
<li><a href="javascript:void(0)">Translate</a></li><li><a href="/search/?q=">Search</a></li></ul></header>
<nav class="breadcrumbs"><ol><li><a href="/">Home</a></li><li><a href="/education/">Education</a></li>
<li><a href="/international/">International Visiting Programs</a></li></ol></nav>
<main>{main}</main>
<aside class="news"><h2>Latest news</h2><ul>{news}</ul></aside>
<aside class="related"><h2>Related</h2><ul>{side}
<li><a href="/docs/visitor-handbook.pdf">Visitor handbook (PDF)</a></li>
<li><a href="/images/campus-map.jpg">Campus map</a></li>
<li><a href="//maps.example.com/synthetic-health">Directions</a></li></ul></aside>
<footer class="site-footer"><ul>{footer}</ul><ul class="social">
<li><a href="https://www.facebook.com/">Facebook</a></li><li><a href="https://www.youtube.com/">YouTube</a></li>
<li><a href="https://partners.example.org/international-electives">Partner electives</a></li></ul>
<p>&copy; 2026 Synthetic Health. <a href="/privacy/">Privacy</a> <a href="/accessibility/">Accessibility</a></p>
</footer>
<script src="/assets/site.js" defer></script></body></html>"""


def page_text_html(index: int) -> str:
    """Two of the project's own texts (demo/pages/) as paragraphs and sub-headings."""
    texts = (TEXTS[(index + step) % len(TEXTS)].read_text(encoding="utf-8") for step in (0, 5))
    paragraphs = [line.strip() for text in texts for line in text.splitlines()]
    return "".join(f"<h3>{line}</h3>" if len(line.split()) <= 8 else f"<p>{line}</p>" for line in paragraphs if line)


def program_page(host: int, page: int, realistic: bool = False) -> str:
    """A program page with the facts extraction looks for: 2.9 KB, or a realistic one (see `chrome`)."""
    specialty = SPECIALTIES[(host + page) % len(SPECIALTIES)]
    weeks = 2 + (host + page) % 6
    fee = 100 + 25 * (page % 8)
    filler = " ".join(
        f"<p>Section {i}: visiting students join daily rounds, teaching conferences and clinic sessions "
        f"under the supervision of attending physicians of the {specialty} department.</p>"
        for i in range(12)
    )
    title = f"{specialty} Observership for International Medical Graduates"
    facts = f"""<h1>{title}</h1>
<p>The Department of {specialty} offers a {weeks}-week observership for international medical
graduates. This is an observership only: no hands-on patient contact is permitted.</p>
<h2>Requirements</h2><ul><li>USMLE Step 1 passed</li><li>Graduated within the last 5 years</li>
<li>TOEFL iBT of 100 or higher</li><li>B-1/B-2 visa</li></ul>
<h2>Fees</h2><p>Application fee: $75. Observership fee: ${fee} per week.</p>
<h2>How to apply</h2><p>Apply through our online portal at least 3 months before the start date.
Deadline: March 1, 2027. Contact imgobserve{host}@example.edu.</p>
<p>A certificate of completion is issued; letters of recommendation are not provided.</p>"""
    if realistic:
        return chrome(title, facts + page_text_html(host + page), page)
    return f"""<!doctype html><html><head><title>{title}</title>
</head><body><nav><a href="/">Home</a> <a href="/news/{page}.html">News</a></nav>
<main>{facts}
{filler}</main></body></html>"""


def scripted(html: str) -> str:
    """The same page, but its <main> content is written by a script after load (wait for main.ready)."""
    head, rest = html.split("<main>", 1)
    body, tail = rest.split("</main>", 1)
    escaped = body.replace("\\", "\\\\").replace("`", "\\`").replace("$", "\\$")
    return f"""{head}<main id="app">Loading…</main><img src="/logo.png">
<script>setTimeout(() => {{ const app = document.getElementById('app'); app.innerHTML = `{escaped}`;
app.classList.add('ready'); }}, 50);</script>{tail}"""


def index_page(pages: int, realistic: bool = False) -> str:
    links = "\n".join(
        f'<li><a href="/international/observerships/{i}.html">Observership {i} for international graduates</a></li>'
        for i in range(pages)
    )
    news = "\n".join(f'<li><a href="/news/{i}.html">Campus news {i}</a></li>' for i in range(5))
    if realistic:
        main = f"<h1>International visiting programs</h1>{page_text_html(0)}<ul>{links}</ul><ul>{news}</ul>"
        return chrome("International Visiting Programs", main, 0)
    return f"""<!doctype html><html><head><title>International Visiting Programs</title></head><body>
<main><h1>International visiting programs</h1><ul>{links}</ul><ul>{news}</ul></main></body></html>"""


def host_address(index: int) -> str:
    """The loopback address of host `index`: 127.1.0.1 onwards, one per institution (every 127.0.0.0/8
    address is on the loopback interface on Linux), skipping the .0 and .255 of each /24."""
    block, offset = divmod(index, 254)
    return str(IPv4Address("127.1.0.1") + block * 256 + offset)


def program_paths(pages: int) -> list[str]:
    """What the crawler should fetch on each host: the index and its program pages (robots.txt apart)."""
    return ["international/", *(f"international/observerships/{page}.html" for page in range(pages))]


@dataclass
class SyntheticWeb:
    """`hosts` servers, each on its own loopback address (`host_address`), each with `pages` program
    pages; run in a thread. Bodies are made once and kept, so the server costs little per request.

    `realistic=False` serves the small pages (2.9 KB, 2 links) of earlier benchmarks."""

    hosts: int
    pages: int
    js: bool = False
    realistic: bool = True
    base_urls: list[str] = field(default_factory=list)
    requests: int = 0
    not_modified: int = 0  # 304 answers: an unchanged night should get one for every page
    responses: dict[tuple[int, str], tuple[bytes, str] | None] = field(default_factory=dict, repr=False)
    hosts_by_address: dict[str, int] = field(default_factory=dict, repr=False)

    def __enter__(self) -> SyntheticWeb:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.start(), self.loop).result(timeout=600)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=600)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{path:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        for index in range(self.hosts):
            address = host_address(index)
            site = web.TCPSite(self.runner, address, 0)
            await site.start()
        self.hosts_by_address = {host_address(index): index for index in range(self.hosts)}
        ports = {address: port for address, port in self.runner.addresses}
        self.base_urls.extend(
            f"http://{host_address(index)}:{ports[host_address(index)]}" for index in range(self.hosts)
        )

    def urls(self) -> list[str]:
        """Every page the crawl should fetch (robots.txt apart), for a bare download of the same web."""
        return [f"{base}/{path}" for base in self.base_urls for path in program_paths(self.pages)]

    def body(self, host: int, path: str) -> str | None:
        if path == "robots.txt":
            return "User-agent: *\nDisallow: /private/\n"
        html = None
        if path in ("", "international/"):
            html = index_page(self.pages, self.realistic)
        elif path.startswith("international/observerships/") and path.endswith(".html"):
            page = int(path.rsplit("/", 1)[1].removesuffix(".html"))
            html = program_page(host, page, self.realistic) if page < self.pages else None
        if html is not None:
            return scripted(html) if self.js else html
        if path.startswith("news/"):
            return "<html><body><h1>News</h1></body></html>"
        return None

    def response(self, host: int, path: str) -> tuple[bytes, str] | None:
        """The body and ETag of a path, made on first use and then kept."""
        key = (host, path)
        if key not in self.responses:
            text = self.body(host, path)
            self.responses[key] = (
                None if text is None else (text.encode(), f'"{hashlib.sha256(text.encode()).hexdigest()[:16]}"')
            )
        return self.responses[key]

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        path = request.match_info["path"]
        found = self.response(self.hosts_by_address[request.host.rsplit(":", 1)[0]], path)
        if found is None:
            return web.Response(status=404, text="not found")
        body, etag = found
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if request.headers.get("If-None-Match") == etag:
            self.not_modified += 1
            return web.Response(status=304, headers=headers)
        content_type = "text/plain" if path == "robots.txt" else "text/html"
        return web.Response(body=body, content_type=content_type, charset="utf-8", headers=headers)

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

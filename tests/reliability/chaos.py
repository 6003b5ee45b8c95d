"""The chaos web: fictional hospital sites on loopback, each with one fault from night 2 on.

Every site of tests.reliability.faults.CASES is its own host (127.0.0.101, .102, …, port chosen by
the OS): an index of visiting-student programs at `/visiting` linking one page per program, with
facts the extractor reads. On a night of its fault the site misbehaves as its case says (see
`ChaosWeb._reply`); the test moves nights with `set_night`. A refused site closes its port for
the night and reopens the same port after; a lapsed domain is a host name that cannot resolve in
that night's config (see `lapsed_host`: the lookup fails on this machine, no query leaves it).
One more host, `elsewhere`, is in no source: a redirect there must never be followed.
Every request is logged as (site, path, status); 0 = no answer was sent.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import struct
import threading
import time
from dataclasses import dataclass
from email.message import Message
from enum import Enum
from functools import cache
from http.server import BaseHTTPRequestHandler
from io import BufferedIOBase
from pathlib import Path

from ruamel.yaml import YAML

from demo.web import QuietServer
from tests.reliability.faults import Case

USER_AGENT = "clerkships-chaos/0.1 (+https://example.org/clerkships-tests)"
MAX_PAGE_BYTES = 400_000
DOWNLOAD_TIMEOUT = 2.0
RETRY_AFTER = 1  # seconds a 429/503 asks the client to wait
INDEX = "/visiting"
ELSEWHERE = "elsewhere"
HTML_UTF8 = "text/html; charset=utf-8"
ROBOTS = "User-agent: *\nDisallow: /private/\n"

INSTITUTIONS = (  # fictional, one per site in the order of CASES
    ("Alderbrook University Hospital", "Burlington", "VT"),
    ("Birchmere Medical Center", "Dayton", "OH"),
    ("Cedarholt Children's Hospital", "Tulsa", "OK"),
    ("Dunmarsh Regional Medical Center", "Boise", "ID"),
    ("Elmsworth Teaching Hospital", "Madison", "WI"),
    ("Fernwick Heart and Vascular Institute", "Omaha", "NE"),
    ("Granthollow General Hospital", "Fresno", "CA"),
    ("Hazelport Medical College Hospital", "Mobile", "AL"),
    ("Ivorene Valley Health", "Reno", "NV"),
    ("Juniperline University Medical Center", "Albany", "NY"),
    ("Kestrelmoor Hospital", "Eugene", "OR"),
    ("Larchvale Cancer Center", "Lincoln", "NE"),
    ("Marrowgate Health System", "Savannah", "GA"),
    ("Northwyke Community Hospital", "Duluth", "MN"),
    ("Oakenshaw Medical Center", "Fargo", "ND"),
    ("Pellmoor University Hospital", "Topeka", "KS"),
    ("Quillfield Regional Hospital", "Billings", "MT"),
    ("Rowanbeck Medical Center", "Bangor", "ME"),
    ("Sablewood Hospital", "Macon", "GA"),
    ("Thornquay Health", "Provo", "UT"),
    ("Umberlea General Hospital", "Erie", "PA"),
    ("Vantry Bay Medical Center", "Biloxi", "MS"),
    ("Wrenhallow University Hospital", "Laramie", "WY"),
    ("Yewbridge Medical Center", "Helena", "MT"),
    ("Zellmoor Regional Hospital", "Casper", "WY"),
)
SPECIALTIES = ("Cardiology", "Neurology", "Pediatrics", "Radiology", "Dermatology", "Oncology")


def lapsed_host(name: str) -> str:
    """A host name no resolver can answer, refused before any query is sent: a label longer than
    DNS's 63 characters (a mere `.invalid` name would still be sent to the machine's resolver,
    traffic off loopback)."""
    return f"{name}-{'x' * 64}.invalid"


@dataclass(frozen=True)
class Program:
    slug: str
    name: str
    specialty: str
    weeks: int
    fee: int

    @property
    def path(self) -> str:
        return f"{INDEX}/{self.slug}"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    drip: bool = False  # send the body a few bytes at a time, slower than any timeout


class NoAnswer(Enum):
    """Answers that are no answer: the connection hangs, or is reset."""

    HANG = "hang"
    RESET = "reset"


DRIP_BYTES, DRIP_SECONDS = 16, 0.25  # a dripping page sends this much this often


@dataclass(frozen=True)
class Site:
    case: Case
    number: int  # 127.0.0.<100 + number>
    institution: str
    city: str
    state: str

    @property
    def email(self) -> str:
        return f"visitors@{self.case.site}.example.org"

    @property
    def programs(self) -> tuple[Program, ...]:
        """The programs listed on night 1; accented names where the fault is about decoding."""
        if self.case.fault == "mojibake-header":
            return (
                Program("clinical-observership", "Programa de Observación Clínica", "Cardiology", 4, 90),
                Program("neurology-observership", "Neurology Observership for Médicos Visitantes", "Neurology", 2, 60),
            )
        if self.case.fault == "mojibake-cp1252":
            return (
                Program("pediatrics-observership", "Pediatrics Observership – Visitors’ Track", "Pediatrics", 3, 75),
                Program("oncology-observership", "Oncology Observership “Clínica Abierta”", "Oncology", 4, 80),
            )
        return tuple(
            Program(
                f"{specialty.lower()}-observership",
                f"{specialty} Observership",
                specialty,
                2 + (self.number + k) % 5,
                50 + 10 * ((self.number + 3 * k) % 9),
            )
            for k, specialty in enumerate(SPECIALTIES[: self.case.programs])
        )


def program_html(site: Site, program: Program, night: int, layout: str = "plain", meta: bool = True) -> str:
    """A program page: its facts in plain sentences, in one of two markups that say the same."""
    fee = program.fee + 30 if site.case.fault == "fee-changed" and night >= 2 else program.fee
    facts = (
        f"The {program.name} at {site.institution} welcomes international medical students in their final "
        f"year for {program.weeks} weeks in {program.specialty.lower()}.",
        "Observers shadow the care team and do not examine or treat patients.",
        f"Application fee: ${fee}. Apply by email to {site.email}.",
        "Applications close on April 15, 2027.",
    )
    if layout == "plain":
        body = f"<main><h1>{program.name}</h1>{''.join(f'<p>{fact}</p>' for fact in facts)}</main>"
    else:
        body = (
            f'<div id="wrap"><nav><a href="/">Home</a> › <a href="{INDEX}">Visiting students</a></nav>'
            f'<article class="program"><h2 class="program-title">{program.name}</h2>'
            + "".join(f'<div class="fact">{fact}</div>' for fact in facts)
            + f"</article><footer>© {site.institution}</footer></div>"
        )
    head = '<meta charset="utf-8">' if meta else ""
    return f"<!doctype html><html><head>{head}<title>{program.name}</title></head><body>{body}</body></html>"


def index_html(site: Site, programs: tuple[Program, ...]) -> str:
    links = "".join(f'<li><a href="{p.path}">{p.specialty}</a></li>' for p in programs)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>Visiting students</title></head><body>'
        f"<h1>Visiting students at {site.institution}</h1><ul>{links}</ul></body></html>"
    )


SOFT_404 = (
    "<!doctype html><html><head><title>Page not found</title></head><body><h1>Page not found</h1>"
    "<p>Sorry, the page you asked for has moved or no longer exists. Try our home page.</p></body></html>"
)
LOGIN_WALL = (
    "<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1>"
    "<p>Please sign in with your hospital account to continue.</p><form action=/login method=post>"
    "<label>User name <input name=user></label><label>Password <input type=password name=password></label>"
    "<button>Sign in</button></form></body></html>"
)


def html(text: str, content_type: str = HTML_UTF8, encoding: str = "utf-8") -> Reply:
    return Reply(200, {"Content-Type": content_type}, text.encode(encoding))


@cache
def gzip_bomb() -> bytes:
    """A few kilobytes that inflate to 20 times MAX_PAGE_BYTES."""
    return gzip.compress(b" " * (20 * MAX_PAGE_BYTES), compresslevel=9)


class ChaosWeb:
    """Start with `with ChaosWeb(CASES) as web:`; see the module docstring."""

    def __init__(self, cases: tuple[Case, ...], hang_seconds: float = 2 * DOWNLOAD_TIMEOUT):
        self.sites = {
            case.site: Site(case, number, *INSTITUTIONS[number - 1]) for number, case in enumerate(cases, start=1)
        }
        self.hang_seconds = hang_seconds
        self.night = 1
        self.log: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._servers: dict[str, QuietServer] = {}
        self._ports: dict[str, int] = {}
        self._limited: dict[tuple[str, str], float] = {}  # (site, path) → when its first 429 was sent

    # --- life cycle

    def __enter__(self) -> ChaosWeb:
        for name in [*self.sites, ELSEWHERE]:
            self._serve(name)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        for name in list(self._servers):
            self._stop(name)

    def _address(self, name: str) -> str:
        return f"127.0.0.{100 + (self.sites[name].number if name in self.sites else 0)}"

    def _serve(self, name: str) -> None:
        server = QuietServer((self._address(name), self._ports.get(name, 0)), self._handler(name))
        self._ports[name] = server.server_address[1]
        self._servers[name] = server
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True, name=f"chaos-{name}").start()

    def _stop(self, name: str) -> None:
        server = self._servers.pop(name)
        server.shutdown()
        server.server_close()

    def set_night(self, night: int) -> None:
        """Move to `night`: a refused site closes (or reopens) its port, rate limits start afresh."""
        with self._lock:
            self.night = night
            self._limited.clear()
        for name, site in self.sites.items():
            down = site.case.fault == "refused" and self.faulty(site)
            if down and name in self._servers:
                self._stop(name)
            elif not down and name not in self._servers:
                self._serve(name)

    def faulty(self, site: Site) -> bool:
        """Is tonight a night of this site's fault? (A layout change or a removal stays; the rest end.)"""
        lasting = site.case.fault in ("layout-change", "program-removed", "fee-changed")
        return self.night == 2 or (lasting and self.night > 2)

    # --- what tests look at

    def base(self, name: str) -> str:
        return f"http://{self._address(name)}:{self._ports[name]}"

    def requests(self, name: str) -> list[tuple[str, int]]:
        """(path, status) of every request to one site, in order."""
        with self._lock:
            return [(path, status) for site, path, status in self.log if site == name]

    def write_config(self, path: Path, notify: list[str] | None = None) -> Path:
        """Tonight's sources.yaml: the same every night but for the lapsed domain's host name."""
        sources = []
        for name, site in self.sites.items():
            base = self.base(name)
            if site.case.fault == "dns" and self.faulty(site):
                base = f"http://{lapsed_host(name)}:{self._ports[name]}"
            sources.append(
                {
                    "id": name,
                    "institution": site.institution,
                    "city": site.city,
                    "state": site.state,
                    "start_urls": [base + INDEX],
                    "allow_private": True,
                    "follow": {"max_depth": 2, "max_pages": 20},
                }
            )
        config = {
            "settings": {
                "user_agent": USER_AGENT,
                "closure_grace_runs": 1,
                "notify": notify or [],
                "politeness": {
                    "download_delay": 0,
                    "concurrency_per_host": 2,
                    "download_timeout": DOWNLOAD_TIMEOUT,
                    "max_page_bytes": MAX_PAGE_BYTES,
                },
            },
            "sources": sources,
        }
        with Path(path).open("w", encoding="utf-8") as out:
            out.write(f"# The chaos web's sources on night {self.night} (tests.reliability.chaos).\n")
            YAML().dump(config, out)
        return Path(path)

    # --- serving

    def _reply(self, site: Site, path: str) -> Reply | NoAnswer:
        """Tonight's answer to `path` on `site`: the healthy page, or the site's fault."""
        fault = site.case.fault if self.faulty(site) else "none"
        programs = site.programs
        first = programs[0]
        if path == "/robots.txt":
            robots = {"robots-all": "User-agent: *\nDisallow: /\n", "robots-page": f"{ROBOTS}Disallow: {first.path}\n"}
            return Reply(200, {"Content-Type": "text/plain"}, robots.get(fault, ROBOTS).encode())
        site_wide = self._site_wide(site, fault, path)
        if site_wide is not None:
            return site_wide
        if fault == "program-removed":
            programs = programs[:-1]
        if path.split("?")[0] == INDEX:
            return html(index_html(site, programs))
        program = next((p for p in programs if p.path == path), None)
        if program is None:
            return Reply(404, {"Content-Type": HTML_UTF8}, b"<h1>Not found</h1>")
        return self._program_page(site, fault, program, program is first)

    def _site_wide(self, site: Site, fault: str, path: str) -> Reply | NoAnswer | None:
        """The answer of a fault that hits every page of the site, or None."""
        if fault in ("hang", "reset"):
            return NoAnswer(fault)
        if fault == "drip":
            return Reply(200, {"Content-Type": HTML_UTF8}, index_html(site, site.programs).encode(), drip=True)
        if fault == "http-500":
            return Reply(500, {"Content-Type": HTML_UTF8}, b"<h1>Internal Server Error</h1>")
        if fault == "retry-after-503" or (fault == "retry-after-429" and self._too_soon(site, path)):
            status = 503 if fault == "retry-after-503" else 429
            return Reply(status, {"Content-Type": HTML_UTF8, "Retry-After": str(RETRY_AFTER)}, b"<h1>Busy</h1>")
        if fault == "empty-200":
            return Reply(200, {"Content-Type": HTML_UTF8}, b"")
        if fault == "soft-404":
            return html(SOFT_404)
        if fault == "login-wall":
            return html(LOGIN_WALL)
        if fault == "redirect-loop":
            target = path[: -len("?again")] if path.endswith("?again") else path + "?again"
            return Reply(302, {"Location": target}, b"")
        return None

    def _too_soon(self, site: Site, path: str) -> bool:
        """True until RETRY_AFTER seconds have passed since this path's first 429 of the night."""
        with self._lock:
            first = self._limited.setdefault((site.case.site, path), time.monotonic())
        return time.monotonic() - first < RETRY_AFTER

    def _program_page(self, site: Site, fault: str, program: Program, first: bool) -> Reply:
        if fault == "layout-change":
            return html(program_html(site, program, self.night, layout="article"))
        if fault == "mojibake-header":
            return html(program_html(site, program, self.night, meta=False))
        if fault == "mojibake-cp1252":
            return html(program_html(site, program, self.night, meta=False), "text/html", "cp1252")
        page = program_html(site, program, self.night)
        if first and fault == "offsite-redirect":
            return Reply(301, {"Location": self.base(ELSEWHERE) + program.path}, b"")
        if first and fault == "huge-page":
            padding = "<p>" + "Visiting students rotate through our clinics. " * 12 + "</p>"
            return html(page.replace("</main>", padding * (MAX_PAGE_BYTES // len(padding) + 1) + "</main>"))
        if first and fault == "gzip-bomb":
            return Reply(200, {"Content-Type": HTML_UTF8, "Content-Encoding": "gzip"}, gzip_bomb())
        if first and fault == "truncated":
            return html(page[: page.index("Application fee: $") + len("Application fee: $")])
        return html(page)

    @staticmethod
    def _elsewhere() -> Reply:
        """Another institution's host: it would answer, but no source may fetch from it."""
        return html("<!doctype html><html><body><main><h1>Partner Observership</h1></main></body></html>")

    def _send(self, out: BufferedIOBase, reply: Reply) -> None:
        """The body at once, or (a dripping page) a few bytes at a time until the client gives up."""
        if not reply.drip:
            out.write(reply.body)
            return
        for start in range(0, len(reply.body), DRIP_BYTES):
            if self._stopping.wait(DRIP_SECONDS):
                return
            out.write(reply.body[start : start + DRIP_BYTES])
            out.flush()

    def _handler(self, name: str) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site = web.sites.get(name)
                reply = web._reply(site, self.path) if site else web._elsewhere()
                if isinstance(reply, Reply):
                    reply = not_modified(reply, self.headers)
                with web._lock:
                    web.log.append((name, self.path, reply.status if isinstance(reply, Reply) else 0))
                if reply is NoAnswer.HANG:
                    web._stopping.wait(web.hang_seconds)
                elif reply is NoAnswer.RESET:  # linger 0: close() sends a TCP RST instead of a FIN
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                else:
                    self.send_response(reply.status)
                    for header, value in reply.headers.items():
                        self.send_header(header, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    web._send(self.wfile, reply)
                self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def not_modified(reply: Reply, request_headers: Message) -> Reply:
    """A whole 200 carries an ETag; the same ETag in If-None-Match gets a 304 (a fault's answer never)."""
    if reply.status != 200 or not reply.body or reply.drip or "Content-Encoding" in reply.headers:
        return reply
    etag = '"' + hashlib.sha256(reply.body).hexdigest()[:16] + '"'
    if request_headers.get("If-None-Match") == etag:
        return Reply(304, {"ETag": etag}, b"")
    return Reply(200, {**reply.headers, "ETag": etag}, reply.body)

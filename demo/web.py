"""The fixture web: the synthetic institutions of demo/sites.py served on loopback, night by night.

Each institution is its own host (127.0.0.2, 127.0.0.3, …, port chosen by the OS). Every 200
carries an ETag (hash of that night's body) and a Last-Modified (the night the page last changed),
and a matching If-None-Match / If-Modified-Since gets a 304, so incremental crawls can be tested.
Another process switches nights with `POST /__fixture__/night?n=2` on the first host.

    python -m demo.web [--night N] [--config PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import socketserver
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ruamel.yaml import YAML

from demo.sites import HTML, INSTITUTIONS, TEMPLATES, Institution, Response

NIGHTS = (1, 2, 3)
NIGHT_DATES = {night: datetime(2026, 3, night, 3, 0, tzinfo=UTC) for night in NIGHTS}
ADMIN_PATH = "/__fixture__/night"
USER_AGENT = "clerkships-fixture/0.1 (+https://github.com/clerkships/clerkships; data@clerkships.org)"
SERVER = "Apache/2.4.62 (Unix)"


@dataclass(frozen=True)
class Entry:
    """A page as served on one night, with its validators."""

    response: Response
    etag: str
    last_modified: datetime


class QuietServer(ThreadingHTTPServer):
    """A loopback HTTP server that stays on loopback and quiet (the fixture webs' one server class)."""

    daemon_threads = True

    def server_bind(self) -> None:
        """Bind without naming the host: HTTPServer asks `socket.getfqdn` for the bound address, and
        for 127.0.0.2 and up that is a reverse DNS query sent to the machine's resolver, off loopback."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """A crawler that gives up on a slow page resets the connection; that is expected here."""


class FixtureWeb:
    """Start with `with FixtureWeb(night=1, slow_seconds=5.0) as web:`; see the module docstring."""

    def __init__(self, night: int = 1, slow_seconds: float = 5.0):
        self._check(night)
        self._night = night
        self.slow_seconds = slow_seconds
        self._lock = threading.Lock()
        self._log: list[tuple[str, str, str, int]] = []
        self._stopping = threading.Event()
        self._servers: dict[str, QuietServer] = {}
        self._entries: dict[tuple[int, str, str], Entry] = {}
        self.base_urls: dict[str, str] = {}

    # --- life cycle

    def start(self) -> FixtureWeb:
        for number, site in enumerate(INSTITUTIONS, start=2):
            server = QuietServer((f"127.0.0.{number}", 0), self._handler(site, admin=number == 2))
            self._servers[site.id] = server
            self.base_urls[site.id] = f"http://{server.server_name}:{server.server_port}"
        self._build()
        for server in self._servers.values():
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True, name="fixture-web").start()
        return self

    def close(self) -> None:
        self._stopping.set()
        for server in self._servers.values():
            server.shutdown()
            server.server_close()

    def __enter__(self) -> FixtureWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- nights

    @property
    def night(self) -> int:
        return self._night

    def set_night(self, night: int) -> None:
        self._check(night)
        with self._lock:
            self._night = night

    def advance(self) -> int:
        """Move to the next night; returns it."""
        self.set_night(self._night + 1)
        return self._night

    @staticmethod
    def _check(night: int) -> None:
        if night not in NIGHTS:
            raise ValueError(f"night must be one of {NIGHTS}, not {night!r}")

    # --- what tests look at

    @property
    def requests(self) -> list[tuple[str, str, str, int]]:
        """A copy of the request log: (host:port, method, path with query, status)."""
        with self._lock:
            return list(self._log)

    def url(self, source_id: str, path: str = "") -> str:
        """Absolute URL of `path` on a source's host (its start page when path is empty)."""
        site = next(s for s in INSTITUTIONS if s.id == source_id)
        return self.base_urls[source_id] + (path or site.start_path)

    def write_config(
        self, path: Path | str, closure_grace_runs: int = 2, download_timeout: float | None = None
    ) -> Path:
        """A valid sources.yaml for these hosts. The download timeout defaults to 3/4 of
        `slow_seconds`: the slow site of night 2 times out, and a page rendered in Chromium has time."""
        timeout = download_timeout if download_timeout is not None else self.slow_seconds * 0.75
        sources = []
        for site in INSTITUTIONS:
            source = {
                "id": site.id,
                "institution": site.name,
                "city": site.city,
                "state": site.state,
                "start_urls": [self.url(site.id)],
                "allow_private": True,  # the fixture web is on loopback
                "render": "static",
                "follow": {"keywords": [], "max_depth": 2, "max_pages": 30},
                "politeness": {"download_delay": 0, "concurrency": 2},
            }
            source.update(site.source)
            sources.append(source)
        config = {
            "settings": {
                "user_agent": USER_AGENT,
                "closure_grace_runs": closure_grace_runs,
                "schedule": {"cron": "0 3 * * *", "timezone": "America/New_York"},
                "notify": [],
                "politeness": {
                    "download_delay": 0,
                    "concurrency_per_host": 2,
                    "download_timeout": timeout,
                    "max_page_bytes": 2_000_000,
                },
            },
            "sources": sources,
        }
        path = Path(path)
        yaml = YAML()  # round-trip mode keeps the keys in the order written here
        yaml.width = 200
        with path.open("w", encoding="utf-8") as out:
            out.write("# The fixture web's sources (written by demo.web.FixtureWeb.write_config).\n")
            yaml.dump(config, out)
        return path

    # --- serving

    def _build(self) -> None:
        """Every page of every night, with its ETag and the night it last changed."""
        for site in INSTITUTIONS:
            previous: dict[str, Entry] = {}
            for night in NIGHTS:
                current: dict[str, Entry] = {}
                for path, response in {**site.pages(site, night, self.base_urls), **robots(site)}.items():
                    etag = '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"'
                    before = previous.get(path)
                    since = before.last_modified if before is not None and before.etag == etag else NIGHT_DATES[night]
                    current[path] = Entry(response, etag, since)
                    self._entries[night, site.id, path] = current[path]
                previous = current

    def _answer(self, site: Institution, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        night = self._night
        outage = site.outage.get(night)
        if outage == "error":
            return error_page(HTTPStatus.INTERNAL_SERVER_ERROR, "The server encountered an internal error.")
        if outage == "slow":
            self._stopping.wait(self.slow_seconds)
        entry = self._entries.get((night, site.id, path.split("?", 1)[0]))
        if entry is None:
            return error_page(
                HTTPStatus.NOT_FOUND, f"The requested URL {path.split('?', 1)[0]} was not found on this server."
            )
        validators = {"ETag": entry.etag, "Last-Modified": format_datetime(entry.last_modified, usegmt=True)}
        if not_modified(entry, headers.get("If-None-Match"), headers.get("If-Modified-Since")):
            return 304, validators, b""
        return 200, {"Content-Type": entry.response.content_type, **validators}, entry.response.body

    def _admin(self, query: str) -> tuple[int, dict[str, str], bytes]:
        """POST /__fixture__/night?n=N sets the night; GET tells it."""
        values = parse_qs(query).get("n")
        if values is not None:
            try:
                self.set_night(int(values[0]))
            except ValueError as exc:
                return 400, {"Content-Type": "text/plain"}, f"{exc}\n".encode()
        return 200, {"Content-Type": "text/plain"}, f"night {self._night}\n".encode()

    def _handler(self, site: Institution, admin: bool) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            server_version = SERVER
            sys_version = ""
            protocol_version = "HTTP/1.1"
            server: QuietServer

            def do_GET(self) -> None:
                self._serve(body=True)

            def do_HEAD(self) -> None:
                self._serve(body=False)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                parts = urlsplit(self.path)
                if admin and parts.path == ADMIN_PATH:
                    self._send(*web._admin(parts.query), body=True)
                else:
                    self._send(*error_page(HTTPStatus.METHOD_NOT_ALLOWED, "POST is not allowed here."), body=True)

            def _serve(self, body: bool) -> None:
                parts = urlsplit(self.path)
                if admin and parts.path == ADMIN_PATH:
                    self._send(*web._admin(""), body=body)
                else:
                    self._send(*web._answer(site, self.path, dict(self.headers.items())), body=body)

            def _send(self, status: int, headers: dict[str, str], content: bytes, body: bool) -> None:
                with web._lock:
                    web._log.append(
                        (
                            f"{self.server.server_name}:{self.server.server_port}",
                            self.command,
                            self.path,
                            status,
                        )
                    )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if body and status != 304:
                    self.wfile.write(content)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def robots(site: Institution) -> dict[str, Response]:
    return {"/robots.txt": Response(200, "text/plain; charset=utf-8", site.robots.encode())}


def error_page(status: HTTPStatus, message: str) -> tuple[int, dict[str, str], bytes]:
    body = TEMPLATES.get_template("error.html").render(
        status=status.value, reason=status.phrase, message=message, server=SERVER
    )
    return status.value, {"Content-Type": HTML}, body.encode()


def not_modified(entry: Entry, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since against Last-Modified."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return entry.etag in tags or "*" in tags
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and entry.last_modified <= since
    return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demo.web", description="Serve the fixture web until Ctrl-C.")
    parser.add_argument("--night", type=int, default=1, choices=NIGHTS)
    parser.add_argument("--slow-seconds", type=float, default=5.0, help="delay of the slow site on night 2")
    parser.add_argument("--config", type=Path, help="also write a sources.yaml for these hosts here")
    args = parser.parse_args(argv)
    with FixtureWeb(night=args.night, slow_seconds=args.slow_seconds) as web:
        print(f"Fixture web, night {web.night}:")
        for site in INSTITUTIONS:
            print(f"  {site.id:<20} {web.url(site.id)}")
        first = web.base_urls[INSTITUTIONS[0].id]
        print(f"Switch nights: curl -X POST '{first}{ADMIN_PATH}?n=2'")
        if args.config:
            print(f"Config: {web.write_config(args.config)}")
        print("Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("Stopped.")


if __name__ == "__main__":
    main()

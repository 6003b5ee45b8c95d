"""Saved responses: a crawl's pages kept as they came, and read again the way the spider reads them.

With the `CAPTURE_DIR` setting (`crawl(..., settings={"CAPTURE_DIR": DIR})`) the `ResponseCapture`
extension writes every response a source's page requests received (robots.txt and sitemaps aside) to
`DIR/<source_id>/`: each body as-is in `bodies/`, and one `manifest.json` listing url, status,
headers and body file of each. `replay` turns such a folder back into the program records the
spider would stage for it (`clerkships capture` and the saved-source tests, tests/sources/).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes

from contract.files import write_atomic
from contract.record import ProgramRecord
from crawlers.config import Source
from crawlers.links import program_pattern

SETTING = "CAPTURE_DIR"
MANIFEST = "manifest.json"
BODIES = "bodies"


@dataclass
class SavedResponse:
    """One response as the spider received it; its body is the file `bodies/<body>`."""

    url: str
    status: int
    headers: dict[str, list[str]]
    body: str

    def header(self, name: str) -> str | None:
        """The first value of a header, matched without regard to case."""
        for key, values in self.headers.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None


@dataclass
class Capture:
    """A folder of saved responses: `manifest.json` and `bodies/`."""

    folder: Path
    responses: list[SavedResponse] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> Self:
        manifest = folder / MANIFEST
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))["responses"]
            return cls(folder, [SavedResponse(**entry) for entry in entries])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{manifest}: not a capture manifest ({exc})") from None

    def body(self, response: SavedResponse) -> bytes:
        return (self.folder / BODIES / response.body).read_bytes()

    def add(self, url: str, status: int, headers: dict[str, list[str]], body: bytes, content_type: str | None) -> None:
        """Save a body under a file name made from its URL's path (so it reads well and does not
        depend on the host's port), and list it in the manifest (written by `write`)."""
        bodies = self.folder / BODIES
        bodies.mkdir(parents=True, exist_ok=True)
        name = body_name(url, content_type, {response.body for response in self.responses})
        (bodies / name).write_bytes(body)
        self.responses.append(SavedResponse(url, status, headers, name))

    def write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        entries = [asdict(response) for response in sorted(self.responses, key=lambda r: (r.url, r.body))]
        write_atomic(self.folder / MANIFEST, json.dumps({"responses": entries}, indent=2, ensure_ascii=False) + "\n")


def body_name(url: str, content_type: str | None, taken: set[str]) -> str:
    """`/visiting/electives?x=1` → `visiting-electives-x-1.html`, with `-2`, `-3`… when taken."""
    parts = urlsplit(url)
    stem = "-".join(re.findall(r"[A-Za-z0-9_]+", f"{parts.path} {parts.query}")) or "index"
    mime = (content_type or "").split(";")[0].strip().lower()
    suffix = (mimetypes.guess_extension(mime) if mime else None) or ".bin"
    suffix = {".htm": ".html", ".shtml": ".html"}.get(suffix, suffix)
    if stem.lower().endswith("-" + suffix[1:]):  # `/brochure.pdf` → `brochure.pdf`
        stem = stem[: -len(suffix)] or "index"
    name, number = f"{stem}{suffix}", 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}{suffix}"
    return name


class ResponseCapture:
    """Saves each response a source's page request received, as the spider gets it (after
    decompression and redirects; a retried answer is not one), when `CAPTURE_DIR` is set."""

    def __init__(self, crawler: Crawler, root: Path):
        self.root = root
        self.captures: dict[str, Capture] = {}
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        root = crawler.settings.get(SETTING)
        if not root:
            raise NotConfigured(f"{SETTING} is not set")
        return cls(crawler, Path(root))

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        source_id = request.meta.get("source_id")
        if not source_id or "page_key" not in request.meta:  # robots.txt or a sitemap, not a page
            return
        capture = self.captures.setdefault(source_id, Capture(self.root / source_id))
        headers = {
            key.decode("latin-1"): [value.decode("latin-1") for value in values]
            for key, values in response.headers.items()
        }
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        capture.add(response.url, response.status, headers, response.body, content_type)

    def spider_closed(self, spider: Spider) -> None:
        for capture in self.captures.values():
            capture.write()


def replay(source: Source, capture: Capture) -> list[ProgramRecord]:
    """The records the spider stages for these responses in a first crawl (nothing to reuse): each
    2xx page on the source's hosts read by `read_page`, a page cut off yielding none, each record
    named by `program_id`, as in `ProgramsSpider.extract`. `fetched_at` is left empty: it is the
    crawl's clock, not the page's."""
    from crawlers.spiders.programs import read_page, staged_records

    pattern = program_pattern(source)
    records = []
    for saved in capture.responses:
        if not 200 <= saved.status < 300 or not source.allows(saved.url):
            continue
        body = capture.body(saved)
        response = as_response(saved, body)
        encoding = response.encoding if isinstance(response, TextResponse) else None
        reading = read_page(source, pattern, saved.url, body, saved.header("Content-Type"), encoding)
        if reading.cut:
            continue
        records += staged_records(source, saved.url, reading.programs, hashlib.sha256(body).hexdigest(), "")
    return records


def as_response(saved: SavedResponse, body: bytes) -> Response:
    """The Scrapy response class (and so the encoding) Scrapy's downloader would have made of it."""
    headers = Headers(saved.headers)
    cls = responsetypes.from_args(headers=headers, url=saved.url, body=body)
    return cls(saved.url, status=saved.status, headers=headers, body=body)


def stable(records: list[ProgramRecord]) -> list[dict]:
    """Records as JSON values, in page and program order, without the volatile `fetched_at`."""
    rows = [record.model_dump(mode="json", exclude={"fetched_at"}) for record in records]
    return sorted(rows, key=lambda row: (row["source_url"], row["program_key"], row["program_id"]))

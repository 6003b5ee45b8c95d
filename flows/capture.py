"""`clerkships capture SOURCE_ID`: one source's pages saved as a test, as City Scrapers' `genspider`
saves a page for a spider's test.

The source is crawled once by the real spider (a child process, `crawlers.run.crawl`), which saves
every response it gets (`crawlers.capture`). Replaying them must give the very records the crawl
staged, or nothing is written. Then `<out>/<id>/` is written afresh: `source.json` (the source as
configured), `manifest.json` and `bodies/` (the responses), and `expected.json` (what replaying them
yields, `fetched_at` aside), which tests/sources/test_saved_sources.py checks on every `make test`.

Loopback and private origins (the fixture web's, whose ports change at each start) become
`http://<source-id>.fixture.invalid` in URLs, header values and text bodies, so a capture comes out
the same each time it is made again; a public site's bodies are saved as they came. Headers that
describe the fetch rather than the page are left out (see VOLATILE_HEADERS).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from contract.files import write_atomic
from contract.record import ProgramRecord
from contract.run_folder import RunFolder
from crawlers.addresses import private_reason
from crawlers.capture import SETTING, Capture, SavedResponse, as_response, replay, stable
from crawlers.config import Config, Source, load_config
from crawlers.run import crawl

SOURCE_FILE = "source.json"
EXPECTED_FILE = "expected.json"
PLACEHOLDER = "http://{name}.fixture.invalid"
VOLATILE_HEADERS = frozenset({"date", "age", "expires", "set-cookie", "etag", "last-modified", "content-length"})
"""The clock's and the session's (Date, Age, Expires, Set-Cookie), validators a replay never sends
(ETag, Last-Modified), and Content-Length (the body file has its length; a rewritten body another)."""


class CaptureError(Exception):
    """The capture could not be made; the message is one line and nothing was written."""


@dataclass(frozen=True)
class Saved:
    """What `capture` wrote: the folder, how many responses and records."""

    folder: Path
    responses: int
    records: int


class Origins:
    """Private origins of the config's sources (scheme://host:port) → fixed placeholder origins."""

    def __init__(self, config: Config):
        self.map: dict[str, str] = {}
        for source in config.sources:
            found = dict.fromkeys(origin(url) for url in source.start_urls if private_reason(host(url)))
            for number, each in enumerate(found, start=1):
                name = source.id if number == 1 else f"{source.id}-{number}"
                self.map.setdefault(each, PLACEHOLDER.format(name=name))

    def text(self, value: str) -> str:
        for old, new in self.map.items():
            value = value.replace(old, new)
        return value

    def body(self, data: bytes) -> bytes:
        for old, new in self.map.items():
            data = data.replace(old.encode("ascii"), new.encode("ascii"))
        return data

    def netloc(self, value: str) -> str:
        """An `allowed_hosts` entry (host or host:port) of a private origin → its placeholder's host."""
        for old, new in self.map.items():
            if urlsplit(old).netloc == value:
                return urlsplit(new).netloc
        return value

    def source(self, source: Source) -> Source:
        data = source.model_dump(mode="json", exclude_defaults=True)
        data["start_urls"] = [self.text(url) for url in source.start_urls]
        if source.allowed_hosts is not None:
            data["allowed_hosts"] = [self.netloc(entry) for entry in source.allowed_hosts]
        return Source.model_validate(data)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def host(url: str) -> str:
    """The bare host name, as the capture names its folders (ports and `www.` kept apart)."""
    return urlsplit(url).hostname or ""


def capture(source_id: str, config_path: Path, out: Path) -> Saved:
    """Crawl one source, check its replay, and (re)write `<out>/<source_id>/`; raise CaptureError."""
    config = load_config(config_path)
    source = config.enabled_sources([source_id])[0]
    with TemporaryDirectory(prefix="clerkships-capture-") as tmp:
        work = Path(tmp)
        run_dir = work / "run"
        status = crawl(config_path, run_dir, [source_id], settings={SETTING: str(work / "capture")})
        verdict = status["sources"][source_id]
        if verdict.get("failed"):
            raise CaptureError(f"{source_id}: the crawl failed ({verdict.get('error')}); nothing saved")
        try:
            raw = Capture.read(work / "capture" / source_id)
        except ValueError:
            raise CaptureError(f"{source_id}: the crawl received no response to save; nothing saved") from None
        check_replay(source, raw, staged_records(RunFolder(run_dir).records(source_id)))
        origins = Origins(config)
        folder = out / source_id
        new = out / f".{source_id}.new"
        shutil.rmtree(new, ignore_errors=True)
        try:
            saved = write_capture(raw, origins, new)
            write_json(new / SOURCE_FILE, origins.source(source).model_dump(mode="json", exclude_defaults=True))
            expected = replay_saved(new)
            write_json(new / EXPECTED_FILE, expected)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    shutil.rmtree(folder, ignore_errors=True)
    new.replace(folder)
    return Saved(folder, len(saved.responses), len(expected))


def replay_saved(folder: Path) -> list[dict]:
    """A saved source's records (stable JSON), replayed from its responses with its saved config."""
    source = Source.model_validate_json((folder / SOURCE_FILE).read_text(encoding="utf-8"))
    return stable(replay(source, Capture.read(folder)))


def expected_records(folder: Path) -> list[dict]:
    return json.loads((folder / EXPECTED_FILE).read_text(encoding="utf-8"))


def staged_records(path: Path) -> list[ProgramRecord]:
    if not path.exists():
        return []
    return [ProgramRecord.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_replay(source: Source, raw: Capture, staged: list[ProgramRecord]) -> None:
    """The saved responses must replay to what the spider staged, or the test would check something else."""
    replayed, crawled = stable(replay(source, raw)), stable(staged)
    if replayed != crawled:
        raise CaptureError(
            f"{source.id}: replaying the saved responses gives {len(replayed)} record(s), the crawl staged "
            f"{len(crawled)} ({first_difference(replayed, crawled)}); nothing saved"
        )


def first_difference(replayed: list[dict], crawled: list[dict]) -> str:
    for mine, theirs in zip(replayed, crawled, strict=False):
        for name in mine.keys() | theirs.keys():
            if mine.get(name) != theirs.get(name):
                return f"first difference: {name} of {theirs.get('source_url')}"
    return "one list is longer"


def write_capture(raw: Capture, origins: Origins, folder: Path) -> Capture:
    """The responses with private origins replaced (URLs, header values, text bodies) and the
    volatile headers left out."""
    saved = Capture(folder)
    for response in raw.responses:
        body = raw.body(response)
        if is_text(response, body):
            body = origins.body(body)
        headers = {
            name: [origins.text(value) for value in values]
            for name, values in response.headers.items()
            if name.lower() not in VOLATILE_HEADERS
        }
        saved.add(origins.text(response.url), response.status, headers, body, response.header("Content-Type"))
    saved.write()
    return saved


def is_text(response: SavedResponse, body: bytes) -> bool:
    """Scrapy reads it as text (HTML, XML, JSON, plain text): a PDF's bytes are never touched."""
    return isinstance(as_response(response, body), TextResponse)


def write_json(path: Path, value: object) -> None:
    write_atomic(path, json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n")

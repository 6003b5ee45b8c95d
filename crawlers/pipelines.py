"""Staging, the crawl's only output: `<run_dir>/<source_id>.jsonl` (program records),
`<run_dir>/pages.jsonl` (one line per page answered: the incremental-crawl manifest), and the
reading of a previous run's staging so unchanged pages are not extracted again.

Files are written under a temporary name and renamed when the spider closes, so a crashed crawl
never leaves a half-written file that looks complete.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from scrapy.crawler import Crawler

from contract.record import ProgramRecord

PAGES_FILE = "pages.jsonl"
STATUS_FILE = "status.json"


def shard_file(name: str, shard: str | None) -> str:
    """`pages.jsonl` → `pages.2.jsonl`: shards of one run write side by side in its folder."""
    stem, dot, suffix = name.partition(".")
    return f"{stem}.{shard}{dot}{suffix}" if shard else name


@dataclass
class PageEntry:
    """What the next run needs to know about one page: validators, body hash, followed links."""

    source_id: str
    key: str  # canonical URL of the page as requested
    source_url: str  # URL the records name (after redirects)
    status: int | None  # HTTP status; None when no response came
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None  # None unless the page was extracted (or reused) successfully
    links: list[str] = field(default_factory=list)
    programs: int = 0
    error: str | None = None
    text_chars: int | None = None  # an HTML page's readable text, to tell a cut-off version (None before)
    closes: bool | None = None  # whether the HTML page closed its <body>/<html> (crawlers.completeness)


def write_atomic(path: Path, text: str) -> None:
    """Write a whole file or nothing: temporary file, fsync, rename."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


class StagingPipeline:
    """Appends records and page entries to the run's staging files, renamed into place at close."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.files: dict[Path, IO[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StagingPipeline:
        return cls(crawler)

    @property
    def run_dir(self) -> Path:
        return self.crawler.spider.run_dir

    @property
    def pages_path(self) -> Path:
        return self.run_dir / shard_file(PAGES_FILE, self.crawler.spider.shard)

    def open_spider(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for source in self.crawler.spider.sources:
            self.handle(self.run_dir / f"{source.id}.jsonl")
        self.handle(self.pages_path)

    def handle(self, path: Path) -> IO[str]:
        if path not in self.files:
            self.files[path] = path.with_name(path.name + ".tmp").open("w", encoding="utf-8")
        return self.files[path]

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ProgramRecord):
            self.handle(self.run_dir / f"{item.source_id}.jsonl").write(item.model_dump_json() + "\n")
            self.crawler.stats.inc_value(f"source/{item.source_id}/items")
        elif isinstance(item, PageEntry):
            self.handle(self.pages_path).write(json.dumps(asdict(item)) + "\n")
        return item

    def close_spider(self) -> None:
        for path, handle in self.files.items():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            path.with_name(path.name + ".tmp").replace(path)
        self.files.clear()


class PreviousRun:
    """The staging of the last run in which each source was crawled successfully."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[str, PageEntry]] = defaultdict(dict)
        self.records: dict[str, dict[str, list[ProgramRecord]]] = defaultdict(lambda: defaultdict(list))

    @classmethod
    def find(cls, run_dir: Path, source_ids: list[str]) -> PreviousRun:
        """Look through the sibling run directories, newest first, for each source's last ok run."""
        previous = cls()
        runs = [
            (directory, status.get("sources", {}))
            for _, directory, status in sorted(earlier_runs(run_dir), reverse=True)
            if any(directory.glob("pages*.jsonl"))  # once per run folder, not once per source
        ]
        chosen: dict[Path, set[str]] = defaultdict(set)
        for source_id in source_ids:
            for directory, sources in runs:
                source = sources.get(source_id)
                if source and not source.get("failed"):
                    chosen[directory].add(source_id)
                    break
        for directory, chosen_ids in chosen.items():
            previous.load(directory, chosen_ids)
        return previous

    def load(self, directory: Path, source_ids: set[str]) -> None:
        """The sources' pages and records from one run folder (its manifests are read once for all)."""
        for manifest in sorted(directory.glob("pages*.jsonl")):
            with manifest.open(encoding="utf-8") as lines:
                for line in lines:
                    entry = PageEntry(**json.loads(line))
                    if entry.source_id in source_ids and entry.sha256:
                        self.pages[entry.source_id][entry.key] = entry
        for source_id in source_ids:
            records = directory / f"{source_id}.jsonl"
            if records.exists():
                with records.open(encoding="utf-8") as lines:
                    for line in lines:
                        record = ProgramRecord.model_validate_json(line)
                        self.records[source_id][record.source_url].append(record)

    def page(self, source_id: str, key: str) -> PageEntry | None:
        return self.pages[source_id].get(key)

    def programs(self, source_id: str, source_url: str) -> list[ProgramRecord]:
        return self.records[source_id].get(source_url, [])


def earlier_runs(run_dir: Path) -> list[tuple[str, Path, dict[str, Any]]]:
    """(started_at, directory, status) of the other finished runs in the same runs directory."""
    found = []
    current = run_dir.resolve()
    for status_path in current.parent.glob(f"*/{STATUS_FILE}"):
        directory = status_path.parent
        if directory == current:
            continue
        try:
            status = json.loads(status_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append((str(status.get("started_at", "")), directory, status))
    return found

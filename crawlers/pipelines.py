"""Staging, the crawl's only output: each source's program records and the page manifest (the
incremental-crawl manifest) in the run folder (`contract.run_folder`), and the reading of a
previous run's staging so unchanged pages are not extracted again.

Files are written under a temporary name and renamed when the spider closes, so a crashed crawl
never leaves a half-written file that looks complete. The run folder, shard and sources come from
the CLERKSHIPS_RUN_DIR / CLERKSHIPS_SHARD / CLERKSHIPS_SOURCES settings.
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from scrapy.crawler import Crawler

from contract.files import temporary_for
from contract.health import crawl_failure
from contract.run_folder import PageEntry, RunFolder, RunFolderError, read_last_ok
from crawlers.items import StagedPage

logger = logging.getLogger(__name__)
RECORD_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder, not one per line


class StagingPipeline:
    """Appends records and page entries to the run's staging files, renamed into place at close."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.files: dict[Path, IO[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StagingPipeline:
        return cls(crawler)

    @property
    def folder(self) -> RunFolder:
        return RunFolder(Path(self.crawler.settings["CLERKSHIPS_RUN_DIR"]))

    @property
    def pages_path(self) -> Path:
        return self.folder.pages(self.crawler.settings.get("CLERKSHIPS_SHARD") or None)

    def open_spider(self) -> None:
        self.folder.path.mkdir(parents=True, exist_ok=True)
        for source_id in self.crawler.settings.getlist("CLERKSHIPS_SOURCES"):
            self.handle(self.folder.records(source_id))
        self.handle(self.pages_path)

    def handle(self, path: Path) -> IO[str]:
        if path not in self.files:
            self.files[path] = temporary_for(path).open("w", encoding="utf-8")
        return self.files[path]

    def process_item(self, item: StagedPage) -> StagedPage:
        """The page's records (counted as the source's `items`), then its manifest entry."""
        entry = item.entry
        lines = [record.model_dump_json() for record in item.records]
        lines += [restaged(record, entry.fetched_at) for record in item.kept]
        if lines:
            self.handle(self.folder.records(entry.source_id)).write("\n".join(lines) + "\n")
            self.crawler.stats.inc_value(f"source/{entry.source_id}/items", len(lines))
        self.handle(self.pages_path).write(entry.to_json() + "\n")
        return item

    def close_spider(self) -> None:
        for path, handle in self.files.items():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            temporary_for(path).replace(path)
        self.files.clear()


def restaged(record: dict[str, Any], fetched_at: str) -> str:
    """A staged record (a JSON object of the last run) observed again at `fetched_at`, as one line
    the way `ProgramRecord.model_dump_json` writes it (compact, UTF-8 unescaped, in field order;
    a float below 1e-4 is the same number spelled 1e-05)."""
    return RECORD_LINE.encode({**record, "fetched_at": fetched_at})


class PreviousRun:
    """The staging of the last run in which each source was crawled successfully: its page entries,
    and its records as JSON objects (source → page URL → records, in staging order), not models:
    a page that did not change gets them back as they were (`restaged`)."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[str, PageEntry]] = defaultdict(dict)
        self.records: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))

    @classmethod
    def find(cls, run_dir: Path, source_ids: list[str]) -> PreviousRun:
        """Each source's last run the warehouse judged ok (its index in the runs folder); for a source
        it does not name (its runs never loaded), the newest earlier run whose crawl did not fail it."""
        previous, folder = cls(), RunFolder(Path(run_dir).resolve())
        try:
            index = read_last_ok(folder.runs_dir)
        except RunFolderError as exc:  # a damaged index costs a full download, never the night
            logger.warning("%s; looking through the earlier runs instead", exc)
            index = {}
        chosen: dict[str, set[str]] = defaultdict(set)
        unnamed = []
        for source_id in source_ids:
            run_id = index.get(source_id)
            if run_id and run_id != folder.run_id and (folder.runs_dir / run_id).is_dir():
                chosen[run_id].add(source_id)
            else:
                unnamed.append(source_id)
        if unnamed:
            for run_id, source_id in _last_crawled_ok(folder, unnamed):
                chosen[run_id].add(source_id)
        for run_id, chosen_ids in chosen.items():
            previous.load(RunFolder(folder.runs_dir / run_id), chosen_ids)
        return previous

    def load(self, folder: RunFolder, source_ids: set[str]) -> None:
        """The sources' pages and records from one run folder (its manifests are read once for all)."""
        for manifest in folder.page_manifests():
            with manifest.open(encoding="utf-8") as lines:
                for line in lines:
                    entry = PageEntry(**json.loads(line))
                    if entry.source_id in source_ids and entry.sha256:
                        self.pages[entry.source_id][entry.key] = entry
        for source_id in source_ids:
            try:
                self.records[source_id] = read_records(folder.records(source_id))
            except RunFolderError as exc:  # a damaged baseline costs the source a full download, never the night
                logger.warning("%s; %s is downloaded and read in full", exc, source_id)
                self.pages.pop(source_id, None)
                self.records.pop(source_id, None)

    def page(self, source_id: str, key: str) -> PageEntry | None:
        return self.pages[source_id].get(key)

    def programs(self, source_id: str, source_url: str) -> list[dict[str, Any]]:
        return self.records[source_id].get(source_url, [])


def read_records(path: Path) -> defaultdict[str, list[dict[str, Any]]]:
    """A source's staged records by page URL, in staging order (none when it staged no file)."""
    found: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    if path.exists():
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                record = staged_record(line, f"{path}:{number}")
                found[record["source_url"]].append(record)
    return found


def staged_record(line: str, where: str) -> dict[str, Any]:
    """One line of a staged records file as its JSON object; RunFolderError naming `where` (file:line)
    when it is no record (the warehouse validated the file when it loaded the run)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RunFolderError(f"{where}: invalid JSON: {exc.msg}") from None
    if not isinstance(record, dict) or not isinstance(record.get("source_url"), str):
        raise RunFolderError(f"{where}: not a program record (no source_url)")
    return record


def _last_crawled_ok(folder: RunFolder, source_ids: list[str]) -> list[tuple[str, str]]:
    """(run_id, source_id): the newest earlier run with a page manifest whose crawl did not fail the
    source, by `contract.health.crawl_failure`; each earlier status is read once for all sources."""
    found, todo = [], set(source_ids)
    for earlier in folder.earlier():
        if not todo:
            break
        try:
            status = earlier.read_status()
        except RunFolderError:
            continue
        if status is None or not earlier.page_manifests():
            continue
        for source_id in sorted(todo):
            stats = status["sources"].get(source_id)
            if stats is not None and crawl_failure(stats) is None:
                found.append((earlier.run_id, source_id))
                todo.discard(source_id)
    return found

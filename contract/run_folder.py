"""The run folder, `<runs_dir>/<run_id>/`: every file a night leaves there, its shape and its writer.

| file                  | written by                      | read by                                  |
|-----------------------|---------------------------------|------------------------------------------|
| `run.json`            | the flow, before crawling       | a retried load (`clerkships load RUN_ID`) |
| `<source_id>.jsonl`   | the crawl (StagingPipeline)     | the warehouse, the next crawl            |
| `pages[.N].jsonl`     | the crawl, one per shard        | the warehouse, the next crawl            |
| `status[.N].json`     | the crawl, one per shard        | the flow, which merges `status.json`     |
| `status.json`         | the flow (merged) or the crawl  | the warehouse, `clerkships status`       |
| `crawl[.N].log`       | the crawl process               | people                                   |
| `notifications.json`  | the publish step                | people                                   |

and beside the run folders, `<runs_dir>/last_ok.json`: each source's last run the warehouse judged
ok, written after each load, so the next crawl finds its conditional-GET baseline in one read
instead of opening every earlier run. No other module spells these names (dlt's load-package
storage is the model). Every file is written whole or not at all (`contract.files`), and every time
in them is `utc_now()`'s one format. Shards on other machines leave their files in a copy of the
runs folder on shared storage (contract.staging), under the same names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

from contract.files import write_atomic

PLAN_FILE = "run.json"
STATUS_FILE = "status.json"
PAGES_FILE = "pages.jsonl"
LOG_FILE = "crawl.log"
NOTIFICATIONS_FILE = "notifications.json"
LAST_OK_FILE = "last_ok.json"
RECORDS_SUFFIX = ".jsonl"
PAGE_MANIFESTS = "pages*.jsonl"  # every shard's page manifest, as a glob pattern

COUNTERS = (  # a source's integer counters, in the order status.json lists them
    "start_pages",
    "start_pages_failed",
    "pages_fetched",
    "pages_failed",
    "pages_not_modified",
    "pages_gone",
    "robots_refused",
    "items",
    "pages_with_programs",
    "offsite_dropped",  # pages whose redirect left the source's hosts: dropped unfetched
    "links_offsite",  # program-looking links off the source's hosts on the pages read (not followed)
    "pages_incomplete",  # pages that came cut off; their last version was kept
)
GROUPS = ("http_status", "exceptions")  # {code or exception name: count}
DIED = "died"  # the finish_reason of a crawl whose process left no status


class SourceStatus(TypedDict, total=False):
    """One source's entry in status.json: what its crawl counted, and the crawl's verdict on it
    (`failed`, `error`: `contract.health.crawl_failure` of the rest)."""

    start_pages: int
    start_pages_failed: int
    pages_fetched: int
    pages_failed: int
    pages_not_modified: int
    pages_gone: int
    robots_refused: int
    items: int
    pages_with_programs: int
    offsite_dropped: int
    links_offsite: int
    pages_incomplete: int
    http_status: dict[str, int]
    exceptions: dict[str, int]
    finish_reason: str
    unfinished: bool  # the crawl stopped with this source's pages still queued
    start_error: str | None  # the last start page's failure, when one failed
    failed: bool
    error: str | None


class RunStatus(TypedDict):
    """status.json: one crawl (or the merge of a run's shards)."""

    run_id: str
    started_at: str
    finished_at: str
    sources: dict[str, SourceStatus]
    # started_at to finished_at by a monotonic clock, in seconds (the times are whole seconds, too
    # coarse to time a crawl by); absent when no crawl finished (`crawlers.run.failed_status`)
    crawl_seconds: NotRequired[float]


class RunFolderError(ValueError):
    """A run-folder file that cannot be read; the message names the file (and line)."""


@dataclass(frozen=True)
class RunPlan:
    """The config a run was started with and the sources it meant to crawl, so a retried load judges
    exactly those (a source never meant to run gets no source_failed event)."""

    config_path: Path
    source_ids: list[str]


@dataclass
class PageEntry:
    """One line of a page manifest: what the next run needs to know about one page."""

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

    def to_json(self) -> str:
        return json.dumps(vars(self))  # its fields in order, as `asdict` gives them, without copying each


def utc_now() -> str:
    """The one time format of the run folder: `2026-11-25T03:00:00Z`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def shard_file(name: str, shard: str | None) -> str:
    """`pages.jsonl` → `pages.2.jsonl`: shards of one run write side by side in its folder."""
    stem, dot, suffix = name.partition(".")
    return f"{stem}.{shard}{dot}{suffix}" if shard else name


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RunFolderError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RunFolderError(f"{path}: cannot be read: {exc}"[:300]) from None


@dataclass(frozen=True)
class RunFolder:
    """One run's folder and the paths of everything in it."""

    path: Path

    @property
    def run_id(self) -> str:
        return self.path.name

    @property
    def runs_dir(self) -> Path:
        return self.path.parent

    def records(self, source_id: str) -> Path:
        """The source's program records (one ProgramRecord per line)."""
        return self.path / f"{source_id}{RECORDS_SUFFIX}"

    def pages(self, shard: str | None = None) -> Path:
        return self.path / shard_file(PAGES_FILE, shard)

    def page_manifests(self) -> list[Path]:
        """Every shard's page manifest, in name order."""
        return sorted(self.path.glob(PAGE_MANIFESTS))

    def status_path(self, shard: str | None = None) -> Path:
        return self.path / shard_file(STATUS_FILE, shard)

    def log(self, shard: str | None = None) -> Path:
        return self.path / shard_file(LOG_FILE, shard)

    @property
    def plan_path(self) -> Path:
        return self.path / PLAN_FILE

    @property
    def notifications(self) -> Path:
        return self.path / NOTIFICATIONS_FILE

    def shard_files(self, shard: str, source_ids: list[str]) -> list[Path]:
        """What one shard's crawl leaves here, its status last: the status is the shard's completion
        marker, so whoever copies a shard's files copies it last (contract.staging)."""
        records = [self.records(source_id) for source_id in source_ids]
        return [*records, self.pages(shard), self.log(shard), self.status_path(shard)]

    def has_status(self) -> bool:
        return self.status_path().is_file()

    def write_plan(self, plan: RunPlan) -> Path:
        """Write `run.json`, before the first crawl starts."""
        self.path.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"config_path": str(plan.config_path), "source_ids": plan.source_ids}, indent=2)
        return write_atomic(self.plan_path, text + "\n")

    def read_plan(self) -> RunPlan | None:
        """The run's plan; None for a run staged before plans were written."""
        if not self.plan_path.is_file():
            return None
        plan = _read_json(self.plan_path)
        try:
            sources = plan["source_ids"]
            if not (isinstance(sources, list) and all(isinstance(s, str) for s in sources)):
                raise TypeError("source_ids is not a list of ids")
            return RunPlan(Path(plan["config_path"]), sources)
        except (KeyError, TypeError) as exc:
            raise RunFolderError(f"{self.plan_path}: not a run plan: {exc}"[:300]) from None

    def write_status(self, status: RunStatus, shard: str | None = None) -> Path:
        self.path.mkdir(parents=True, exist_ok=True)
        return write_atomic(self.status_path(shard), json.dumps(status, indent=2, sort_keys=True) + "\n")

    def read_status(self, shard: str | None = None) -> RunStatus | None:
        """The crawl's status (None: no crawl finished); raises RunFolderError naming the file."""
        path = self.status_path(shard)
        if not path.is_file():
            return None
        status = _read_json(path)
        if not isinstance(status, dict) or not isinstance(status.get("sources", {}), dict):
            raise RunFolderError(f"{path}: not a run status (no `sources` object)")
        status.setdefault("sources", {})
        return cast(RunStatus, status)

    def merge_statuses(self, started_at: str, crawl_seconds: float, statuses: list[RunStatus]) -> Path:
        """Write `status.json` with every shard's sources; `crawl_seconds` from `started_at` to now."""
        sources: dict[str, SourceStatus] = {}
        for status in statuses:
            sources.update(status.get("sources", {}))
        merged = RunStatus(
            run_id=self.run_id,
            started_at=started_at,
            finished_at=utc_now(),
            sources=sources,
            crawl_seconds=round(crawl_seconds, 3),
        )
        return self.write_status(merged)

    def earlier(self) -> list[RunFolder]:
        """The other run folders beside this one with a status, newest (by run id) first."""
        return sorted(
            (RunFolder(p.parent) for p in self.runs_dir.glob(f"*/{STATUS_FILE}") if p.parent.name != self.run_id),
            key=lambda folder: folder.run_id,
            reverse=True,
        )


def read_last_ok(runs_dir: Path) -> dict[str, str]:
    """source_id → its last run judged ok (empty when no load has written the index yet)."""
    path = Path(runs_dir) / LAST_OK_FILE
    if not path.is_file():
        return {}
    index = _read_json(path)
    if not isinstance(index, dict) or not all(isinstance(v, str) for v in index.values()):
        raise RunFolderError(f"{path}: not an index of source ids to run ids")
    return cast(dict[str, str], index)


def record_last_ok(runs_dir: Path, run_id: str, ok_sources: list[str]) -> Path:
    """Name `run_id` the last ok run of `ok_sources`, unless a later run already is (a late reload
    of an older run moves nothing back)."""
    index = read_last_ok(runs_dir)
    for source_id in ok_sources:
        if index.get(source_id, "") < run_id:
            index[source_id] = run_id
    return write_atomic(Path(runs_dir) / LAST_OK_FILE, json.dumps(index, indent=1, sort_keys=True) + "\n")

"""`clerkships status`: every configured source's health, read from the analysts' snapshot.

Every source in the config is listed, run or not, so a one-source run hides none of the others;
one the warehouse still knows but the config no longer names is listed as "not in config". The
sources table keeps one line per source where the terminal is wide enough for its ids, else each id
gets a line of its own with its figures below it (ids are slugs of up to 60 characters, and an
80-column terminal cannot hold one beside six columns). Scraped and error text is always a `Text`,
never read as Rich markup.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, TypeVar

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from crawlers.config import Config

NEVER_RUN = "never run"
NOT_IN_CONFIG = "not in config"
VERDICT_STYLES = {"ok": "green", "failed": "red", "suspect": "yellow", NEVER_RUN: "dim"}
# The cells after a source's id: header, width, alignment ("never run", two ISO dates, two counts).
FIGURES: tuple[tuple[str, int, Literal["left", "right"]], ...] = (
    ("verdict", 9, "left"),
    ("last run", 10, "left"),
    ("last ok", 10, "left"),
    ("listed", 6, "right"),
    ("gone", 4, "right"),
)
REASON_MIN_WIDTH = 20  # below this the reason folds into a ribbon: the stacked layout reads better
RUN_KEYS = (
    "run_id",
    "started_at",
    "finished_at",
    "records",
    "applied",
    "sources_ok",
    "sources_failed",
    "sources_suspect",
    "new",
    "changed",
    "closed",
    "reopened",
)
RUN_COLUMNS = {  # header → run key
    "ok": "sources_ok",
    "failed": "sources_failed",
    "suspect": "sources_suspect",
    "new": "new",
    "changed": "changed",
    "closed": "closed",
    "reopened": "reopened",
}


@dataclass(frozen=True)
class SourceStatus:
    """One source as `status` reports it; its fields are the `--json` keys of each source."""

    source_id: str
    institution: str | None
    config: str  # enabled | disabled | not in config
    verdict: str  # never run | ok | failed | suspect (of its last run)
    reason: str | None  # why the last run was not ok
    last_run_id: str | None
    last_run_date: str | None
    last_ok_run_id: str | None
    last_ok_date: str | None
    not_ok_runs: int  # runs since its last ok one
    programs_listed: int  # programs not closed
    pages_gone: int | None  # pages answering 404/410 in its last crawl

    def figures(self) -> tuple[str, ...]:
        """The table's cells after the id, as text."""
        gone = "" if self.pages_gone is None else str(self.pages_gone)
        return (self.verdict, self.last_run_date or "", self.last_ok_date or "", str(self.programs_listed), gone)


def source_statuses(cfg: Config, health: list[dict]) -> list[SourceStatus]:
    """The config's sources in its order, then those only the warehouse knows, by id."""
    known = {row["source_id"]: row for row in health}
    listed = [
        _status(source.id, source.institution, "enabled" if source.enabled else "disabled", known.get(source.id))
        for source in cfg.sources
    ]
    configured = {source.id for source in cfg.sources}
    gone_from_config = [
        _status(source_id, None, NOT_IN_CONFIG, row)
        for source_id, row in sorted(known.items())
        if source_id not in configured
    ]
    return listed + gone_from_config


def _status(source_id: str, institution: str | None, config: str, row: dict | None) -> SourceStatus:
    row = row or {}
    return SourceStatus(
        source_id=source_id,
        institution=institution,
        config=config,
        verdict=row.get("verdict") or NEVER_RUN,
        reason=row.get("reason"),
        last_run_id=row.get("last_run_id"),
        last_run_date=_iso(row.get("last_run_date")),
        last_ok_run_id=row.get("last_ok_run_id"),
        last_ok_date=_iso(row.get("last_ok_date")),
        not_ok_runs=row.get("not_ok_runs") or 0,
        programs_listed=row.get("programs_listed") or 0,
        pages_gone=row.get("pages_gone"),
    )


V = TypeVar("V")


def _iso(value: V) -> V | str:
    """Dates as YYYY-MM-DD, times (stored in UTC) as YYYY-MM-DDTHH:MM:SSZ, anything else as it is."""
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value
        return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def document(statuses: list[SourceStatus], runs: list[dict], db_path: Path) -> dict:
    """The `--json` document: the snapshot read, every source, the last runs (newest first)."""
    return {
        "database": str(db_path),
        "sources": [asdict(status) for status in statuses],
        "runs": [{key: _iso(run.get(key)) for key in RUN_KEYS} for run in runs],
    }


def render(console: Console, statuses: list[SourceStatus], runs: list[dict], db_path: Path) -> None:
    """The last runs, a one-line count of verdicts, then every source, fitted to the console."""
    if not db_path.exists():
        console.print(Text(f"No run loaded yet ({db_path} does not exist)."))
    elif runs:
        console.print(runs_table(runs))
    console.print(Text(summary(statuses)))
    table = sources_table(statuses)
    wide = console.options.update(max_width=10_000)
    if Measurement.get(console, wide, table).minimum <= console.width:
        console.print(table)
    else:
        stacked(console, statuses)


def runs_table(runs: list[dict]) -> Table:
    """The last runs (the run id says when each started): its sources' verdicts and its events."""
    table = Table(title=f"Last {len(runs)} runs", box=box.SIMPLE_HEAD, collapse_padding=True, show_edge=False)
    table.add_column("run", no_wrap=True)
    for header in RUN_COLUMNS:
        table.add_column(header, justify="right", no_wrap=True)
    for run in runs:
        table.add_row(Text(run["run_id"]), *(Text(str(run[key])) for key in RUN_COLUMNS.values()))
    return table


def summary(statuses: list[SourceStatus]) -> str:
    """E.g. `62 sources (60 enabled, 1 disabled, 1 not in config): 1 ok, 1 failed, 60 never run`."""
    configs = {c: sum(s.config == c for s in statuses) for c in ("enabled", "disabled", NOT_IN_CONFIG)}
    verdicts = {v: sum(s.verdict == v for s in statuses) for v in ("ok", "failed", "suspect", NEVER_RUN)}
    shown = ", ".join(f"{n} {c}" for c, n in configs.items() if n)
    judged = ", ".join(f"{n} {v}" for v, n in verdicts.items() if n)
    return f"{len(statuses)} sources ({shown}): {judged}"


def sources_table(statuses: list[SourceStatus]) -> Table:
    """One line per source: id (and, below it, `disabled` or `not in config`), figures, and why."""
    table = Table(title="Sources")
    table.add_column("source", no_wrap=True)
    for name, width, justify in FIGURES:
        table.add_column(name, no_wrap=True, min_width=width, justify=justify)
    table.add_column("why not ok", overflow="fold", min_width=REASON_MIN_WIDTH, ratio=1)
    for status in statuses:
        source = Text(status.source_id)
        if status.config != "enabled":
            source.append(f"\n{status.config}", style="dim")
        table.add_row(source, *_figure_cells(status), Text(status.reason or ""))
    return table


def _figure_cells(status: SourceStatus) -> list[Text]:
    cells = [Text(value) for value in status.figures()]
    cells[0].stylize(VERDICT_STYLES.get(status.verdict, ""))
    return cells


def stacked(console: Console, statuses: list[SourceStatus]) -> None:
    """Each source's id on its own line, its figures on the next, its reason below them."""
    console.print(Text("Sources", style="italic"), justify="center")
    console.print(_figure_line([Text(name) for name, _, _ in FIGURES]), style="bold")
    for status in statuses:
        heading = Text(status.source_id, style="bold")
        if status.config != "enabled":
            heading.append(f"  {status.config}", style="dim")
        console.print(heading)
        console.print(_figure_line(_figure_cells(status)))
        if status.reason:
            console.print(Padding(Text(status.reason), (0, 0, 0, 4)))


def _figure_line(cells: list[Text]) -> Text:
    """Cells aligned to the FIGURES' widths, two spaces apart, indented two."""
    line = Text("  ")
    for cell, (_, width, justify) in zip(cells, FIGURES, strict=True):
        cell.align(justify, width)
        line.append_text(cell)
        line.append("  ")
    line.rstrip()
    return line

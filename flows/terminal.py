"""The night in the foreground, as a person at a terminal sees it: a progress bar, the summary
tables, and one plain line per failure. `clerkships run` and `clerkships demo` share it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from flows.paths import DataPaths
from flows.progress import listening

console = Console()


def fail(lines: list[str], code: int = 1) -> None:
    """Print plain one-line errors (never wrapped, so each stays greppable) and exit."""
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code)


def retry_command(run_id: str, config: Path, paths: DataPaths) -> str:
    return f"clerkships load {run_id} --config {config.resolve()} --data-dir {paths.root}"


def run_night(paths: DataPaths, config: Path, source: list[str] | None, shards: int | None = None) -> dict:
    """Run the night in-process: as a Prefect flow run when a Prefect server is configured (it is
    tracked there), else its plain stages, with no Prefect server started; a failed load prints how
    to retry it and exits 1.

    Prefect's own failure logs (two tracebacks) are silenced here: the two lines below say it all."""
    from crawlers.run import new_run_id
    from flows.env import prefect_api_url

    night: Callable[..., dict[str, Any]]
    if prefect_api_url():
        from flows.nightly import nightly as night
    else:
        from flows.night import night

    run_id = new_run_id()
    with night_progress(run_id), prefect_failures_quiet():
        try:
            return night(
                config_path=str(config.resolve()),
                data_dir=str(paths.root),
                source_ids=source or None,
                shards=shards,
                run_id=run_id,
            )
        except Exception as exc:
            staged = paths.runs / run_id
            fail(
                [
                    f"run {run_id} failed: {one_line(exc)}",
                    f"staging kept in {staged}; retry the load with: {retry_command(run_id, config, paths)}",
                ]
            )
            raise


PREFECT_RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


@contextmanager
def prefect_failures_quiet() -> Iterator[None]:
    """Keep the flow's and tasks' log records off the terminal: Prefect logs a failed task and flow
    with their tracebacks, and the CLI reports failures (and a superseded load) itself, with the
    verdicts table showing a failed shard's sources. The records still reach the Prefect server
    (its handler sits on these loggers; the terminal's on the root), so the flow run has its logs."""
    import logging

    loggers = [logging.getLogger(name) for name in PREFECT_RUN_LOGGERS]
    before = [logger.propagate for logger in loggers]
    for logger in loggers:
        logger.propagate = False
    try:
        yield
    finally:
        for logger, propagate in zip(loggers, before, strict=True):
            logger.propagate = propagate


STAGES = {"crawl": "Crawling: {done}/{total} sources done", "load": "Loading and diffing", "publish": "Publishing"}


@contextmanager
def night_progress(run_id: str) -> Iterator[None]:
    """A rich progress bar fed by the flow's stage reports (flows.progress)."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"Night {run_id}: starting", total=None)

        def show(stage: str, done: int, total: int) -> None:
            text = STAGES[stage].format(done=done, total=total)
            bar.update(task, description=f"Night {run_id}: {text}", completed=done, total=total or None)

        with listening(show):
            yield


def one_line(value: object, limit: int | None = None) -> str:
    """A message, or scraped text, on one line (a line break would end a YAML comment or split a
    greppable error), at most `limit` long; an exception without a message is named by its type."""
    text = " ".join(str(value).split()) or (type(value).__name__ if isinstance(value, BaseException) else "")
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


CELL = 60  # characters of a value in a summary table
SHOWN = 20  # events and sources a summary lists; the rest are counted and said where to find


def show_summary(summary: dict, db: Path) -> None:
    """The night's event counts, its first events and the sources not ok first, as readable tables;
    what is left out is counted and said where to read (the warehouse's v_events, `clerkships status`,
    and the run's Prefect artifact when it was tracked). Scraped text is shown as it is (a Text
    cell is never read as Rich markup)."""
    run_id, events = summary["run_id"], summary["events"]
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(summary["counts"].items()) if n) or "no events"
    console.print(f"Run {run_id}: {counts}", markup=False)
    table = Table(title=Text(f"Events of run {run_id}"))
    for column in ("event", "institution", "program", "what changed"):
        table.add_column(column)
    for event in events[:SHOWN]:
        pairs = (event.get("changes") or {}).items()
        changes = "; ".join(f"{f}: {one_line(b, CELL)} → {one_line(a, CELL)}" for f, (b, a) in pairs)
        changes = changes or one_line(event.get("detail") or "", 2 * CELL)  # a source event says why
        table.add_row(
            *map(
                Text,
                (
                    event["event_type"],
                    event.get("institution") or event.get("source_id") or "",
                    event.get("program_name") or "",
                    changes,
                ),
            )
        )
    console.print(table)
    if len(events) > SHOWN:
        console.print(
            f"… and {len(events) - SHOWN} more events: SELECT * FROM v_events WHERE run_id = '{run_id}' in {db}"
            + (f" (and the run's {key} artifact in Prefect)" if (key := summary.get("artifact")) else ""),
            markup=False,
            soft_wrap=True,  # one greppable line, a query to copy
        )
    health = Table(title="Source health")
    health.add_column("source")
    health.add_column("verdict")
    verdicts = sorted(summary["verdicts"].items(), key=lambda item: (item[1] == "ok", item[0]))
    for source_id, verdict in verdicts[:SHOWN]:
        style = {"ok": "green", "failed": "red", "suspect": "yellow"}.get(verdict, "")
        health.add_row(Text(source_id), Text(verdict, style=style))
    console.print(health)
    if len(verdicts) > SHOWN:
        console.print(f"… and {len(verdicts) - SHOWN} more sources: clerkships status", markup=False)

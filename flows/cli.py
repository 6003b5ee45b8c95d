"""The `clerkships` command line: one entry point for maintainers, analysts and the demo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from crawlers.config import Config, ConfigError, load_config
from flows.env import use_data_dir
from flows.lock import DataDirBusyError, data_dir_lock
from flows.paths import DataPaths
from flows.terminal import console, fail, one_line, run_night, show_summary

app = typer.Typer(
    help="Watch US clerkship, elective and observership pages for international medical students and graduates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """Crawl, extract, store and publish program pages; see README.md."""


CONFIG_OPTION = typer.Option(Path("config/sources.yaml"), "--config", help="The sources file.")


@app.command()
def validate(config: Path = CONFIG_OPTION) -> None:
    """Check the sources file; print one line per problem, naming file, line and field."""
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        fail(exc.lines)
    enabled = sum(s.enabled for s in cfg.sources)
    console.print(f"{config}: ok, {len(cfg.sources)} sources ({enabled} enabled)", markup=False)


DATA_OPTION = typer.Option(Path("data"), "--data-dir", help="Where the DuckDB file, runs and exports live.")


def checked_config(path: Path) -> Config:
    try:
        return load_config(path)
    except ConfigError as exc:
        fail(exc.lines)
        raise  # unreachable: fail() exits


def checked_data_dir(data_dir: Path) -> DataPaths:
    """Create the data dir and prove it is writable before any crawling starts."""
    try:
        root = use_data_dir(data_dir)
        probe = root / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        fail([f"{data_dir}: data dir is not writable: {exc.strerror or exc}"])
    return DataPaths(root)


@app.command()
def run(
    config: Path = CONFIG_OPTION,
    data_dir: Path = DATA_OPTION,
    source: list[str] = typer.Option(None, "--source", help="Only these source ids (repeatable)."),
    shards: int | None = typer.Option(None, min=1, help="Scrapy processes to run side by side [default: one per CPU]."),
    strict: bool = typer.Option(False, help="Exit 1 when any source failed or is suspect, or the load was superseded."),
) -> None:
    """One full run: crawl, load and diff, publish. Exit 0 when the load succeeded."""
    from flows.lifeline import guarded

    cfg = checked_config(config)
    try:
        cfg.enabled_sources(source or None)  # unknown ids, or nothing enabled: refused before anything starts
    except ConfigError as exc:
        fail(exc.lines)
    paths = checked_data_dir(data_dir)
    with holding(paths):
        summary = guarded(lambda: run_night(paths, config, source, shards))
    show_summary(summary, paths.db)
    superseded = warn_if_superseded(summary.get("superseded_by"), summary["run_id"])
    if strict and (superseded or any(v != "ok" for v in summary["verdicts"].values())):
        raise typer.Exit(1)


@contextmanager
def holding(paths: DataPaths) -> Iterator[None]:
    """The data dir's lock for the command, or one line naming who holds it."""
    try:
        with data_dir_lock(paths.root):
            yield
    except DataDirBusyError as exc:
        fail([one_line(exc)])


def warn_if_superseded(superseded_by: str | None, run_id: str) -> bool:
    """Say loudly (stderr) that a run loaded after a newer one changed nothing; True if so."""
    from flows.load_step import superseded_warning

    if superseded_by:
        typer.echo(superseded_warning(run_id, superseded_by), err=True)
    return bool(superseded_by)


@app.command()
def load(
    run_id: str = typer.Argument(..., help="A run folder under DATA_DIR/runs."),
    config: Path = typer.Option(
        None, "--config", help="The sources file (default: the one the run was started with, else config/sources.yaml)."
    ),
    data_dir: Path = DATA_OPTION,
    wait: float = typer.Option(30.0, help="Seconds to wait for a process holding the writer's DuckDB file."),
    strict: bool = typer.Option(False, help="Exit 1 when the load was superseded by a newer run."),
) -> None:
    """Load (again) a run's staging into DuckDB and publish, judging the sources the run meant to crawl;
    loading a run twice changes nothing, but completes its publishing and notifications if a kill cut them."""
    from contract.run_folder import STATUS_FILE, RunFolder, RunFolderError
    from flows.load_step import load_into
    from flows.publish.step import publish
    from warehouse import WAREHOUSE_ERRORS

    paths = checked_data_dir(data_dir)
    folder = RunFolder(paths.runs / run_id)
    if not folder.has_status():
        fail([f"{folder.path}: no staged run here ({STATUS_FILE} missing)"])
    try:
        plan = folder.read_plan()
    except RunFolderError as exc:
        fail([one_line(exc)])
    cfg = checked_config(config or (plan.config_path if plan else Path("config/sources.yaml")))
    sources = plan.source_ids if plan else [s.id for s in cfg.enabled_sources()]
    with holding(paths):
        try:
            result = load_into(paths, run_id, sources, cfg.settings.closure_grace_runs, lock_timeout=wait)
            published = publish(paths, cfg.settings)
        except WAREHOUSE_ERRORS as exc:
            fail([one_line(exc)])
    if result.already_loaded:
        console.print(f"run {run_id} was already loaded; nothing changed", markup=False)
    shown = {"run_id": run_id, "counts": result.counts, "events": result.events, "verdicts": result.verdicts}
    show_summary(shown, paths.db)
    console.print(f"exports: {published.get('hub', paths.exports)}", markup=False)
    if warn_if_superseded(result.superseded_by, run_id) and strict:
        raise typer.Exit(1)


@app.command()
def status(
    config: Path = CONFIG_OPTION,
    data_dir: Path = DATA_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document: every source, the last runs."),
    limit: int = typer.Option(5, min=0, help="How many runs to show."),
) -> None:
    """Every configured source's health (never run, ok, failed, suspect) and the last runs."""
    import json

    from flows.status_view import document, render, source_statuses
    from warehouse import WAREHOUSE_ERRORS
    from warehouse.read import status_of

    cfg = checked_config(config)
    paths = DataPaths(data_dir)
    try:
        health, last_runs = status_of(paths.db, limit)
    except WAREHOUSE_ERRORS as exc:
        fail([one_line(exc)])
    statuses = source_statuses(cfg, health)
    if as_json:
        typer.echo(json.dumps(document(statuses, last_runs, paths.db), ensure_ascii=False, indent=2))
    else:
        render(console, statuses, last_runs, paths.db)


def need_api_url() -> None:
    import os

    if not os.environ.get("PREFECT_API_URL"):
        fail(
            [
                "PREFECT_API_URL is not set: start `prefect server start` and export PREFECT_API_URL=http://127.0.0.1:4200/api"
            ]
        )


@app.command()
def serve(
    config: Path = CONFIG_OPTION,
    data_dir: Path = DATA_OPTION,
    name: str = typer.Option("nightly", help="Deployment name."),
) -> None:
    """Register the nightly deployment (cron and time zone from the config) and serve it.

    Needs a running Prefect server (`prefect server start`) and PREFECT_API_URL pointing at it.
    """
    cfg = checked_config(config)
    paths = checked_data_dir(data_dir)
    need_api_url()
    from prefect.schedules import Cron

    from flows.nightly import nightly

    schedule = cfg.settings.schedule
    nightly.serve(
        name=name,
        schedules=[Cron(schedule.cron, timezone=schedule.timezone)],
        global_limit=1,
        parameters={"config_path": str(config.resolve()), "data_dir": str(paths.root)},
        description="Crawl, load and publish every enabled source.",
    )


@app.command()
def deploy(
    work_pool: str = typer.Option(..., "--work-pool", help="The Prefect work pool (type process) to run on."),
    config: Path = CONFIG_OPTION,
    data_dir: Path = DATA_OPTION,
    shards: int = typer.Option(4, min=1, help="Shard flow runs per night, spread over the pool's workers."),
    name: str = typer.Option("nightly", help="The nightly deployment's name."),
) -> None:
    """Register the nightly and the shard deployments on a work pool; workers run them (README:
    Running on several machines). The nightly loads into DATA_DIR on the worker polling the `loader` queue."""
    cfg = checked_config(config)
    paths = checked_data_dir(data_dir)
    need_api_url()
    from prefect.exceptions import ObjectNotFound

    from flows.deploy import deploy as register

    try:
        register(cfg, config, paths.root, work_pool, shards, name)
    except ObjectNotFound:
        fail([f"work pool {work_pool!r} not found; create it: prefect work-pool create {work_pool} --type process"])
    console.print(f"deployed clerkships-nightly/{name} and the shard flow on work pool {work_pool}", markup=False)


@app.command()
def demo(
    data_dir: Path = typer.Option(Path("data/demo"), "--data-dir", help="Demo data dir (starts fresh)."),
) -> None:
    """The whole pipeline over the bundled fixture web, three nights, no internet needed."""
    from flows.demo import run_demo

    run_demo(data_dir, console)


@app.command()
def score(
    pages_dir: Path = typer.Argument(..., metavar="DIR", help="A folder of hand-labelled pages (*.json)."),
    show_misses: bool = typer.Option(False, "--show-misses", help="Also list every field missed or wrong."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object."),
) -> None:
    """Score extraction on labelled pages: per-field tp/fp/fn/wrong, status accuracy, fact precision/recall/F1."""
    import json

    from crawlers.extract.scoring import PagesError, extract_records, load_pages, summarize

    try:
        pages = load_pages(pages_dir)
    except PagesError as exc:
        fail([str(exc)])
    results = {}
    for page in pages:
        try:
            results[page["id"]] = extract_records(page)
        except Exception as exc:  # a crash on one page is counted as "without result", as the reference does
            typer.echo(f"{pages_dir}: page {page['id']}: extractor failed: {one_line(exc)}", err=True)
    if not results:
        fail([f"{pages_dir}: the extractor gave no result for any page"])
    summary = summarize(pages, results)
    if as_json:
        typer.echo(json.dumps(summary.as_json(show_misses=show_misses), ensure_ascii=False))
    else:
        typer.echo(summary.report(show_misses=show_misses))


@app.command()
def capture(
    source_id: str = typer.Argument(..., metavar="SOURCE_ID", help="The source to crawl and save."),
    config: Path = CONFIG_OPTION,
    out: Path = typer.Option(Path("tests/sources"), "--out", help="Saved sources live in OUT/<id>/."),
) -> None:
    """Crawl one source and save its responses and records as a saved-source test (see flows/capture.py)."""
    from flows.capture import CaptureError
    from flows.capture import capture as save

    checked_config(config)
    try:
        saved = save(source_id, config, out)
    except ConfigError as exc:
        fail(exc.lines)
    except CaptureError as exc:
        fail([one_line(exc)])
    console.print(f"{saved.folder}: {saved.responses} response(s), {saved.records} record(s) saved", markup=False)


from crawlers.extract.command import extract_command  # noqa: E402

app.command("extract")(extract_command)

from flows.probe import probe_command  # noqa: E402

app.command("probe")(probe_command)

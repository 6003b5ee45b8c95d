"""The `clerkships` command line: one entry point for maintainers, analysts and the demo."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from crawlers.config import ConfigError, load_config

app = typer.Typer(
    help="Watch US clerkship, elective and observership pages for international medical students and graduates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()


def fail(lines: list[str], code: int = 1) -> None:
    """Print plain one-line errors (never wrapped, so each stays greppable) and exit."""
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code)


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
    enabled = len(cfg.enabled_sources())
    console.print(f"{config}: ok, {len(cfg.sources)} sources ({enabled} enabled)", markup=False)

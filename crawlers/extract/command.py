"""`clerkships extract PATH... [--source ID] [--json]`: run the extractor over saved pages.

Each input stands alone: an unreadable one prints its one-line error and the rest still run; the
exit code is 1 when any input failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from contract.record import ExtractedProgram
from crawlers.extract.errors import ExtractError

if TYPE_CHECKING:
    from crawlers.config import Source

TABLE_FIELDS = ("program_type", "status", "audience", "accepts_international", "hands_on", "application_method")


def extract_command(
    paths: list[Path] = typer.Argument(..., metavar="PATH...", help="Saved pages: HTML, plain text or PDF."),
    source: str | None = typer.Option(None, "--source", metavar="ID", help="Apply this source's selectors."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per input."),
    config: Path = typer.Option(Path("config/sources.yaml"), "--config", help="The sources file."),
) -> None:
    """Extract and normalize program records from saved pages (kind decided by content)."""
    from crawlers.extract import extract_document  # the rules load only when the command runs

    src = _source(config, source) if source else None
    failed = False
    console = Console()
    for path in paths:
        try:
            programs = extract_document(path.read_bytes(), url=None, source=src)
        except (ExtractError, OSError) as exc:
            failed = True
            message = f"{path}: {_one_line(exc)}"
            typer.echo(message, err=True)
            if as_json:
                typer.echo(json.dumps({"input": str(path), "error": _one_line(exc)}))
            continue
        if as_json:
            records = [p.model_dump(mode="json") for p in programs]
            typer.echo(json.dumps({"input": str(path), "programs": records}, ensure_ascii=False))
        else:
            console.print(_table(path, programs))
    if failed:
        raise typer.Exit(1)


def _source(config: Path, source_id: str) -> Source:
    from crawlers.config import ConfigError, load_config

    try:
        cfg = load_config(config)
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    for src in cfg.sources:
        if src.id == source_id:
            return src
    typer.echo(f"{config}: no source with id {source_id!r}", err=True)
    raise typer.Exit(2)


def _one_line(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    return " ".join(text.split())


def _table(path: Path, programs: list[ExtractedProgram]) -> Table:
    table = Table(title=f"{path} — {len(programs)} program(s)", show_lines=True)
    table.add_column("program")
    for name in TABLE_FIELDS:
        table.add_column(name)
    table.add_column("other facts")
    for p in programs:
        data = p.model_dump(mode="json", exclude={"evidence", "program_key", "program_name", *TABLE_FIELDS})
        other = "; ".join(f"{k}={v}" for k, v in data.items() if v is not None)
        table.add_row(p.program_name or p.program_key or "-", *(str(getattr(p, f)) for f in TABLE_FIELDS), other)
    return table

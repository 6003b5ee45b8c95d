"""`clerkships demo`: the real pipeline over the bundled fixture web, night after night.

Night 1 crawls the fixture institutions; the web then moves to its next night (a program added,
one removed, one suspended, a fee changed, a heading renamed, a site down, a site timing out, a
layout change) and night 2 shows what the pipeline makes of it; on night 3 the removed program is
back (reopened) and the sites answer again. The demo's config closes a missing program after one
ok run (`closure_grace_runs: 1`) so that a closure shows within the demo; the default is 2.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from rich.console import Console

from demo.web import FixtureWeb
from flows.env import use_data_dir
from flows.paths import DataPaths

MARKER = ".clerkships-demo"


def fresh_data_dir(data_dir: Path) -> DataPaths:
    """Empty a previous demo's dir (and only a demo's: a dir without the marker is left alone)."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / MARKER).exists():
            raise SystemExit(f"{data_dir}: not empty and not a demo dir; choose another --data-dir")
        shutil.rmtree(data_dir)
    root = use_data_dir(data_dir)
    (root / MARKER).write_text("made by `clerkships demo`; deleted by the next demo run\n")
    return DataPaths(root)


def run_demo(data_dir: Path, console: Console) -> dict:
    """Run three nights, advancing the fixture web between them, then say what happened and where it is."""
    from flows.terminal import run_night, show_summary

    started = time.monotonic()
    paths = fresh_data_dir(data_dir)
    config = paths.root / "sources.yaml"
    nights = []
    with FixtureWeb(night=1) as web:
        web.write_config(config, closure_grace_runs=1)
        console.print(f"Fixture web: {len(web.base_urls)} institutions on loopback; config {config}", markup=False)
        for night in (1, 2, 3):
            if night > 1:
                web.advance()
            nights.append(run_night(paths, config, None))
            counts = ", ".join(f"{n} {kind}" for kind, n in sorted(nights[-1]["counts"].items()) if n)
            console.print(f"Night {night}: {counts or 'no events'}", markup=False)
    for summary in nights[1:]:
        show_summary(summary, paths.db)
    console.print(f"Done in {time.monotonic() - started:.0f} s.", markup=False)
    for label, path in (
        ("DuckDB file", paths.db),
        ("Parquet exports", paths.exports),
        ("Hub page", paths.hub),
        ("Atom feed", paths.feed),
    ):
        console.print(f"{label}: {path}", markup=False)
    console.print(
        f"Query it: uv run python -c \"import duckdb; print(duckdb.connect('{paths.db}', read_only=True)"
        f".sql('select event_type, institution, program_name, changes from v_events'))\"\n"
        "Prefect UI: runs are tracked there when PREFECT_API_URL points at a server: `uv run prefect server start`, "
        "export PREFECT_API_URL=http://127.0.0.1:4200/api, then run again",
        markup=False,
    )
    return nights[-1]

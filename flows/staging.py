"""The run folder's flow-side files: `run.json` (what the run meant to do, written before crawling)
and `status.json` merged from its shards (what the crawl did): the files the warehouse and a later
`clerkships load RUN_ID` read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.pipelines import STATUS_FILE, write_atomic

PLAN_FILE = "run.json"


@dataclass(frozen=True)
class RunPlan:
    """The config a run was started with and the sources it meant to crawl, so a retried load judges
    exactly those (a source never meant to run gets no source_failed event)."""

    config_path: Path
    source_ids: list[str]


def write_plan(run_dir: Path, plan: RunPlan) -> Path:
    """Write `run.json` atomically, before the first crawl starts."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / PLAN_FILE
    text = json.dumps({"config_path": str(plan.config_path), "source_ids": plan.source_ids}, indent=2)
    write_atomic(path, text + "\n")
    return path


def read_plan(run_dir: Path) -> RunPlan | None:
    """The run's plan; None for a run staged before plans were written. Raises ValueError naming the file."""
    path = run_dir / PLAN_FILE
    if not path.is_file():
        return None
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
        sources = plan["source_ids"]
        if not (isinstance(sources, list) and all(isinstance(s, str) for s in sources)):
            raise TypeError("source_ids is not a list of ids")
        return RunPlan(Path(plan["config_path"]), sources)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a run plan: {exc}"[:300]) from None


def merge_statuses(run_dir: Path, run_id: str, started_at: str, statuses: list[dict[str, Any]]) -> Path:
    """Write `status.json` with every shard's sources, atomically (a reader never sees half a file)."""
    sources: dict[str, Any] = {}
    for status in statuses:
        sources.update(status.get("sources", {}))
    merged = {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": datetime.now(UTC).isoformat(),
        "sources": sources,
    }
    path = run_dir / STATUS_FILE
    write_atomic(path, json.dumps(merged, indent=2, sort_keys=True) + "\n")
    return path

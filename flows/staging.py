"""One run's status.json from its shards' statuses: the file the warehouse reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.pipelines import STATUS_FILE, write_atomic


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

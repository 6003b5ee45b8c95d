"""One run's status.json from its shards' statuses: the file the warehouse reads."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def failed_status(source_ids: list[str], error: str) -> dict[str, Any]:
    """The status of sources whose crawl never reported: failed, so they close nothing."""
    return {
        "sources": {
            s: {"failed": True, "error": error, "items": 0, "finish_reason": "crawl failed"} for s in source_ids
        }
    }


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
    path = run_dir / "status.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(merged, indent=2, sort_keys=True))
    os.replace(tmp, path)
    return path

"""After a load: Parquet exports, the hub page, the feed, and the night's notifications.

Shared by the nightly flow and `clerkships load`, so a run loaded later publishes the same way.
A notification that fails is recorded in the run's folder and never fails the run.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.config import Settings
from flows.paths import DataPaths
from flows.publish import notify, write_feed, write_hub
from warehouse import LoadResult, export_all
from warehouse.read import current_programs, recent_events


def publish(paths: DataPaths, settings: Settings, result: LoadResult) -> dict[str, Path]:
    """Write every published artifact for the current state of the database; return their paths."""
    written = dict(export_all(paths.db, paths.exports))
    programs = current_programs(paths.db)
    events = recent_events(paths.db, days=30)
    written["hub"] = write_hub(programs, events, paths.hub, generated_at=datetime.now(UTC))
    written["feed"] = write_feed(events, paths.feed)
    if not result.already_loaded:
        sent = notify(settings.notify, result.run_id, result.events, notify_when_empty=settings.notify_when_empty)
        record_notifications(paths.runs / result.run_id, sent)
    return written


def record_notifications(run_dir: Path, results: list[dict[str, Any]]) -> None:
    """Keep what was sent (and what failed, already logged by `notify`) beside the run's staging."""
    if results:
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "notifications.json").write_text(json.dumps(results, indent=2))

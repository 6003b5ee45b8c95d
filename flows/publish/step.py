"""After a load: the analysts' snapshot, Parquet exports, the hub page, the two feeds, and notifications.

Shared by the nightly flow and `clerkships load`, so a run loaded later publishes the same way. Each
loaded run is marked published and notified in the warehouse once that is done, so a run killed
after its load is completed by the next load or run, and never notified twice. A notification that
fails is recorded in the run's folder and never fails the run.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contract.files import TEMP_SUFFIX, write_atomic
from contract.run_folder import RunFolder
from crawlers.config import Settings
from flows.paths import DataPaths
from flows.publish import notify, write_feeds, write_hub
from flows.publish.feed import MAINTAINERS, STUDENTS
from flows.publish.hub import hub_temporaries
from warehouse import export_all
from warehouse.deliveries import mark, unnotified
from warehouse.export import PARQUET_FILES
from warehouse.history import read_history
from warehouse.load import pause_for_tests
from warehouse.read import current_programs, recent_events
from warehouse.snapshot import publish_snapshot

PAUSE_ENV = "CLERKSHIPS_PUBLISH_PAUSE"
"""Test hook: a path; publishing touches it and sleeps after the Parquet exports (to be killed there)."""


def publish(paths: DataPaths, settings: Settings) -> dict[str, Path]:
    """Write every published artifact for the current state of the warehouse, then send what each
    loaded run still owes; return the artifacts' paths."""
    clean_temps(paths)
    written = dict(export_all(paths.writer_db, paths.exports))
    pause_for_tests(PAUSE_ENV)
    programs = current_programs(paths.writer_db)
    events = recent_events(paths.writer_db, days=30)
    written["hub"] = write_hub(
        programs, events, paths.hub, generated_at=datetime.now(UTC), history=read_history(paths.writer_db)
    )
    written.update(write_feeds(events, paths.exports, site_url=settings.site_url))
    written["snapshot"] = publish_snapshot(paths.writer_db, paths.db)
    mark(paths.writer_db, "published_at")
    for run_id, run_events in unnotified(paths.writer_db):
        sent = notify(settings.notify, run_id, run_events, notify_when_empty=settings.notify_when_empty)
        record_notifications(RunFolder(paths.runs / run_id), sent)
        mark(paths.writer_db, "notified_at", [run_id])
    return written


def clean_temps(paths: DataPaths) -> list[Path]:
    """Remove what a killed publish left half-written: a temporary is named `.<artifact>.<anything>`
    beside its artifact (a `.nojekyll` or other file of the host's is kept). Only the lock holder publishes."""
    prefixes = tuple(f".{name}." for name in (paths.hub.name, STUDENTS.file, MAINTAINERS.file, *PARQUET_FILES))
    stale = [p for p in paths.exports.rglob(".*") if p.is_file() and p.name.startswith(prefixes)]
    stale += paths.root.glob(f".{paths.db.name}.*{TEMP_SUFFIX}")
    stale += hub_temporaries(paths.exports)
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def record_notifications(folder: RunFolder, results: list[dict[str, Any]]) -> None:
    """Keep what was sent (and what failed, already logged by `notify`) beside the run's staging."""
    if results:
        folder.path.mkdir(parents=True, exist_ok=True)
        write_atomic(folder.notifications, json.dumps(results, indent=2) + "\n")

"""What every table, view and column of the warehouse means, in one place: the `COMMENT ON` text
analysts see in DuckDB, the descriptions in each Parquet export's JSON Schema and the README's
data section are all made from it. A record column is described by the contract
(`contract/record.py`, its `Field(description=...)`); the warehouse's own columns here."""

from __future__ import annotations

from contract.record import SCHEMA_VERSION, ProgramRecord

TABLES: dict[str, str] = {
    "v_programs": "One row per program ever seen, in its current state, ordered by institution and name.",
    "v_events": "One row per event, newest first: what each load found new, changed, closed or reopened, "
    "and the sources it could not trust.",
    "v_source_health": "One row per source: its last run's verdict and why, its last ok run, its programs.",
    "programs": "The current state: one row per program ever seen (closed ones stay, with presence closed).",
    "program_versions": "Every state a program has had, valid from one run until the next change.",
    "events": "What each load found: program events (new, changed, closed, reopened) and source alerts.",
    "observations": "Every record of every run, as staged: the raw history, also of runs loaded late.",
    "runs": "One row per loaded run (a crawl night or a single `clerkships load`).",
    "source_runs": "One row per source and run: the health verdict and the crawl's counters.",
    "aliases": "A program id that replaced another (its page renamed the program) mapped to the first id.",
    "schema_version": "The migrations applied to this file, one row each.",
}
"""Every table and view, and what one row of it is."""

COLUMNS: dict[str, str] = {
    "run_id": "The run this row belongs to: its start time (UTC) and a sequence number, which sort in time order.",
    "run_date": "The UTC date the run started.",
    "observed_id": "The program id as the crawl staged it; program_id differs when the page renamed the program.",
    "started_at": "When the run's crawl started (UTC).",
    "finished_at": "When the run's crawl finished (UTC); null when it never finished.",
    "loaded_at": "When the run was loaded into the warehouse (UTC).",
    "records": "How many records the run staged, all sources together.",
    "applied": "False for a run loaded after a newer one: kept as observations only, it changed no state.",
    "published_at": "When the exports, hub page, feed and snapshot were written after this run (UTC).",
    "notified_at": "When this run's notifications were sent (UTC); null while they are still owed.",
    "verdict": "The source's health in the run: ok, failed (it did not answer as a site) or suspect "
    "(its yield collapsed); only an ok run may close programs.",
    "reason": "Why the verdict is not ok, in one line.",
    "items": "Records of the source in the run's staging.",
    "reported_items": "Records the crawler reported for the source.",
    "start_pages": "Start pages the source's crawl had.",
    "start_pages_failed": "Start pages that failed (robots.txt refusing one counts).",
    "pages_fetched": "Pages fetched.",
    "pages_failed": "Pages that failed: errors, 5xx and 429 answers.",
    "pages_not_modified": "Pages that answered 304 Not Modified.",
    "pages_gone": "Pages that answered 404 or 410: gone.",
    "robots_refused": "Links robots.txt told the crawler not to fetch.",
    "pages_with_programs": "Pages that yielded at least one program.",
    "http_status": "HTTP status -> how many answers had it.",
    "exceptions": "Exception name -> how many requests raised it.",
    "finish_reason": "Why the crawl stopped, as Scrapy says it (finished, shutdown, ...).",
    "error": "The error that stopped the crawl, if one did.",
    "offsite_dropped": "Redirects to hosts outside the source, not followed.",
    "links_offsite": "Program-looking links to hosts outside the source, not followed.",
    "pages_incomplete": "Pages cut off in transfer; their last complete version was kept.",
    "first_seen": "Start of the run that first saw the program (UTC).",
    "last_seen": "Start of the last run that saw the program (UTC).",
    "first_run_id": "The run that first saw the program.",
    "last_run_id": "The last run that saw the program; in v_source_health, the source's last run.",
    "presence": "present; missing (absent from fewer ok runs than the grace allows); closed (absent longer).",
    "missing_runs": "Consecutive ok runs the program has been absent from.",
    "closed_at": "When the program was judged gone (UTC); null unless presence is closed.",
    "valid_from": "Start of the run from which this version held (UTC).",
    "valid_to": "Start of the run that replaced this version (UTC); null for the current one.",
    "event_id": "Unique: run id / event type / program id (or source id for a source alert).",
    "occurred_at": "Start of the run whose load raised the event (UTC).",
    "event_type": "new, changed, closed (gone from the source), reopened, source_failed or source_suspect.",
    "changes": "For a changed event: field -> [before, after].",
    "detail": "For a source alert: why the source was not trusted.",
    "alias_id": "The new id the renamed program's page gave it.",
    "version": "The schema version a migration brought the file to.",
    "applied_at": "When the migration ran (UTC).",
    "last_run_at": "When the source's last run started (UTC).",
    "last_ok_run_id": "The source's last run judged ok.",
    "not_ok_runs": "Runs since the source's last ok run.",
    "programs_listed": "The source's programs not closed.",
    "programs_closed": "The source's programs closed.",
    "schema_version": f"The record contract's version the export follows ({SCHEMA_VERSION} now).",
}
"""The warehouse's own columns (a name means the same in every table that has it)."""

JSON_SHAPES: dict[str, dict] = {
    "evidence": {"type": "object", "additionalProperties": {"type": "string"}},
    "changes": {
        "type": "object",
        "additionalProperties": {
            "type": "array",
            "prefixItems": [{"title": "before"}, {"title": "after"}],
            "minItems": 2,
            "maxItems": 2,
        },
    },
}
"""The JSON columns' shapes, as JSON Schema."""


def describe(column: str) -> str:
    """The meaning of a column; KeyError for one nobody described (a test checks none is missing)."""
    if column in COLUMNS:
        return COLUMNS[column]
    field = ProgramRecord.model_fields.get(column)
    if field is None or field.description is None:
        raise KeyError(f"column {column}: no description in warehouse/catalog.py or contract/record.py")
    return field.description

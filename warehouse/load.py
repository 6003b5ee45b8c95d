"""Load one run's staging and diff it against the current state, in one short transaction.

Staging is read and checked before the file is opened; the write is set-based SQL. Loading a run
twice changes nothing. A run older than the newest loaded one is kept as observations only, so a
late `clerkships load` never rolls the current state back.

Events: new, changed (field → [before, after]), closed (absent from `closure_grace_runs`
consecutive ok runs), reopened (a closed program seen again), source_failed, source_suspect.
A page that itself says a program is closed or suspended is a `changed` event on `status`,
with the page's evidence; `closed` always means the program disappeared. A program whose page this
run asked for and did not get (robots.txt, an error, a timeout, a dropped redirect) is unseen, not
missing: it stays as it was.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from crawlers.identity import canonical_url
from crawlers.status import COUNTERS, GROUPS
from warehouse.db import attach
from warehouse.fields import COLUMNS, DIFF_FIELDS, comparable
from warehouse.health import Verdict, judge
from warehouse.read import events_of_run
from warehouse.schema import migrate
from warehouse.staging import STAGED_TABLE, Staging, read_staging

PAUSE_ENV = "CLERKSHIPS_LOAD_PAUSE"
"""Test hook: a path; the load touches it and sleeps inside its transaction (to be killed there)."""

PROGRAM_EVENTS = ("new", "changed", "closed", "reopened")


@dataclass
class LoadResult:
    run_id: str
    already_loaded: bool
    counts: dict[str, int]  # events per type
    verdicts: dict[str, str]  # source_id → ok | failed | suspect
    events: list[dict] = field(default_factory=list)
    superseded_by: str | None = None  # the newer run that was loaded first: this one changed no state

    @property
    def applied(self) -> bool:
        return self.superseded_by is None


def load_run(
    db_path: Path,
    runs_dir: Path,
    run_id: str,
    *,
    closure_grace_runs: int = 2,
    source_ids: list[str] | None = None,
    lock_timeout: float = 30.0,
) -> LoadResult:
    """Load `runs_dir/run_id` into `db_path`; `source_ids` are the sources meant to run (None: those
    in status.json). Raises WarehouseLockedError if the file stays locked; staging is never touched."""
    db_path = Path(db_path)
    con = duckdb.connect()  # staging is read into memory first; the file is locked only after that
    try:
        staging = read_staging(Path(runs_dir), run_id, con)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        attach(con, db_path, lock_timeout=lock_timeout, retry=f"retry with: clerkships load {run_id}")
        migrate(con, db_path)
        already = con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchone()[0] > 0
        if not already:
            con.execute("BEGIN")
            try:
                _apply(con, staging, closure_grace_runs, source_ids)
                pause_for_tests()
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return _result(con, run_id, already)
    finally:
        con.close()


def pause_for_tests(env: str = PAUSE_ENV) -> None:
    """Where the variable `env` names a path: touch it and sleep there, for a test to kill the process."""
    if marker := os.environ.get(env):
        Path(marker).touch()
        time.sleep(3600)


def _result(con: duckdb.DuckDBPyConnection, run_id: str, already: bool) -> LoadResult:
    events = events_of_run(con, run_id)
    counts = dict.fromkeys((*PROGRAM_EVENTS, "source_failed", "source_suspect"), 0)
    for event in events:
        counts[event["event_type"]] += 1
    verdicts = dict(con.execute("SELECT source_id, verdict FROM source_runs WHERE run_id = ?", [run_id]).fetchall())
    [(applied,)] = con.execute("SELECT applied FROM runs WHERE run_id = ?", [run_id]).fetchall()
    superseded_by = None
    if not applied:
        [(superseded_by,)] = con.execute(
            "SELECT max(run_id) FROM runs WHERE applied AND run_id > ?", [run_id]
        ).fetchall()
    return LoadResult(run_id, already, counts, verdicts, events, superseded_by)


def _apply(con: duckdb.DuckDBPyConnection, staging: Staging, grace: int, source_ids: list[str] | None) -> None:
    """Everything one run writes; the caller owns the transaction."""
    run, at = staging.run_id, staging.started_at
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE staged AS
        SELECT {", ".join(f"s.{name}" for name in COLUMNS if name != "program_id")},
               s.program_id AS observed_id, coalesce(a.program_id, s.program_id) AS program_id
        FROM {STAGED_TABLE} s LEFT JOIN aliases a ON a.alias_id = s.program_id"""
    )
    # A renamed program's old key back on its page as well: the old key's record wins.
    con.execute("DELETE FROM staged WHERE observed_id <> program_id AND program_id IN (SELECT observed_id FROM staged)")
    items = dict(con.execute("SELECT source_id, count(*) FROM staged GROUP BY source_id").fetchall())
    verdicts = _judge_sources(con, staging, source_ids, items)
    newest = con.execute("SELECT max(run_id) FROM runs WHERE applied").fetchone()[0]
    applied = newest is None or run > newest
    records = sum(items.values())
    con.execute(
        """INSERT INTO runs (run_id, started_at, finished_at, run_date, loaded_at, records, applied)
        VALUES (?, ?, ?, ?, timezone('UTC', now()), ?, ?)""",
        [run, at, staging.finished_at, at.date(), records, applied],
    )
    _record_source_runs(con, staging, verdicts, items)
    con.execute("INSERT INTO observations BY NAME SELECT ? AS run_id, ? AS run_date, * FROM staged", [run, at.date()])
    if not applied:
        return
    ok = [source for source, verdict in verdicts.items() if verdict.verdict == "ok"]
    con.execute("CREATE OR REPLACE TEMP TABLE ok_sources AS SELECT unnest(?::VARCHAR[]) AS source_id", [ok])
    _hold_unfetched(con, staging)
    _follow_renames(con, run)
    _diff(con, run, at, grace)
    _raise_alerts(con, run, at, verdicts)


def _judge_sources(
    con: duckdb.DuckDBPyConnection, staging: Staging, source_ids: list[str] | None, items: dict[str, int]
) -> dict[str, Verdict]:
    """A verdict for every source meant to run, crawled, or staged."""
    last_ok = {
        source: (n, pages)
        for source, n, pages in con.execute(
            """SELECT source_id, items, pages_with_programs FROM source_runs WHERE verdict = 'ok'
            QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY run_id DESC) = 1"""
        ).fetchall()
    }
    wanted = list(source_ids) if source_ids is not None else list(staging.sources)
    every = dict.fromkeys([*wanted, *staging.sources, *sorted(items)])
    return {source: judge(staging.sources.get(source), items.get(source, 0), last_ok.get(source)) for source in every}


_STATS = {  # source_runs column → status.json key
    "reported_items": "items",
    **{key: key for key in (*COUNTERS, *GROUPS, "finish_reason", "error") if key != "items"},
}


def _record_source_runs(
    con: duckdb.DuckDBPyConnection, staging: Staging, verdicts: dict[str, Verdict], items: dict[str, int]
) -> None:
    """One row per judged source: its verdict, why, its staged record count and its crawl stats."""
    values = []
    for source, verdict in verdicts.items():
        stats = staging.sources.get(source) or {}
        values.append(
            [staging.run_id, source, verdict.verdict, verdict.reason, items.get(source, 0)]
            + [_as_stored(stats.get(key)) for key in _STATS.values()]
        )
    marks = ", ".join("?" * (5 + len(_STATS)))
    con.executemany(
        f"INSERT INTO source_runs (run_id, source_id, verdict, reason, items, {', '.join(_STATS)}) VALUES ({marks})",
        values,
    )


def _as_stored(value: object) -> object:
    """Maps go to JSON columns as JSON text; everything else as is."""
    return json.dumps(value) if isinstance(value, dict) else value


def _hold_unfetched(con: duckdb.DuckDBPyConnection, staging: Staging) -> None:
    """Table `held`: programs of ok sources whose page this run asked for and did not get (robots,
    an error, a timeout): they are unseen, not missing, and stay exactly as they were."""
    stored = con.execute(
        """SELECT program_id, source_id, source_url FROM programs
        WHERE source_id IN (SELECT source_id FROM ok_sources) AND program_id NOT IN (SELECT program_id FROM staged)"""
    ).fetchall()
    held = [
        program
        for program, source, url in stored
        if source in staging.unfetched and canonical_url(url) in staging.unfetched[source]
    ]
    con.execute("CREATE OR REPLACE TEMP TABLE held AS SELECT unnest(?::VARCHAR[]) AS program_id", [held])


def _follow_renames(con: duckdb.DuckDBPyConnection, run: str) -> None:
    """A page that lost one program id and gained one of the same type renamed it: keep the old id."""
    candidates = con.execute(
        """SELECT 'gained', source_id, program_id, program_type, source_url FROM staged
           WHERE source_id IN (SELECT source_id FROM ok_sources)
             AND program_id NOT IN (SELECT program_id FROM programs)
           UNION ALL
           SELECT 'lost', source_id, program_id, program_type, source_url FROM programs
           WHERE source_id IN (SELECT source_id FROM ok_sources) AND presence = 'present'
             AND program_id NOT IN (SELECT program_id FROM staged)
             AND program_id NOT IN (SELECT program_id FROM held)"""
    ).fetchall()
    renames = list(_pair(candidates))
    if not renames:
        return
    con.executemany("INSERT INTO aliases VALUES (?, ?, ?)", [(new, old, run) for new, old in renames])
    con.execute(
        """UPDATE staged SET program_id = a.program_id FROM aliases a
           WHERE a.run_id = ? AND staged.program_id = a.alias_id""",
        [run],
    )


def _pair(candidates: list[tuple]) -> Iterable[tuple[str, str]]:
    """(new id, old id) for each page + program type with exactly one id gained and one lost."""
    sides: dict[str, set[str]] = defaultdict(set)
    for side, source, *_ in candidates:
        sides[source].add(side)
    groups: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for side, source, program, program_type, url in candidates:
        if len(sides[source]) == 2:  # only pages of sources that both gained and lost need their URL
            groups[source, canonical_url(url), program_type][side].append(program)
    for group in groups.values():
        if len(group["gained"]) == 1 and len(group["lost"]) == 1:
            yield group["gained"][0], group["lost"][0]


def _changes_sql() -> str:
    """JSON {field: [before, after]} of the fields that differ between p (stored) and c (staged)."""
    items = ",\n".join(
        f"CASE WHEN {comparable(name, 'p.' + name)} IS DISTINCT FROM {comparable(name, 'c.' + name)} "
        f"THEN {{'k': '{name}', 'v': json_array(p.{name}, c.{name})}} END"
        for name in DIFF_FIELDS
    )
    return f"to_json(map_from_entries(list_filter([{items}], lambda x: x IS NOT NULL)))"


def _diff(con: duckdb.DuckDBPyConnection, run: str, at: object, grace: int) -> None:
    """Classify every program of the ok sources, then write events, versions and the new state."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE diff AS
        WITH c AS (SELECT * FROM staged WHERE source_id IN (SELECT source_id FROM ok_sources)),
             p AS (SELECT * FROM programs WHERE source_id IN (SELECT source_id FROM ok_sources)
                   AND program_id NOT IN (SELECT program_id FROM held)),
             joined AS (
                SELECT coalesce(c.program_id, p.program_id) AS program_id,
                    CASE WHEN p.program_id IS NULL THEN 'new'
                         WHEN c.program_id IS NOT NULL AND p.presence = 'closed' THEN 'reopened'
                         WHEN c.program_id IS NOT NULL THEN 'seen'
                         WHEN p.presence = 'closed' THEN 'still_closed'
                         WHEN p.missing_runs + 1 >= $grace THEN 'closed'
                         ELSE 'missing' END AS kind,
                    CASE WHEN c.program_id IS NOT NULL AND p.program_id IS NOT NULL THEN {_changes_sql()}
                         WHEN c.program_id IS NULL AND p.status IS DISTINCT FROM 'closed'
                         THEN json_object('status', json_array(p.status, 'closed'))
                    END AS changes
                FROM c FULL JOIN p ON c.program_id = p.program_id)
        SELECT program_id, changes,
               CASE WHEN kind = 'seen' AND changes <> '{{}}' THEN 'changed' ELSE kind END AS kind
        FROM joined""",
        {"grace": grace},
    )
    staged_columns = ", ".join(f"c.{name}" for name in COLUMNS)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE next AS
        SELECT {staged_columns}, coalesce(p.first_seen, $at) AS first_seen, $at AS last_seen,
               coalesce(p.first_run_id, $run) AS first_run_id, $run AS last_run_id, 'present' AS presence,
               0 AS missing_runs, NULL::TIMESTAMP AS closed_at
        FROM diff d JOIN staged c ON c.program_id = d.program_id
        LEFT JOIN programs p ON p.program_id = d.program_id
        WHERE d.kind IN ('new', 'reopened', 'seen', 'changed')
        UNION ALL BY NAME
        SELECT p.* REPLACE (
            CASE WHEN d.kind = 'closed' THEN 'closed' ELSE p.status END AS status,
            CASE d.kind WHEN 'still_closed' THEN 'closed' WHEN 'closed' THEN 'closed' ELSE 'missing' END AS presence,
            p.missing_runs + CASE WHEN d.kind = 'still_closed' THEN 0 ELSE 1 END AS missing_runs,
            CASE WHEN d.kind = 'closed' THEN $at ELSE p.closed_at END AS closed_at)
        FROM diff d JOIN programs p ON p.program_id = d.program_id
        WHERE d.kind IN ('closed', 'missing', 'still_closed')""",
        {"at": at, "run": run},
    )
    con.execute(
        """INSERT INTO events BY NAME
        SELECT $run || '/' || d.kind || '/' || d.program_id AS event_id, $run AS run_id, $at AS occurred_at,
               d.kind AS event_type, d.program_id, n.source_id, n.institution, n.program_name, n.source_url,
               d.changes, CASE WHEN d.kind <> 'closed' THEN n.evidence END AS evidence
        FROM diff d JOIN next n ON n.program_id = d.program_id
        WHERE d.kind IN ('new', 'changed', 'closed', 'reopened')""",
        {"at": at, "run": run},
    )
    con.execute(
        """UPDATE program_versions SET valid_to = $at WHERE valid_to IS NULL
        AND program_id IN (SELECT program_id FROM diff WHERE kind IN ('changed', 'closed', 'reopened'))""",
        {"at": at},
    )
    con.execute(
        f"""INSERT INTO program_versions BY NAME
        SELECT $run AS run_id, $at AS valid_from, NULL AS valid_to, n.presence, {", ".join(f"n.{c}" for c in COLUMNS)}
        FROM next n JOIN diff d ON d.program_id = n.program_id
        WHERE d.kind IN ('new', 'changed', 'closed', 'reopened')""",
        {"at": at, "run": run},
    )
    con.execute(
        """DELETE FROM programs WHERE source_id IN (SELECT source_id FROM ok_sources)
        AND program_id NOT IN (SELECT program_id FROM held)"""
    )
    con.execute("INSERT INTO programs BY NAME SELECT * FROM next")


def _raise_alerts(con: duckdb.DuckDBPyConnection, run: str, at: object, verdicts: dict[str, Verdict]) -> None:
    """One source_failed / source_suspect event per unhealthy source; its programs stay as they were."""
    alerts = [
        [f"{run}/source_{v.verdict}/{source}", run, at, f"source_{v.verdict}", source, source, v.reason]
        for source, v in verdicts.items()
        if v.verdict != "ok"
    ]
    if not alerts:
        return
    con.executemany(
        """INSERT INTO events (event_id, run_id, occurred_at, event_type, source_id, institution, detail)
        VALUES (?, ?, ?, ?, ?, (SELECT any_value(institution) FROM programs WHERE source_id = ?), ?)""",
        alerts,
    )

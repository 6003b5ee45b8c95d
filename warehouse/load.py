"""Load one run's staging and diff it against the current state, in one short transaction.

Staging is read and checked before the file is opened for writing; the write is set-based SQL.
Loading a run twice changes nothing, and a reload reads no staging: the file, opened read-only,
answers it. A run older than the newest loaded one is kept as observations only, so a
late `clerkships load` never rolls the current state back.

Events (their vocabulary: contract/events.py): new, changed (field → [before, after]), closed (absent
from `closure_grace_runs` consecutive ok runs), reopened (a closed program seen again), source_failed,
source_suspect.
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

from contract.events import EVENT_TYPES, PROGRAM_EVENTS, source_event
from contract.health import Verdict, judge
from contract.identity import canonical_url, page_program_id
from contract.run_folder import COUNTERS, GROUPS, record_last_ok
from warehouse.db import attach
from warehouse.fields import COLUMNS, DIFF_FIELDS, comparable, hashable
from warehouse.read import events_of_run
from warehouse.schema import LATEST, check, migrate
from warehouse.staging import Staging, read_staging

PAUSE_ENV = "CLERKSHIPS_LOAD_PAUSE"
"""Test hook: a path; the load touches it and sleeps inside its transaction (to be killed there)."""


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
    in the crawl status). Raises WarehouseLockedError if the file stays locked. The staging is never
    changed; the runs folder's index of each source's last ok run is updated after the commit."""
    db_path = Path(db_path)
    retry = f"retry with: clerkships load {run_id}"
    result = _earlier_load(db_path, run_id, lock_timeout, retry) or _load(
        db_path, Path(runs_dir), run_id, closure_grace_runs, source_ids, lock_timeout, retry
    )
    if result.applied:  # the next crawl's baseline: the sources this run, the newest loaded, left ok
        record_last_ok(Path(runs_dir), run_id, [s for s, verdict in result.verdicts.items() if verdict == "ok"])
    return result


def _load(
    db_path: Path,
    runs_dir: Path,
    run_id: str,
    closure_grace_runs: int,
    source_ids: list[str] | None,
    lock_timeout: float,
    retry: str,
) -> LoadResult:
    con = duckdb.connect()  # staging is read into memory first; the file is locked only after that
    try:
        staging = read_staging(runs_dir, run_id, con)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        attach(con, db_path, lock_timeout=lock_timeout, retry=retry)
        migrate(con, db_path)
        already = _is_loaded(con, run_id)  # another load may have won while the staging was read
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


def _earlier_load(db_path: Path, run_id: str, lock_timeout: float, retry: str) -> LoadResult | None:
    """The result of loading `run_id` before, looked up read-only so a reload reads no staging;
    None when it was not loaded (or the file needs migrating first)."""
    if not db_path.exists():
        return None
    con = duckdb.connect()
    try:
        attach(con, db_path, lock_timeout=lock_timeout, retry=retry, read_only=True)
        if check(con, db_path) < LATEST or not _is_loaded(con, run_id):
            return None
        return _result(con, run_id, True)
    finally:
        con.close()


def _is_loaded(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    [(count,)] = con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchall()
    return count > 0


def pause_for_tests(env: str = PAUSE_ENV) -> None:
    """Where the variable `env` names a path: touch it and sleep there, for a test to kill the process."""
    if marker := os.environ.get(env):
        Path(marker).touch()
        time.sleep(3600)


def _result(con: duckdb.DuckDBPyConnection, run_id: str, already: bool) -> LoadResult:
    events = events_of_run(con, run_id)
    counts = dict.fromkeys(EVENT_TYPES, 0)
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
    # Staged records under their programs' ids: a renamed program's by its first id.
    con.execute("ALTER TABLE staged ADD COLUMN observed_id VARCHAR")
    con.execute("UPDATE staged SET observed_id = program_id")
    con.execute("UPDATE staged SET program_id = a.program_id FROM aliases a WHERE a.alias_id = staged.observed_id")
    # A renamed program's old key back on its page as well: the old key's record wins.
    con.execute("DELETE FROM staged WHERE observed_id <> program_id AND program_id IN (SELECT observed_id FROM staged)")
    items = dict(con.execute("SELECT source_id, count(*) FROM staged GROUP BY source_id").fetchall())
    verdicts = _judge_sources(con, staging, source_ids, items)
    [(newest,)] = con.execute("SELECT max(run_id) FROM runs WHERE applied").fetchall()
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
    """One row per judged source (its verdict, why, its staged record count and its crawl stats),
    all in one statement: a column is one list parameter, unnested."""
    rows = [
        [staging.run_id, source, verdict.verdict, verdict.reason, items.get(source, 0)]
        + [_as_stored((staging.sources.get(source) or {}).get(key)) for key in _STATS.values()]
        for source, verdict in verdicts.items()
    ]
    if not rows:
        return
    names = ["run_id", "source_id", "verdict", "reason", "items", *_STATS]
    unnested = ", ".join(f"unnest(${i}) AS {name}" for i, name in enumerate(names, 1))
    con.execute(
        f"INSERT INTO source_runs BY NAME SELECT {unnested}", [list(column) for column in zip(*rows, strict=True)]
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
        """SELECT 'gained', source_id, program_id, program_type, source_url, program_key FROM staged
           WHERE source_id IN (SELECT source_id FROM ok_sources)
             AND program_id NOT IN (SELECT program_id FROM programs)
           UNION ALL
           SELECT 'lost', source_id, program_id, program_type, source_url, program_key FROM programs
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
    for side, source, program, program_type, url, key in candidates:
        if len(sides[source]) == 2:  # only pages of sources that both gained and lost need their URL
            groups[source, _page(source, url, key, program), program_type][side].append(program)
    for group in groups.values():
        if len(group["gained"]) == 1 and len(group["lost"]) == 1:
            yield group["gained"][0], group["lost"][0]


def _page(source: str, url: str, key: str, program: str) -> str:
    """The canonical URL of a program's page: its URL as it is when the program's id says so
    (usually: the crawler stores them canonical), else worked out."""
    return url if page_program_id(source, url, key) == program else canonical_url(url)


def _changes_sql() -> str:
    """JSON {field: [before, after]} of the fields that differ between p (stored) and c (staged)."""
    items = ",\n".join(
        f"CASE WHEN {comparable(name, 'p.' + name)} IS DISTINCT FROM {comparable(name, 'c.' + name)} "
        f"THEN {{'k': '{name}', 'v': json_array(p.{name}, c.{name})}} END"
        for name in DIFF_FIELDS
    )
    return f"to_json(map_from_entries(list_filter([{items}], lambda x: x IS NOT NULL)))"


_FINGERPRINT = f"hash({', '.join(hashable(name) for name in COLUMNS if name != 'fetched_at')})"
"""SQL: a record's fields but its fetch time, hashed: equal on both sides means nothing to rewrite."""


def _diff(con: duckdb.DuckDBPyConnection, run: str, at: object, grace: int) -> None:
    """Classify every program of the ok sources, then write the new state, events and versions.

    Most programs are seen again unchanged: stored and staged rows are matched by id and
    fingerprint only (a narrow join), the changes are worked out for the others alone, and an
    unchanged row gets its three bookkeeping columns updated in place. Only new, changed, reopened
    and otherwise different rows are deleted and inserted; unseen ones are updated in place."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE diff AS
        WITH c AS (SELECT program_id, fetched_at, {_FINGERPRINT} AS fingerprint FROM staged
                   WHERE source_id IN (SELECT source_id FROM ok_sources)),
             p AS (SELECT program_id, {_FINGERPRINT} AS fingerprint, presence, missing_runs, closed_at, status,
                          first_seen, first_run_id FROM programs
                   WHERE source_id IN (SELECT source_id FROM ok_sources)
                   AND program_id NOT IN (SELECT program_id FROM held)),
             joined AS (
                SELECT coalesce(c.program_id, p.program_id) AS program_id, c.fetched_at,
                    coalesce(p.first_seen, $at) AS first_seen, coalesce(p.first_run_id, $run) AS first_run_id,
                    CASE WHEN p.program_id IS NULL THEN 'new'
                         WHEN c.program_id IS NOT NULL AND p.presence = 'closed' THEN 'reopened'
                         WHEN c.program_id IS NOT NULL THEN 'seen'
                         WHEN p.presence = 'closed' THEN 'still_closed'
                         WHEN p.missing_runs + 1 >= $grace THEN 'closed'
                         ELSE 'missing' END AS kind,
                    c.fingerprint = p.fingerprint AS same,
                    p.presence = 'present' AND p.missing_runs = 0 AND p.closed_at IS NULL AS current,
                    CASE WHEN c.program_id IS NULL AND p.status IS DISTINCT FROM 'closed'
                         THEN json_object('status', json_array(p.status, 'closed')) END AS unseen_changes
                FROM c FULL JOIN p ON c.program_id = p.program_id),
             different AS (
                SELECT j.program_id, {_changes_sql()} AS changes
                FROM joined j JOIN staged c ON c.program_id = j.program_id
                JOIN programs p ON p.program_id = j.program_id WHERE NOT j.same),
             classified AS (
                SELECT j.*, CASE WHEN j.same THEN '{{}}'::JSON ELSE coalesce(d.changes, j.unseen_changes) END AS changes
                FROM joined j LEFT JOIN different d ON d.program_id = j.program_id)
        SELECT program_id, fetched_at, first_seen, first_run_id, changes,
               CASE WHEN kind = 'seen' AND changes <> '{{}}' THEN 'changed' ELSE kind END AS kind,
               CASE WHEN kind IN ('closed', 'missing', 'still_closed') THEN 'unseen'
                    WHEN kind = 'seen' AND same AND current THEN 'refetched' ELSE 'rewritten' END AS write
        FROM classified""",
        {"grace": grace, "at": at, "run": run},
    )
    params = {"at": at, "run": run}
    con.execute(
        """DELETE FROM programs
        WHERE program_id IN (SELECT program_id FROM diff WHERE write = 'rewritten' AND kind <> 'new')"""
    )
    con.execute(
        f"""INSERT INTO programs BY NAME
        SELECT {", ".join(f"c.{name}" for name in COLUMNS)}, d.first_seen, $at AS last_seen, d.first_run_id,
               $run AS last_run_id, 'present' AS presence, 0 AS missing_runs, NULL::TIMESTAMP AS closed_at
        FROM diff d JOIN staged c ON c.program_id = d.program_id WHERE d.write = 'rewritten'""",
        params,
    )
    con.execute(
        """UPDATE programs SET fetched_at = d.fetched_at, last_seen = $at, last_run_id = $run
        FROM diff d WHERE d.write = 'refetched' AND programs.program_id = d.program_id""",
        params,
    )
    con.execute(
        """UPDATE programs SET
            status = CASE WHEN d.kind = 'closed' THEN 'closed' ELSE programs.status END,
            presence = CASE WHEN d.kind = 'missing' THEN 'missing' ELSE 'closed' END,
            missing_runs = programs.missing_runs + CASE WHEN d.kind = 'still_closed' THEN 0 ELSE 1 END,
            closed_at = CASE WHEN d.kind = 'closed' THEN $at ELSE programs.closed_at END
        FROM diff d WHERE d.write = 'unseen' AND programs.program_id = d.program_id""",
        {"at": at},
    )
    # Events and versions of the new state, now in `programs`.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE happened AS
        SELECT d.kind, d.changes, n.* FROM diff d JOIN programs n ON n.program_id = d.program_id
        WHERE d.kind IN {PROGRAM_EVENTS}
          AND n.source_id IN (SELECT source_id FROM ok_sources)"""
    )
    con.execute(
        """INSERT INTO events BY NAME
        SELECT $run || '/' || kind || '/' || program_id AS event_id, $run AS run_id, $at AS occurred_at,
               kind AS event_type, program_id, source_id, institution, program_name, source_url,
               changes, CASE WHEN kind <> 'closed' THEN evidence END AS evidence
        FROM happened""",
        params,
    )
    con.execute(
        """UPDATE program_versions SET valid_to = $at WHERE valid_to IS NULL
        AND program_id IN (SELECT program_id FROM happened WHERE kind IN ('changed', 'closed', 'reopened'))""",
        {"at": at},
    )
    con.execute(
        f"""INSERT INTO program_versions BY NAME
        SELECT $run AS run_id, $at AS valid_from, NULL AS valid_to, presence, {", ".join(COLUMNS)}
        FROM happened""",
        params,
    )


def _raise_alerts(con: duckdb.DuckDBPyConnection, run: str, at: object, verdicts: dict[str, Verdict]) -> None:
    """One source_failed / source_suspect event per unhealthy source; its programs stay as they were."""
    alerts = [
        [f"{run}/{source_event(v.verdict)}/{source}", run, at, source_event(v.verdict), source, source, v.reason]
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

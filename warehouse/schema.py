"""Schema and its migrations: each file records its version; newer code migrates, older code refuses.

Migrations are frozen once released: a change to the record contract needs a new migration
(tests/warehouse/test_schema.py checks the tables still hold every contract field). Version 4 makes
its ENUM types from the contract's Literal values, so a value added later also needs a migration
that re-types those columns (files at version 4 keep the values they were made with). Comments are
not part of a version: each writer brings them in line with `warehouse.catalog` after migrating.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.catalog import TABLES, describe
from warehouse.fields import ENUMS, enum_ddl, enum_type

_RECORD = """
    program_id VARCHAR NOT NULL, source_id VARCHAR NOT NULL, institution VARCHAR, campus VARCHAR,
    city VARCHAR, state VARCHAR, program_key VARCHAR, program_name VARCHAR, program_type VARCHAR,
    audience VARCHAR, accepts_international VARCHAR, hands_on BOOLEAN, specialties VARCHAR[],
    duration_weeks_min DOUBLE, duration_weeks_max DOUBLE, application_fee_usd DOUBLE,
    program_fee_usd DOUBLE, program_fee_unit VARCHAR, usmle_steps_required VARCHAR[],
    ecfmg_certificate_required BOOLEAN, max_years_since_graduation INTEGER,
    english_requirement VARCHAR, visa VARCHAR, application_method VARCHAR, application_url VARCHAR,
    contact_email VARCHAR, deadline_text VARCHAR, next_deadline DATE, lor_policy VARCHAR,
    status VARCHAR, evidence JSON, source_url VARCHAR, page_sha256 VARCHAR, fetched_at TIMESTAMP"""

_TABLES = f"""
CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
    run_date DATE NOT NULL, loaded_at TIMESTAMP NOT NULL, records INTEGER NOT NULL,
    applied BOOLEAN NOT NULL  -- false: loaded after a newer run, so kept as observations only
);
CREATE TABLE source_runs (
    run_id VARCHAR NOT NULL, source_id VARCHAR NOT NULL, verdict VARCHAR NOT NULL, reason VARCHAR,
    items INTEGER NOT NULL,  -- records in the staging file
    reported_items INTEGER, start_pages INTEGER, start_pages_failed INTEGER, pages_fetched INTEGER,
    pages_failed INTEGER, pages_not_modified INTEGER, pages_gone INTEGER, robots_refused INTEGER,
    pages_with_programs INTEGER, http_status JSON, exceptions JSON, finish_reason VARCHAR, error VARCHAR
);
CREATE TABLE observations (run_id VARCHAR NOT NULL, run_date DATE NOT NULL, observed_id VARCHAR NOT NULL, {_RECORD});
CREATE TABLE programs ({_RECORD},
    first_seen TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL, first_run_id VARCHAR NOT NULL,
    last_run_id VARCHAR NOT NULL,
    presence VARCHAR NOT NULL,  -- present | missing (absent from fewer than the grace runs) | closed
    missing_runs INTEGER NOT NULL, closed_at TIMESTAMP
);
CREATE TABLE program_versions (run_id VARCHAR NOT NULL, valid_from TIMESTAMP NOT NULL, valid_to TIMESTAMP,
    presence VARCHAR NOT NULL, {_RECORD});
CREATE TABLE events (
    event_id VARCHAR PRIMARY KEY, run_id VARCHAR NOT NULL, occurred_at TIMESTAMP NOT NULL,
    event_type VARCHAR NOT NULL, program_id VARCHAR, source_id VARCHAR NOT NULL, institution VARCHAR,
    program_name VARCHAR, source_url VARCHAR, changes JSON, evidence JSON, detail VARCHAR
);
CREATE TABLE aliases (alias_id VARCHAR NOT NULL, program_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL);
"""

_VIEWS = """
CREATE OR REPLACE VIEW v_programs AS
SELECT * FROM programs ORDER BY institution, program_name, program_id;

CREATE OR REPLACE VIEW v_events AS
SELECT * FROM events ORDER BY occurred_at DESC, event_type, institution, program_name;

CREATE OR REPLACE VIEW v_source_health AS
WITH ranked AS (
    SELECT s.*, r.started_at,
           row_number() OVER (PARTITION BY s.source_id ORDER BY s.run_id DESC) AS age
    FROM source_runs s JOIN runs r USING (run_id)
), last_ok AS (
    SELECT source_id, max(run_id) AS last_ok_run_id FROM source_runs WHERE verdict = 'ok' GROUP BY source_id
), streak AS (
    SELECT r.source_id, count(*) AS not_ok_runs
    FROM ranked r LEFT JOIN last_ok o USING (source_id)
    WHERE r.run_id > coalesce(o.last_ok_run_id, '') GROUP BY r.source_id
), current AS (
    SELECT source_id, count(*) FILTER (WHERE presence <> 'closed') AS programs_listed,
           count(*) FILTER (WHERE presence = 'closed') AS programs_closed
    FROM programs GROUP BY source_id
)
SELECT r.source_id, r.run_id AS last_run_id, r.started_at AS last_run_at, r.verdict, r.reason, r.items,
       r.pages_fetched, r.pages_gone, o.last_ok_run_id, coalesce(s.not_ok_runs, 0) AS not_ok_runs,
       coalesce(c.programs_listed, 0) AS programs_listed, coalesce(c.programs_closed, 0) AS programs_closed
FROM ranked r LEFT JOIN last_ok o USING (source_id) LEFT JOIN streak s USING (source_id)
LEFT JOIN current c USING (source_id)
WHERE r.age = 1 ORDER BY r.source_id;
"""

_DELIVERY_AND_HOSTS = """
ALTER TABLE runs ADD COLUMN published_at TIMESTAMP;  -- exports, hub, feed and snapshot written after it
ALTER TABLE runs ADD COLUMN notified_at TIMESTAMP;  -- its notifications sent (null: still owed)
UPDATE runs SET published_at = loaded_at, notified_at = loaded_at;  -- runs loaded before: delivered then
ALTER TABLE source_runs ADD COLUMN offsite_dropped INTEGER;  -- redirects off the source's hosts, not followed
ALTER TABLE source_runs ADD COLUMN links_offsite INTEGER;  -- program-looking links off its hosts, not followed
ALTER TABLE source_runs ADD COLUMN pages_incomplete INTEGER;  -- pages cut off; their last version kept
"""

RECORD_TABLES = ("observations", "programs", "program_versions")
"""The tables holding every column of the record."""
_TIMES = {
    "runs": ("started_at", "finished_at", "loaded_at", "published_at", "notified_at"),
    "observations": ("fetched_at",),
    "programs": ("fetched_at", "first_seen", "last_seen", "closed_at"),
    "program_versions": ("valid_from", "valid_to", "fetched_at"),
    "events": ("occurred_at",),
    "schema_version": ("applied_at",),
}
"""Every time column before version 4: stored as UTC wall-clock times, now TIMESTAMPTZ."""


def _typed_contract() -> str:
    """Version 4: choice fields as ENUMs of the contract's values, times as TIMESTAMPTZ (the stored
    wall-clock times read as UTC), the views bound again to the new types."""
    statements = [enum_ddl(name) for name in ENUMS]
    statements += [
        f"ALTER TABLE {table} ALTER COLUMN {name} TYPE {enum_type(name)}" for table in RECORD_TABLES for name in ENUMS
    ]
    statements += [
        f"ALTER TABLE {table} ALTER COLUMN {column} TYPE TIMESTAMPTZ USING timezone('UTC', {column})"
        for table, columns in _TIMES.items()
        for column in columns
    ]
    return ";\n".join(statements) + ";\n" + _VIEWS


MIGRATIONS: tuple[str, ...] = (_TABLES, _VIEWS, _DELIVERY_AND_HOSTS, _typed_contract())
LATEST = len(MIGRATIONS)


class WarehouseSchemaError(RuntimeError):
    """The file was written by a newer clerkships, or cannot be migrated from here."""


def version(con: duckdb.DuckDBPyConnection) -> int:
    """The file's schema version; 0 for an empty file."""
    [(exists,)] = con.execute(
        """SELECT count(*) FROM information_schema.tables
        WHERE table_name = 'schema_version' AND table_catalog = current_database()"""
    ).fetchall()
    if not exists:
        return 0
    [(found,)] = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()
    return found


def check(con: duckdb.DuckDBPyConnection, db_path: Path) -> int:
    """The file's version, refusing one newer than this code understands."""
    found = version(con)
    if found > LATEST:
        raise WarehouseSchemaError(
            f"{db_path} has schema version {found}, newer than this clerkships understands ({LATEST}): "
            "upgrade clerkships to use it"
        )
    return found


def migrate(con: duckdb.DuckDBPyConnection, db_path: Path, target: int = LATEST) -> None:
    """Bring the file up to `target`, one transaction per migration."""
    for number in range(check(con, db_path) + 1, target + 1):
        con.execute("BEGIN")
        try:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP)")
            con.execute(MIGRATIONS[number - 1])
            con.execute("INSERT INTO schema_version VALUES (?, timezone('UTC', now()))", [number])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    comment(con)


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def comment(con: duckdb.DuckDBPyConnection) -> None:
    """`COMMENT ON` every table, view and column whose comment differs from `warehouse.catalog`
    (in one transaction; nothing is written when all agree)."""
    tables = con.execute(
        """SELECT table_name, 'TABLE', comment FROM duckdb_tables() WHERE database_name = current_database()
        UNION ALL SELECT view_name, 'VIEW', comment FROM duckdb_views()
        WHERE database_name = current_database() AND NOT internal"""
    ).fetchall()
    columns = con.execute(
        """SELECT table_name, column_name, comment FROM duckdb_columns()
        WHERE database_name = current_database() AND NOT internal"""
    ).fetchall()
    statements = [
        f"COMMENT ON {kind} {name} IS {_literal(TABLES[name])}" for name, kind, text in tables if text != TABLES[name]
    ]
    statements += [
        f'COMMENT ON COLUMN {table}."{column}" IS {_literal(describe(column))}'
        for table, column, text in columns
        if text != describe(column)
    ]
    if not statements:
        return
    con.execute("BEGIN")
    try:
        for sql in statements:
            con.execute(sql)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise

"""The data contract as analysts and apps see it: choice fields as ENUMs of the contract's values,
times in UTC, every table and column commented, a JSON Schema beside each Parquet export, and a
file of the previous schema version upgraded with its data intact."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import jsonschema
import pandas as pd
import pyarrow.parquet as pq

from tests.warehouse.staging_kit import record, write_run
from warehouse import export_all, load_run
from warehouse.catalog import TABLES, describe
from warehouse.fields import ENUMS
from warehouse.schema import migrate
from warehouse.staging import read_staging

RECORD_TABLES = ("observations", "programs", "program_versions")


def parquet_columns(path: Path) -> dict[str, pq.ColumnSchema]:
    """The file's leaf columns by name, with their Parquet logical types."""
    metadata = pq.read_metadata(path)
    return {metadata.schema.column(i).name: metadata.schema.column(i) for i in range(metadata.num_columns)}


def migrated() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    migrate(con, Path(":memory:"))
    return con


def test_choice_fields_are_enums_of_the_contracts_values():
    con = migrated()
    for table in RECORD_TABLES:
        for name, values in ENUMS.items():
            [(found,)] = con.execute(f"SELECT enum_range(max({name})) FROM {table}").fetchall()  # the column's type
            assert tuple(found) == values, f"{table}.{name}"
    try:
        con.execute("INSERT INTO programs (program_id, source_id, status) VALUES ('p', 's', 'paused')")
    except duckdb.ConversionException as exc:
        assert "paused" in str(exc)
    else:
        raise AssertionError("a status outside the contract was stored")


def test_every_time_is_utc():
    con = migrated()
    naive = con.execute(
        """SELECT table_name || '.' || column_name FROM duckdb_columns()
        WHERE database_name = current_database() AND data_type LIKE 'TIMESTAMP%'
        AND data_type <> 'TIMESTAMP WITH TIME ZONE'"""
    ).fetchall()
    assert naive == []
    [(timed,)] = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE data_type = 'TIMESTAMP WITH TIME ZONE'"
    ).fetchall()
    assert timed >= 15


def test_every_table_view_and_column_says_what_it_means():
    con = migrated()
    objects = con.execute(
        """SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database()
        UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database()
        AND NOT internal"""
    ).fetchall()
    assert {name for name, _ in objects} == set(TABLES)
    assert all(comment == TABLES[name] for name, comment in objects)
    columns = con.execute(
        """SELECT table_name, column_name, comment FROM duckdb_columns()
        WHERE database_name = current_database() AND NOT internal"""
    ).fetchall()
    assert len(columns) > 100
    for table, column, comment in columns:
        assert comment and comment == describe(column), f"{table}.{column}"


def _v3_file(tmp_path):
    """A warehouse file as the previous clerkships left it: schema version 3, one run loaded the way
    its load wrote one (wall-clock UTC times, choice fields as text, evidence as JSON)."""
    db, runs_dir = tmp_path / "writer.duckdb", tmp_path / "runs"
    rid = write_run(runs_dir, 0, {"lake": [record("lake", "http://lake.test/elective", status="open")]})
    con = duckdb.connect()
    read_staging(runs_dir, rid, con)
    con.execute("ATTACH ? AS warehouse", [str(db)])
    con.execute("USE warehouse")
    migrate(con, db, target=3)
    con.execute(
        """INSERT INTO runs VALUES (?, TIMESTAMP '2026-11-20 03:00:00', TIMESTAMP '2026-11-20 03:04:00',
        DATE '2026-11-20', TIMESTAMP '2026-11-20 03:06:00', 1, true, TIMESTAMP '2026-11-20 03:07:00',
        TIMESTAMP '2026-11-20 03:07:00')""",
        [rid],
    )
    at = "TIMESTAMP '2026-11-20 03:00:00'"
    con.execute("INSERT INTO observations BY NAME SELECT ? AS run_id, DATE '2026-11-20' AS run_date, *, "
                "program_id AS observed_id FROM staged", [rid])  # fmt: skip
    con.execute(f"""INSERT INTO programs BY NAME SELECT *, {at} AS first_seen, {at} AS last_seen, ? AS first_run_id,
                ? AS last_run_id, 'present' AS presence, 0 AS missing_runs FROM staged""", [rid, rid])  # fmt: skip
    con.execute(f"INSERT INTO program_versions BY NAME SELECT ? AS run_id, {at} AS valid_from, 'present' AS presence, "
                "* FROM staged", [rid])  # fmt: skip
    con.execute(f"""INSERT INTO events BY NAME SELECT ? || '/new/' || program_id AS event_id, ? AS run_id,
                {at} AS occurred_at, 'new' AS event_type, program_id, source_id, institution, program_name,
                source_url, '{{}}'::JSON AS changes, evidence FROM staged""", [rid, rid])  # fmt: skip
    con.close()
    return db, runs_dir, rid


TABLE_KEYS = {"runs": "run_id", "observations": "run_id, program_id", "programs": "program_id",
              "program_versions": "run_id, program_id", "events": "event_id"}  # fmt: skip


def _contents(db) -> dict[str, list[tuple]]:
    """Every row of every table, times as naive UTC and choices as text, to compare across versions."""

    def plain(value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        return {
            table: [
                tuple(plain(v) for v in row) for row in con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
            ]
            for table, key in TABLE_KEYS.items()
        }


def test_a_previous_version_file_keeps_its_data_and_goes_on(tmp_path):
    """Migrated, every row is kept; the next night finds the program unchanged and keeps its row in
    place (a stored ENUM and a staged text must fingerprint alike, or it would be rewritten)."""
    db, runs_dir, first = _v3_file(tmp_path)
    before = _contents(db)
    with duckdb.connect(str(db), read_only=True) as con:
        [(rowid,)] = con.execute("SELECT rowid FROM programs").fetchall()
    assert all(before.values())
    page = "http://lake.test/elective"
    second = write_run(runs_dir, 1, {"lake": [record("lake", page, night=1, status="open")]})
    result = load_run(db, runs_dir, second)  # migrates, then loads the next night
    assert sum(result.counts.values()) == 0, "nothing changed: no event"
    after = _contents(db)
    assert after["observations"][: len(before["observations"])] == before["observations"]
    assert after["events"] == before["events"] and after["program_versions"] == before["program_versions"]
    assert after["runs"][0][:7] == before["runs"][0][:7]
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        row = con.execute(
            "SELECT rowid, first_seen, first_run_id, last_run_id, status, typeof(status) FROM programs"
        ).fetchall()
    status_type = "ENUM('open', 'closed', 'suspended', 'unknown')"
    assert row == [(rowid, datetime(2026, 11, 20, 3, tzinfo=UTC), first, second, "open", status_type)]


def test_exports_keep_the_types_and_carry_their_schema(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    page = "http://lake.test/elective"
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", page)]}))
    load_run(db, runs_dir, write_run(runs_dir, 1, {"lake": [record("lake", page, night=1, application_fee_usd=5.0)]}))
    exports = tmp_path / "exports"
    paths = export_all(db, exports)
    for name, time_column, json_columns in (
        ("programs", "first_seen", ("evidence",)),
        ("program_events", "occurred_at", ("evidence", "changes")),
    ):
        columns = parquet_columns(paths[name])
        assert "isAdjustedToUTC=true" in str(columns[time_column].logical_type)
        assert all(str(columns[c].logical_type) == "JSON" for c in json_columns)
        schema = json.loads((exports / f"{name}.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        rows = json.loads(pd.read_parquet(paths[name]).to_json(orient="records", date_format="iso"))
        for row in rows:
            for column in json_columns:
                row[column] = json.loads(row[column]) if row[column] is not None else None
            jsonschema.validate(row, schema, format_checker=jsonschema.FormatChecker())
        assert list(schema["properties"]) == pq.read_schema(paths[name]).names
    changed = pd.read_parquet(paths["program_events"]).query("event_type == 'changed'")
    assert json.loads(changed.iloc[0]["changes"]) == {"application_fee_usd": [100.0, 5.0]}
    part = next(paths["observations"].glob("*/*.parquet"))
    fetched = parquet_columns(part)["fetched_at"]
    assert "isAdjustedToUTC=true" in str(fetched.logical_type)
    observations = json.loads((exports / "observations.schema.json").read_text())
    assert observations["properties"]["run_date"]["format"] == "date"


def test_a_partition_an_older_clerkships_wrote_is_rewritten(tmp_path):
    db, runs_dir, exports = tmp_path / "w.duckdb", tmp_path / "runs", tmp_path / "exports"
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", "http://lake.test/elective")]}))
    part = next(export_all(db, exports)["observations"].glob("*/*.parquet"))
    table = pq.read_table(part)  # as before version 4: the same rows, wall-clock times
    at = table.schema.get_field_index("fetched_at")
    pq.write_table(table.set_column(at, "fetched_at", table["fetched_at"].cast("timestamp[us]")), part)
    export_all(db, exports)
    fetched = parquet_columns(part)["fetched_at"]
    assert "isAdjustedToUTC=true" in str(fetched.logical_type)

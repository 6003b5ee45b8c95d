"""Migrations: an older file is brought up to date; a newer one is refused with one clear line."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from contract.record import RECORD_FIELDS
from tests.warehouse.staging_kit import record, snapshot, write_run
from warehouse import WarehouseSchemaError, load_run
from warehouse.read import current_programs
from warehouse.schema import LATEST, migrate, version


def test_every_contract_field_has_a_column():
    con = duckdb.connect()
    migrate(con, Path(":memory:"))
    for table in ("observations", "programs", "program_versions"):
        columns = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
        assert set(RECORD_FIELDS) <= columns, f"{table}: the contract changed; add a migration"


def test_an_older_file_is_migrated(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    con = duckdb.connect(str(db))
    migrate(con, db, target=1)
    assert version(con) == 1
    assert not con.execute("SELECT * FROM information_schema.tables WHERE table_name = 'v_programs'").fetchall()
    con.close()
    assert current_programs(db) == []  # a reader migrates too
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", "http://lake.test/")]}))
    con = duckdb.connect(str(db), read_only=True)
    assert version(con) == LATEST
    assert con.execute("SELECT count(*) FROM v_programs").fetchall() == [(1,)]
    con.close()


def test_a_newer_file_is_refused(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    rid = write_run(runs_dir, 0, {"lake": [record("lake", "http://lake.test/")]})
    load_run(db, runs_dir, rid)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_version VALUES (?, now()::TIMESTAMP)", [LATEST + 1])
    con.close()
    before = snapshot(db)
    for read_or_write in (lambda: current_programs(db), lambda: load_run(db, runs_dir, rid)):
        with pytest.raises(WarehouseSchemaError) as caught:
            read_or_write()
        message = str(caught.value)
        assert "\n" not in message and str(db) in message and f"version {LATEST + 1}" in message
    assert snapshot(db) == before


def test_runs_loaded_before_delivery_marks_count_as_delivered(tmp_path):
    """Upgrading must not notify every old run again: runs loaded before the marks existed were
    published and notified then; a run loaded after the upgrade is owed both."""
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    con = duckdb.connect(str(db))
    migrate(con, db, target=2)
    con.execute("INSERT INTO runs VALUES ('20261101T030000Z-0001', now(), now(), current_date, now(), 0, true)")
    migrate(con, db)
    marks = con.execute("SELECT published_at = loaded_at, notified_at = loaded_at FROM runs").fetchall()
    assert marks == [(True, True)]
    con.close()
    rid = load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", "http://lake.test/")]})).run_id
    with duckdb.connect(str(db), read_only=True) as con:
        owed = con.execute("SELECT run_id FROM runs WHERE published_at IS NULL AND notified_at IS NULL").fetchall()
    assert owed == [(rid,)]

"""What a load does not do: a reload reads no staging, source_runs is one statement, an unchanged
program's row is touched, not rewritten (issue 12, item 5)."""

from __future__ import annotations

import duckdb

import warehouse.load
from tests.warehouse.staging_kit import record, stats, write_run
from warehouse import load_run


class Recording:
    """A DuckDB connection that notes every statement sent through it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, log: list[tuple[str, str]]):
        self._con, self._log = con, log

    def execute(self, sql: str, *args, **kwargs):
        self._log.append(("execute", sql))
        return self._con.execute(sql, *args, **kwargs)

    def executemany(self, sql: str, *args, **kwargs):
        self._log.append(("executemany", sql))
        return self._con.executemany(sql, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def test_a_loaded_run_reloads_without_reading_its_staging(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    rid = write_run(runs_dir, 0, {"lake": [record("lake", f"http://lake.test/p{i}") for i in range(3)]})
    first = load_run(db, runs_dir, rid)
    (runs_dir / rid / "lake.jsonl").write_text("{not json\n")
    (runs_dir / rid / "status.json").write_text("[")
    again = load_run(db, runs_dir, rid)
    assert again.already_loaded and not first.already_loaded
    assert again.counts == first.counts and again.verdicts == first.verdicts == {"lake": "ok"}
    assert again.events == first.events


def test_source_runs_of_a_thousand_sources_are_one_statement(tmp_path, monkeypatch):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    sources = {f"s{n:04d}": [record(f"s{n:04d}", f"http://s{n:04d}.test/visiting")] for n in range(1000)}
    odd = {"s0007": stats(1, http_status={"200": 1, "503": 2}, exceptions={"TimeoutError": 1}, error="slow")}
    rid = write_run(runs_dir, 0, sources, odd)
    log: list[tuple[str, str]] = []
    connect = duckdb.connect
    monkeypatch.setattr(warehouse.load.duckdb, "connect", lambda *a, **k: Recording(connect(*a, **k), log))
    load_run(db, runs_dir, rid)
    writes = [(how, sql) for how, sql in log if "INSERT INTO source_runs" in sql]
    assert [how for how, _ in writes] == ["execute"]
    monkeypatch.undo()
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        """SELECT source_id, verdict, items, reported_items, pages_fetched, http_status::VARCHAR,
        exceptions::VARCHAR, error, finish_reason FROM source_runs ORDER BY source_id"""
    ).fetchall()
    con.close()
    assert len(rows) == 1000
    assert rows[0] == ("s0000", "ok", 1, 1, 1, '{"200": 1}', "{}", None, "finished")
    assert rows[7] == ("s0007", "failed", 1, 1, 1, '{"200": 1, "503": 2}', '{"TimeoutError": 1}', "slow", "finished")


def test_an_unchanged_program_is_kept_and_a_cosmetic_change_is_stored_without_an_event(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    same, cosmetic = "http://lake.test/same", "http://lake.test/cosmetic"
    first = write_run(runs_dir, 0, {"lake": [record("lake", same), record("lake", cosmetic)]})
    evidence = {"application_fee_usd": "The fee is $100."}
    second = write_run(
        runs_dir, 1, {"lake": [record("lake", same, night=1), record("lake", cosmetic, night=1, evidence=evidence)]}
    )
    load_run(db, runs_dir, first)
    result = load_run(db, runs_dir, second)
    assert sum(result.counts.values()) == 0
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        """SELECT source_url, first_run_id, last_run_id, timezone('UTC', fetched_at)::VARCHAR, evidence::VARCHAR,
        presence FROM programs ORDER BY source_url"""
    ).fetchall()
    [(versions,)] = con.execute("SELECT count(*) FROM program_versions").fetchall()
    con.close()
    assert rows == [
        (cosmetic, first, second, "2026-11-21 03:05:00", '{"application_fee_usd":"The fee is $100."}', "present"),
        (same, first, second, "2026-11-21 03:05:00", '{"application_fee_usd":"A $100 application fee applies."}',
         "present"),
    ]  # fmt: skip
    assert versions == 2


def test_a_rename_pairs_a_canonical_url_with_another_spelling_of_it(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    canonical, spelled = "https://lake.test/electives", "http://www.lake.test/electives/#top"
    old = record("lake", canonical, key="Cardiology Elective", program_name="Cardiology Elective")
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [old]}))
    renamed = record("lake", spelled, key="Adult Cardiology", night=1, program_name="Adult Cardiology")
    [event] = load_run(db, runs_dir, write_run(runs_dir, 1, {"lake": [renamed]})).events
    assert (event["event_type"], event["program_id"]) == ("changed", old["program_id"])

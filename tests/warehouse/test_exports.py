"""Exports read back with pandas and DuckDB equal the tables they came from."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from contract.record import SCHEMA_VERSION
from tests.warehouse.staging_kit import record, write_run
from warehouse import export_all, load_run


def load_three_nights(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    pages = [f"http://lake.test/p{i}" for i in range(4)]
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", p) for p in pages]}))
    load_run(db, runs_dir, write_run(runs_dir, 1, {"lake": [record("lake", p, night=1) for p in pages[1:]]}))
    changed = [record("lake", p, night=2, specialties=None, application_fee_usd=5.0) for p in pages[1:]]
    load_run(db, runs_dir, write_run(runs_dir, 2, {"lake": changed}))
    return db


def as_records(frame: pd.DataFrame) -> list[dict]:
    """Plain values, so pandas' missing-value and array types compare equal to DuckDB's."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def test_exports_equal_the_tables(tmp_path):
    db = load_three_nights(tmp_path)
    paths = export_all(db, tmp_path / "exports")
    con = duckdb.connect(str(db), read_only=True)
    exported = {  # table → (export path, as a DuckDB relation, its key)
        "v_programs": (paths["programs"], f"'{paths['programs']}'", ["program_id"]),
        "v_events": (paths["program_events"], f"'{paths['program_events']}'", ["event_id"]),
        "observations": (
            paths["observations"],
            f"read_parquet('{paths['observations']}/**/*.parquet', hive_partitioning = true)",
            ["run_id", "source_id", "program_id"],
        ),
    }
    for view, (path, relation, key) in exported.items():
        expected = con.execute(f"SELECT * FROM {view} ORDER BY {', '.join(key)}").df()
        columns = ", ".join(f'"{c}"' for c in expected.columns)
        assert len(expected) > 0
        # DuckDB: the same rows both ways, each with the contract's version.
        a, b = f"SELECT {columns} FROM {relation}", f"SELECT {columns} FROM {view}"
        assert con.execute(f"({a} EXCEPT ALL {b}) UNION ALL ({b} EXCEPT ALL {a})").fetchall() == []
        assert con.execute(f"SELECT DISTINCT schema_version FROM {relation}").fetchall() == [(SCHEMA_VERSION,)]
        # pandas: the same records.
        read_back = pd.read_parquet(path).sort_values(key).reset_index(drop=True)
        expected_records = as_records(expected)
        if view == "observations":  # the hive partition comes back as text
            read_back["run_date"] = read_back["run_date"].astype(str)
            for row in expected_records:
                row["run_date"] = row["run_date"][:10]
        assert as_records(read_back[expected.columns]) == expected_records
    con.close()
    assert len(pd.read_parquet(paths["program_events"])) == 4 + 1 + 3  # new ×4, closed ×1, changed ×3
    assert sorted(p.name for p in paths["observations"].iterdir()) == [
        "run_date=2026-11-20",
        "run_date=2026-11-21",
        "run_date=2026-11-22",
    ]
    assert not list(tmp_path.glob("exports/**/.*tmp"))


def test_export_rewrites_only_what_changed(tmp_path):
    db = load_three_nights(tmp_path)
    paths = export_all(db, tmp_path / "exports")
    parts = sorted(paths["observations"].glob("*/*.parquet"))
    stamps = [p.stat().st_mtime_ns for p in parts]
    load_run(db, tmp_path / "runs", write_run(tmp_path / "runs", 3, {"lake": []}))
    export_all(db, tmp_path / "exports")
    assert [p.stat().st_mtime_ns for p in parts] == stamps
    assert len(list(paths["observations"].iterdir())) == 3  # an empty night adds no partition

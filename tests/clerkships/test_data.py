"""clerkships.data: the analysts' API reads a real published data dir (three nights loaded, the
snapshot and the exports written as the night writes them) into typed DataFrames, the same from
the snapshot as from the exports; the README's example runs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from clerkships import data
from flows.paths import DataPaths
from tests.warehouse.staging_kit import record, run_id, write_run
from warehouse import export_all, load_run
from warehouse.fields import ENUMS
from warehouse.snapshot import publish_snapshot

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
PAGES = [f"http://lake.test/p{i}" for i in range(3)]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """Night 0: three programs; night 1: one gone; night 2: a fee changed, a list dropped."""
    paths = DataPaths(tmp_path_factory.mktemp("data"))
    nights = [
        [record("lake", p, max_years_since_graduation=5, hands_on=True) for p in PAGES],
        [record("lake", p, night=1, max_years_since_graduation=5, hands_on=True) for p in PAGES[1:]],
        [record("lake", p, night=2, application_fee_usd=5.0, specialties=None, hands_on=True) for p in PAGES[1:]],
    ]
    for night, records in enumerate(nights):
        load_run(paths.writer_db, paths.runs, write_run(paths.runs, night, {"lake": records}))
    export_all(paths.writer_db, paths.exports)
    publish_snapshot(paths.writer_db, paths.db)
    return paths.root


def test_programs_are_typed_as_the_contract_says(data_dir):
    frame = data.programs(data_dir)
    assert len(frame) == 3
    for name, values in ENUMS.items():
        assert list(frame[name].cat.categories) == list(values), name
    assert str(frame.first_seen.dtype) == "datetime64[us, UTC]"
    assert str(frame.closed_at.dtype) == "datetime64[us, UTC]"
    assert frame.presence.dtype == "category" and set(frame.presence) == {"present", "closed"}
    assert str(frame.application_fee_usd.dtype) == "Float64" and str(frame.program_fee_usd.dtype) == "Float64"
    assert str(frame.max_years_since_graduation.dtype) == "Int32" and frame.max_years_since_graduation.isna().sum() == 2
    assert str(frame.hands_on.dtype) == "boolean"
    closed = frame[frame.presence == "closed"].iloc[0]
    assert closed.specialties == ["Internal Medicine", "Surgery"]
    assert closed.evidence == {"application_fee_usd": "A $100 application fee applies."}
    assert frame[frame.presence == "present"].specialties.isna().all()


def test_the_exports_read_as_the_snapshot(data_dir):
    for read, key in ((data.programs, "program_id"), (data.events, "event_id"), (data.observations, "run_id")):
        snapshot = read(data_dir).sort_values([key, "program_id"]).reset_index(drop=True)
        exported = read(data_dir, source="exports").sort_values([key, "program_id"]).reset_index(drop=True)
        exported = exported.drop(columns="schema_version")[snapshot.columns]
        pd.testing.assert_frame_equal(exported, snapshot, check_categorical=False)


def test_events_history_observations_and_sources(data_dir):
    events = data.events(data_dir)
    assert events.event_type.value_counts().to_dict() == {"new": 3, "changed": 2, "closed": 1}
    assert list(events.occurred_at) == sorted(events.occurred_at, reverse=True)
    changed = events[events.event_type == "changed"].iloc[0]
    assert changed.changes["application_fee_usd"] == [100.0, 5.0]
    assert changed.changes["specialties"] == [["Internal Medicine", "Surgery"], None]
    versions = data.history(changed.program_id, data_dir)
    assert len(versions) == 2 and list(versions.application_fee_usd) == [100.0, 5.0]
    assert versions.valid_to.iloc[0] == versions.valid_from.iloc[1] and pd.isna(versions.valid_to.iloc[1])
    seen = data.observations(data_dir, source="exports", program_id=changed.program_id)
    assert list(seen.run_id) == [run_id(0), run_id(1), run_id(2)]
    assert str(seen.run_date.dtype).startswith("datetime64") and seen.run_date.iloc[0] == pd.Timestamp("2026-11-20")
    health = data.sources(data_dir)
    assert list(health.source_id) == ["lake"] and health.verdict.dtype == "category"


def test_nothing_published_is_one_clear_line(tmp_path):
    for read in (lambda: data.programs(tmp_path), lambda: data.events(tmp_path, source="exports")):
        with pytest.raises(FileNotFoundError) as caught:
            read()
        assert "\n" not in str(caught.value) and str(tmp_path) in str(caught.value)
    with pytest.raises(ValueError, match="snapshot only"):
        data._read(tmp_path, "exports", "v_source_health")


def test_the_readme_example_runs(data_dir, capsys):
    (example,) = [code for code in re.findall(r"```python\n(.*?)```", README, re.S) if "clerkships import data" in code]
    cwd = Path.cwd()
    os.chdir(data_dir.parent)
    try:
        (data_dir.parent / "data").symlink_to(data_dir, target_is_directory=True)
        exec(compile(example, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "elective" in out and "application_fee_usd" in out and "valid_from" in out

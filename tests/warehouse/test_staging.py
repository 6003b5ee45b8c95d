"""Bad staging stops the load with one line naming file, line and field; nothing is written."""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.warehouse.staging_kit import record, write_run
from warehouse import StagingError, load_run
from warehouse.staging import STAGED_TABLE, read_staging


def stage_one(runs_dir, **broken):
    good = record("lake", "http://lake.test/a")
    bad = {**record("lake", "http://lake.test/b"), **broken}
    rid = write_run(runs_dir, 0, {"lake": [good, bad]})
    return rid, runs_dir / rid / "lake.jsonl"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"program_type": "fellowship"}, ":2: program_type: fellowship is not one of observership/"),
        ({"status": None}, ":2: status: missing"),
        ({"program_id": None}, ":2: program_id: missing"),
        ({"fetched_at": "yesterday"}, ":2: fetched_at: not a time"),
        ({"source_id": "river"}, ":2: source_id: river in the file of lake"),
        ({"application_fee_usd": "a lot"}, ':2: application_fee_usd: not DOUBLE: "a lot"'),
        ({"specialties": "surgery"}, ':2: specialties: not VARCHAR[]: "surgery"'),
    ],
)
def test_bad_record_names_file_line_and_field(tmp_path, broken, message):
    rid, path = stage_one(tmp_path / "runs", **broken)
    with pytest.raises(StagingError) as caught:
        load_run(tmp_path / "w.duckdb", tmp_path / "runs", rid)
    text = str(caught.value)
    assert str(path) in text and message in text and "\n" not in text
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", ":3: not JSON: {not json"),
        ("[1, 2]", ":3: not a JSON object: [1, 2]"),
        ("{ }", ":3: program_type: missing"),
    ],
)
def test_a_line_that_is_no_record_is_named_by_its_line(tmp_path, line, message):
    rid, path = stage_one(tmp_path / "runs")
    good, second = path.read_text().splitlines()
    path.write_text(f"{good}\n\n{line}\n{second}\n")  # a blank line still counts
    with pytest.raises(StagingError) as caught:
        load_run(tmp_path / "w.duckdb", tmp_path / "runs", rid)
    text = str(caught.value)
    assert str(path) in text and message in text and "\n" not in text


def test_the_records_of_many_files_keep_their_file_and_line(tmp_path):
    """All of a run's files are read in one scan; a record's line is still counted in its own file."""
    runs = tmp_path / "runs"
    rid = write_run(runs, 0, {s: [record(s, f"http://{s}.test/{n}") for n in range(3)] for s in ("a", "b", "c")})
    bad = runs / rid / "b.jsonl"
    lines = bad.read_text().splitlines()
    lines[2] = lines[2].replace('"status": "', '"status": "x')
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(StagingError, match=r"b\.jsonl:3: status: x"):
        load_run(tmp_path / "w.duckdb", runs, rid)


def test_enum_case_and_whitespace_are_cleaned_not_refused(tmp_path):
    rid, _ = stage_one(tmp_path / "runs", program_type=" Observership ", program_name=" A\t\tname ")
    con = duckdb.connect()
    read_staging(tmp_path / "runs", rid, con)
    rows = con.execute(f"SELECT program_type, program_name FROM {STAGED_TABLE}").fetchall()
    assert set(rows) == {
        ("elective", "Visiting Student Elective"),
        ("observership", "A name"),
    }


def test_missing_run_and_broken_status(tmp_path):
    with pytest.raises(StagingError, match="no staging for run nope"):
        load_run(tmp_path / "w.duckdb", tmp_path / "runs", "nope")
    rid, _ = stage_one(tmp_path / "runs")
    (tmp_path / "runs" / rid / "status.json").write_text('{"sources": ')
    with pytest.raises(StagingError, match=r"status.json:1: invalid JSON"):
        load_run(tmp_path / "w.duckdb", tmp_path / "runs", rid)


def test_a_run_without_status_json_fails_every_source(tmp_path):
    rid, _ = stage_one(tmp_path / "runs")
    (tmp_path / "runs" / rid / "status.json").unlink()
    result = load_run(tmp_path / "w.duckdb", tmp_path / "runs", rid, source_ids=["lake"])
    assert result.verdicts == {"lake": "failed"} and result.counts["new"] == 0
    assert json.loads((tmp_path / "runs" / rid / "lake.jsonl").read_text().splitlines()[0])["source_id"] == "lake"


def test_a_program_staged_twice_keeps_its_last_fetch(tmp_path):
    early = record("lake", "http://lake.test/a", application_fee_usd=10.0)
    late = {**record("lake", "http://lake.test/a", night=1, application_fee_usd=20.0)}
    rid = write_run(tmp_path / "runs", 0, {"lake": [late, early]})
    con = duckdb.connect()
    read_staging(tmp_path / "runs", rid, con)
    assert con.execute(f"SELECT application_fee_usd FROM {STAGED_TABLE}").fetchall() == [(20.0,)]

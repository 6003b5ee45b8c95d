"""Several nights of hand-written staging through the real load: new, changed, closed, reopened."""

from __future__ import annotations

import duckdb
import pytest

from tests.warehouse.staging_kit import record, run_id, snapshot, write_run
from warehouse import load_run
from warehouse.read import current_programs, recent_events, runs, source_health

ELECTIVE = "http://lake.test/visiting/"
OBSERVERSHIP = "http://lake.test/observership"


@pytest.fixture
def paths(tmp_path):
    return tmp_path / "data" / "clerkships.duckdb", tmp_path / "runs"


def programs_by_name(db):
    return {p["program_name"]: p for p in current_programs(db)}


def test_program_lifecycle_over_seven_nights(paths):
    db, runs_dir = paths

    def night(n, *records):
        return load_run(db, runs_dir, write_run(runs_dir, n, {"lake": list(records)}))

    def elective(n, **facts):
        return record("lake", ELECTIVE, night=n, **facts)

    def observership(n, **facts):
        return record("lake", OBSERVERSHIP, night=n, program_name="Observership", program_type="observership", **facts)

    first = night(0, elective(0), observership(0))
    assert first.counts["new"] == 2 and first.verdicts == {"lake": "ok"}
    assert {e["program_name"] for e in first.events} == {"Visiting Student Elective", "Observership"}

    # Night 1: only cosmetic differences, new evidence and provenance: nothing happened.
    cosmetic = elective(1, specialties=["Surgery", " Internal  Medicine"], evidence={"status": "Open now."})
    cosmetic.update(program_name="  Visiting\n Student   Elective ", program_type="Elective", page_sha256="1" * 64)
    assert night(1, cosmetic, observership(1)).events == []

    changed = night(2, elective(2, application_fee_usd=150.0), observership(2))
    assert [(e["event_type"], e["changes"]) for e in changed.events] == [
        ("changed", {"application_fee_usd": [100.0, 150.0]})
    ]

    said = {"status": "Visiting electives are suspended until further notice."}
    suspended = night(3, elective(3, application_fee_usd=150.0, status="suspended", evidence=said), observership(3))
    [event] = suspended.events
    assert (event["event_type"], event["changes"], event["evidence"]) == (
        "changed",
        {"status": ["open", "suspended"]},
        said,
    )

    still = elective(4, application_fee_usd=150.0, status="suspended")
    missing_once = night(4, still)
    assert missing_once.events == []
    assert programs_by_name(db)["Observership"]["presence"] == "missing"
    assert programs_by_name(db)["Observership"]["status"] == "open"

    closed = night(5, still)
    [event] = closed.events
    assert (event["event_type"], event["program_name"], event["changes"]) == (
        "closed",
        "Observership",
        {"status": ["open", "closed"]},
    )
    assert programs_by_name(db)["Observership"]["presence"] == "closed"

    back = night(6, still, observership(6))
    [event] = back.events
    assert (event["event_type"], event["changes"]) == ("reopened", {"status": ["closed", "open"]})

    final = programs_by_name(db)
    assert final["Observership"]["first_seen"].day == 20 and final["Observership"]["last_seen"].day == 26
    assert final["Visiting Student Elective"]["application_fee_usd"] == 150.0
    assert final["Visiting Student Elective"]["status"] == "suspended"
    assert [r["run_id"] for r in runs(db, limit=2)] == [run_id(6), run_id(5)]

    con = duckdb.connect(str(db), read_only=True)
    versions = con.execute(
        """SELECT program_name, status, application_fee_usd, valid_from::DATE::VARCHAR, valid_to::DATE::VARCHAR
        FROM program_versions ORDER BY program_name, valid_from"""
    ).fetchall()
    con.close()
    assert versions == [
        ("Observership", "open", 100.0, "2026-11-20", "2026-11-25"),
        ("Observership", "closed", 100.0, "2026-11-25", "2026-11-26"),
        ("Observership", "open", 100.0, "2026-11-26", None),
        ("Visiting Student Elective", "open", 100.0, "2026-11-20", "2026-11-22"),
        ("Visiting Student Elective", "open", 150.0, "2026-11-22", "2026-11-23"),
        ("Visiting Student Elective", "suspended", 150.0, "2026-11-23", None),
    ]


def test_loading_a_run_twice_changes_nothing(paths):
    db, runs_dir = paths
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", ELECTIVE)]}))
    rid = write_run(runs_dir, 1, {"lake": [record("lake", ELECTIVE, night=1, application_fee_usd=0.0)]})
    first = load_run(db, runs_dir, rid)
    before = snapshot(db)
    again = load_run(db, runs_dir, rid)
    assert snapshot(db) == before
    assert (again.already_loaded, first.already_loaded) == (True, False)
    assert (again.counts, again.verdicts, again.events) == (first.counts, first.verdicts, first.events)


def test_failed_source_closes_nothing_and_raises_an_alert(paths):
    db, runs_dir = paths
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", ELECTIVE)], "river": []}))
    down = {"start_pages": 1, "start_pages_failed": 1, "items": 0, "http_status": {}, "pages_with_programs": 0}
    outcomes = []
    for n in (1, 2, 3):
        rid = write_run(runs_dir, n, {"lake": []}, status={"lake": down})
        outcomes.append(load_run(db, runs_dir, rid, source_ids=["lake", "river"], closure_grace_runs=2))
    for result in outcomes:
        assert result.verdicts == {"lake": "failed", "river": "failed"}
        assert sorted((e["event_type"], e["source_id"]) for e in result.events) == [
            ("source_failed", "lake"),
            ("source_failed", "river"),
        ]
    reasons = {e["source_id"]: e["detail"] for e in outcomes[0].events}
    assert reasons == {"lake": "all 1 start page(s) failed", "river": "not crawled (not in status.json)"}
    [program] = current_programs(db)
    assert (program["presence"], program["status"], program["missing_runs"]) == ("present", "open", 0)
    health = {h["source_id"]: h for h in source_health(db)}
    assert (health["lake"]["verdict"], health["lake"]["not_ok_runs"], health["lake"]["programs_listed"]) == (
        "failed",
        3,
        1,
    )


@pytest.mark.parametrize(
    "trouble",
    [
        {"http_status": {"200": 3, "503": 1}},
        {"exceptions": {"TimeoutError": 2}},
        {"failed": True, "error": "DNSLookupError"},
        {"robots_refused": 1, "start_pages": 1, "start_pages_failed": 1},
        {"finish_reason": "closespider_timeout"},
    ],
)
def test_site_trouble_is_a_failure_not_a_closure(paths, trouble):
    db, runs_dir = paths
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", ELECTIVE)]}))
    for n in (1, 2):
        rid = write_run(runs_dir, n, {"lake": []}, status={"lake": {"items": 0, **trouble}})
        assert load_run(db, runs_dir, rid).verdicts == {"lake": "failed"}
    assert current_programs(db)[0]["presence"] == "present"


def test_a_robots_disallowed_linked_page_is_no_failure(paths):
    db, runs_dir = paths
    rid = write_run(runs_dir, 0, {"lake": [record("lake", ELECTIVE)]}, status={"lake": {"robots_refused": 1}})
    assert load_run(db, runs_dir, rid).verdicts == {"lake": "ok"}


def test_gone_pages_are_missing_programs_not_a_failure(paths):
    db, runs_dir = paths
    both = [record("lake", ELECTIVE), record("lake", OBSERVERSHIP, program_type="observership")]
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": both}))
    gone = {"http_status": {"200": 1, "404": 1}, "pages_gone": 1}
    for n in (1, 2):
        rid = write_run(runs_dir, n, {"lake": [record("lake", ELECTIVE, night=n)]}, status={"lake": {**gone}})
        result = load_run(db, runs_dir, rid)
        assert result.verdicts == {"lake": "ok"}
    assert [(e["event_type"], e["source_url"]) for e in result.events] == [("closed", OBSERVERSHIP)]


def test_suspect_source_closes_nothing(paths):
    db, runs_dir = paths
    five = [record("lake", f"http://lake.test/p{i}") for i in range(5)]
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": five}))
    for n in (1, 2, 3):
        result = load_run(db, runs_dir, write_run(runs_dir, n, {"lake": []}))
        assert result.verdicts == {"lake": "suspect"}
        [event] = result.events
        assert (event["event_type"], event["detail"]) == ("source_suspect", "0 programs where the last ok run had 5")
    assert {p["presence"] for p in current_programs(db)} == {"present"}
    # Half the programs on fewer pages is a collapse too; all five back is ok again, and nothing happened.
    halved = load_run(db, runs_dir, write_run(runs_dir, 4, {"lake": five[:2]}))
    assert halved.verdicts == {"lake": "suspect"}
    assert load_run(db, runs_dir, write_run(runs_dir, 5, {"lake": five})).events == []


def test_renamed_heading_is_a_change_not_closed_and_new(paths):
    db, runs_dir = paths
    page = "http://lake.test/electives"
    cardiology = record("lake", page, key="Cardiology Elective", program_name="Cardiology Elective")
    surgery = record(
        "lake", page, key="Surgery Observership", program_name="Surgery Observership", program_type="observership"
    )
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [cardiology, surgery]}))
    renamed = record("lake", page, key="Adult Cardiology Elective", night=1, program_name="Adult Cardiology Elective")
    result = load_run(db, runs_dir, write_run(runs_dir, 1, {"lake": [renamed, surgery]}))
    [event] = result.events
    assert (event["event_type"], event["program_id"], event["changes"]) == (
        "changed",
        cardiology["program_id"],
        {"program_name": ["Cardiology Elective", "Adult Cardiology Elective"]},
    )
    # The next nights know the new key as an alias of the old program: nothing happens, nothing closes.
    for n in (2, 3):
        assert load_run(db, runs_dir, write_run(runs_dir, n, {"lake": [renamed, surgery]})).events == []
    assert sorted(p["program_id"] for p in current_programs(db)) == sorted(
        [cardiology["program_id"], surgery["program_id"]]
    )


def test_a_late_run_is_kept_but_does_not_roll_state_back(paths):
    db, runs_dir = paths
    old = write_run(runs_dir, 0, {"lake": [record("lake", ELECTIVE)]})
    new = write_run(runs_dir, 1, {"lake": [record("lake", ELECTIVE, night=1, application_fee_usd=50.0)]})
    load_run(db, runs_dir, new)
    late = load_run(db, runs_dir, old)
    assert late.events == [] and late.verdicts == {"lake": "ok"}
    assert current_programs(db)[0]["application_fee_usd"] == 50.0
    assert {r["run_id"]: r["applied"] for r in runs(db, 5)} == {new: True, old: False}
    assert len(snapshot(db)["observations"]) == 2


def test_recent_events_are_stable_and_filtered_by_age(paths):
    db, runs_dir = paths
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", ELECTIVE)]}))
    [event] = recent_events(db, days=100000)
    assert event["event_id"] == f"{run_id(0)}/new/{record('lake', ELECTIVE)['program_id']}"
    assert recent_events(db, days=0) == []

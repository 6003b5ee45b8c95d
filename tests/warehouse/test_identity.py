"""A program keeps its id across each cosmetic change of its page URL or key, in the warehouse too."""

from __future__ import annotations

import pytest

from contract.identity import program_id
from tests.warehouse.staging_kit import record, write_run
from warehouse import load_run
from warehouse.read import current_programs

URL, KEY = "https://lake.edu/visiting/electives?track=img", "Internal Medicine Elective"

COSMETIC = {
    "case": ("https://lake.edu/visiting/electives?track=img", "INTERNAL MEDICINE ELECTIVE"),
    "whitespace": ("  https://lake.edu/visiting/electives?track=img ", "  Internal\n Medicine   Elective "),
    "punctuation": ("https://lake.edu/visiting/electives?track=img", "Internal-Medicine: Elective!"),
    "tracking query": ("https://lake.edu/visiting/electives?utm_source=mail&track=img&gclid=x1", KEY),
    "http to https": ("http://lake.edu/visiting/electives?track=img", KEY),
    "www.": ("https://www.lake.edu/visiting/electives?track=img", KEY),
    "trailing slash": ("https://lake.edu/visiting/electives/?track=img", KEY),
    "fragment": ("https://lake.edu/visiting/electives?track=img#apply", KEY),
    "host case": ("https://LAKE.edu/visiting/electives?track=img", KEY),
}


@pytest.mark.parametrize("change", COSMETIC)
def test_cosmetic_change_keeps_the_id(change):
    url, key = COSMETIC[change]
    assert program_id("lake", url, key) == program_id("lake", URL, KEY)


def test_query_order_keeps_the_id():
    assert program_id("lake", "https://lake.edu/p?a=1&b=2") == program_id("lake", "https://lake.edu/p?b=2&a=1")


@pytest.mark.parametrize("other", [("https://lake.edu/visiting/surgery", KEY), (URL, "Surgery Elective")])
def test_a_different_page_or_program_is_another_id(other):
    assert program_id("lake", *other) != program_id("lake", URL, KEY)


def test_cosmetic_changes_cause_no_events_in_the_warehouse(tmp_path):
    db, runs_dir = tmp_path / "w.duckdb", tmp_path / "runs"
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", URL, KEY)]}))
    for night, (url, key) in enumerate(COSMETIC.values(), start=1):
        result = load_run(db, runs_dir, write_run(runs_dir, night, {"lake": [record("lake", url, key, night=night)]}))
        assert result.events == [], (url, key)
    assert len(current_programs(db)) == 1

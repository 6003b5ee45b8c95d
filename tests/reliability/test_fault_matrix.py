"""Three real nights over the chaos web: every fault gets its verdict and events, and none closes a program.

One data dir, three `clerkships run` processes (real Scrapy, Prefect, DuckDB), the chaos web moved
one night between them. The expectations are the table of tests.reliability.faults, which also
writes the README's fault table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.chaos import ELSEWHERE, INDEX, ChaosWeb, lapsed_host
from tests.reliability.faults import CASES, NIGHTS, README, Case, fault_table_markdown, night_events, readme_section
from tests.reliability.pipeline import query, run_night, status_of

pytestmark = pytest.mark.e2e
FAULTS = [case for case in CASES if not case.control]


@dataclass(frozen=True)
class Night:
    run_id: str
    verdicts: dict[str, tuple[str, str | None]]  # source → (verdict, reason)
    events: list[tuple]  # (source_id, event_type, program_name, changes)
    programs: dict[str, list[tuple]]  # source → [(program_name, presence, status)] after the night
    status: dict[str, dict]  # status.json's sources
    requests: dict[str, list[tuple[str, int]]]  # site → (path, status) requested that night


@dataclass(frozen=True)
class Matrix:
    web: ChaosWeb
    nights: dict[int, Night]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    root = tmp_path_factory.mktemp("chaos")
    data_dir = root / "data"
    nights = {}
    with ChaosWeb(CASES) as web:
        for night in NIGHTS:
            web.set_night(night)
            before = {name: len(web.requests(name)) for name in [*web.sites, ELSEWHERE]}
            run_id = run_night(web.write_config(root / "sources.yaml"), data_dir)
            nights[night] = read_night(data_dir, run_id, web, before)
        yield Matrix(web, nights)


def read_night(data_dir: Path, run_id: str, web: ChaosWeb, before: dict[str, int]) -> Night:
    programs: dict[str, list[tuple]] = {}
    for source, *program in query(data_dir, "SELECT source_id, program_name, presence, status FROM v_programs"):
        programs.setdefault(source, []).append(tuple(program))
    return Night(
        run_id=run_id,
        verdicts={
            source: (verdict, reason)
            for source, verdict, reason in query(
                data_dir, "SELECT source_id, verdict, reason FROM source_runs WHERE run_id = ?", [run_id]
            )
        },
        events=query(
            data_dir,
            "SELECT source_id, event_type, program_name, changes FROM events WHERE run_id = ? ORDER BY event_id",
            [run_id],
        ),
        programs=programs,
        status=status_of(data_dir, run_id),
        requests={name: web.requests(name)[count:] for name, count in before.items()},
    )


def events_of(night: Night, case: Case) -> list[tuple]:
    return [event for event in night.events if event[0] == case.site]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.site)
def test_verdict_each_night(matrix: Matrix, case: Case) -> None:
    got = [matrix.nights[night].verdicts.get(case.site, ("not judged", None)) for night in NIGHTS]
    assert [verdict for verdict, _ in got] == list(case.verdicts), f"{case.what}: (verdict, reason) by night {got}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.site)
def test_events_each_night(matrix: Matrix, case: Case) -> None:
    for night in NIGHTS:
        events = events_of(matrix.nights[night], case)
        assert sorted(e[1] for e in events) == night_events(case, night), f"{case.what}, night {night}: {events}"


@pytest.mark.parametrize("case", FAULTS, ids=lambda case: case.site)
def test_a_fault_closes_nothing(matrix: Matrix, case: Case) -> None:
    """No `closed` event, no program closed or missing, and the night-1 programs all there after night 3."""
    for night in NIGHTS:
        programs = matrix.nights[night].programs.get(case.site, [])
        assert not [e for e in events_of(matrix.nights[night], case) if e[1] == "closed"], case.what
        assert [p for p in programs if p[1] != "present" or p[2] == "closed"] == [], f"{case.what}, night {night}"
    final = sorted(matrix.nights[3].programs.get(case.site, []))
    assert final == sorted(matrix.nights[1].programs.get(case.site, [])), case.what
    assert len(final) == case.programs


@pytest.mark.parametrize("case", [c for c in CASES if c.counters], ids=lambda case: case.site)
def test_counted_in_the_status(matrix: Matrix, case: Case) -> None:
    status = matrix.nights[2].status[case.site]
    assert {name: status.get(name) for name in case.counters} == case.counters, case.what


def test_the_closing_control_closes_its_removed_program(matrix: Matrix) -> None:
    site = matrix.web.sites["closing-control"]
    [closed] = [e for e in matrix.nights[2].events if e[0] == site.case.site]
    assert (closed[1], closed[2]) == ("closed", site.programs[-1].name)
    statuses = {name: (presence, status) for name, presence, status in matrix.nights[3].programs[site.case.site]}
    assert statuses[site.programs[-1].name] == ("closed", "closed")
    assert [statuses[p.name] for p in site.programs[:-1]] == [("present", "open")] * (len(site.programs) - 1)


def test_the_changing_control_reports_the_new_fee(matrix: Matrix) -> None:
    site = matrix.web.sites["changing-control"]
    [changed] = [e for e in matrix.nights[2].events if e[0] == site.case.site]
    fee = site.programs[0].fee
    assert json.loads(changed[3]) == {"application_fee_usd": [fee, fee + 30]}


def test_robots_txt_is_obeyed_the_night_it_changes(matrix: Matrix) -> None:
    night2 = matrix.nights[2].requests
    assert [path for path, _ in night2["robots-closed"]] == ["/robots.txt"]
    refused = matrix.web.sites["robots-one-page"].programs[0].path
    assert refused not in [path for path, _ in night2["robots-one-page"]]
    assert refused in [path for path, _ in matrix.nights[3].requests["robots-one-page"]]


def test_an_offsite_redirect_is_never_followed(matrix: Matrix) -> None:
    redirected = matrix.web.sites["offsite-redirect"].programs[0].path
    assert (redirected, 301) in matrix.nights[2].requests["offsite-redirect"]
    assert [matrix.nights[night].requests[ELSEWHERE] for night in NIGHTS] == [[], [], []]


def test_the_lapsed_domain_and_the_closed_port_were_tried(matrix: Matrix) -> None:
    """The DNS and refused faults really kept the crawler off the site (not a config slip)."""
    night2 = matrix.nights[2]
    assert night2.requests["lapsed-domain"] == [] and night2.requests["refusing"] == []
    assert INDEX in [path for path, _ in matrix.nights[3].requests["refusing"]]  # the port reopened
    assert lapsed_host("lapsed-domain") in (night2.verdicts["lapsed-domain"][1] or "")


def test_readme_fault_table_is_generated_from_the_matrix() -> None:
    section = readme_section(README.read_text(encoding="utf-8"))
    assert section is not None, "README lacks the fault-table markers"
    assert section == fault_table_markdown().strip(), "run: uv run python -m tests.reliability.faults"

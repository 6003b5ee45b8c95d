"""The program pages over several real nights: a night that changes nothing on a page writes none, the
night's date comes from checks.js (shown in real Chromium), and no page, with or without JavaScript,
says a program was verified later than it was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from crawlers.config import Settings
from flows.paths import DataPaths
from flows.publish import write_hub
from flows.publish.cards import page_name
from flows.publish.checks import checks
from flows.publish.pages import NIGHTLY
from flows.publish.step import publish
from tests.publish import sample
from tests.warehouse.staging_kit import record, stats, write_run
from warehouse import load_run
from warehouse.history import History

SETTINGS = Settings(user_agent="clerkships-test (+https://example.org)")
LAKE = [f"http://lake.test/p{i}" for i in range(3)]
PINE = [f"http://pine.test/p{i}" for i in range(2)]
DOWN = {"pine": stats(0, failed=True, error="all 1 start page(s) failed; last: ConnectionRefusedError")}


class Nights:
    """A data dir loaded night by night (each night's records as the crawler stages them), published
    after each like the nightly flow."""

    def __init__(self, root: Path) -> None:
        self.paths = DataPaths(root)
        self.night = -1

    def load(self, lake_fee: dict[int, float] | None = None, pine_down: bool = False) -> None:
        self.night += 1
        fees = lake_fee or {}
        lake = [
            record("lake", url, night=self.night, application_fee_usd=fees.get(i, 100.0)) for i, url in enumerate(LAKE)
        ]
        pine = [] if pine_down else [record("pine", url, night=self.night) for url in PINE]
        staged = write_run(self.paths.runs, self.night, {"lake": lake, "pine": pine}, DOWN if pine_down else None)
        load_run(self.paths.writer_db, self.paths.runs, staged)
        publish(self.paths, SETTINGS)

    def pages(self) -> dict[str, tuple[int, int]]:
        """Each program page's inode and modification time: an atomic write replaces both."""
        found = (self.paths.exports / "programs").glob("*.html")
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in found}

    def page(self, source: str, url: str) -> Path:
        return self.paths.exports / "programs" / page_name(record(source, url)["program_id"])

    def checks(self) -> str:
        return (self.paths.exports / "checks.js").read_text()


@pytest.fixture
def nights(tmp_path: Path) -> Nights:
    return Nights(tmp_path / "data")


def test_an_unchanged_night_writes_no_program_page_and_a_new_checks_file(nights: Nights) -> None:
    nights.load()
    before, checked = nights.pages(), nights.checks()
    assert len(before) == 5 and '"days":["2026-11-20"]' in checked
    nights.load()  # the same records: only the programs' last_seen moves
    assert nights.pages() == before
    assert '"days":["2026-11-21"]' in nights.checks()


def test_a_changed_fact_rewrites_only_that_programs_page(nights: Nights) -> None:
    nights.load()
    nights.load()
    before = nights.pages()
    nights.load(lake_fee={1: 150.0})
    after = nights.pages()
    changed = page_name(record("lake", LAKE[1])["program_id"])
    assert [name for name in before if after[name] != before[name]] == [changed]
    page = nights.page("lake", LAKE[1]).read_text()
    assert "application fee $100 → $150" in page and "facts unchanged since 2026-11-22" in page


@pytest.fixture
def line_of(browser: Browser) -> Iterator:
    """The text and class of a page's verification line in Chromium, with or without JavaScript."""
    contexts = []

    def line(path: Path, script: bool) -> tuple[str, str]:
        context = browser.new_context(java_script_enabled=script)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        shown = page.locator("#checked")
        assert errors == [], errors
        return shown.inner_text(), shown.get_attribute("class") or ""

    yield line
    for context in contexts:
        context.close()


def test_chromium_shows_the_date_from_checks_and_without_javascript_only_what_stays_true(
    nights: Nights, line_of
) -> None:
    nights.load()
    nights.load()
    page = nights.page("lake", LAKE[0])
    assert line_of(page, script=True) == ("verified on 2026-11-21 · facts unchanged since 2026-11-20", "checked")
    assert line_of(page, script=False) == ("facts unchanged since 2026-11-20", "checked")
    assert "2026-11-21" not in page.read_text()  # the night's date is not in the page's bytes


def test_a_failed_source_is_not_verified_since_its_last_sighting_with_or_without_javascript(
    nights: Nights, line_of
) -> None:
    nights.load()
    nights.load()
    healthy = nights.pages()
    nights.load(pine_down=True)
    failed = nights.pages()
    pine = {nights.page("pine", url).name for url in PINE}
    assert {name for name in healthy if failed[name] != healthy[name]} == pine  # its state changed: its pages
    nights.load(pine_down=True)
    assert nights.pages() == failed  # still failing: the date stays, so do the pages
    for script in (True, False):
        assert line_of(nights.page("pine", PINE[0]), script) == ("not verified since 2026-11-21", "stale")
    assert line_of(nights.page("lake", LAKE[0]), script=True)[0].startswith("verified on 2026-11-23 · ")
    nights.load()  # back: verified again
    assert line_of(nights.page("pine", PINE[1]), script=True)[0].startswith("verified on 2026-11-24 · ")


def test_chromium_trusts_checks_over_an_older_page_and_never_vouches_for_facts_read_later(
    tmp_path: Path, line_of
) -> None:
    """A page still healthy beside a checks.js whose source has failed since reads as stale; a
    checks.js older than the page's facts (a publish killed between the two) adds no date."""
    out = write_hub(sample.programs(), [], tmp_path / "index.html", generated_at=sample.NOW)
    page = tmp_path / "programs" / page_name("harbor:externship")
    assert line_of(page, script=True)[0] == "verified on 2025-03-14 · first seen on 2024-12-14"
    stale = out.parent / "checks.js"
    stale.write_text(stale.read_text().replace('"stale":[]', '"stale":["harbor"]'))
    assert line_of(page, script=True) == ("not verified since 2025-03-14", "stale")
    stale.write_text(stale.read_text().replace("2025-03-14", "2024-12-01"))
    assert line_of(page, script=True) == ("first seen on 2024-12-14", "checked")


def test_a_page_holds_none_of_the_fields_that_move_on_an_unchanged_night(tmp_path: Path) -> None:
    """What `pages.key` leaves out cannot change a page: each page, rendered afresh a night later with
    every such field moved, is the same."""
    later = []
    for program in sample.programs():
        moved = {**program, "fetched_at": sample.NOW, "page_sha256": "f" * 64, "missing_runs": 1, "last_run_id": "x"}
        if program["presence"] == "present":
            moved["last_seen"] = program["last_seen"] + timedelta(days=1)
        later.append(moved)
    assert {name for program in later for name in program} >= NIGHTLY
    written = {}
    for night, rows in enumerate((sample.programs(), later)):
        folder = write_hub(rows, [], tmp_path / str(night) / "index.html", generated_at=sample.NOW).parent
        written[night] = {p.name: p.read_bytes() for p in (folder / "programs").iterdir()}
    assert written[0] == written[1]


def test_checks_names_a_program_only_when_its_date_is_not_its_sources() -> None:
    rows = sample.programs()
    lakeshore = next(p for p in rows if p["source_id"] == "lakeshore")
    held = {**lakeshore, "program_id": "lakeshore:held", "last_seen": lakeshore["last_seen"] - timedelta(days=2)}
    rows.append(held)  # its page was not fetched on the last night: seen two nights before
    found = checks(rows, History(sources={"summit": {"verdict": "suspect"}}).sources)
    assert found["days"] == ["2025-03-14", "2025-03-12"]
    assert found["programs"] == {held["program_id"]: 1}
    assert found["sources"]["lakeshore"] == 0 and found["stale"] == ["summit"]
    assert "oldtown" not in found["sources"]  # its only program is closed: no date moves

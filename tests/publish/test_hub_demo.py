"""The demo's hub in real Chromium from file://: phone layout, evidence by keyboard, every filter and its
count, the program page's history, axe-core's WCAG 2.1 AA check, and the README's screenshots."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
DOCS = REPO / "docs"
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1400, height=1000)
ELECTIVES = "International Clinical Electives"  # its application fee goes from $600 to $650 on night 2
FEE_CHANGE = "event_type = 'changed' AND changes->>'application_fee_usd' IS NOT NULL"


def query(demo_data: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(demo_data / "clerkships.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def current(demo_data: Path, where: str = "true") -> int:
    """How many programs the index lists that satisfy `where` (the oracle the page's counts must meet)."""
    [(n,)] = query(demo_data, f"SELECT count(*) FROM v_programs WHERE presence <> 'closed' AND ({where})")
    return n


@pytest.fixture
def open_page(browser: Browser) -> Iterator:
    contexts, errors = [], []

    def opener(path: Path, viewport: ViewportSize = DESKTOP, hash_: str = "") -> Page:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri() + hash_)
        return page

    yield opener
    for context in contexts:
        context.close()
    assert errors == [], f"script errors on the page: {errors}"


def count_shown(page: Page) -> int:
    text = page.inner_text("#count")
    found = re.fullmatch(r"(\d+)(?: of \d+)? programs(?: match)?", text)
    assert found, text
    return int(found.group(1))


def test_phone_has_no_horizontal_scroll_and_shows_every_status(demo_data: Path, open_page) -> None:
    page = open_page(demo_data / "exports" / "index.html", PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cards = page.locator("#programs .card")
    assert cards.count() == current(demo_data) == 14
    for i in range(cards.count()):
        status = cards.nth(i).locator(".status")
        status.scroll_into_view_if_needed()
        box = status.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], i
        assert re.match(r"(Open|Closed|Suspended|Not stated)\s+(verified on|not verified since|not seen since) \d{4}-",
                        status.inner_text().replace("⚠ ", "")), status.inner_text()  # fmt: skip
    suspect = page.locator(".card", has_text="Cancer Center Observer Program").locator(".status")
    suspect.scroll_into_view_if_needed()  # off-screen cards are not laid out (content-visibility: auto)
    expect(suspect).to_contain_text("not verified since")  # Bayside is suspect on nights 2 and 3
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_evidence_opens_by_keyboard_and_focus_stays(demo_data: Path, open_page) -> None:
    page = open_page(demo_data / "exports" / "index.html")
    target = page.locator(".card", has_text="Clinical Externship for International Graduates").locator("summary").nth(2)
    for _ in range(300):  # Tab through the filters and the cards before it
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the hands-on value is not reachable with Tab")
    assert target.inner_text().startswith("Yes: takes part in patient care")
    evidence = target.locator("xpath=..").locator(".ev")
    assert not evidence.is_visible()
    page.keyboard.press("Enter")
    assert evidence.is_visible()
    assert "Externs take part in daily patient care" in evidence.inner_text()
    assert evidence.locator("a").get_attribute("href").endswith("/visiting/graduate-clinical-externship")
    assert target.evaluate("el => el === document.activeElement")  # focus kept where it was


FILTERS = [
    # (what to do on the page, the URL fragment it leaves, the warehouse's answer)
    ("check:hands", "hands=1", "hands_on"),
    ("check:nousmle", "nousmle=1", "usmle_steps_required = []"),
    ("check:intl", "intl=1", "accepts_international IN ('yes', 'restricted')"),
    ("check:open", "open=1", "status = 'open'"),
    ("radio:who=student", "who=student", "audience IN ('students', 'both')"),
    ("radio:who=graduate", "who=graduate", "audience IN ('graduates', 'both')"),
    ("select:state=IL", "state=IL", "state = 'IL'"),
    ("select:spec=Critical Care Medicine", "spec=Critical+Care+Medicine",
     "list_contains(specialties, 'Critical Care Medicine')"),
    ("fill:fee=1500", "fee=1500", "application_fee_usd + program_fee_usd <= 1500"),  # both stated: a known total
    ("fill:q=externship", "q=externship", "program_name ILIKE '%externship%'"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "fragment", "where"), FILTERS, ids=[f[1] for f in FILTERS])
def test_each_filter_changes_the_count_as_its_option_says(
    demo_data: Path, open_page, action: str, fragment: str, where: str
) -> None:
    page = open_page(demo_data / "exports" / "index.html")
    kind, _, rest = action.partition(":")
    name, _, value = rest.partition("=")
    expected = current(demo_data, where)
    assert 0 < expected < current(demo_data), "the demo must exercise this filter"
    if kind == "check":
        beside = page.inner_text(f"[data-count='{name}=1']")
        page.check(f"input[name={name}]")
    elif kind == "radio":
        beside = page.inner_text(f"[data-count='{name}={value}']")
        page.check(f"input[name={name}][value={value}]")
    elif kind == "select":
        beside = page.inner_text(f"select[name={name}] option[value='{value}']").rsplit(" ", 1)[1]
        page.select_option(f"select[name={name}]", value)
    else:
        beside = f"({expected})"  # a typed value has no option to count beside
        page.fill(f"input[name={name}]", value)
    assert count_shown(page) == expected
    assert beside == f"({expected})"
    assert fragment in page.url
    again = open_page(demo_data / "exports" / "index.html", hash_="#" + page.url.split("#", 1)[1])
    assert count_shown(again) == expected  # the link restores it


def test_unstated_and_unknown_fees(demo_data: Path, open_page) -> None:
    page = open_page(demo_data / "exports" / "index.html", hash_="#fee=700")
    known = current(demo_data, "application_fee_usd + program_fee_usd <= 700")
    assert count_shown(page) == known  # the $650 elective's program fee is unknown: not counted as $0
    page.check("input[name=unstated]")
    weeks = "coalesce(duration_weeks_min, duration_weeks_max)"
    per_stay = (
        f"CASE program_fee_unit WHEN 'per_week' THEN {weeks} WHEN 'per_month' THEN {weeks} / 4 "
        f"WHEN 'per_day' THEN {weeks} * 7 ELSE 1 END"
    )
    maybe = current(demo_data, f"coalesce(application_fee_usd, 0) + coalesce(program_fee_usd * {per_stay}, 0) <= 700")
    assert count_shown(page) == maybe > known
    elective = page.locator(".card", has_text="International Clinical Electives")
    assert "at least $650: $650 to apply + program fee unknown" in elective.inner_text()


def electives_page(demo_data: Path) -> Path:
    [(program_id,)] = query(demo_data, f"SELECT program_id FROM v_programs WHERE program_name = '{ELECTIVES}'")
    return demo_data / "exports" / "programs" / f"{program_id}.html"


def test_program_page_shows_the_night_2_fee_change_with_its_date(demo_data: Path, open_page) -> None:
    [(when,)] = query(demo_data, f"SELECT occurred_at FROM v_events WHERE {FEE_CHANGE}")
    page = open_page(electives_page(demo_data))
    history = page.locator(".changes > li")
    entry = history.filter(has_text="application fee $600 → $650")
    assert entry.count() == 1
    assert entry.locator("time").inner_text() == when.strftime("%Y-%m-%d")
    assert "Opened (first seen)" in history.last.inner_text()
    assert page.locator("table.versions tbody tr").count() == 2
    fee = page.locator("dt", has_text="Application fee").locator("xpath=..").locator("summary")
    fee.focus()
    page.keyboard.press("Enter")
    assert "$650" in page.locator("dt", has_text="Application fee").locator("xpath=..").locator(".ev").inner_text()


@pytest.fixture(scope="session")  # the demo is session-scoped: this one, named first, is set up before it
def axe_source() -> str:
    """axe-core's script, installed by `make setup`; missing, the test fails in CI in one line (and is
    skipped on a developer's machine that has not run `make setup`), before the demo is built."""
    if not AXE.exists():
        message = f"{AXE} is missing: run `make setup` (npm ci installs axe-core)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE.read_text()


@pytest.mark.parametrize("which", ["index.html", "program", "changes.html"])
def test_axe_finds_no_wcag_aa_violation(axe_source: str, demo_data: Path, open_page, which: str) -> None:
    path = electives_page(demo_data) if which == "program" else demo_data / "exports" / which
    for viewport in (PHONE, DESKTOP):
        page = open_page(path, viewport)
        page.add_script_tag(content=axe_source)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.add_style_tag(content=".card { content-visibility: visible; }")  # lay out every card, so axe sees all
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert violations == [], (which, viewport)
        assert result["passes"], "axe ran no check"


def test_axe_sees_a_violation_when_there_is_one(axe_source: str, open_page, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>t</title><p style="color:#bbb">pale</p><img src="x.png">')
    page = open_page(bad)
    page.add_script_tag(content=axe_source)
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})")
    assert {v["id"] for v in result["violations"]} >= {"color-contrast", "image-alt"}


def test_screenshots_for_the_readme(demo_data: Path, open_page) -> None:
    """docs/hub-desktop.png (cheapest first, one cost opened to its sentence) and docs/hub-phone.png (the
    first card, from a source that was suspect, its hands-on value opened), for the README."""
    DOCS.mkdir(exist_ok=True)
    for name, viewport, hash_, fact in (("desktop", DESKTOP, "#sort=cost", 3), ("phone", PHONE, "", 2)):
        page = open_page(demo_data / "exports" / "index.html", viewport, hash_)
        page.locator(".card").first.locator("summary").nth(fact).click()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=DOCS / f"hub-{name}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert (DOCS / f"hub-{name}.png").stat().st_size > 10_000

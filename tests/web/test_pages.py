"""Every page of the fixture web answers as designed on every night, over real HTTP."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import lxml.html
import pytest
from lxml.cssselect import CSSSelector
from pypdf import PdfReader

from crawlers.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from demo import scenario
from demo.sites import BAYSIDE_SELECTORS, EOP_NAME
from demo.web import FixtureWeb
from tests.web.http import fetch

LAKESHORE = "lakeshore-som"
CRITICAL_CARE = "/visiting/critical-care-observership"
PARTNERS = "/visiting/partner-school-electives"
PDF = "/documents/observership-applicant-guide.pdf"
JS_DATA = "/api/global-education/programs.json"

# (source, path) → status on nights 1, 2, 3. The slow site answers 200, late, on night 2.
DESIGN = {
    (LAKESHORE, "/"): (200, 200, 200),
    (LAKESHORE, "/visiting/"): (200, 200, 200),
    (LAKESHORE, "/visiting/international-electives"): (200, 200, 200),
    (LAKESHORE, "/visiting/enhanced-observership"): (200, 200, 200),
    (LAKESHORE, "/visiting/graduate-clinical-externship"): (200, 200, 200),
    (LAKESHORE, CRITICAL_CARE): (200, 404, 200),
    (LAKESHORE, PARTNERS): (404, 200, 200),
    (LAKESHORE, "/internal/sponsored-observerships"): (200, 200, 200),
    (LAKESHORE, "/news/2026/simulation-center-opens"): (200, 200, 200),
    (LAKESHORE, "/contact/"): (200, 200, 200),
    (LAKESHORE, "/robots.txt"): (200, 200, 200),
    (LAKESHORE, "/no-such-page"): (404, 404, 404),
    ("prairie-childrens", "/global-health/visiting-clinicians"): (200, 200, 200),
    ("prairie-childrens", PDF): (200, 200, 200),
    ("prairie-childrens", "/robots.txt"): (200, 200, 200),
    ("gulf-coast-com", "/international/observerships"): (200, 200, 200),
    ("gulf-coast-com", JS_DATA): (200, 200, 200),
    ("gulf-coast-com", "/robots.txt"): (200, 200, 200),
    ("high-mesa-som", "/education/international-electives"): (200, 500, 200),
    ("high-mesa-som", "/no-such-page"): (404, 500, 404),
    ("high-mesa-som", "/robots.txt"): (200, 500, 200),
    ("bayside-medical", "/gme/"): (200, 200, 200),
    ("bayside-medical", "/gme/observerships/"): (200, 200, 200),
    ("bayside-medical", "/gme/cancer-center-observers/"): (200, 200, 200),
}


@pytest.fixture
def web() -> Iterator[FixtureWeb]:
    """A fixture web whose slow site is only a little slow, so every page can be fetched."""
    with FixtureWeb(night=1, slow_seconds=0.2) as web:
        yield web


def page(web: FixtureWeb, source_id: str, path: str) -> lxml.html.HtmlElement:
    answer = fetch(web.url(source_id, path))
    assert answer.status == 200, (source_id, path, answer.status)
    return lxml.html.fromstring(answer.body)


def hrefs(tree: lxml.html.HtmlElement) -> set[str | None]:
    return {a.get("href") for a in tree.iter("a")}


def main_text(tree: lxml.html.HtmlElement) -> str:
    return " ".join(tree.get_element_by_id("main-content").text_content().split())


@pytest.mark.parametrize("night", [1, 2, 3])
def test_every_page_answers_as_designed(web: FixtureWeb, night: int) -> None:
    web.set_night(night)
    statuses = {key: fetch(web.url(*key)).status for key in DESIGN}
    assert statuses == {key: expected[night - 1] for key, expected in DESIGN.items()}


@pytest.mark.parametrize("night", [1, 2, 3])
def test_scenario_programs_are_on_their_pages(web: FixtureWeb, night: int) -> None:
    """Each program the scenario lists for a night is named on its page that night."""
    web.set_night(night)
    for program in scenario.PROGRAMS[night]:
        answer = fetch(web.url(program.source_id, program.path))
        assert answer.status == 200, program
        if program.path == PDF:
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body)).pages)
        elif program.source_id == "gulf-coast-com":
            text = fetch(web.url("gulf-coast-com", JS_DATA)).text
        else:
            text = main_text(lxml.html.fromstring(answer.body))
        assert program.program_name in text, program


def test_index_links_programs_night_by_night(web: FixtureWeb) -> None:
    links = {}
    for night in (1, 2, 3):
        web.set_night(night)
        links[night] = hrefs(page(web, LAKESHORE, "/visiting/"))
    assert CRITICAL_CARE in links[1] and PARTNERS not in links[1]
    assert CRITICAL_CARE not in links[2] and PARTNERS in links[2]  # removed and unlinked; added and linked
    assert {CRITICAL_CARE, PARTNERS} <= links[3]
    assert "/internal/sponsored-observerships" in links[1]  # linked although robots.txt disallows it
    assert scenario.EXTERNAL in links[1]
    assert web.url("prairie-childrens") in links[1]  # another institution's host


def test_pages_have_real_site_boilerplate(web: FixtureWeb) -> None:
    tree = page(web, LAKESHORE, "/visiting/international-electives")
    text = tree.text_content()
    for phrase in ("Skip to main content", "Back to top", "We use cookies", "All rights reserved"):
        assert phrase in text
    assert tree.cssselect("nav.breadcrumbs li a")
    assert tree.cssselect("header nav a")
    assert tree.cssselect("script")


def test_scraped_text_is_escaped(web: FixtureWeb) -> None:
    raw = fetch(web.url("bayside-medical", "/gme/observerships/")).text
    assert "Thoracic &amp; Cardiovascular Surgery Observer" in raw
    assert "Thoracic & Cardiovascular" not in raw


def test_fee_table_changes_on_night_2(web: FixtureWeb) -> None:
    def fee_cells() -> list[str]:
        tree = page(web, LAKESHORE, "/visiting/international-electives")
        return [" ".join(td.text_content().split()) for td in tree.cssselect("table.fees tbody td")]

    first = fee_cells()
    web.advance()
    second = fee_cells()
    assert first[:2] == ["Application fee", "$600"]
    assert second[:2] == ["Application fee", "$650"]


def test_renamed_heading_keeps_the_rest_of_the_page(web: FixtureWeb) -> None:
    def heading_and_body() -> tuple[str, str]:
        tree = page(web, LAKESHORE, "/visiting/enhanced-observership")
        heading = tree.cssselect("h1")[0].text_content().strip()
        return heading, " ".join(p.text_content() for p in tree.cssselect("main article p, main article li"))

    first = heading_and_body()
    web.advance()
    second = heading_and_body()
    assert (first[0], second[0]) == (EOP_NAME[1], EOP_NAME[2])
    assert first[1] == second[1] and "observational experience" in first[1]


def test_two_programs_on_one_page_and_the_suspension(web: FixtureWeb) -> None:
    def sections() -> dict[str, str]:
        tree = page(web, "prairie-childrens", "/global-health/visiting-clinicians")
        return {s.cssselect("h2")[0].text_content(): s.text_content() for s in tree.cssselect("section.program")}

    first = sections()
    web.advance()
    second = sections()
    assert list(first) == ["International Observership Program", "Visiting Student Clinical Elective"]
    assert "observe patient care" in first["International Observership Program"]
    assert "$300.00" in first["Visiting Student Clinical Elective"]
    assert "suspended" not in first["Visiting Student Clinical Elective"]
    assert "are suspended for the 2027-2028 academic year" in second["Visiting Student Clinical Elective"]
    assert second["International Observership Program"] == first["International Observership Program"]


def test_pdf_has_a_text_layer_and_is_linked(web: FixtureWeb) -> None:
    assert PDF in hrefs(page(web, "prairie-childrens", "/global-health/visiting-clinicians"))
    answer = fetch(web.url("prairie-childrens", PDF))
    assert answer.body.startswith(b"%PDF-")
    assert answer.headers["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body)).pages).split())
    assert "International Observership Program: Applicant Guide" in text
    assert "there is no hands-on patient contact at any time" in text
    assert "usually capped at 4 weeks" in text


def test_js_page_static_html_has_only_an_empty_container(web: FixtureWeb) -> None:
    tree = page(web, "gulf-coast-com", "/international/observerships")
    container = tree.get_element_by_id("programs")
    assert container.text_content().strip() == "Loading…"
    raw = fetch(web.url("gulf-coast-com", "/international/observerships")).text
    assert "Global Observership Program" not in raw and "two to four weeks" not in raw
    assert "setTimeout" in raw and JS_DATA in raw
    data = json.loads(fetch(web.url("gulf-coast-com", JS_DATA)).body)
    assert data["programs"][0]["name"] == "Global Observership Program"
    assert any("two to four weeks" in p for p in data["programs"][0]["paragraphs"])


def test_js_page_shows_programs_in_chromium(web: FixtureWeb) -> None:
    """The configured `wait_for` selector appears once the page's script has run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"], args=PLAYWRIGHT_LAUNCH_OPTIONS["args"]
        )
        try:
            tab = browser.new_page()
            tab.goto(web.url("gulf-coast-com"))
            tab.wait_for_selector("#programs .program", timeout=10_000)
            text = tab.inner_text("#programs")
        finally:
            browser.close()
    assert "Global Observership Program" in text and "two to four weeks" in text


def test_jsonld_declares_the_program(web: FixtureWeb) -> None:
    tree = page(web, "high-mesa-som", "/education/international-electives")
    scripts = tree.cssselect('script[type="application/ld+json"]')
    nodes = [node for s in scripts for node in json.loads(s.text_content())["@graph"]]
    assert {n["@type"] for n in nodes} == {"EducationalOccupationalProgram", "Course"}
    program = next(n for n in nodes if n["@type"] == "EducationalOccupationalProgram")
    assert program["name"] == scenario.MESA.program_name
    assert (program["offers"]["price"], program["offers"]["priceCurrency"]) == ("2500", "USD")
    assert "Tuition is $2,500 per four-week module" in main_text(tree)


def test_layout_change_breaks_the_configured_selectors(web: FixtureWeb) -> None:
    block = CSSSelector(BAYSIDE_SELECTORS["program_block"], translator="html")
    name = CSSSelector(BAYSIDE_SELECTORS["fields"]["program_name"], translator="html")

    def cards() -> tuple[list[str], list[str]]:
        tree = page(web, "bayside-medical", "/gme/observerships/")
        blocks = block(tree)
        return [name(b)[0].text_content() for b in blocks], [
            h.text_content() for h in tree.cssselect("main h2, main h3")
        ]

    selected_1, headings_1 = cards()
    web.advance()
    selected_2, headings_2 = cards()
    programs = [p.program_name for p in scenario.programs(1, "bayside-medical") if p.path == "/gme/observerships/"]
    assert selected_1 == programs
    assert selected_2 == []  # the configured selectors find nothing ...
    assert [h for h in headings_2 if h in programs] == programs  # ... though the programs are all there
    assert [h for h in headings_1 if h in programs] == programs


def test_unchanged_pages_are_byte_identical_across_nights(web: FixtureWeb) -> None:
    designed_changes = {
        (LAKESHORE, "/visiting/"),
        (LAKESHORE, "/visiting/international-electives"),
        (LAKESHORE, "/visiting/enhanced-observership"),
        ("prairie-childrens", "/global-health/visiting-clinicians"),
        ("bayside-medical", "/gme/observerships/"),
        ("bayside-medical", "/gme/cancer-center-observers/"),
    }
    bodies = {}
    for night in (1, 2, 3):
        web.set_night(night)
        bodies[night] = {key: fetch(web.url(*key)) for key in DESIGN}
    for key in DESIGN:
        answers = [bodies[night][key] for night in (1, 2, 3)]
        ok = [a.body for a in answers if a.status == 200]
        if key in designed_changes:
            assert answers[0].body != answers[1].body, key
            assert answers[1].body == answers[2].body or key == (LAKESHORE, "/visiting/"), key
        elif len(ok) > 1:
            assert all(body == ok[0] for body in ok), key

"""Page structure: several headed programs → several records; per-source selectors; JSON-LD."""

from __future__ import annotations

import json

from crawlers.config import Selectors, Source
from crawlers.extract import extract_document

MULTI = b"""<html><body><main>
<h1>Visiting International Programs</h1>
<p>All programs below welcome applicants from abroad.</p>
<h2>Clinical Observership</h2>
<p>Physicians observe for up to 4 weeks with no patient contact. The observership fee is $1,200.</p>
<h2>Senior Elective</h2>
<p>Final-year medical students join the team for four weeks and provide direct patient care experiences.
Apply through VSLO.</p>
</main></body></html>"""


def source(selectors: Selectors | None) -> Source:
    return Source(
        id="lakeshore-som", institution="Lakeshore SOM", city="Chicago", state="IL",
        start_urls=["http://127.0.0.2:40001/visiting/"], allow_private=True, selectors=selectors,
    )  # fmt: skip


def test_headed_programs_become_records() -> None:
    programs = extract_document(MULTI, url="http://127.0.0.2/visiting")
    assert [(p.program_key, p.program_type) for p in programs] == [
        ("clinical-observership", "observership"),
        ("senior-elective", "elective"),
    ]
    observership, elective = programs
    assert (observership.hands_on, observership.duration_weeks_max, observership.program_fee_usd) == (False, 4.0, 1200)
    assert (elective.hands_on, elective.duration_weeks_min, elective.application_method) == (True, 4.0, "vslo")
    assert elective.program_fee_usd is None  # the observership's fee does not leak into the elective
    assert all(p.accepts_international == "yes" for p in programs)  # the shared preamble applies to both


def test_one_program_page_has_empty_key() -> None:
    page = b"<html><body><h1>Observership</h1><h2>Eligibility</h2><p>Physicians observe for 2 weeks.</p></body></html>"
    assert [p.program_key for p in extract_document(page)] == [""]


def test_source_selectors_win() -> None:
    page = b"""<html><body>
    <section class="program"><h3>Cardiology Observership</h3><p>Observers stay 2 weeks.</p>
      <span class="due">Applications due January 5, 2027</span></section>
    <section class="program"><h3>Neurology Observership</h3><p>Observers stay 3 weeks.</p>
      <span class="due">Rolling</span></section>
    </body></html>"""
    sel = Selectors(program_block="section.program", fields={"deadline_text": ".due", "program_name": "h3"})
    programs = extract_document(page, source=source(sel))
    assert [(p.program_name, p.duration_weeks_max, p.deadline_text) for p in programs] == [
        ("Cardiology Observership", 2.0, "Applications due January 5, 2027"),
        ("Neurology Observership", 3.0, "Rolling"),
    ]
    assert programs[0].evidence["deadline_text"] == "Applications due January 5, 2027"
    assert [p.specialties for p in programs] == [["Cardiology"], ["Neurology"]]


def test_a_selector_that_no_longer_matches_yields_nothing_not_a_guess() -> None:
    relaid = MULTI.replace(b"<h2>", b'<h2 class="card-title">')  # the site's layout changed
    assert extract_document(relaid, source=source(Selectors(program_block="section.program"))) == []
    assert len(extract_document(relaid)) == 2  # the same page without configured selectors


def test_an_index_of_program_pages_is_not_a_program() -> None:
    index = b"""<html><body><main><h1>Visiting Students and Physicians</h1>
    <p>Choose a program below.</p><ul>
    <li><a href="/e">International Clinical Electives for visiting students</a></li>
    <li><a href="/o">Enhanced Observership for International Medical Graduates</a></li>
    <li><a href="/p">Global Health Electives for Partner Schools</a></li></ul></main></body></html>"""
    assert extract_document(index) == []
    described = index.replace(
        b"<p>Choose a program below.</p>", b"<p>" + b"Observers shadow attendings. " * 12 + b"</p>"
    )
    assert [p.program_type for p in extract_document(described)] == ["observership"]


SHORT_INDEX = b"""<html><body><main><h1>Visiting Student Electives</h1>
<p>Students from other medical schools may ask for an elective in one of the departments below.</p>
<ul><li><a href="/surgery">Surgery</a></li><li><a href="/medicine">Internal Medicine</a></li>
<li><a href="/peds">Pediatrics</a></li></ul></main></body></html>"""


def test_a_short_intro_above_links_is_an_index_not_a_program() -> None:
    assert extract_document(SHORT_INDEX) == []
    graduates = SHORT_INDEX.replace(b"Students from other medical schools", b"International medical graduates")
    assert extract_document(graduates) == []


def test_a_short_page_with_links_that_states_a_fact_or_a_closure_is_a_program() -> None:
    with_length = SHORT_INDEX.replace(b"an elective", b"a four-week elective")
    assert [p.duration_weeks_max for p in extract_document(with_length)] == [4.0]
    closed = SHORT_INDEX.replace(b"</p>", b" Visiting electives are closed to applicants from abroad.</p>")
    assert [p.status for p in extract_document(closed)] == ["closed"]
    one_link = SHORT_INDEX.replace(b'<li><a href="/medicine">Internal Medicine</a></li>', b"").replace(
        b'<li><a href="/peds">Pediatrics</a></li>', b""
    )
    assert [p.program_type for p in extract_document(one_link)] == ["elective"]


def test_name_is_the_heading_that_names_the_program() -> None:
    page = b"""<html><body><main><h1>Global Education and Training</h1><p>Welcome.</p>
    <h2>Global Observership Program</h2><p>Physicians observe attendings for four weeks.</p></main></body></html>"""
    assert [p.program_name for p in extract_document(page)] == ["Global Observership Program"]
    guide = b"Lake Hospital - International Observership Program: Applicant Guide\nObservers shadow for 2 weeks.\n"
    assert [p.program_name for p in extract_document(guide)] == ["International Observership Program"]


def test_jsonld_fills_what_the_text_does_not_say() -> None:
    node = {"@context": "https://schema.org", "@type": "Course", "name": "Global Health Observership",
            "applicationDeadline": "2026-09-01", "offers": {"price": "850", "priceCurrency": "USD"}}  # fmt: skip
    page = (
        "<html><head><script type='application/ld+json'>" + json.dumps(node) + "</script></head>"
        "<body><p>Our observership lets physicians observe clinics.</p></body></html>"
    ).encode()
    (program,) = extract_document(page, url="http://127.0.0.2/obs")
    assert (program.program_name, program.program_fee_usd, program.deadline_text) == (
        "Global Health Observership", 850.0, "2026-09-01",
    )  # fmt: skip
    assert "JSON-LD" in program.evidence["program_name"]

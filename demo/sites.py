"""The synthetic institutions of the fixture web: their pages on each night, as data.

Each institution is one host, and all of them are fictional. A page's main content is one of the
project's own texts in demo/pages/, written for the fixture web, inside the boilerplate a real
site's CMS would give it. `demo/scenario.py` states what each night shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, Unpack

from jinja2 import Environment, FileSystemLoader, select_autoescape

from demo.content import Block, Section, SectionMarkup, blocks, links, page_text, para, table
from demo.pdf import pdf_document

HTML = "text/html; charset=utf-8"
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
AAMC_VSLO = "https://www.aamc.org/services/vslo"


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Institution:
    """One host: who it is, where its crawl starts, its robots.txt, and its pages per night."""

    id: str
    name: str
    city: str
    state: str
    address: str
    phone: str
    theme: str
    start_path: str
    nav: tuple[tuple[str, str], ...]
    pages: Callable[[Institution, int, dict[str, str]], dict[str, Response]]
    robots: str = "User-agent: *\nDisallow:\n"
    source: dict = field(default_factory=dict)  # extra config keys: render, wait_for, selectors, follow
    outage: dict[int, str] = field(default_factory=dict)  # night → "error" (500 everywhere) or "slow"

    def page(self, title: str, sections: list[Section], **context: object) -> Response:
        """An HTML page of this site: boilerplate around `sections` (see templates/page.html)."""
        return self.render("page.html", title=title, sections=sections, **context)

    def render(self, template: str, **context: object) -> Response:
        context.setdefault("breadcrumbs", [("Home", "/")])
        context.setdefault("jsonld", [])
        body = TEMPLATES.get_template(template).render(site=self, **context)
        return Response(200, HTML, body.encode("utf-8"))

    def contact(self, email: str, office: str) -> Response:
        return self.page(
            "Contact us",
            [
                Section(
                    office,
                    (
                        para(f"{self.address}, {self.city}, {self.state}"),
                        para(
                            f"Phone: {self.phone}. Email: {email}. "
                            "Office hours are Monday to Friday, 8 a.m. to 4:30 p.m."
                        ),
                    ),
                )
            ],
        )


def section(heading: str | None, text: str, *more: Block, **markup: Unpack[SectionMarkup]) -> Section:
    return Section(heading, blocks(text) + more, **markup)


# --- Lakeshore University School of Medicine: an index of program pages, plus everything else a
# --- school's site links to (news, contact, a robots-disallowed internal page, other hosts).

EOP_NAME = {
    1: "Enhanced Observership Program (EOP)",
    2: "Enhanced Observership for International Medical Graduates (EOP)",
}
ELECTIVE_FEE = {1: "$600", 2: "$650"}
EXTERNSHIP_NAME = "Clinical Externship for International Graduates"


def lakeshore_pages(site: Institution, night: int, urls: dict[str, str]) -> dict[str, Response]:
    """Night 2 adds the partner-school electives, removes the critical care observership (back on
    night 3), raises the elective application fee and renames the observership's heading."""
    crumbs = [("Home", "/"), ("Visiting Students", "/visiting/")]
    programs = [
        ("International Clinical Electives", "/visiting/international-electives"),
        (EOP_NAME[min(night, 2)], "/visiting/enhanced-observership"),
        (EXTERNSHIP_NAME, "/visiting/graduate-clinical-externship"),
    ]
    if night != 2:
        programs.append(("Critical Care Clinical Observership", "/visiting/critical-care-observership"))
    if night >= 2:
        programs.append(("Global Health Electives for Partner Schools", "/visiting/partner-school-electives"))
    pages = {
        "/": site.page(
            "Welcome",
            [
                Section(
                    "Lakeshore University School of Medicine",
                    (
                        para("Educating physicians for Chicago and the world since 1891."),
                        links(("Visiting students and physicians", "/visiting/"), ("News", "/news/")),
                    ),
                )
            ],
            breadcrumbs=[],
        ),
        "/visiting/": site.page(
            "Visiting Students and Physicians",
            [
                Section(
                    None,
                    (
                        para(
                            "The Office of International Affairs coordinates clinical experiences for medical students "
                            "and graduates from outside the United States. Choose a program below."
                        ),
                    ),
                ),
                Section("Programs for international students and graduates", (links(*programs),)),
                Section(
                    "More information",
                    (
                        links(
                            ("Applying through VSLO (AAMC)", AAMC_VSLO),
                            ("Faculty-sponsored observerships (faculty only)", "/internal/sponsored-observerships"),
                            ("News: our new simulation center", "/news/2026/simulation-center-opens"),
                            ("Contact the Office of International Affairs", "/contact/"),
                            (
                                "Pediatric observerships at Prairie Children's Hospital",
                                urls["prairie-childrens"] + "/global-health/visiting-clinicians",
                            ),
                        ),
                    ),
                ),
            ],
            breadcrumbs=[("Home", "/")],
        ),
        "/visiting/international-electives": site.page(
            "International Clinical Electives",
            [
                section(None, page_text("lakeshore-international-electives")),
                Section(
                    "Fees",
                    (
                        para("The following fee applies to every visiting international student."),
                        table(
                            ("Fee", "Amount", "Notes"),
                            (
                                "Application fee",
                                ELECTIVE_FEE[min(night, 2)],
                                "Non-refundable; due with the application for each rotation",
                            ),
                        ),
                    ),
                ),
                Section(
                    "How to apply",
                    (para("Send the completed application packet to international@lakeshore-med.example.edu."),),
                ),
            ],
            breadcrumbs=crumbs,
            related=[("Applying through VSLO (AAMC)", AAMC_VSLO)],
        ),
        "/visiting/enhanced-observership": site.page(
            EOP_NAME[min(night, 2)],
            [section(None, page_text("lakeshore-enhanced-observership"))],
            breadcrumbs=crumbs,
        ),
        "/visiting/graduate-clinical-externship": site.page(
            EXTERNSHIP_NAME,
            [section(None, page_text("lakeshore-graduate-externship"))],
            breadcrumbs=crumbs,
        ),
        "/news/2026/simulation-center-opens": site.page(
            "New simulation center opens on the Near North campus",
            [
                Section(
                    None,
                    (
                        para(
                            "Lakeshore University School of Medicine opened its 40,000-square-foot simulation center "
                            "this fall. Students practise procedures on high-fidelity manikins "
                            "before they meet patients."
                        ),
                        para(
                            "The center hosts 120 sessions a week and is open to all enrolled students and residents."
                        ),
                    ),
                )
            ],
            breadcrumbs=[("Home", "/"), ("News", "/news/")],
            updated="October 14, 2026",
        ),
        "/internal/sponsored-observerships": site.page(
            "Faculty-sponsored Observerships (faculty only)",
            [
                Section(
                    None,
                    (
                        para(
                            "Faculty members who wish to host an international physician as an observer must file the "
                            "sponsorship form at least 60 days before the visit. "
                            "Observers may not have patient contact. "
                            "This page is for Lakeshore faculty and is not a public program listing."
                        ),
                    ),
                )
            ],
            breadcrumbs=crumbs,
        ),
        "/contact/": site.contact("international@lakeshore-med.example.edu", "Office of International Affairs"),
    }
    if night != 2:
        pages["/visiting/critical-care-observership"] = site.page(
            "Critical Care Clinical Observership",
            [section(None, page_text("lakeshore-critical-care-observership"))],
            breadcrumbs=crumbs,
        )
    if night >= 2:
        pages["/visiting/partner-school-electives"] = site.page(
            "Global Health Electives for Partner Schools",
            [section(None, page_text("lakeshore-partner-electives"))],
            breadcrumbs=crumbs,
        )
    return pages


# --- Prairie Children's Hospital: one page with two programs under their own headings, and a PDF.

PRAIRIE_SUSPENDED = (
    "Applications for the Visiting Student Clinical Elective are suspended for the 2027-2028 academic year "
    "while we move to a new application system. We expect to accept applications again in January 2028."
)


def prairie_pages(site: Institution, night: int, urls: dict[str, str]) -> dict[str, Response]:
    """Night 2 on: the elective says applications are suspended; the observership is unchanged."""
    elective_notice = (para(PRAIRIE_SUSPENDED),) if night >= 2 else ()
    guide_lines = [line for line in page_text("prairie-observership-faq").splitlines()[1:] if line]
    return {
        "/": site.page(
            "Welcome",
            [
                Section(
                    None,
                    (
                        links(
                            ("Global health: visiting clinicians", "/global-health/visiting-clinicians"),
                        ),
                    ),
                )
            ],
            breadcrumbs=[],
        ),
        "/global-health/visiting-clinicians": site.page(
            "Visiting Clinicians and Students",
            [
                Section(
                    None,
                    (
                        para(
                            "The Center for Global Health welcomes colleagues from around the world. "
                            "Two programs welcome visitors from outside the United States."
                        ),
                    ),
                ),
                section(
                    "International Observership Program",
                    page_text("prairie-international-observership"),
                    links(("Observership applicant guide (PDF)", "/documents/observership-applicant-guide.pdf")),
                    css="program",
                ),
                Section(
                    "Visiting Student Clinical Elective",
                    elective_notice + blocks(page_text("prairie-visiting-elective")),
                    css="program",
                ),
                Section(
                    "Elsewhere in Chicago",
                    (links(("Lakeshore University visiting students", urls["lakeshore-som"] + "/visiting/")),),
                ),
            ],
            breadcrumbs=[("Home", "/"), ("Global Health", "/global-health/")],
        ),
        "/documents/observership-applicant-guide.pdf": Response(
            200,
            "application/pdf",
            pdf_document(
                "Prairie Children's Hospital - International Observership Program: Applicant Guide", guide_lines
            ),
        ),
        "/contact/": site.contact("globalhealth@prairiechildrens.example.org", "Center for Global Health"),
    }


# --- Gulf Coast College of Medicine: the program list is inserted by JavaScript after load.


def gulf_pages(site: Institution, night: int, urls: dict[str, str]) -> dict[str, Response]:
    """The same every night; night 2 answers slower than the crawler waits (see Institution.outage)."""
    text = page_text("gulf-global-observership")
    data = {
        "programs": [
            {
                "name": "Global Observership Program",
                "paragraphs": [line.strip() for line in text.splitlines() if line.strip()],
            }
        ]
    }
    return {
        "/": site.page(
            "Welcome",
            [
                Section(
                    None,
                    (
                        links(
                            ("Global education and training", "/international/observerships"),
                        ),
                    ),
                )
            ],
            breadcrumbs=[],
        ),
        "/international/observerships": site.render(
            "js_page.html",
            title="Global Education and Training",
            lead="Gulf Coast Global Education & Training.",
            data_url="/api/global-education/programs.json",
            delay_ms=300,
            breadcrumbs=[("Home", "/"), ("International", "/international/")],
        ),
        "/api/global-education/programs.json": Response(
            200, "application/json", json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")
        ),
        "/contact/": site.contact("global.education@gulfcoastmed.example.org", "Global Education & Training"),
    }


# --- High Mesa University School of Medicine: JSON-LD (schema.org) beside the visible text.

MESA_NAME = "Short-term Senior International Medical Student Electives"


def mesa_pages(site: Institution, night: int, urls: dict[str, str]) -> dict[str, Response]:
    """The same every night; night 2 answers 500 everywhere (see Institution.outage)."""
    jsonld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "EducationalOccupationalProgram",
                "name": MESA_NAME,
                "description": "Four-week clinical elective modules for final-year students of international schools.",
                "timeToComplete": "P4W",
                "educationalProgramMode": "in-person",
                "applicationDeadline": "Nine months before the requested elective start date",
                "offers": {"@type": "Offer", "price": "2500", "priceCurrency": "USD", "category": "Tuition per module"},
                "provider": {
                    "@type": "CollegeOrUniversity",
                    "name": site.name,
                    "email": "mailto:intl.electives@highmesa-med.example.edu",
                },
            },
            {
                "@type": "Course",
                "name": MESA_NAME,
                "courseCode": "INTL-4000",
                "provider": {"@type": "CollegeOrUniversity", "name": site.name},
            },
        ],
    }
    return {
        "/": site.page(
            "Welcome",
            [
                Section(
                    None,
                    (
                        links(
                            ("International electives", "/education/international-electives"),
                        ),
                    ),
                )
            ],
            breadcrumbs=[],
        ),
        "/education/international-electives": site.page(
            MESA_NAME,
            [
                section(None, page_text("mesa-international-electives")),
                Section(
                    "Tuition",
                    (para("Tuition is $2,500 per four-week module, payable before arrival."),),
                ),
            ],
            jsonld=[jsonld],
            breadcrumbs=[("Home", "/"), ("Education", "/education/")],
        ),
        "/contact/": site.contact("intl.electives@highmesa-med.example.edu", "International Programs"),
    }


# --- Bayside Medical Center: program cards, read with per-source CSS selectors; the night-2
# --- redesign renames the cards' classes so the configured selectors no longer match.

CARD_V1: SectionMarkup = {"css": "program-card", "heading_css": "program-card__title"}
CARD_V2: SectionMarkup = {"css": "c-offering", "heading_css": "c-offering__name", "tag": "div", "heading_level": 3}


class SourceSelectors(TypedDict):
    """A source's `selectors` block as the fixture config writes it."""

    program_block: str
    fields: dict[str, str]


BAYSIDE_SELECTORS: SourceSelectors = {
    "program_block": "section.program-card",
    "fields": {"program_name": "h2.program-card__title"},
}


def bayside_pages(site: Institution, night: int, urls: dict[str, str]) -> dict[str, Response]:
    """Night 2 on: the same programs and words in the redesigned card markup."""
    card = CARD_V1 if night == 1 else CARD_V2
    crumbs = [("Home", "/"), ("Graduate Medical Education", "/gme/")]
    return {
        "/": site.page(
            "Welcome",
            [
                Section(
                    None,
                    (
                        links(
                            ("Graduate Medical Education", "/gme/"),
                        ),
                    ),
                )
            ],
            breadcrumbs=[],
        ),
        "/gme/": site.page(
            "Graduate Medical Education",
            [
                Section(
                    "Visiting physicians",
                    (
                        links(
                            ("International observerships", "/gme/observerships/"),
                            ("Cancer center observers", "/gme/cancer-center-observers/"),
                        ),
                    ),
                )
            ],
        ),
        "/gme/observerships/": site.page(
            "International Observerships",
            [
                section(
                    "International Post Graduate Observership Course", page_text("bayside-observership-course"), **card
                ),
                section("Observer and Rotator Program", page_text("bayside-observer-rotator"), **card),
                section("Thoracic & Cardiovascular Surgery Observer", page_text("bayside-thoracic-observer"), **card),
            ],
            breadcrumbs=crumbs,
        ),
        "/gme/cancer-center-observers/": site.page(
            "Cancer Center Observers",
            [
                section(
                    "Cancer Center Observer Program",
                    page_text("bayside-cancer-observer-program"),
                    **card,
                )
            ],
            breadcrumbs=crumbs,
        ),
        "/contact/": site.contact("gme@baysidemedical.example.org", "Graduate Medical Education"),
    }


INSTITUTIONS: tuple[Institution, ...] = (
    Institution(
        id="lakeshore-som",
        name="Lakeshore University School of Medicine",
        city="Chicago",
        state="IL",
        address="1200 North Lakeshore Terrace",
        phone="(312) 555-0140",
        theme="theme-lakeshore",
        start_path="/visiting/",
        nav=(
            ("Education", "/education/"),
            ("Visiting Students", "/visiting/"),
            ("News", "/news/"),
            ("Contact", "/contact/"),
        ),
        pages=lakeshore_pages,
        robots="User-agent: *\nDisallow: /internal/\n",
    ),
    Institution(
        id="prairie-childrens",
        name="Prairie Children's Hospital",
        city="Milwaukee",
        state="WI",
        address="450 Prairie Meadow Drive",
        phone="(414) 555-0177",
        theme="theme-prairie",
        start_path="/global-health/visiting-clinicians",
        nav=(("Patients & Families", "/patients/"), ("Global Health", "/global-health/"), ("Contact", "/contact/")),
        pages=prairie_pages,
    ),
    Institution(
        id="gulf-coast-com",
        name="Gulf Coast College of Medicine",
        city="Houston",
        state="TX",
        address="3100 Gulfview Parkway",
        phone="(713) 555-0190",
        theme="theme-gulf",
        start_path="/international/observerships",
        nav=(("Find a Doctor", "/doctors/"), ("International", "/international/"), ("Contact", "/contact/")),
        pages=gulf_pages,
        source={"render": "js", "wait_for": "#programs .program"},
        outage={2: "slow"},
    ),
    Institution(
        id="high-mesa-som",
        name="High Mesa University School of Medicine",
        city="Albuquerque",
        state="NM",
        address="900 Mesa Ridge Road NE",
        phone="(505) 555-0122",
        theme="theme-mesa",
        start_path="/education/international-electives",
        nav=(("Education", "/education/"), ("Research", "/research/"), ("Contact", "/contact/")),
        pages=mesa_pages,
        outage={2: "error"},
    ),
    Institution(
        id="bayside-medical",
        name="Bayside Medical Center",
        city="Tampa",
        state="FL",
        address="75 Harbor Point Way",
        phone="(813) 555-0108",
        theme="theme-bayside",
        start_path="/gme/",
        nav=(("Patients", "/patients/"), ("Graduate Medical Education", "/gme/"), ("Contact", "/contact/")),
        pages=bayside_pages,
        source={"selectors": BAYSIDE_SELECTORS},
    ),
)

"""What the fixture web shows on each night, and what the pipeline should report: plain data.

End-to-end tests compare the pipeline's programs and events with these. Each value is what the
page text says (the labelling rules of LABELS.md), not what any extractor happens to find.
Programs are named by source, page path and program key (`""` on a one-program page, the
normalized heading on a page with several); `program_name` is the heading the page gives it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from demo.sites import AAMC_VSLO, EOP_NAME, EXTERNSHIP_NAME, MESA_NAME


@dataclass(frozen=True)
class Program:
    source_id: str
    path: str
    program_name: str
    program_type: str
    status: str = "open"
    key: str = ""
    application_fee_usd: float | None = None
    program_fee_usd: float | None = None


@dataclass(frozen=True)
class Event:
    event_type: str  # new | changed | closed | reopened | source_failed | source_suspect
    source_id: str
    program_name: str | None = None  # None for source events
    path: str | None = None
    changes: tuple[tuple[str, object, object], ...] = ()  # (field, before, after); at least these
    why: str = ""


# --- Night 1: every site answers.
ELECTIVES = Program(
    # pages/lakeshore-international-electives.txt (four-week electives) with a fee table: "Application fee | $600";
    # visiting students "take part in daily patient care", and "USMLE scores are not required".
    "lakeshore-som",
    "/visiting/international-electives",
    "International Clinical Electives",
    "elective",
    application_fee_usd=600,
)
EOP = Program(
    # pages/lakeshore-enhanced-observership.txt: an observership for graduates of international schools; no fee.
    "lakeshore-som",
    "/visiting/enhanced-observership",
    EOP_NAME[1],
    "observership",
)
EXTERNSHIP = Program(
    # pages/lakeshore-graduate-externship.txt: hands-on work for graduates, "$100" to apply and "$1,200 per
    # four-week rotation"; the demo's program for the hands-on and graduate filters and the README's first recipe.
    "lakeshore-som",
    "/visiting/graduate-clinical-externship",
    EXTERNSHIP_NAME,
    "externship",
    application_fee_usd=100,
    program_fee_usd=1200,
)
CRITICAL_CARE = Program(
    # pages/lakeshore-critical-care-observership.txt: "once the program fee has been paid" names no amount: no fee.
    "lakeshore-som",
    "/visiting/critical-care-observership",
    "Critical Care Clinical Observership",
    "observership",
)
PARTNER_ELECTIVES = Program(
    # pages/lakeshore-partner-electives.txt (night 2 on): clinical rotations for partner-school students only.
    "lakeshore-som",
    "/visiting/partner-school-electives",
    "Global Health Electives for Partner Schools",
    "elective",
)
PRAIRIE_PAGE = "/global-health/visiting-clinicians"
PRAIRIE_OBSERVERSHIP = Program(
    # pages/prairie-international-observership.txt under its own heading: "a one-time $750 administrative fee".
    "prairie-childrens",
    PRAIRIE_PAGE,
    "International Observership Program",
    "observership",
    key="international-observership-program",
    application_fee_usd=750,
)
PRAIRIE_ELECTIVE = Program(
    # pages/prairie-visiting-elective.txt under its own heading: "application processing fee of $300.00".
    "prairie-childrens",
    PRAIRIE_PAGE,
    "Visiting Student Clinical Elective",
    "elective",
    key="visiting-student-clinical-elective",
    application_fee_usd=300,
)
PRAIRIE_GUIDE = Program(
    # The linked PDF (pages/prairie-observership-faq.txt), titled "... International Observership Program:
    # Applicant Guide"; no fee in it.
    "prairie-childrens",
    "/documents/observership-applicant-guide.pdf",
    "International Observership Program",
    "observership",
)
GULF = Program(
    # pages/gulf-global-observership.txt, inserted by JavaScript into #programs under its own heading; only a rendering
    # crawl sees it. The page's h1 ("Global Education and Training") is a section title, not its name.
    # "There is no application fee. The observership is offered free of charge.": both fees $0.
    "gulf-coast-com",
    "/international/observerships",
    "Global Observership Program",
    "observership",
    application_fee_usd=0,
    program_fee_usd=0,
)
MESA = Program(
    # pages/mesa-international-electives.txt plus JSON-LD (EducationalOccupationalProgram, offers.price 2500 USD)
    # and the visible "Tuition is $2,500 per four-week module"; "There is no application fee."
    "high-mesa-som",
    "/education/international-electives",
    MESA_NAME,
    "elective",
    application_fee_usd=0,
    program_fee_usd=2500,
)
BAYSIDE_CARDS = "/gme/observerships/"
BAYSIDE_COURSE = Program(
    # pages/bayside-observership-course.txt in a card: the "registration fee" has no amount.
    "bayside-medical",
    BAYSIDE_CARDS,
    "International Post Graduate Observership Course",
    "observership",
    key="international-post-graduate-observership-course",
)
BAYSIDE_ROTATOR = Program(
    # pages/bayside-observer-rotator.txt in a card: observer status, no patient contact.
    "bayside-medical",
    BAYSIDE_CARDS,
    "Observer and Rotator Program",
    "observership",
    key="observer-and-rotator-program",
)
BAYSIDE_THORACIC = Program(
    # pages/bayside-thoracic-observer.txt in a card: "the observership fee is $500 for the first month".
    "bayside-medical",
    BAYSIDE_CARDS,
    "Thoracic & Cardiovascular Surgery Observer",
    "observership",
    key="thoracic-cardiovascular-surgery-observer",
    program_fee_usd=500,
)
BAYSIDE_CANCER = Program(
    # pages/bayside-cancer-observer-program.txt, the only card of its page.
    "bayside-medical",
    "/gme/cancer-center-observers/",
    "Cancer Center Observer Program",
    "observership",
)

# --- Night 2: the changes.
ELECTIVES_2 = replace(ELECTIVES, application_fee_usd=650)  # the fee table now says $650
EOP_2 = replace(EOP, program_name=EOP_NAME[2])  # same page, same facts, renamed heading
PRAIRIE_ELECTIVE_2 = replace(PRAIRIE_ELECTIVE, status="suspended")  # "suspended for the 2027-2028 academic year"

PROGRAMS: dict[int, tuple[Program, ...]] = {
    # What each night's pages show (a site that fails that night shows nothing).
    1: (
        ELECTIVES,
        EOP,
        EXTERNSHIP,
        CRITICAL_CARE,
        PRAIRIE_OBSERVERSHIP,
        PRAIRIE_ELECTIVE,
        PRAIRIE_GUIDE,
        GULF,
        MESA,
        BAYSIDE_COURSE,
        BAYSIDE_ROTATOR,
        BAYSIDE_THORACIC,
        BAYSIDE_CANCER,
    ),
    2: (
        # CRITICAL_CARE's page answers 404 and is unlinked; GULF times out; MESA answers 500.
        # Bayside's pages still show all four programs, in markup the configured selectors miss.
        ELECTIVES_2,
        EOP_2,
        EXTERNSHIP,
        PARTNER_ELECTIVES,
        PRAIRIE_OBSERVERSHIP,
        PRAIRIE_ELECTIVE_2,
        PRAIRIE_GUIDE,
        BAYSIDE_COURSE,
        BAYSIDE_ROTATOR,
        BAYSIDE_THORACIC,
        BAYSIDE_CANCER,
    ),
    3: (
        # The critical care page is back, Gulf and Mesa answer again with their night-1 pages.
        ELECTIVES_2,
        EOP_2,
        EXTERNSHIP,
        CRITICAL_CARE,
        PARTNER_ELECTIVES,
        PRAIRIE_OBSERVERSHIP,
        PRAIRIE_ELECTIVE_2,
        PRAIRIE_GUIDE,
        GULF,
        MESA,
        BAYSIDE_COURSE,
        BAYSIDE_ROTATOR,
        BAYSIDE_THORACIC,
        BAYSIDE_CANCER,
    ),
}

# Source-level facts of each night.
FAILED: dict[int, dict[str, str]] = {2: {"gulf-coast-com": "timeout", "high-mesa-som": "HTTP 500"}}
SUSPECT: dict[int, set[str]] = {2: {"bayside-medical"}, 3: {"bayside-medical"}}
DISALLOWED = {"lakeshore-som": "/internal/sponsored-observerships"}  # linked from /visiting/, robots says no
EXTERNAL = AAMC_VSLO  # linked from Lakeshore pages; never to be fetched
NON_PROGRAM_PAGES = {
    # Pages a crawl may fetch that describe no program.
    "lakeshore-som": ("/visiting/", "/news/2026/simulation-center-opens", "/contact/"),
    "bayside-medical": ("/gme/",),
}

EVENTS: dict[int, tuple[Event, ...]] = {
    # The events of each night's run, with `closure_grace_runs: 2` (the written config's).
    1: tuple(Event("new", p.source_id, p.program_name, p.path, why="the first run sees it") for p in PROGRAMS[1]),
    2: (
        Event(
            "new",
            "lakeshore-som",
            PARTNER_ELECTIVES.program_name,
            PARTNER_ELECTIVES.path,
            why="a new page, linked from the /visiting/ index",
        ),
        Event(
            "changed",
            "lakeshore-som",
            ELECTIVES.program_name,
            ELECTIVES.path,
            (("application_fee_usd", 600, 650),),
            why="the fee table's amount changed",
        ),
        Event(
            "changed",
            "lakeshore-som",
            EOP_2.program_name,
            EOP.path,
            (("program_name", EOP_NAME[1], EOP_NAME[2]),),
            why="the heading was renamed on the same page: changed, not closed + new",
        ),
        Event(
            "changed",
            "prairie-childrens",
            PRAIRIE_ELECTIVE.program_name,
            PRAIRIE_PAGE,
            (("status", "open", "suspended"),),
            why="its section now says applications are suspended",
        ),
        Event("source_failed", "gulf-coast-com", why="every request answers after slow_seconds, past the timeout"),
        Event("source_failed", "high-mesa-som", why="every path, robots.txt included, answers 500"),
        Event(
            "source_suspect",
            "bayside-medical",
            why="the configured program_block no longer matches: the cards' classes were renamed",
        ),
        # Not an event: CRITICAL_CARE is missing from one ok run only (closure needs 2).
        # Not events: failed and suspect sources keep their programs as they were.
    ),
    3: (
        Event("source_suspect", "bayside-medical", why="its layout still does not match the configured selectors"),
        # Not events: CRITICAL_CARE was never closed, so seeing it again is no change; Gulf and
        # Mesa answer the night-1 pages again (their programs were kept, nothing differs).
    ),
}

GRACE_1_EVENTS: dict[int, tuple[Event, ...]] = {
    # With `closure_grace_runs: 1`, the removed program closes at once and comes back reopened.
    2: (
        Event(
            "closed",
            "lakeshore-som",
            CRITICAL_CARE.program_name,
            CRITICAL_CARE.path,
            (("status", "open", "closed"),),
            why="its page answers 404 on a site that answers",
        ),
    ),
    3: (
        Event(
            "reopened",
            "lakeshore-som",
            CRITICAL_CARE.program_name,
            CRITICAL_CARE.path,
            (("status", "closed", "open"),),
            why="the same page is back with the same program",
        ),
    ),
}


def expected_events(night: int, closure_grace_runs: int = 2) -> tuple[Event, ...]:
    """The events of the night's run for a given grace (only 1 and 2 reach a closure in 3 nights)."""
    extra = GRACE_1_EVENTS.get(night, ()) if closure_grace_runs == 1 else ()
    return EVENTS[night] + extra


def programs(night: int, source_id: str) -> tuple[Program, ...]:
    return tuple(p for p in PROGRAMS[night] if p.source_id == source_id)


def program_pages(night: int, source_id: str) -> set[str]:
    """The paths of the source's pages that describe at least one program that night."""
    return {p.path for p in programs(night, source_id)}

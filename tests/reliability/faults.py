"""The fault matrix as data: each chaos site's one fault and what the pipeline must make of it.

One table feeds both the fault-matrix test (the verdict and events it expects, night by night) and
the README's fault table (`fault_table_markdown`), so the documented behaviour is the tested one.
Every fault starts on night 2; most end on night 3. `closure_grace_runs` is 1, so a fault that
were taken for a removal would close programs at once.

    python -m tests.reliability.faults   # rewrite the README's table from this data
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contract.readme import GeneratedSection

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = GeneratedSection("fault-table")
NIGHTS = (1, 2, 3)


@dataclass(frozen=True)
class Case:
    """One fixture site: its fault (a name chaos.py serves), and the expected outcome per night."""

    site: str  # source id, also the site's name in the chaos web
    fault: str  # kind of fault, implemented by tests.reliability.chaos
    what: str  # the fault in a few words, for the README
    programs: int  # programs the site lists on night 1
    verdicts: tuple[str, str, str]  # source verdict on nights 1, 2, 3
    events: tuple[tuple[str, ...], ...]  # this source's event types on nights 2 and 3 (night 1: `new` each)
    counters: dict[str, int] = field(default_factory=dict)  # status.json counters expected on night 2
    control: bool = False  # a healthy site, whose events prove the rest of the night went on


OK3 = ("ok", "ok", "ok")
FAILED2 = ("ok", "failed", "ok")
SUSPECT2 = ("ok", "suspect", "ok")
QUIET = ((), ())
FAILED_ALERT = (("source_failed",), ())
SUSPECT_ALERT = (("source_suspect",), ())

CASES: tuple[Case, ...] = (
    Case("steady-control", "none", "healthy control site", 2, OK3, QUIET, control=True),
    Case(
        "closing-control",
        "program-removed",
        "healthy control: one program removed from the index (its page 404) on night 2",
        3,
        OK3,
        (("closed",), ()),
        control=True,
    ),
    Case(
        "changing-control",
        "fee-changed",
        "healthy control: the application fee changes on night 2",
        1,
        OK3,
        (("changed",), ()),
        control=True,
    ),
    Case("server-error", "http-500", "every page answers 500", 2, FAILED2, FAILED_ALERT),
    Case(
        "rate-limited",
        "retry-after-429",
        "429 with Retry-After: 1, then 200 to a client that waited",
        2,
        OK3,
        QUIET,
    ),
    Case("unavailable", "retry-after-503", "every page answers 503 with Retry-After: 1", 2, FAILED2, FAILED_ALERT),
    Case("hanging", "hang", "every page hangs past the download timeout", 2, FAILED2, FAILED_ALERT),
    Case("dripping", "drip", "every page trickles in a few bytes at a time", 2, FAILED2, FAILED_ALERT),
    Case("resetting", "reset", "every connection is reset (TCP RST)", 2, FAILED2, FAILED_ALERT),
    Case("refusing", "refused", "the port is closed: connection refused", 2, FAILED2, FAILED_ALERT),
    Case("lapsed-domain", "dns", "the host name does not resolve", 2, FAILED2, FAILED_ALERT),
    Case("robots-closed", "robots-all", "robots.txt disallows everything", 2, FAILED2, FAILED_ALERT),
    Case(
        "robots-one-page",
        "robots-page",
        "robots.txt newly disallows one program page",
        2,
        OK3,
        QUIET,
        counters={"robots_refused": 1},
    ),
    Case("empty-answers", "empty-200", "every page answers 200 with an empty body", 2, FAILED2, FAILED_ALERT),
    Case("redirect-loop", "redirect-loop", "every page redirects in a loop", 2, FAILED2, FAILED_ALERT),
    Case(
        "offsite-redirect",
        "offsite-redirect",
        "a program page redirects to another host, not the source's",
        2,
        OK3,
        QUIET,
        counters={"offsite_dropped": 1},
    ),
    Case("soft-404-small", "soft-404", "1-program site: 200 'Page not found' everywhere", 1, SUSPECT2, SUSPECT_ALERT),
    Case("soft-404-large", "soft-404", "4-program site: 200 'Page not found' everywhere", 4, SUSPECT2, SUSPECT_ALERT),
    Case("login-wall", "login-wall", "1-program site: 200 with a login form on every page", 1, SUSPECT2, SUSPECT_ALERT),
    Case("new-layout", "layout-change", "the same facts in different markup (from night 2 on)", 2, OK3, QUIET),
    Case("huge-page", "huge-page", "a program page larger than max_page_bytes", 2, FAILED2, FAILED_ALERT),
    Case("gzip-bomb", "gzip-bomb", "a gzip-encoded page inflating past max_page_bytes", 2, FAILED2, FAILED_ALERT),
    Case(
        "truncated-page",
        "truncated",
        "a program page cut off mid-element (200, Content-Length matching)",
        2,
        SUSPECT2,
        SUSPECT_ALERT,
        counters={"pages_incomplete": 1},
    ),
    Case(
        "charset-in-header",
        "mojibake-header",
        "UTF-8 declared only in the HTTP header (no `<meta charset>`)",
        2,
        OK3,
        QUIET,
    ),
    Case("cp1252-page", "mojibake-cp1252", "a page in cp1252 with no charset anywhere", 2, OK3, QUIET),
)


def night_events(case: Case, night: int) -> list[str]:
    """The sorted event types this case's source must record on `night`."""
    if night == 1:
        return ["new"] * case.programs
    return sorted(case.events[night - 2])


def fault_table_markdown() -> str:
    """The README's fault table: fault → verdict → events, generated from CASES."""
    lines = [
        "| site | fault (from night 2) | programs | night 2 verdict | night 2 events | night 3 verdict "
        "| night 3 events |",
        "|---|---|---|---|---|---|---|",
    ]
    for case in CASES:
        events = [", ".join(f"`{e}`" for e in night_events(case, night)) or "none" for night in (2, 3)]
        lines.append(
            f"| {case.site} | {case.what} | {case.programs} | {case.verdicts[1]} | {events[0]} "
            f"| {case.verdicts[2]} | {events[1]} |"
        )
    return "\n".join(lines)


def readme_section(text: str) -> str | None:
    """The generated part of the README, or None without its markers."""
    return SECTION.read(text)


def write_readme() -> None:
    """Replace the README's generated section with what the code says now."""
    SECTION.write(README, fault_table_markdown())


if __name__ == "__main__":
    write_readme()

"""The hub: a static site of self-contained pages (no CDN, nothing fetched, works from file://).

- `index.html`: every current program as a card (status and when it was verified first), filters with
  counts, kept in the URL's fragment so a link (even a file:// one) restores them. The cards travel as
  compact JSON inside the page (`packing`; escaped by Jinja's `tojson`, so scraped text cannot close
  the script block) and hub.js renders them; every value opens to the sentence it came from and the
  source page. The sentences, the bulk of the page, come in a second block after the script, so the
  first cards are drawn before the browser has read them.
- `programs/<program_id>.html`: one program, every field with its evidence, and its history. Its bytes
  change only when what it states changes, so an unchanged night writes none (`pages`); the night's
  "verified on DATE" comes from `checks.js`, the one small file beside the index every page reads.
- `changes.html`: what changed in the last 30 days.

Filters keep only programs whose page states a matching value; a program whose page is silent is
hidden by an active filter unless the reader ticks "also show not stated", because a guessed match
would send an IMG to the wrong program. An unstated fee is unknown, never $0.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from contract.files import write_atomic
from flows.publish import cards, checks, describe, packing, pages, words
from flows.publish.checks import CHECKS_FILE
from flows.publish.values import http_url, to_utc
from warehouse.history import History

TEMPLATES = Path(__file__).parent / "templates"
CHANGES_DAYS = 30
FIRST_SCREEN = 50  # cards drawn at once, and each "Show more"
CHANGES_PAGE = "changes.html"
STYLE_FILE = "hub.css"  # the program and changes pages share it (10,000 program pages need no 10,000 copies)
PROGRAMS_DIR = cards.PROGRAMS


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"separators": (",", ":"), "ensure_ascii": False}
    env.globals["style"] = Markup((TEMPLATES / STYLE_FILE).read_text())
    env.globals["style_file"] = STYLE_FILE
    env.globals["say"] = words.EVIDENCE
    env.globals["checks_file"] = CHECKS_FILE
    env.globals["checked_script"] = Markup((TEMPLATES / "checked.js").read_text())
    return env


def _day(value: Any) -> str:
    return cards.day(value) or ""


def _kind(event: dict[str, Any]) -> dict[str, str]:
    kind = words.event_kind(event)
    return {"kind": kind, "what": words.EVENTS.get(kind, kind)}


def _changes(events: list[dict], generated_at: datetime) -> list[dict[str, Any]]:
    """Program events of the last CHANGES_DAYS days, newest first, in words."""
    since = to_utc(generated_at) - timedelta(days=CHANGES_DAYS)
    recent = [
        (when, event)
        for event in events
        if event.get("event_type") in describe.PROGRAM_EVENTS
        and (when := to_utc(event.get("occurred_at"))) is not None
        and when >= since
    ]
    recent.sort(key=lambda pair: pair[0], reverse=True)
    return [
        {
            "when": when.strftime("%Y-%m-%d"),
            **_kind(event),
            "subject": describe.subject(event),
            "page": f"{PROGRAMS_DIR}/{cards.page_name(event['program_id'])}" if event.get("program_id") else None,
            "lines": describe.change_lines(event),
        }
        for when, event in recent
    ]


def _history(program_id: str, history: History) -> dict[str, list[dict[str, Any]]]:
    """The program's events (newest first) and versions (oldest first), in words."""
    events = [
        {
            "when": _day(e.get("occurred_at")),
            **_kind(e),
            "lines": describe.change_lines(e),
        }
        for e in reversed(history.events.get(program_id, []))
    ]
    versions = [
        {
            "start": _day(v.get("valid_from")),
            "end": _day(v.get("valid_to")) or "now",
            "presence": words.PRESENCE.get(v.get("presence") or "", v.get("presence") or ""),
            "status": cards.status_word(v),
            "cost": words.total_cost(v),
        }
        for v in history.versions.get(program_id, [])
    ]
    return {"events": events, "versions": versions}


def render_program(program: dict[str, Any], history: History, env: Environment, line: cards.PageLine, key: str) -> str:
    """The program's page: the same bytes every night until what it states changes (no time of
    publishing; checks.js adds the night's "verified on DATE" in the browser)."""
    return env.get_template("program.html.j2").render(
        inputs=key,
        program=program,
        status=cards.status_word(program),
        status_key=program.get("status") or "unknown",
        line=line,
        facts=cards.facts(program, cards.PAGE_FACTS),
        cost=cards.facts(program, cards.CARD_FACTS[3:4])[0],
        source=http_url(program.get("source_url")),
        application=http_url(program.get("application_url")),
        history=_history(program["program_id"], history),
    )


def write_programs(programs: list[dict], history: History, env: Environment, folder: Path) -> None:
    """Render and write the pages of the programs whose inputs changed since their page was written
    (`pages.key`): an unchanged night renders and writes none."""
    for program in programs:
        versions = history.versions.get(program["program_id"]) or [{}]
        source = history.sources.get(program.get("source_id") or "")
        line = cards.page_line(program, source, versions[-1].get("valid_from"))
        key = pages.key(program, line, history)
        path = folder / cards.page_name(program["program_id"])
        if pages.key_on_disk(path) != key:
            write_atomic(path, render_program(program, history, env, line, key))


def render_hub(
    programs: list[dict], events: list[dict], *, generated_at: datetime, history: History, env: Environment
) -> dict[str, str]:
    """The pages and files of the hub written every night, by their path relative to the exports
    folder: the index, the changes page, the style and checks.js."""
    stamp = to_utc(generated_at).strftime("%Y-%m-%d %H:%M UTC")
    current = [p for p in programs if p.get("presence") != "closed"]
    shown = [cards.card(p, history.sources.get(p.get("source_id") or "")) for p in current]
    sentences = [{"ev": card.pop("ev")} for card in shown]  # after the page's script: read once it has drawn
    meta = {
        "labels": [f.label for f in cards.CARD_FACTS],
        "say": words.EVIDENCE,
        "folder": PROGRAMS_DIR,  # a card without `href` links to `folder/<id>.html`
        "page": FIRST_SCREEN,
    }
    data = {**meta, **packing.pack(shown)}
    changes = _changes(events, generated_at)
    return {
        STYLE_FILE: str(env.globals["style"]),
        CHANGES_PAGE: env.get_template("changes.html.j2").render(
            changes=changes, changes_days=CHANGES_DAYS, generated_at=stamp
        ),
        CHECKS_FILE: checks.script(checks.checks(programs, history.sources)),
        "index.html": env.get_template("hub.html.j2").render(
            first={**meta, **packing.pack(shown[:FIRST_SCREEN])},  # drawn before `data` is even parsed
            data=data,
            evidence=packing.pack(sentences),
            programs=len(current),
            changes=len(changes),
            changes_days=CHANGES_DAYS,
            generated_at=stamp,
            script=Markup((TEMPLATES / "hub.js").read_text()),
        ),
    }


def write_hub(
    programs: list[dict],
    events: list[dict],
    out_path: Path,
    *,
    generated_at: datetime,
    history: History | None = None,
) -> Path:
    """Write the hub beside `out_path` (the index), each file atomically; return the index's path.
    Programs no longer listed by their source (presence closed) leave the index but keep their page.
    The order keeps every state in between true: the program pages before checks.js (which would
    vouch for their facts), the index last (it never links a page not yet written)."""
    out_path = Path(out_path)
    history = history or History()
    env = _environment()
    nightly = render_hub(programs, events, generated_at=generated_at, history=history, env=env)
    index, checked = nightly.pop("index.html"), nightly.pop(CHECKS_FILE)
    for relative, text in nightly.items():
        write_atomic(out_path.parent / relative, text)
    write_programs(programs, history, env, out_path.parent / PROGRAMS_DIR)
    write_atomic(out_path.parent / CHECKS_FILE, checked)
    return write_atomic(out_path, index)


def hub_temporaries(exports: Path) -> list[Path]:
    """What a killed write of the changes page or the program pages left half-written: the
    temporaries `contract.files` names `.<page>.<anything>` beside them."""
    found = [
        p for name in (CHANGES_PAGE, STYLE_FILE, CHECKS_FILE) for p in Path(exports).glob(f".{name}.*") if p.is_file()
    ]
    programs = Path(exports) / PROGRAMS_DIR
    return found + [p for p in programs.glob(".*.html.*") if p.is_file()] if programs.is_dir() else found

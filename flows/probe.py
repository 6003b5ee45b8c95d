"""`clerkships probe URL`: what the crawler follows and extracts on a site not configured yet, and the
sources.yaml block that adds it.

The real spider crawls the site in its child process (`crawlers.run.crawl`) from a one-source config
written to a temporary folder, with the site's sitemaps read too (`follow.sitemap`) and every response
saved (`crawlers.capture`); the probe then reads that run's staging: the page manifest, the records,
and the saved responses for each page's title, the link texts that led to it and its program words.
Nothing is fetched twice and nothing outside the URL's hosts is fetched at all.
"""

from __future__ import annotations

import ipaddress
import json
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from rich.text import Text

from contract.identity import site_host
from contract.record import ProgramRecord
from crawlers.addresses import private_reason
from crawlers.config import Config, ConfigError, Follow, Source, http_url, load_config
from flows.terminal import one_line

if TYPE_CHECKING:
    from scrapy.http import Response

LINE = 200  # characters of scraped text in a YAML comment
PLACEHOLDER = ""  # what the block says where the maintainer must fill in: `validate` refuses it
INSTITUTION_WORDS = re.compile(
    r"\b(?:university|college|school|hospital|medical|medicine|clinic|health|institute|cent(?:er|re)|system)\b", re.I
)
TITLE_PARTS = re.compile(r"\s*[|»·]\s*|\s+[-–—]+\s+|:\s+")  # `Electives | School`, `Electives – School`


@dataclass
class Page:
    """One page the probe's crawl asked for: how it was reached, its program words and its records."""

    url: str
    status: int | None
    error: str | None
    via: Literal["start", "link", "sitemap"]
    title: str = ""
    link_texts: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # program words of its link texts, URL, title and text
    records: list[ProgramRecord] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.terms)


@dataclass
class Probe:
    url: str
    source: Source
    pages: list[Page]
    error: str | None = None  # why the crawl failed as a whole

    @property
    def program_pages(self) -> list[Page]:
        return [page for page in self.pages if page.records]


class Render(StrEnum):
    static = "static"
    js = "js"


class ProbeError(Exception):
    """A URL the probe refuses, or a config it cannot use: one line."""


def probe_source(
    url: str,
    depth: int,
    render: Literal["static", "js"],
    max_pages: int,
    allow_private: bool,
    wait_for: str | None = None,
) -> Source:
    """The probe's own source: the URL's hosts, its sitemaps read; its institution, city and state are
    stand-ins, since its records never leave the probe."""
    try:
        url = http_url(url)
    except ValueError as exc:
        raise ProbeError(str(exc)) from None
    reason = private_reason(urlsplit(url).hostname or "")
    if reason and not allow_private:
        raise ProbeError(f"{url!r} is {reason}; pass --allow-private to probe it")
    try:
        return Source(
            id=host_slug(url),
            institution=site_host(url),
            city="probe",
            state="DC",
            start_urls=[url],
            allow_private=allow_private,
            render=render,
            wait_for=wait_for,
            follow=Follow(max_depth=depth, max_pages=max_pages, sitemap=True),
        )
    except ValidationError as exc:
        raise ProbeError(f"{url!r}: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None


def host_slug(url: str) -> str:
    """`https://www.med.example.edu/x` → `med-example`: the host without `www.` and its top-level domain."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.split(".")
        host = ".".join(labels[:-1] if len(labels) > 1 else labels)
    return "-".join(re.findall(r"[a-z0-9]+", host)) or "source"


def run_probe(config: Config, source: Source, workdir: Path) -> Probe:
    """Crawl the source with the config's settings (user agent, politeness) and read what it found."""
    from crawlers.capture import SETTING
    from crawlers.run import crawl, new_run_id

    config_path = workdir / "probe.yaml"
    document = {
        "settings": config.settings.model_dump(mode="json"),
        "sources": [source.model_dump(mode="json", exclude_none=True)],
    }
    config_path.write_text(json.dumps(document, indent=1), encoding="utf-8")  # JSON is YAML
    run_dir, captured = workdir / "runs" / new_run_id(), workdir / "captured"
    status = crawl(config_path, run_dir, [source.id], settings={SETTING: str(captured)})
    outcome = status.get("sources", {}).get(source.id, {})
    pages = read_pages(source, run_dir, captured / source.id)
    return Probe(source.start_urls[0], source, pages, outcome.get("error") if outcome.get("failed") else None)


def read_pages(source: Source, run_dir: Path, captured: Path) -> list[Page]:
    """The run's pages with their records, link texts, titles and program words, best first."""
    from scrapy.http import TextResponse

    from contract.identity import canonical_url
    from contract.run_folder import PageEntry, RunFolder
    from crawlers.links import EXTRACTOR, program_pattern, words

    folder = RunFolder(run_dir)
    entries = [
        PageEntry(**json.loads(line))
        for manifest in folder.page_manifests()
        for line in manifest.read_text(encoding="utf-8").splitlines()
    ]
    records: dict[str, list[ProgramRecord]] = defaultdict(list)
    staged = folder.records(source.id)
    for line in staged.read_text(encoding="utf-8").splitlines() if staged.exists() else []:
        record = ProgramRecord.model_validate_json(line)
        records[record.source_url].append(record)
    responses = saved_responses(captured)
    link_texts: dict[str, set[str]] = defaultdict(set)
    for fetched in responses.values():
        if isinstance(fetched, TextResponse):
            for link in EXTRACTOR.extract_links(fetched):
                link_texts[canonical_url(link.url)].add(" ".join(link.text.split()))
    pattern, start = program_pattern(source), canonical_url(source.start_urls[0])
    pages = []
    for entry in entries:
        response = responses.get(entry.source_url)
        title, text = page_words(response) if response is not None and entry.status == 200 else ("", "")
        texts = sorted(t for t in link_texts.get(entry.key, ()) if t)
        via: Literal["start", "link", "sitemap"] = (
            "start" if entry.key == start else "link" if entry.key in link_texts else "sitemap"
        )
        seen = " ".join([*texts, urlsplit(entry.source_url).path, urlsplit(entry.source_url).query, title, text])
        terms = sorted(set(pattern.findall(words(seen))))
        page = Page(entry.source_url, entry.status, entry.error, via, title, texts, terms, records[entry.source_url])
        pages.append(page)
    return sorted(pages, key=lambda p: (-len(p.records), -p.score, p.url))


def saved_responses(captured: Path) -> dict[str, Response]:
    """The crawl's saved responses as Scrapy responses, by URL (none when nothing was fetched)."""
    from crawlers.capture import Capture, as_response

    if not captured.is_dir():
        return {}
    capture = Capture.read(captured)
    return {saved.url: as_response(saved, capture.body(saved)) for saved in capture.responses}


def page_words(response: Response) -> tuple[str, str]:
    """A page's title and its readable text, as extraction reads it (HTML, PDF or plain text)."""
    from scrapy.http import HtmlResponse

    from crawlers.extract import ExtractError
    from crawlers.extract.document import load_document

    title = ""
    if isinstance(response, HtmlResponse):
        title = response.css("title::text").get() or response.css("h1 ::text").get() or ""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
    try:
        text = load_document(response.body, content_type).text
    except ExtractError:
        text = ""
    return one_line(title, LINE), text


def institution_from_titles(titles: list[str]) -> str:
    """The part of the pages' titles that names the site: the one most titles share (`Electives |
    Lakeshore University`), preferring parts that sound like an institution; "" when none does."""
    counts: Counter[str] = Counter()
    for title in titles:
        counts.update({part.strip() for part in TITLE_PARTS.split(title) if part.strip()})
    ranked = sorted(counts, key=lambda part: (counts[part], bool(INSTITUTION_WORDS.search(part))), reverse=True)
    for part in ranked:
        if counts[part] > 1 or INSTITUTION_WORDS.search(part):
            return part
    return PLACEHOLDER


def sources_block(probe: Probe, institution: str | None, city: str | None, state: str | None) -> str:
    """The sources.yaml entry for the probed site, to paste under `sources:`: its start URLs are the
    pages that yielded programs, each with a comment saying what it is. Values are JSON strings (valid
    YAML, escaped), comments are kept to one line (scraped titles among them), and what the probe cannot know
    is left empty with a FILL IN comment, so `clerkships validate` refuses the block until it is filled."""
    pages = probe.program_pages
    named = institution or institution_from_titles([p.title for p in probe.pages if p.title])
    lines = [
        f"  # probed from {one_line(probe.url, 500)} by `clerkships probe`",
        f"  - id: {probe.source.id}  # from the host; any unique slug",
        f"    institution: {json.dumps(named)}" + ("" if institution else filled_in(named, "from the pages' titles")),
        f"    city: {json.dumps(city or PLACEHOLDER)}" + ("" if city else "  # FILL IN: the program's city"),
        f"    state: {json.dumps(state or PLACEHOLDER)}" + ("" if state else "  # FILL IN: its 2-letter state code"),
        "    start_urls:",
        *(f"      - {json.dumps(page.url)}  # {describe(page, named)}" for page in pages),
    ]
    hosts = sorted({site_host(page.url) for page in pages})
    if hosts != probe.source.hosts:
        lines.append(f"    allowed_hosts: {json.dumps(probe.source.hosts)}  # the probe's hosts")
    if probe.source.render == "js":
        lines.append("    render: js")
    if probe.source.wait_for:
        lines.append(f"    wait_for: {json.dumps(probe.source.wait_for)}")
    return "\n".join(lines) + "\n"


def filled_in(value: str, origin: str) -> str:
    return f"  # {origin}: check it" if value else "  # FILL IN: as the institution names itself"


def describe(page: Page, institution: str) -> str:
    """`International Clinical Electives: 1 program (elective)`: its title without the site's name."""
    parts = [part for part in TITLE_PARTS.split(page.title) if part.strip() and part.strip() != institution]
    kinds = ", ".join(sorted({record.program_type for record in page.records}))
    count = len(page.records)
    return one_line(f"{' | '.join(parts) or page.url}: {count} program{'s' if count > 1 else ''} ({kinds})", LINE)


def pages_table(probe: Probe) -> Table:
    table = Table(title=Text(f"Candidate program pages from {probe.url}"))
    for column in ("#", "score", "programs", "status", "via", "page", "program words"):
        table.add_column(column)
    for number, page in enumerate(probe.pages, 1):
        status = str(page.status) if page.status else page.error or ""
        cells = (str(number), str(page.score), str(len(page.records)), status, page.via, page.url)
        table.add_row(*map(Text, (*cells, ", ".join(page.terms))))
    return table


def records_table(probe: Probe) -> Table:
    table = Table(title=Text("Programs found"))
    for column in ("#", "program", "type", "audience", "international", "status", "weeks", "fees", "deadline"):
        table.add_column(column)
    for number, page in enumerate(probe.pages, 1):
        for r in page.records:
            cells = (
                str(number),
                r.program_name or "",
                r.program_type,
                r.audience,
                r.accepts_international,
                r.status,
                weeks(r.duration_weeks_min, r.duration_weeks_max),
                fees(r),
                r.deadline_text or (r.next_deadline.isoformat() if r.next_deadline else ""),
            )
            table.add_row(*map(Text, cells))
    return table


def weeks(low: float | None, high: float | None) -> str:
    shown = [f"{value:g}" for value in dict.fromkeys((low, high)) if value is not None]
    return "–".join(shown)


def fees(record: ProgramRecord) -> str:
    parts = []
    if record.application_fee_usd is not None:
        parts.append(f"application ${record.application_fee_usd:,.0f}")
    if record.program_fee_usd is not None:
        unit = f" {record.program_fee_unit.replace('_', ' ')}" if record.program_fee_unit else ""
        parts.append(f"program ${record.program_fee_usd:,.0f}{unit}")
    return "; ".join(parts)


def probe_command(
    url: str = typer.Argument(..., help="A page of the site: its home page or a page about visiting students."),
    depth: int = typer.Option(2, "--depth", min=0, max=6, help="Links followed away from URL."),
    render: Render = typer.Option(Render.static, "--render", help="`js` renders pages in Chromium first."),
    wait_for: str | None = typer.Option(None, "--wait-for", help="With --render js, a CSS selector to wait for."),
    max_pages: int = typer.Option(40, "--max-pages", min=1, max=2000, help="Pages fetched, at most."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow a loopback or private address."),
    institution: str | None = typer.Option(None, "--institution", help="The block's institution."),
    city: str | None = typer.Option(None, "--city", help="The block's city."),
    state: str | None = typer.Option(None, "--state", help="The block's 2-letter state code."),
    config: Path = typer.Option(Path("config/sources.yaml"), "--config", help="Its settings: user agent, politeness."),
) -> None:
    """Crawl one site politely as the nightly crawl would (robots.txt, sitemaps, program links) and print
    its candidate program pages, the programs each yields and a sources.yaml block to paste."""
    if wait_for and render != Render.js:
        fail("--wait-for needs --render js")
    try:
        cfg = load_config(config)
        source = probe_source(url, depth, render.value, max_pages, allow_private, wait_for)
    except ConfigError as exc:
        fail(*exc.lines)
    except ProbeError as exc:
        fail(str(exc))
    typer.echo(f"probing {source.start_urls[0]} (depth {depth}, at most {max_pages} pages)…", err=True)
    with tempfile.TemporaryDirectory(prefix="clerkships-probe-") as workdir:
        probe = run_probe(cfg, source, Path(workdir))
    if probe.error:
        fail(f"{probe.url}: the crawl failed: {probe.error}")
    console = Console()
    console.print(pages_table(probe))
    if not probe.program_pages:
        hint = "try --depth, or --render js with --wait-for"
        fail(f"{probe.url}: no page yielded a program; no sources.yaml block ({hint})")
    console.print(records_table(probe))
    typer.echo("\n# sources.yaml block (paste under `sources:`, fill in what it asks):")
    typer.echo(sources_block(probe, institution, city, state), nl=False)


def fail(*lines: str) -> None:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(1)

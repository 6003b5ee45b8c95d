"""`clerkships probe URL`: a real crawl (child Scrapy process, loopback HTTP) of a site not configured
yet finds its program pages, and the sources.yaml block it prints, pasted into a config, validates
(once filled in) and crawls to the same programs."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from contract.record import ProgramRecord
from crawlers.run import crawl, new_run_id
from demo.web import FixtureWeb
from flows.probe import Page, Probe, probe_source, sources_block
from tests.crawl.site import Site, html, observership, source
from tests.crawl.site import write_config as site_config
from tests.flows.clerkships_cli import clerkships

BLOCK_MARK = "# sources.yaml block"
SETTINGS = 'settings:\n  user_agent: "clerkships-test/0.1 (+https://example.org/test)"\n'


def probed(*args: str) -> tuple[str, str]:
    """Run `clerkships probe ...`; its stdout split at the block's header: (tables, block)."""
    shown = clerkships("probe", *args)
    assert shown.returncode == 0, shown.stderr
    tables, mark, block = shown.stdout.partition(BLOCK_MARK)
    assert mark, shown.stdout
    return tables, block.split("\n", 1)[1]


def staged(run_dir: Path, source_id: str) -> set[tuple[str, str | None]]:
    lines = (run_dir / f"{source_id}.jsonl").read_text(encoding="utf-8").splitlines()
    return {(r.source_url, r.program_name) for r in map(ProgramRecord.model_validate_json, lines)}


def block_urls(block: str) -> list[str]:
    return re.findall(r'^      - "([^"]+)"  # ', block, re.M)


def test_probe_finds_every_program_page_and_its_block_crawls_to_the_same_programs(
    fixture_web: FixtureWeb, fixture_config: Path, tmp_path: Path
) -> None:
    # The oracle: the demo config's own crawl of the site (from its curated start page).
    demo_run = tmp_path / "demo" / new_run_id()
    crawl(fixture_config, demo_run, ["lakeshore-som"])
    expected = staged(demo_run, "lakeshore-som")
    # night 1: the electives, the graduate externship, the enhanced and the critical care observerships
    assert len({url for url, _ in expected}) == 4

    # The probe starts from the home page, as a maintainer would.
    tables, block = probed(fixture_web.url("lakeshore-som", "/"), "--allow-private", "--config", str(fixture_config))
    assert set(block_urls(block)) == {url for url, _ in expected}
    for _, name in expected:
        assert name is not None and name in tables
    assert "refused by robots.txt" in tables  # the disallowed faculty page is shown as not fetched
    assert "Lakeshore University School of Medicine" in block

    # Pasted as it is, the block is refused until its placeholders are filled in, naming each.
    config = tmp_path / "sources.yaml"
    config.write_text(SETTINGS + "sources:\n" + block + "    allow_private: true\n", encoding="utf-8")
    refused = clerkships("validate", "--config", str(config))
    assert refused.returncode == 1
    assert re.search(r"sources\.yaml:\d+: sources\[0\]\.city: ", refused.stderr), refused.stderr
    assert re.search(r"sources\.yaml:\d+: sources\[0\]\.state: ", refused.stderr), refused.stderr

    filled = block.replace('city: ""', 'city: "Chicago"').replace('state: ""', "state: IL")
    config.write_text(SETTINGS + "sources:\n" + filled + "    allow_private: true\n", encoding="utf-8")
    valid = clerkships("validate", "--config", str(config))
    assert valid.returncode == 0, valid.stderr
    found = re.search(r"- id: (\S+)", block)
    assert found, block
    source_id = found.group(1)
    run_dir = tmp_path / "pasted" / new_run_id()
    status = crawl(config, run_dir, [source_id])
    assert not status["sources"][source_id]["failed"]
    assert staged(run_dir, source_id) == expected


def test_probe_renders_javascript_pages_when_asked(fixture_web: FixtureWeb, fixture_config: Path) -> None:
    """The Gulf Coast site draws its programs with JavaScript: rendered, the probe finds them, and its
    block says how the crawl must read the page."""
    page = fixture_web.url("gulf-coast-com")
    home = fixture_web.url("gulf-coast-com", "/")
    args = (home, "--allow-private", "--config", str(fixture_config), "--render", "js")
    tables, block = probed(*args, "--wait-for", "#programs .program")
    assert block_urls(block) == [page]
    assert "Global Observership Program" in tables
    entry = YAML(typ="safe").load(block)[0]
    assert (entry["render"], entry["wait_for"]) == ("js", "#programs .program")


@pytest.fixture
def harbor() -> Iterator[tuple[Site, list[tuple[str, str, int]]]]:
    """A site whose program page is linked from nowhere: only its sitemap (named in robots.txt, an
    index naming a gzipped urlset) lists it, beside a news page, a disallowed page and another host's."""
    log: list[tuple[str, str, int]] = []
    site = Site("127.0.0.31", log)
    urlset = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.base}/</loc></url>"
        f"<url><loc>{site.base}/education/visiting-observership</loc></url>"
        f"<url><loc>{site.base}/news/gala</loc></url>"
        f"<url><loc>{site.base}/private/observership-for-staff</loc></url>"
        "<url><loc>http://127.0.0.32:9/international/electives</loc></url>"
        "</urlset>"
    )
    index = (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/maps/pages.xml.gz</loc></sitemap></sitemapindex>"
    )
    site.pages.update(
        {
            "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\nSitemap: /maps/index.xml\n"),
            "/maps/index.xml": ("application/xml", index.encode()),
            "/maps/pages.xml.gz": ("application/gzip", gzip.compress(urlset.encode())),
            "/": html("Welcome | Harbor Point College of Medicine", "<p>Welcome to our campus.</p>"),
            "/education/visiting-observership": html(
                "[bold]Harbor[/bold] Observership | Harbor Point College of Medicine",
                observership("[red]Harbor[/red] Observership", 4),
            ),
            "/news/gala": html("Gala | Harbor Point College of Medicine", "<p>Our annual gala.</p>"),
            "/private/observership-for-staff": html("Staff", observership("Staff Observership", 2)),
        }
    )
    yield site, log
    site.close()


def test_probe_reads_the_sitemap_named_in_robots_txt(harbor: tuple[Site, list], tmp_path: Path) -> None:
    site, log = harbor
    config = site_config(tmp_path / "sources.yaml", [source("elsewhere", ["http://127.0.0.34/visiting"])])
    tables, block = probed(f"{site.base}/", "--allow-private", "--config", str(config), "--city", "Tampa")
    page = f"{site.base}/education/visiting-observership"
    assert block_urls(block) == [page]
    row = next(line for line in tables.splitlines() if page in line)
    assert "sitemap" in row and "│ 1 " in row  # reached through the sitemap; one program
    assert "[bold]Harbor[/bold] Observership" in block  # scraped text shown as it is, never as markup
    assert "[red]Harbor[/red] Observership" in tables
    assert 'city: "Tampa"' in block and "Harbor Point College of Medicine" in block
    fetched = {path for _, path, _ in log}
    assert {"/maps/index.xml", "/maps/pages.xml.gz", "/education/visiting-observership"} <= fetched
    assert "/news/gala" not in fetched  # not a program page: not fetched
    assert "/private/observership-for-staff" not in fetched  # robots.txt obeyed


def test_probe_refuses_a_private_address_unless_allowed(tmp_path: Path) -> None:
    log: list[tuple[str, str, int]] = []
    site = Site("127.0.0.33", log)
    try:
        config = site_config(tmp_path / "sources.yaml", [source("elsewhere", ["http://127.0.0.34/visiting"])])
        refused = clerkships("probe", f"{site.base}/visiting", "--config", str(config))
    finally:
        site.close()
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        f"'{site.base}/visiting' is a loopback address; pass --allow-private to probe it"
    )
    assert log == []


def test_the_block_keeps_scraped_titles_in_one_line_comments() -> None:
    """A title is scraped text: a line break in it must not end its comment and add keys to the block."""
    source = probe_source("https://www.med.example.edu/visiting", 2, "static", 40, allow_private=False)
    assert source.id == "med-example"
    record = ProgramRecord(
        program_id="x", source_id=source.id, institution="x", source_url=source.start_urls[0],
        page_sha256="", fetched_at="", program_type="elective",
    )  # fmt: skip
    title = 'Electives\n    allow_private: true\n  - id: evil | "Med" University'
    page = Page(source.start_urls[0], 200, None, "start", title, records=[record])
    block = sources_block(Probe(source.start_urls[0], source, [page]), None, "Boston", "MA")
    entry = YAML(typ="safe").load(block)[0]
    assert set(entry) == {"id", "institution", "city", "state", "start_urls"}
    assert entry["start_urls"] == ["https://www.med.example.edu/visiting"]
    assert entry["institution"] == '"Med" University'

"""The real config's coverage: at least 200 institutions, each URL explained, no aggregator, and the
README's table by state generated from it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from ruamel.yaml import YAML

from crawlers.config import US_STATES, load_config
from crawlers.coverage import CONFIG, README, STATE_NAMES, by_state, coverage_markdown, readme_section, write_readme

# Listings of many institutions' programs, paid placement, and third-party copies: never a source.
NOT_A_SOURCE = (
    "uscehub.com", "amopportunities.org", "aamc.org", "vslo.org", "residencyadvisor.com", "pastebin.com",
    "scribd.com", "docslib.org", "docsbay.net", "unmatchedmd.com", "jotform.com", "github.com",
)  # fmt: skip


def write_config(path: Path, sources: str) -> Path:
    path.write_text(
        'settings:\n  user_agent: "clerkships-test (+https://example.org)"\nsources:\n' + sources, encoding="utf-8"
    )
    return path


def source(sid: str, institution: str, state: str, extra: str = "") -> str:
    return (
        f"  - id: {sid}\n    institution: {institution!r}\n    city: Town\n    state: {state}\n"
        f"    start_urls: [https://{sid}.example.org/visiting]\n{extra}"
    )


def test_readme_coverage_table_is_generated_from_the_config() -> None:
    section = readme_section(README.read_text(encoding="utf-8"))
    assert section is not None, "README lacks the coverage-table markers"
    assert section == coverage_markdown(load_config(CONFIG)).strip(), "run: uv run python -m crawlers.coverage"


def test_one_source_per_institution_or_campus_across_the_states() -> None:
    config = load_config(CONFIG)
    places = [(s.institution, s.campus) for s in config.sources]
    assert len(set(places)) == len(places), "one source per institution or campus"
    assert len(places) >= 200
    assert len({s.state for s in config.sources}) >= 48


def test_every_start_url_says_what_the_page_is() -> None:
    data = YAML(typ="rt").load(CONFIG.read_text(encoding="utf-8"))
    unexplained = []
    for entry in data["sources"]:
        urls = entry["start_urls"]
        for index, url in enumerate(urls):
            comment = urls.ca.items.get(index)
            text = comment[0].value.strip().lstrip("#").strip() if comment and comment[0] else ""
            if len(text) < 5:
                unexplained.append(f"{entry['id']}: {url}")
    assert not unexplained, "start URLs without a comment saying what the page is:\n" + "\n".join(unexplained)


def test_every_source_has_notes_and_provenance() -> None:
    config = load_config(CONFIG)
    assert [s.id for s in config.sources if not (s.notes and s.found_at)] == []


def test_no_source_is_an_aggregator_or_a_third_party_copy() -> None:
    config = load_config(CONFIG)
    bad = [
        url
        for s in config.sources
        for url in s.start_urls
        if any((urlsplit(url).hostname or "").endswith(host) for host in NOT_A_SOURCE)
    ]
    assert bad == []
    assert not any(s.allow_private for s in config.sources), "the real config crawls public hosts only"


def test_table_counts_each_institution_once_and_lists_the_gaps(tmp_path: Path) -> None:
    config = load_config(
        write_config(
            tmp_path / "sources.yaml",
            source("lake-north", "Lake College", "MN", "    campus: North\n")
            + source("lake-south", "Lake College", "MN", "    campus: South\n")
            + source("prairie", "Prairie Hospital", "NE")
            + source("old-prairie", "Prairie Hospital (old)", "NE", "    enabled: false\n"),
        )
    )
    assert by_state(config) == {"MN": ["Lake College (North)", "Lake College (South)"], "NE": ["Prairie Hospital"]}
    table = coverage_markdown(config)
    assert "| Minnesota (MN) | 2 | Lake College (North); Lake College (South) |" in table
    assert "| Nebraska (NE) | 1 | Prairie Hospital |" in table
    assert "old" not in table, "a disabled source is not coverage"
    assert "3 institutions or campuses in 2 of the 56 states" in table
    assert "Alaska (AK)" in table.split("None yet in:")[1]
    assert "Nebraska" not in table.split("None yet in:")[1]


def test_write_readme_replaces_only_the_table(tmp_path: Path) -> None:
    config = write_config(tmp_path / "sources.yaml", source("prairie", "Prairie Hospital", "NE"))
    readme = tmp_path / "README.md"
    readme.write_text("# Intro\n<!-- coverage-table:start -->\nstale\n<!-- coverage-table:end -->\nTail\n")
    write_readme(config, readme)
    text = readme.read_text()
    assert text.startswith("# Intro\n") and text.endswith("\nTail\n")
    assert "stale" not in text
    assert readme_section(text) == coverage_markdown(load_config(config))


def test_every_state_code_has_a_name() -> None:
    assert set(STATE_NAMES) == US_STATES

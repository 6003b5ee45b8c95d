"""Real crawls (child Scrapy process, real HTTP on loopback, real Chromium) of a small local web."""

from __future__ import annotations

import re
from base64 import b64encode
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from contract.record import ProgramRecord
from crawlers.run import crawl, new_run_id
from tests.crawl.site import Site, html, observership, pdf, source, write_config

ROBOTS = ("text/plain", b"User-agent: *\nDisallow: /private/\n")


@pytest.fixture
def web() -> Iterator[dict[str, Site]]:
    log: list[tuple[str, str, int]] = []
    sites = {name: Site(f"127.0.0.{n}", log) for name, n in (("lake", 21), ("partner", 22), ("js", 24))}
    lake, partner, js = sites["lake"], sites["partner"], sites["js"]
    lake.pages.update(
        {
            "/robots.txt": ROBOTS,
            "/visiting": html(
                "Visiting students",
                "<h1>Visiting students</h1><ul>"
                # link texts name no program (so this hub page has none); the URLs do
                '<li><a href="/visiting/clerkships?utm_source=newsletter">Surgery</a></li>'
                '<li><a href="/visiting/clerkships/">Details</a></li>'
                '<li><a href="/visiting/observership">Cardiology</a></li>'
                '<li><a href="/private/elective">Private</a></li>'
                '<li><a href="/news/gala">Annual gala</a></li>'
                f'<li><a href="{partner.base}/international/electives">Our partner</a></li>'
                "</ul>",
            ),
            "/visiting/clerkships": html("Clerkships", observership("Surgery Clerkship", 4)),
            "/visiting/observership": html(
                "Observership",
                observership("Cardiology Observership", 2, '<p><a href="/docs/packet.pdf">Application packet</a></p>'),
            ),
            "/docs/packet.pdf": pdf(
                "Radiology Observership for International Medical Graduates",
                "The observership lasts 3 weeks. Observers have no patient contact.",
                "Application fee: $50. Apply by email to radiology@lakeshore.example.edu.",
            ),
            "/private/elective": html("Elective", observership("Secret Elective", 4)),
            "/news/gala": html("Gala", "<p>Our annual gala.</p>"),
        }
    )
    partner.pages.update({"/robots.txt": ROBOTS, "/international/electives": html("E", observership("Partner", 4))})
    js.pages.update(
        {
            "/robots.txt": ROBOTS,
            "/observership": html(
                "Loading",
                '<main id="app">Loading…</main><img src="/img/logo.png"><script>'
                "setTimeout(() => { const app = document.getElementById('app');"
                # base64, so the program text exists only after the script ran (not in the raw HTML)
                f" app.innerHTML = atob('{b64encode(observership('Neurology Observership', 6).encode()).decode()}');"
                " app.classList.add('ready'); }, 200);</script>",
            ),
        }
    )
    yield sites
    for site in sites.values():
        site.close()


def lake_config(path: Path, web: dict[str, Site], follow: str = "") -> Path:
    return write_config(path, [source("lake", [f"{web['lake'].base}/visiting"], follow)])


def records(run_dir: Path, source_id: str) -> list[ProgramRecord]:
    lines = (run_dir / f"{source_id}.jsonl").read_text(encoding="utf-8").splitlines()
    return [ProgramRecord.model_validate_json(line) for line in lines]


def paths(web: dict[str, Site], name: str) -> list[str]:
    address = web[name].base.split("//")[1].split(":")[0]
    return [path for host, path, _ in web["lake"].log if host == address]


def test_static_source_discovery_robots_offsite_and_pdf(web, tmp_path):
    status = crawl(lake_config(tmp_path / "sources.yaml", web), tmp_path / "runs" / "n1")
    lake = status["sources"]["lake"]
    assert lake["failed"] is False and lake["error"] is None and lake["finish_reason"] == "finished"
    # index, clerkships (3 spellings, one page), observership and the PDF it links to
    assert lake["start_pages"] == 1 and lake["pages_fetched"] == 4
    assert lake["http_status"] == {"200": 4}
    assert lake["robots_refused"] == 1
    assert lake["pages_with_programs"] == 3 and lake["items"] == 3
    fetched = paths(web, "lake")
    expected = ["/robots.txt", "/visiting", "/visiting/clerkships?utm_source=newsletter"]
    assert sorted(fetched) == sorted([*expected, "/visiting/observership", "/docs/packet.pdf"])
    assert paths(web, "partner") == []  # off-host links are never followed
    staged = records(tmp_path / "runs" / "n1", "lake")
    assert len(staged) == 3
    by_url = {record.source_url.rsplit("/", 1)[1]: record for record in staged}
    assert "Radiology" in (by_url["packet.pdf"].program_name or "")
    assert by_url["packet.pdf"].institution == "Lake University" and by_url["packet.pdf"].state == "IL"
    assert all(len(record.page_sha256) == 64 and record.fetched_at.endswith("Z") for record in staged)
    assert "scrapy-playwright" not in (tmp_path / "runs" / "n1" / "crawl.log").read_text()  # no browser for static
    # the crawl's span, finer than its whole-second times
    span = datetime.fromisoformat(status["finished_at"]) - datetime.fromisoformat(status["started_at"])
    assert 0 < status["crawl_seconds"] < span.total_seconds() + 1


def test_failing_sources_are_recorded_failed(web, tmp_path):
    base = web["lake"].base
    config = write_config(
        tmp_path / "sources.yaml",
        [source("broken", [f"{base}/fail/"]), source("slow", [f"{base}/slow/"]), source("lake", [f"{base}/visiting"])],
    )
    status = crawl(config, tmp_path / "runs" / "n1")["sources"]
    assert status["broken"]["failed"] and status["broken"]["http_status"] == {"500": 1}
    assert status["broken"]["start_pages_failed"] == 1 and "HTTP 500" in str(status["broken"]["error"])
    assert status["slow"]["failed"] and status["slow"]["exceptions"] == {"DownloadTimeoutError": 1}
    assert status["lake"]["failed"] is False and status["lake"]["pages_fetched"] == 4


def test_js_source_rendered_by_chromium(web, tmp_path):
    config = write_config(
        tmp_path / "sources.yaml",
        [source("neuro", [f"{web['js'].base}/observership"], '    render: js\n    wait_for: "main.ready"\n')],
    )
    run_dir = tmp_path / "runs" / "n1"
    neuro = crawl(config, run_dir)["sources"]["neuro"]
    # A missing browser only logs an error, so the counts are what prove Chromium ran.
    assert neuro["failed"] is False and neuro["pages_fetched"] == 1, (run_dir / "crawl.log").read_text()[-3000:]
    assert [r.program_name for r in records(run_dir, "neuro")] == ["Neurology Observership"]
    js_host = web["js"].base.split("//")[1].split(":")[0]
    requested = [path for host, path, _ in web["lake"].log if host == js_host]
    assert "/img/logo.png" not in requested  # images aborted


def test_child_that_dies_is_reported_failed(web, tmp_path):
    config = lake_config(tmp_path / "sources.yaml", web)
    status = crawl(config, tmp_path / "runs" / "n1", settings={"ITEM_PIPELINES": '{"no.such.Pipeline": 1}'})
    lake = status["sources"]["lake"]
    assert lake["failed"] is True and "no status.json" in str(lake["error"])
    assert status["run_id"] == "n1"


def test_new_run_id_is_sortable_and_unique():
    ids = {new_run_id() for _ in range(20)}
    assert len(ids) == 20
    assert all(re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{4}", run_id) for run_id in ids)

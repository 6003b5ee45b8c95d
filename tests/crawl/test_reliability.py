"""Faults a crawl must survive without publishing a wrong program: redirects off a source's hosts,
pages read in the wrong charset, pages cut off in transfer, servers asking to be left alone a while,
and a crawl process that dies. Real crawls (child Scrapy process, HTTP on loopback) of tests/crawl/site.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from contract.record import ExtractedProgram, ProgramRecord
from contract.run_folder import PAGES_FILE, RunStatus
from crawlers.completeness import closes_wrappers, cut_markup, shrunk
from crawlers.downloadermiddlewares import retry_after
from crawlers.run import crawl
from tests.crawl.site import Site, html, observership, source, write_config

ROBOTS = ("text/plain", b"User-agent: *\nDisallow: /private/\n")


@pytest.fixture
def web() -> Iterator[dict[str, Site]]:
    log: list[tuple[str, str, int]] = []
    sites = {name: Site(f"127.0.0.{n}", log) for name, n in (("lake", 31), ("partner", 32), ("ally", 33))}
    for site in sites.values():
        site.pages["/robots.txt"] = ROBOTS
    yield sites
    for site in sites.values():
        site.close()


def host(site: Site) -> str:
    return site.base.split("//")[1]


def requested(site: Site) -> list[str]:
    address = host(site).split(":")[0]
    return [path for at, path, _ in site.log if at == address]


def records(run_dir: Path, source_id: str) -> list[ProgramRecord]:
    lines = (run_dir / f"{source_id}.jsonl").read_text(encoding="utf-8").splitlines()
    return [ProgramRecord.model_validate_json(line) for line in lines]


def pages(run_dir: Path, source_id: str) -> list[dict]:
    lines = (run_dir / PAGES_FILE).read_text(encoding="utf-8").splitlines()
    return [page for page in map(json.loads, lines) if page["source_id"] == source_id]


def facts(run_dir: Path, source_id: str) -> list[dict]:
    """The staged records but for when they were fetched."""
    return sorted((r.model_dump(exclude={"fetched_at"}) for r in records(run_dir, source_id)), key=str)


# 1. Off-site redirects and links


def test_redirects_off_the_source_hosts_are_dropped_unfetched(web, tmp_path):
    lake, partner = web["lake"], web["partner"]
    lake.pages.update(
        {
            "/visiting": html(
                "Visiting students",
                '<ul><li><a href="/visiting/moved-observership">Moved</a></li>'
                '<li><a href="/visiting/refresh-observership">Refreshed</a></li>'
                '<li><a href="/visiting/old-clerkship">Old address</a></li>'
                f'<li><a href="{partner.base}/international/electives">Partner electives</a></li></ul>',
            ),
            "/visiting/refresh-observership": html(
                "Moved", f'<meta http-equiv="refresh" content="0; url={partner.base}/international/observership">'
            ),
            "/visiting/clerkships": html("Clerkships", observership("Surgery Clerkship", 4)),
        }
    )
    lake.redirects.update(
        {
            "/visiting/moved-observership": f"{partner.base}/international/observership",
            "/visiting/old-clerkship": "/visiting/clerkships",  # on the host: followed
            "/gone-abroad": f"{partner.base}/international/observership",
        }
    )
    partner.pages["/international/observership"] = html("Observership", observership("Partner Observership", 4))
    partner.pages["/international/electives"] = html("Electives", observership("Partner Elective", 4))
    config = write_config(
        tmp_path / "sources.yaml",
        [source("lake", [f"{lake.base}/visiting"]), source("abroad", [f"{lake.base}/gone-abroad"])],
    )
    run_dir = tmp_path / "runs" / "n1"
    status = crawl(config, run_dir)["sources"]

    assert requested(partner) == []  # not a page, not even its robots.txt
    lake_status = status["lake"]
    assert lake_status["offsite_dropped"] == 2 and lake_status["links_offsite"] == 1
    assert lake_status["pages_failed"] == 0 and lake_status["pages_gone"] == 0
    assert [r.program_name for r in records(run_dir, "lake")] == ["Surgery Clerkship"]
    assert all(r.source_url.startswith(lake.base) for r in records(run_dir, "lake"))
    dropped = {p["key"].rsplit("/", 1)[1]: p for p in pages(run_dir, "lake") if p["status"] is None}
    assert sorted(dropped) == ["moved-observership", "refresh-observership"]
    for page in dropped.values():  # not fetched, so not gone: the warehouse keeps its programs
        assert page["source_url"].startswith(lake.base) and "off the source's hosts" in page["error"]
        assert f"{partner.base}/international/observership" in page["error"]
    abroad = status["abroad"]  # its only start page left the host: the source failed
    assert abroad["offsite_dropped"] == 1 and abroad["failed"] and "off the source's hosts" in str(abroad["error"])
    assert records(run_dir, "abroad") == []


def test_a_browser_redirected_off_the_source_hosts_stages_nothing(web, tmp_path):
    """Chromium follows redirects itself, past the downloader middlewares: the spider drops the page."""
    lake, partner = web["lake"], web["partner"]
    lake.redirects["/observership"] = f"{partner.base}/international/observership"
    partner.pages["/international/observership"] = html("Observership", observership("Partner Observership", 4))
    config = write_config(
        tmp_path / "sources.yaml", [source("lake", [f"{lake.base}/observership"], "    render: js\n")]
    )
    run_dir = tmp_path / "runs" / "n1"
    lake_status = crawl(config, run_dir)["sources"]["lake"]

    assert lake_status["offsite_dropped"] == 1 and lake_status["failed"], (run_dir / "crawl.log").read_text()[-3000:]
    assert records(run_dir, "lake") == []
    [page] = pages(run_dir, "lake")
    assert page["status"] is None and page["source_url"] == f"{lake.base}/observership"


def test_a_redirect_to_another_allowed_host_obeys_that_hosts_robots(web, tmp_path):
    lake, ally = web["lake"], web["ally"]
    lake.pages["/visiting"] = html("Visiting", '<a href="/visiting/elective">Visiting elective</a>')
    lake.redirects["/visiting/elective"] = f"{ally.base}/private/elective"
    ally.pages["/private/elective"] = html("Elective", observership("Ally Elective", 4))
    hosts = f"    allowed_hosts: [{host(lake)}, {host(ally)}]\n"
    config = write_config(tmp_path / "sources.yaml", [source("lake", [f"{lake.base}/visiting"], hosts)])
    run_dir = tmp_path / "runs" / "n1"
    lake_status = crawl(config, run_dir)["sources"]["lake"]

    assert requested(ally) == ["/robots.txt"]
    assert lake_status["robots_refused"] == 1 and lake_status["offsite_dropped"] == 0
    assert records(run_dir, "lake") == []


# 3. Charsets


def test_pages_are_read_in_their_declared_or_detected_charset(web, tmp_path):
    lake = web["lake"]
    utf8 = observership("Observación Clínica Observership", 4)  # UTF-8 named only in the HTTP header
    cp1252 = observership("Señor Ibáñez “Visiting” Observership", 2)  # no charset anywhere
    lake.pages["/observacion"] = ("text/html; charset=utf-8", f"<html><body>{utf8}</body></html>".encode())
    lake.pages["/senor"] = ("text/html", f"<html><body>{cp1252}</body></html>".encode("cp1252"))
    config = write_config(
        tmp_path / "sources.yaml", [source("lake", [f"{lake.base}/observacion", f"{lake.base}/senor"])]
    )
    run_dir = tmp_path / "runs" / "n1"
    assert crawl(config, run_dir)["sources"]["lake"]["pages_with_programs"] == 2

    staged = {r.source_url.rsplit("/", 1)[1]: r for r in records(run_dir, "lake")}
    assert staged["observacion"].program_name == "Observación Clínica Observership"
    assert staged["senor"].program_name == "Señor Ibáñez “Visiting” Observership"
    assert "The Observación Clínica Observership is open" in staged["observacion"].evidence["audience"]
    assert "The Señor Ibáñez “Visiting” Observership is open" in staged["senor"].evidence["audience"]


# 4. Truncated pages


def cut(page: tuple[str, bytes], at: bytes) -> tuple[str, bytes]:
    """The page as a server that stopped sending after `at` serves it (its Content-Length matching)."""
    content_type, body = page
    return content_type, body[: body.index(at) + len(at)]


def test_an_incomplete_page_keeps_its_last_version(web, tmp_path):
    lake = web["lake"]
    whole = html("Cardiology", observership("Cardiology Observership", 2))
    long = html("Surgery", observership("Surgery Observership", 4))
    closing = html("Neurology", observership("Neurology Observership", 6))
    lake.pages.update({"/cardiology": whole, "/surgery": long, "/neurology": closing, "/new": whole})
    names = ["cardiology", "surgery", "neurology"]
    config = write_config(
        tmp_path / "sources.yaml",
        [source("lake", [f"{lake.base}/{name}" for name in names]), source("fresh", [f"{lake.base}/new"])],
    )
    runs = tmp_path / "runs"
    lake.pages["/new"] = cut(whole, b"Application fee: $1")  # never seen whole
    night1 = crawl(config, runs / "n1")["sources"]
    assert night1["lake"]["pages_incomplete"] == 0 and night1["lake"]["items"] == 3
    fresh = night1["fresh"]  # nothing to keep: a failed page, so the source closes nothing
    assert fresh["pages_failed"] == 1 and fresh["failed"] and records(runs / "n1", "fresh") == []
    assert pages(runs / "n1", "fresh")[0]["error"].startswith("incomplete page: it stops mid-text inside <")

    lake.pages["/cardiology"] = cut(whole, b"Application fee: $1")  # mid-element, no </p></main></body></html>
    lake.pages["/surgery"] = html("Surgery", "<main><h1>Surgery Observership</h1><p>See below.</p></main>")
    lake.pages["/neurology"] = html(
        "Neurology", "<main><h1>Neurology Observership</h1><p>The Neurology Observership is closed.</p></main>"
    )
    night2 = crawl(config, runs / "n2")["sources"]["lake"]
    assert night2["pages_incomplete"] == 2 and night2["pages_failed"] == 0 and not night2["failed"]
    before = {r["source_url"]: r for r in facts(runs / "n1", "lake")}
    after = {r["source_url"]: r for r in facts(runs / "n2", "lake")}
    for name in ("cardiology", "surgery"):  # fees, e-mail, deadline and all: as on night 1
        assert after[f"{lake.base}/{name}"] == before[f"{lake.base}/{name}"]
    assert after[f"{lake.base}/cardiology"]["application_fee_usd"] == 100
    assert after[f"{lake.base}/neurology"]["status"] == "suspended"  # a short page stating a closure is news

    lake.pages["/cardiology"], lake.pages["/surgery"] = whole, long
    night3 = crawl(config, runs / "n3")["sources"]["lake"]
    assert night3["pages_incomplete"] == 0 and night3["pages_not_modified"] == 3
    assert facts(runs / "n3", "lake") == facts(runs / "n2", "lake")


def test_completeness_of_markup_and_text():
    assert cut_markup(b"<html><body><p>Fee: $100</p></body></html>\n") is None
    assert cut_markup(b"<p>An HTML fragment</p>") is None  # opened neither wrapper
    assert cut_markup(b"<html><body><p>Fee: $100</p></body></html><scr") == "it ends inside a tag"
    assert cut_markup(b"<HTML><BODY><p>Fee: $1") == "it stops mid-text inside <body>"
    # HTML lets a page leave out its closing tags: that is how the site is, unless its last version had them
    unclosed = b"<html><body class=x><p>Fee: $100</p>"
    assert cut_markup(unclosed) is None and cut_markup(unclosed, closed_before=False) is None
    assert cut_markup(unclosed, closed_before=True) == "it opens <body> and never closes it, as its last version did"
    assert closes_wrappers(b"<html><body></body></html>") and closes_wrappers(b"<p>A fragment</p>")
    assert not closes_wrappers(unclosed)
    closed = ExtractedProgram(program_type="observership", status="closed")
    assert shrunk(40, 100, []) and shrunk(40, 100, [ExtractedProgram(program_type="observership")])
    assert shrunk(40, 100, [closed]) is None
    assert shrunk(50, 100, []) is None and shrunk(40, None, []) is None and shrunk(None, 100, []) is None


# 10. Back-off


def test_retry_after_is_honoured_within_bounds(web, tmp_path):
    lake = web["lake"]
    lake.pages["/busy"] = html("Busy", observership("Pathology Observership", 2))
    lake.pages["/later"] = html("Later", observership("Radiology Observership", 2))
    lake.queued["/busy"] = [(503, {"Retry-After": "2", "Content-Type": "text/html"}, b"busy")]
    lake.queued["/later"] = [(503, {"Retry-After": "3600", "Content-Type": "text/html"}, b"come back in an hour")]
    config = write_config(tmp_path / "sources.yaml", [source("lake", [f"{lake.base}/busy", f"{lake.base}/later"])])
    run_dir = tmp_path / "runs" / "n1"
    lake_status = crawl(config, run_dir)["sources"]["lake"]

    busy = [at for path, at in lake.times if path == "/busy"]
    assert len(busy) == 2 and busy[1] - busy[0] >= 1.9
    assert [r.program_name for r in records(run_dir, "lake")] == ["Pathology Observership"]
    # an hour is past the bound: the page fails now, without an early retry against the server's wish
    assert requested(lake).count("/later") == 1
    assert lake_status["http_status"] == {"200": 1, "503": 1} and lake_status["pages_failed"] == 1


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    assert retry_after(b"120", now) == 120
    assert retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True).encode(), now) == 30
    assert retry_after(b"Tue, 01 Dec 2026 22:00:00 GMT", now) == 0  # already past
    assert retry_after(b"soon", now) is None and retry_after(None, now) is None


def test_a_dead_crawl_process_fails_the_shard_task_so_it_is_retried(web, tmp_path, monkeypatch):
    from flows import night, nightly

    lake = web["lake"]
    lake.pages["/visiting"] = html("Visiting", observership("Surgery Clerkship", 4))
    config = write_config(
        tmp_path / "sources.yaml", [source("lake", [f"{lake.base}/visiting"]), source("down", [f"{lake.base}/fail/"])]
    )
    run_dir = tmp_path / "runs" / "n1"
    status = nightly.crawl_shard.fn(config, run_dir, ["lake", "down"], 0)  # a failed site is a status
    assert status["sources"]["down"]["failed"] and not status["sources"]["lake"]["failed"]

    def dying(*args: Any, settings: dict[str, str] | None = None, **kwargs: Any) -> RunStatus:
        return crawl(*args, settings={**(settings or {}), "ITEM_PIPELINES": '{"no.such.Pipeline": 1}'}, **kwargs)

    monkeypatch.setattr(night, "crawl", dying)
    with pytest.raises(RuntimeError, match="shard 0: the crawl process died"):
        nightly.crawl_shard.fn(config, run_dir, ["lake", "down"], 0)

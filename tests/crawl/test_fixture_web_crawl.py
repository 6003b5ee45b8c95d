"""Real crawls (child Scrapy process, HTTP on loopback, Chromium) of the shared fixture web (demo/).

Every expected count comes from demo/scenario.py: the programs each night shows, the pages that
show them, the pages a crawl may fetch besides, and the sites that fail. One module-scoped web is
crawled in order: night 1, night 1 again (unchanged), night 2, and a crawl with page limits.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from ruamel.yaml import YAML

from contract.record import ProgramRecord
from contract.run_folder import PAGES_FILE, RunStatus, SourceStatus
from crawlers import settings
from crawlers.run import crawl
from demo import scenario
from demo.sites import INSTITUTIONS
from demo.web import FixtureWeb
from tests.conftest import SLOW_SECONDS

SOURCES = [site.id for site in INSTITUTIONS]
START = {site.id: site.start_path for site in INSTITUTIONS}
JS_SOURCES = {site.id for site in INSTITUTIONS if site.source.get("render") == "js"}
PROBE = "tests.crawl.staging_probe.StagingProbe"
LIMITED = {"lakeshore-som": {"max_pages": 2}, "bayside-medical": {"max_depth": 0}}


@dataclass(frozen=True)
class Crawl:
    """One crawl's status.json, run folder, and the requests the fixture web answered meanwhile."""

    night: int
    status: RunStatus
    run_dir: Path
    requests: list[tuple[str, str, str, int]]
    probe: dict[str, int]  # what the crawl process did to stage (tests.crawl.staging_probe)

    def source(self, source_id: str) -> SourceStatus:
        return self.status["sources"][source_id]

    def record_lines(self, source_id: str) -> list[str]:
        return (self.run_dir / f"{source_id}.jsonl").read_text(encoding="utf-8").splitlines()

    def records(self, source_id: str) -> list[ProgramRecord]:
        return [ProgramRecord.model_validate_json(line) for line in self.record_lines(source_id)]

    def all_pages(self) -> list[dict]:
        lines = (self.run_dir / PAGES_FILE).read_text(encoding="utf-8").splitlines()
        return list(map(json.loads, lines))

    def pages(self, source_id: str) -> list[dict]:
        return [page for page in self.all_pages() if page["source_id"] == source_id]

    def requested(self, web: FixtureWeb, source_id: str) -> list[str]:
        """Paths requested on the source's host during this crawl (robots.txt aside), by anyone."""
        host = urlsplit(web.base_urls[source_id]).netloc
        return [path for at, _, path, _ in self.requests if at == host and path != "/robots.txt"]

    def fetched(self, source_id: str) -> list[str]:
        """Paths of the pages the crawl staged as fetched (2xx or 304), by its page manifest."""
        return [urlsplit(page["source_url"]).path for page in self.pages(source_id) if page["status"] in (200, 304)]


@dataclass(frozen=True)
class Crawls:
    web: FixtureWeb
    night1: Crawl
    again: Crawl  # night 1 once more: nothing changed
    night2: Crawl
    limited: Crawl  # night 2 with LIMITED follow settings, lakeshore and bayside only


def run(web: FixtureWeb, config: Path, run_dir: Path, sources: list[str] | None = None) -> Crawl:
    before = len(web.requests)
    probe = run_dir.with_name(f"{run_dir.name}.probe.json")
    extensions = json.dumps({**settings.EXTENSIONS, PROBE: 900})
    status = crawl(config, run_dir, sources, settings={"EXTENSIONS": extensions, "STAGING_PROBE_FILE": str(probe)})
    return Crawl(web.night, status, run_dir, web.requests[before:], json.loads(probe.read_text(encoding="utf-8")))


def limited_config(web: FixtureWeb, path: Path) -> Path:
    yaml = YAML()
    config = yaml.load(web.write_config(path))
    for source in config["sources"]:
        source["follow"].update(LIMITED.get(source["id"], {}))
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(config, out)
    return path


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    work = tmp_path_factory.mktemp("fixture-web-crawl")
    with FixtureWeb(night=1, slow_seconds=SLOW_SECONDS) as web:
        config = web.write_config(work / "sources.yaml")
        night1 = run(web, config, work / "runs" / "1-night1")
        again = run(web, config, work / "runs" / "2-night1-again")
        web.advance()
        night2 = run(web, config, work / "runs" / "3-night2")
        limited = run(web, limited_config(web, work / "limited.yaml"), work / "limited" / "run", list(LIMITED))
        yield Crawls(web, night1, again, night2, limited)


def expected_items(night: int, source_id: str) -> int:
    """A suspect source's configured selectors no longer match its pages: it yields nothing."""
    return 0 if source_id in scenario.SUSPECT.get(night, set()) else len(scenario.programs(night, source_id))


def program_keys(records: list[ProgramRecord]) -> set[tuple[str, str]]:
    return {(urlsplit(r.source_url).path, r.program_name or "") for r in records}


@pytest.mark.parametrize(
    ("which", "source_id"),
    [
        (f"night{night}", source_id)
        for night in (1, 2)
        for source_id in SOURCES
        if source_id not in scenario.FAILED.get(night, {})
    ],
)
def test_pages_and_programs_per_source(crawls: Crawls, which: str, source_id: str) -> None:
    """The sources that answer (failed ones: test_failed_sites_of_night_2)."""
    done: Crawl = getattr(crawls, which)
    night, status = done.night, done.source(source_id)
    assert status["failed"] is False and status["error"] is None, status
    program_pages = scenario.program_pages(night, source_id)
    fetched = done.fetched(source_id)
    assert len(fetched) == len(set(fetched)) and set(fetched) <= set(done.requested(crawls.web, source_id))
    other_pages = set(fetched) - program_pages
    assert program_pages <= set(fetched), "every program page is fetched"
    assert other_pages <= {START[source_id], *scenario.NON_PROGRAM_PAGES.get(source_id, ())}, "nothing else"
    assert status["pages_fetched"] == len(program_pages) + len(other_pages)
    assert status["items"] == expected_items(night, source_id)
    assert status["pages_with_programs"] == (len(program_pages) if status["items"] else 0)
    records = done.records(source_id)
    assert len(records) == status["items"]
    if status["items"]:
        assert program_keys(records) == {(p.path, p.program_name) for p in scenario.programs(night, source_id)}
    assert all(r.source_id == source_id and len(r.page_sha256) == 64 and r.fetched_at for r in records)


def test_js_page_is_rendered_by_chromium(crawls: Crawls) -> None:
    """The program text exists only after the page's script ran: no browser, no program (and a failure)."""
    gulf = crawls.night1.source("gulf-coast-com")
    assert gulf["pages_failed"] == 0 and gulf["exceptions"] == {}, (crawls.night1.run_dir / "crawl.log").read_text()
    [record] = crawls.night1.records("gulf-coast-com")
    assert (urlsplit(record.source_url).path, record.program_name) == (scenario.GULF.path, scenario.GULF.program_name)
    # The page's script fetched its program list: only a browser does that.
    assert "/api/global-education/programs.json" in crawls.night1.requested(crawls.web, "gulf-coast-com")


def test_pdf_program_is_extracted(crawls: Crawls) -> None:
    guide = scenario.PRAIRIE_GUIDE
    records = [r for r in crawls.night1.records(guide.source_id) if urlsplit(r.source_url).path == guide.path]
    assert [(r.program_name, r.program_type) for r in records] == [(guide.program_name, guide.program_type)]


def test_robots_disallowed_and_off_host_pages_are_never_fetched(crawls: Crawls) -> None:
    index = urlopen(crawls.web.url("lakeshore-som")).read().decode()
    linked = [scenario.EXTERNAL, crawls.web.base_urls["prairie-childrens"], *scenario.DISALLOWED.values()]
    assert all(url in index for url in linked), "the index links to them: the test is not vacuous"
    for done in (crawls.night1, crawls.again, crawls.night2):
        for source_id, path in scenario.DISALLOWED.items():
            assert path not in done.requested(crawls.web, source_id)
            assert done.source(source_id)["robots_refused"] == 1
        for source_id in SOURCES:
            own = urlsplit(crawls.web.base_urls[source_id]).netloc
            assert {urlsplit(page["source_url"]).netloc for page in done.pages(source_id)} <= {own}
        # Sources link to each other's pages: each page is still fetched once, by its own source only.
        pages = Counter((at, path) for at, _, path, _ in done.requests if path != "/robots.txt")
        assert max(pages.values()) == 1, pages


def test_limits_are_honoured(crawls: Crawls) -> None:
    assert set(crawls.limited.status["sources"]) == set(LIMITED)
    max_pages = LIMITED["lakeshore-som"]["max_pages"]
    assert crawls.night2.source("lakeshore-som")["pages_fetched"] > max_pages, "the limit binds"
    lakeshore = crawls.limited.source("lakeshore-som")
    assert len(crawls.limited.requested(crawls.web, "lakeshore-som")) == max_pages
    assert lakeshore["pages_fetched"] == max_pages and not lakeshore["failed"]
    bayside = crawls.limited.source("bayside-medical")  # max_depth 0: the start page only
    assert crawls.limited.requested(crawls.web, "bayside-medical") == [START["bayside-medical"]]
    assert bayside["pages_fetched"] == 1 and bayside["items"] == 0 and not bayside["failed"]


def test_failed_sites_of_night_2(crawls: Crawls) -> None:
    for source_id, why in scenario.FAILED[2].items():
        status = crawls.night2.source(source_id)
        assert status["failed"] is True and status["start_pages_failed"] == status["start_pages"] == 1, status
        assert status["pages_fetched"] == status["items"] == 0
        assert crawls.night2.records(source_id) == []
        if why == "timeout":  # the JS site's plain conditional request is what times out, before any render
            assert "Timeout" in str(status["error"]) and list(status["exceptions"]) == ["DownloadTimeoutError"]
        else:
            assert why in str(status["error"]) and status["http_status"] == {why.removeprefix("HTTP "): 1}
    assert {s for s, v in crawls.night2.status["sources"].items() if v["failed"]} == set(scenario.FAILED[2])


def test_unchanged_night_gets_304s_and_reextracts_nothing(crawls: Crawls) -> None:
    first, again = crawls.night1, crawls.again
    for source_id in SOURCES:
        before, after = first.source(source_id), again.source(source_id)
        assert after["pages_fetched"] == before["pages_fetched"]
        assert after["pages_not_modified"] == after["pages_fetched"], (source_id, after)  # none extracted again
        assert after["items"] == before["items"] and after["pages_with_programs"] == before["pages_with_programs"]
        if source_id not in JS_SOURCES:  # a browser sends no validators: its page is compared by content hash
            assert after["http_status"] == {"304": after["pages_fetched"]}, (source_id, after)
        kept = {(r.program_id, r.page_sha256) for r in first.records(source_id)}
        assert {(r.program_id, r.page_sha256) for r in again.records(source_id)} == kept
        # Still observed: the programs are staged again with the new crawl's time.
        assert min(r.fetched_at for r in again.records(source_id)) > max(r.fetched_at for r in first.records(source_id))


def test_changed_pages_of_night_2_are_reextracted(crawls: Crawls) -> None:
    previous, night2 = crawls.again, crawls.night2
    before = {urlsplit(r.source_url).path: r for r in previous.records("lakeshore-som")}
    after = {urlsplit(r.source_url).path: r for r in night2.records("lakeshore-som")}
    electives = after[scenario.ELECTIVES_2.path]
    assert electives.application_fee_usd == scenario.ELECTIVES_2.application_fee_usd  # the new fee
    assert electives.page_sha256 != before[scenario.ELECTIVES.path].page_sha256
    renamed = after[scenario.EOP_2.path]
    assert renamed.program_name == scenario.EOP_2.program_name
    assert renamed.program_id == before[scenario.EOP.path].program_id  # same page, same program
    # Prairie: its page changed (the elective is suspended); its PDF did not and is not extracted again.
    prairie = night2.source("prairie-childrens")
    assert prairie["http_status"] == {"200": 1, "304": 1} and prairie["pages_not_modified"] == 1
    statuses = {r.program_name: r.status for r in night2.records("prairie-childrens") if r.program_key}
    assert statuses[scenario.PRAIRIE_ELECTIVE_2.program_name] == scenario.PRAIRIE_ELECTIVE_2.status
    guide = scenario.PRAIRIE_GUIDE.path
    assert [r.page_sha256 for r in night2.records("prairie-childrens") if urlsplit(r.source_url).path == guide] == [
        r.page_sha256 for r in previous.records("prairie-childrens") if urlsplit(r.source_url).path == guide
    ]


def kept_pages(previous: Crawl, done: Crawl) -> list[dict]:
    """The pages of `done` that had not changed since `previous` (same body hash): their records were kept."""
    hashes = {(page["source_id"], page["key"]): page["sha256"] for page in previous.all_pages() if page["sha256"]}
    return [
        page
        for page in done.all_pages()
        if page["sha256"] and hashes.get((page["source_id"], page["key"])) == page["sha256"]
    ]


def test_each_page_is_one_item_for_the_pipeline(crawls: Crawls) -> None:
    """The page's manifest entry and its records travel together: one pass through Scrapy's item
    machinery per page, however many programs it lists."""
    for done in (crawls.night1, crawls.again, crawls.night2, crawls.limited):
        records = sum(source["items"] for source in done.status["sources"].values())
        assert records, "staged programs: an item per record would show"
        assert done.probe["items"] == len(done.all_pages()), done.run_dir


def test_an_unchanged_night_builds_no_program_record(crawls: Crawls) -> None:
    """The last run's records are staged again as they were, without a model per record; a night
    with changes builds one for each record extracted this run, and only those."""
    again = crawls.again
    assert sum(source["items"] for source in again.status["sources"].values()) > 0
    assert again.probe["built"] == again.probe["held"] == 0, again.probe
    night2 = crawls.night2
    kept = {(page["source_id"], page["source_url"]) for page in kept_pages(again, night2)}
    extracted = [r for s in SOURCES for r in night2.records(s) if (r.source_id, r.source_url) not in kept]
    assert night2.probe["built"] == len(extracted) > 0, night2.probe


def test_unchanged_pages_are_staged_as_their_validated_records_would_be(crawls: Crawls) -> None:
    """A kept record's line is byte for byte what the last run's record, validated and given the
    page's new fetched_at, serializes to; the page's records keep their order."""
    for previous, done in ((crawls.night1, crawls.again), (crawls.again, crawls.night2)):
        pages = kept_pages(previous, done)
        assert any(page["programs"] for page in pages), "some kept page has programs"
        for page in pages:
            sid, url = page["source_id"], page["source_url"]
            before = [line for line in previous.record_lines(sid) if json.loads(line)["source_url"] == url]
            after = [line for line in done.record_lines(sid) if json.loads(line)["source_url"] == url]
            update = {"fetched_at": page["fetched_at"]}
            assert after == [
                ProgramRecord.model_validate_json(line).model_copy(update=update).model_dump_json() for line in before
            ], (sid, url)

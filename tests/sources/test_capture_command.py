"""`clerkships capture` end to end: the real command crawls a fixture-web source (child Scrapy
process, HTTP on loopback) and writes a saved-source folder that the saved-source test accepts, the
same whichever ports the fixture web was given, with no loopback origin left in it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from crawlers.capture import Capture, body_name
from demo.web import FixtureWeb
from flows.capture import EXPECTED_FILE, SOURCE_FILE, expected_records, replay_saved
from tests.conftest import SLOW_SECONDS
from tests.flows.clerkships_cli import clerkships


def capture(source_id: str, config: Path, out: Path) -> str:
    done = clerkships("capture", source_id, "--config", str(config), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return done.stdout


def files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_capture_saves_what_the_crawl_fetched(fixture_web: FixtureWeb, fixture_config: Path, tmp_path: Path) -> None:
    before = len(fixture_web.requests)
    out = capture("lakeshore-som", fixture_config, tmp_path / "a")
    folder = tmp_path / "a" / "lakeshore-som"
    assert f"{folder}: 5 response(s), 4 record(s) saved" in out  # the index and its 4 program pages
    host = urlsplit(fixture_web.base_urls["lakeshore-som"]).netloc
    answered = {path for at, _, path, _ in fixture_web.requests[before:] if at == host and path != "/robots.txt"}
    saved = Capture.read(folder)
    assert {urlsplit(response.url).path for response in saved.responses} == answered
    assert {urlsplit(response.url).netloc for response in saved.responses} == {"lakeshore-som.fixture.invalid"}
    assert (folder / SOURCE_FILE).is_file() and (folder / EXPECTED_FILE).is_file()
    assert replay_saved(folder) == expected_records(folder)
    loopback = [name for name, data in files(folder).items() if b"127.0.0." in data]
    assert loopback == []  # the fixture web's origins (its other hosts' too) became placeholders

    with FixtureWeb(night=1, slow_seconds=SLOW_SECONDS) as other:  # the same web on other ports
        assert other.base_urls["lakeshore-som"] != fixture_web.base_urls["lakeshore-som"]
        capture("lakeshore-som", other.write_config(tmp_path / "other.yaml"), tmp_path / "b")
    assert files(tmp_path / "b" / "lakeshore-som") == files(folder)


def test_a_failed_crawl_saves_nothing(fixture_web: FixtureWeb, fixture_config: Path, tmp_path: Path) -> None:
    fixture_web.set_night(2)  # high-mesa-som answers 500 everywhere
    out = tmp_path / "sources"
    done = clerkships("capture", "high-mesa-som", "--config", str(fixture_config), "--out", str(out))
    assert done.returncode == 1
    assert done.stderr.startswith("high-mesa-som: the crawl failed (all 1 start page(s) failed;")
    assert done.stderr.strip().endswith("nothing saved")
    assert not out.exists()


def test_an_unknown_source_is_one_line(fixture_config: Path, tmp_path: Path) -> None:
    done = clerkships("capture", "no-such-source", "--config", str(fixture_config), "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip() == "unknown source id(s): no-such-source"


def test_body_names_come_from_the_path() -> None:
    assert body_name("http://a.test/visiting/", "text/html; charset=utf-8", set()) == "visiting.html"
    assert body_name("http://a.test/", "text/html", set()) == "index.html"
    assert body_name("http://a.test/docs/guide.pdf", "application/pdf", set()) == "docs-guide.pdf"
    assert body_name("http://a.test/list?page=2", None, set()) == "list-page-2.bin"
    assert body_name("http://b.test/visiting", "text/html", {"visiting.html"}) == "visiting-2.html"

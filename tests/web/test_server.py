"""The fixture web as a server: hosts, outages, nights, the request log, the config and the CLI."""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import psutil
import pytest

from crawlers.config import load_config
from demo import scenario
from demo.web import ADMIN_PATH, FixtureWeb
from tests.conftest import SLOW_SECONDS
from tests.web.http import fetch

REPO = Path(__file__).resolve().parents[2]


def test_each_institution_is_its_own_loopback_host(fixture_web: FixtureWeb) -> None:
    hosts = [urlsplit(url) for url in fixture_web.base_urls.values()]
    assert len({h.hostname for h in hosts}) == len(hosts) == 5
    assert all(h.hostname is not None and ipaddress.ip_address(h.hostname).is_loopback and h.port for h in hosts)
    listening = [c.laddr for c in psutil.Process().net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    assert {(h.hostname, h.port) for h in hosts} <= {(a.ip, a.port) for a in listening}
    assert all(ipaddress.ip_address(a.ip).is_loopback for a in listening)


def test_robots(fixture_web: FixtureWeb) -> None:
    lakeshore = RobotFileParser()
    lakeshore.parse(fetch(fixture_web.url("lakeshore-som", "/robots.txt")).text.splitlines())
    agent = "clerkships"
    assert not lakeshore.can_fetch(agent, fixture_web.url("lakeshore-som", scenario.DISALLOWED["lakeshore-som"]))
    assert lakeshore.can_fetch(agent, fixture_web.url("lakeshore-som"))
    for source_id in ("prairie-childrens", "gulf-coast-com", "high-mesa-som", "bayside-medical"):
        robots = RobotFileParser()
        robots.parse(fetch(fixture_web.url(source_id, "/robots.txt")).text.splitlines())
        assert robots.can_fetch(agent, fixture_web.url(source_id)), source_id


def test_the_failing_site_answers_500_everywhere_on_night_2(fixture_web: FixtureWeb) -> None:
    fixture_web.set_night(2)
    for path in ("", "/robots.txt", "/contact/", "/anything"):
        answer = fetch(fixture_web.url("high-mesa-som", path))
        assert answer.status == 500, path
        assert "ETag" not in answer.headers and b"Internal Server Error" in answer.body
    assert fetch(fixture_web.url("lakeshore-som")).status == 200  # the others still answer
    fixture_web.set_night(3)
    assert fetch(fixture_web.url("high-mesa-som")).status == 200


def test_the_slow_site_outlasts_the_configured_timeout_on_night_2(
    fixture_web: FixtureWeb, fixture_config: Path
) -> None:
    timeout = load_config(fixture_config).settings.politeness.download_timeout
    url = fixture_web.url("gulf-coast-com")
    assert fetch(url, timeout=timeout).status == 200  # night 1: prompt
    fixture_web.set_night(2)
    with pytest.raises((TimeoutError, socket.timeout, OSError)):
        fetch(url, timeout=timeout)
    fixture_web.set_night(3)
    assert fetch(url, timeout=timeout).status == 200


def test_the_slow_site_answers_after_its_delay() -> None:
    with FixtureWeb(night=2, slow_seconds=0.3) as web:
        started = time.monotonic()
        answer = fetch(web.url("gulf-coast-com"))
        assert answer.status == 200 and time.monotonic() - started >= 0.3


def test_admin_endpoint_switches_nights(fixture_web: FixtureWeb) -> None:
    admin = fixture_web.base_urls["lakeshore-som"] + ADMIN_PATH
    critical_care = fixture_web.url("lakeshore-som", "/visiting/critical-care-observership")
    assert fetch(critical_care).status == 200
    answer = fetch(admin + "?n=2", method="POST")
    assert (answer.status, answer.text, fixture_web.night) == (200, "night 2\n", 2)
    assert fetch(critical_care).status == 404
    assert fetch(admin).text == "night 2\n"
    assert fetch(admin + "?n=7", method="POST").status == 400 and fixture_web.night == 2
    other_host = fixture_web.base_urls["prairie-childrens"] + ADMIN_PATH + "?n=3"
    assert fetch(other_host, method="POST").status == 405 and fixture_web.night == 2


def test_nights_are_bounded(fixture_web: FixtureWeb) -> None:
    assert (fixture_web.advance(), fixture_web.advance()) == (2, 3)
    with pytest.raises(ValueError, match="night"):
        fixture_web.advance()
    with pytest.raises(ValueError, match="night"):
        fixture_web.set_night(0)
    with pytest.raises(ValueError, match="night"):
        FixtureWeb(night=4)


def test_request_log(fixture_web: FixtureWeb) -> None:
    fetch(fixture_web.url("bayside-medical", "/gme/?utm_source=x"))
    fetch(fixture_web.url("bayside-medical", "/missing"), method="HEAD")
    host = urlsplit(fixture_web.base_urls["bayside-medical"]).netloc
    assert fixture_web.requests[-2:] == [(host, "GET", "/gme/?utm_source=x", 200), (host, "HEAD", "/missing", 404)]


def test_written_config_loads_and_matches_the_hosts(fixture_web: FixtureWeb, fixture_config: Path) -> None:
    config = load_config(fixture_config)
    settings = config.settings
    assert (settings.closure_grace_runs, settings.notify, settings.politeness.download_delay) == (2, [], 0)
    assert settings.schedule.cron and "@" in settings.user_agent
    assert settings.politeness.download_timeout < SLOW_SECONDS
    sources = {s.id: s for s in config.sources}
    assert set(sources) == set(fixture_web.base_urls)
    for source_id, source in sources.items():
        assert source.start_urls == [fixture_web.url(source_id)]
        assert source.hosts == [urlsplit(fixture_web.base_urls[source_id]).netloc]
    assert (sources["gulf-coast-com"].render, sources["gulf-coast-com"].wait_for) == ("js", "#programs .program")
    bayside = sources["bayside-medical"].selectors
    assert bayside is not None and bayside.program_block == "section.program-card"
    assert load_config(fixture_web.write_config(fixture_config.parent / "g1.yaml", closure_grace_runs=1))


def ctrl_c_as_at_a_terminal() -> None:
    """In the child, before exec: SIGINT back to its default and unblocked. A child inherits an ignored
    or blocked SIGINT, and late in a full test run this process's may be (seen in CI: the server never
    stopped)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_command_line_serves_until_interrupted(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    child = subprocess.Popen(
        [sys.executable, "-m", "demo.web", "--night", "2", "--config", str(config)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    assert child.stdout is not None
    try:
        lines: list[str] = []
        while not lines or "Ctrl-C" not in lines[-1]:
            line = child.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        urls = {line.split()[0]: line.split()[1] for line in lines if line.startswith("  ")}
        assert set(urls) == {s.id for s in load_config(config).sources}
        assert fetch(urls["lakeshore-som"]).status == 200
        assert fetch(urls["high-mesa-som"]).status == 500  # night 2
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=10) == 0
    finally:
        if child.poll() is None:
            child.kill()

"""AutoThrottle runs only when the config asks for a delay between requests (real crawls, their logs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.run import crawl
from tests.crawl.site import Site, html, observership, source, write_config

POLITENESS = "{{download_delay: {delay}, concurrency_per_host: 2, download_timeout: 3, max_page_bytes: 2000000}}"


@pytest.mark.parametrize(("delay", "throttled"), [(0, False), (0.1, True)])
def test_autothrottle_only_with_a_delay(tmp_path: Path, delay: float, throttled: bool) -> None:
    site = Site("127.0.0.31", [])
    try:
        site.pages["/observership"] = html("Observership", observership("Cardiology Observership", 2))
        config = write_config(
            tmp_path / "sources.yaml",
            [source("lake", [f"{site.base}/observership"])],
            politeness=POLITENESS.format(delay=delay),
        )
        status = crawl(config, tmp_path / "run")
    finally:
        site.close()
    assert status["sources"]["lake"]["items"] == 1
    log = (tmp_path / "run" / "crawl.log").read_text(encoding="utf-8")
    enabled = log[log.index("Enabled extensions") : log.index("]", log.index("Enabled extensions"))]
    assert ("NotModifiedAwareAutoThrottle" in enabled) is throttled

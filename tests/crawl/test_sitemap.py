"""`follow.sitemap`: a real crawl reads the site's /sitemap.xml when robots.txt names no sitemap (or
is missing), follows the program-looking URLs it lists, and reads no sitemap unless asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.run import crawl, new_run_id
from tests.crawl.site import Site, html, observership, source, write_config


@pytest.mark.parametrize("robots", [b"User-agent: *\nDisallow:\n", None], ids=["robots-names-none", "no-robots"])
@pytest.mark.parametrize("sitemap", [True, False], ids=["sitemap", "default"])
def test_sitemap_xml_is_read_only_when_asked(tmp_path: Path, robots: bytes | None, sitemap: bool) -> None:
    log: list[tuple[str, str, int]] = []
    site = Site("127.0.0.35", log)
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.base}/clerkships/surgery</loc></url><url><loc>{site.base}/about</loc></url></urlset>"
    )
    site.pages.update(
        {
            "/sitemap.xml": ("text/xml", urlset.encode()),
            "/": html("Home", "<p>Welcome.</p>"),
            "/clerkships/surgery": html("Surgery", observership("Surgery Clerkship", 4)),
            "/about": html("About", "<p>About us.</p>"),
        }
    )
    if robots is not None:
        site.pages["/robots.txt"] = ("text/plain", robots)
    config = write_config(
        tmp_path / "sources.yaml",
        [source("port", [f"{site.base}/"], f"    follow: {{sitemap: {str(sitemap).lower()}}}\n")],
    )
    run_dir = tmp_path / "runs" / new_run_id()
    try:
        status = crawl(config, run_dir, ["port"])
    finally:
        site.close()
    assert not status["sources"]["port"]["failed"]
    fetched = {path for _, path, _ in log}
    assert ("/clerkships/surgery" in fetched) is sitemap
    assert ("/sitemap.xml" in fetched) is sitemap
    assert "/about" not in fetched  # listed, but not a program page
    assert status["sources"]["port"]["items"] == (1 if sitemap else 0)
    assert status["sources"]["port"]["pages_failed"] == 0  # a missing robots.txt is no failed page

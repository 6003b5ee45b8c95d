"""The crawl's scheduler scales with the number of hosts and keeps them in turn (real crawls).

Scrapy's DownloaderAwarePriorityQueue looks at every host with queued requests on each pop and each
length check (measured on the queues alone: 0.36 ms per request at 200 hosts, 2.2 ms at 1,000, against
16-20 us for the plain priority queue at any count); the crawl uses the plain queue, and the spider's
priorities (a source's n-th page: -n) take the hosts in turn.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawlers import settings
from crawlers.run import crawl
from tests.crawl.site import Site, html, observership, source, write_config

PROBE = "tests.crawl.scheduler_probe.SchedulerProbe"
PAGES = 4


def index(pages: int) -> tuple[str, bytes]:
    links = "".join(f'<li><a href="/observership/{n}">Observership {n}</a></li>' for n in range(pages))
    return html("Visiting students", f"<h1>Visiting students</h1><ul>{links}</ul>")


def test_crawl_uses_the_plain_priority_queue_and_takes_hosts_in_turn(tmp_path: Path) -> None:
    log: list[tuple[str, str, int]] = []
    sites = [Site(f"127.0.0.{n}", log) for n in (26, 27)]
    try:
        for site in sites:
            site.pages["/visiting"] = index(PAGES)
            for n in range(PAGES):
                site.pages[f"/observership/{n}"] = html("O", observership(f"Surgery Observership {n}", 4))
        config = write_config(
            tmp_path / "sources.yaml", [source(f"s{i}", [f"{site.base}/visiting"]) for i, site in enumerate(sites)]
        )
        probe = tmp_path / "queue.txt"
        extensions = {**settings.EXTENSIONS, PROBE: 900}
        status = crawl(
            config,
            tmp_path / "run",
            settings={
                "EXTENSIONS": json.dumps(extensions),
                "SCHEDULER_PROBE_FILE": str(probe),
                "CONCURRENT_REQUESTS": "1",  # one page at a time: the log is the scheduler's order
                "READER_PROCESSES": "0",  # a page's links are queued as soon as it is answered
            },
        )
    finally:
        for site in sites:
            site.close()
    assert [status["sources"][f"s{i}"]["pages_fetched"] for i in range(2)] == [PAGES + 1, PAGES + 1]
    assert probe.read_text(encoding="utf-8") == "scrapy.pqueues.ScrapyPriorityQueue"
    hosts = [host for host, path, _ in log if path.startswith("/observership/")]
    # No host gets a program page more than one ahead of the other: neither waits for the other to finish.
    first = sites[0].base.split("//")[1].split(":")[0]
    ahead = [abs(2 * hosts[:n].count(first) - n) for n in range(len(hosts) + 1)]
    assert max(ahead) <= 1, hosts

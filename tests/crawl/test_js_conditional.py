"""JS pages ask the server first whether they changed: a real crawl with real Chromium, two nights.

Each JS page loads its own script (`/app.js?page=NAME`), which only a browser fetches, so the
server's log counts renders: a plain conditional request answered 304 renders nothing.
"""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.record import ProgramRecord
from crawlers.run import crawl
from tests.crawl.site import Site, observership, source, write_config

SCRIPT = (
    "setTimeout(() => { const app = document.getElementById('app');"
    " app.innerHTML = atob(app.dataset.program); app.classList.add('ready'); }, 100);"
)


def js_page(name: str, program: str) -> tuple[str, bytes]:
    """A page whose program text exists only once its script ran (base64 in an attribute)."""
    data = b64encode(observership(program, 4).encode()).decode()
    page = (
        f"<!doctype html><html><head><title>Loading</title></head><body>"
        f'<main id="app" data-program="{data}">Loading…</main><script src="/app.js?page={name}"></script>'
        "</body></html>"
    )
    return "text/html; charset=utf-8", page.encode()


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site("127.0.0.25", [])
    site.pages.update(
        {
            "/robots.txt": ("text/plain", b"User-agent: *\nAllow: /\n"),
            "/app.js": ("application/javascript", SCRIPT.encode()),
            "/neurology": js_page("neurology", "Neurology Observership"),
            "/cardiology": js_page("cardiology", "Cardiology Observership"),
        }
    )
    yield site
    site.close()


def programs(run_dir: Path) -> list[str]:
    lines = (run_dir / "heart.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(ProgramRecord.model_validate_json(line).program_name or "" for line in lines)


def requests_for(site: Site, name: str) -> list[tuple[str, int]]:
    """(path, status) the server answered, in order, for page `name` and for its script."""
    return [(path, status) for _, path, status in site.log if path in (f"/{name}", f"/app.js?page={name}")]


def test_unchanged_js_page_is_not_rendered_again_and_a_changed_one_is(site: Site, tmp_path: Path) -> None:
    pages = [f"{site.base}/neurology", f"{site.base}/cardiology"]
    config = write_config(
        tmp_path / "sources.yaml", [source("heart", pages, '    render: js\n    wait_for: "main.ready"\n')]
    )
    runs = tmp_path / "runs"
    first = crawl(config, runs / "n1")["sources"]["heart"]
    assert first["pages_fetched"] == 2, (runs / "n1" / "crawl.log").read_text()[-3000:]
    assert programs(runs / "n1") == ["Cardiology Observership", "Neurology Observership"]
    assert requests_for(site, "neurology") == [("/neurology", 200), ("/app.js?page=neurology", 200)]

    site.pages["/cardiology"] = js_page("cardiology", "Cardiology Elective")
    site.log.clear()
    second = crawl(config, runs / "n2")["sources"]["heart"]
    assert second["failed"] is False and second["pages_fetched"] == 2, (runs / "n2" / "crawl.log").read_text()[-3000:]
    assert second["pages_not_modified"] == 1 and second["http_status"] == {"200": 1, "304": 1}
    # Unchanged: one plain request, answered 304 (it carried the validators), and no render.
    assert requests_for(site, "neurology") == [("/neurology", 304)]
    # Changed: the plain request got 200, so Chromium rendered the page (its script ran).
    assert requests_for(site, "cardiology") == [
        ("/cardiology", 200),
        ("/cardiology", 200),
        ("/app.js?page=cardiology", 200),
    ]
    assert programs(runs / "n2") == ["Cardiology Elective", "Neurology Observership"]

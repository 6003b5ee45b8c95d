"""Which pages a run asked for and did not get, from the crawl's page manifests (`contract.run_folder`).

A page refused by robots.txt, cut by an error or a timeout, or whose redirect was dropped is not a
page that is gone: its programs are unseen, not missing. Neither are the programs of the pages
below it that the crawl could not reach through it: the last run that read the source tells which
pages such a page linked to, and those not reached otherwise this run are unseen too. A 404 or 410
is an answer: that page is gone.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from contract.identity import canonical_url
from contract.run_folder import RunFolder

GONE = (404, 410)


class ManifestError(ValueError):
    """A manifest line that is not a page entry; the message names the file and line."""


@dataclass
class Manifest:
    """One run's page entries, by source, as canonical URLs."""

    answered: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # seen, or seen gone
    missed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # asked for, not got
    links: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))


def _answered(status: object, error: object) -> bool:
    """Did this entry see the page as it is, or learn that it is gone?"""
    if status in GONE:
        return True
    ok = isinstance(status, int) and (200 <= status < 300 or status == 304)
    return ok and not error


def read_manifest(folder: RunFolder) -> Manifest:
    manifest = Manifest()
    canonical = cache(canonical_url)  # a source's pages link to the same pages: each URL is made canonical once
    for path in folder.page_manifests():
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    entry = json.loads(line)
                    source = entry["source_id"]
                    urls = {canonical(url) for url in (entry["key"], entry["source_url"]) if url}
                    side = manifest.answered if _answered(entry.get("status"), entry.get("error")) else manifest.missed
                    side[source].update(urls)
                    links = {canonical(link) for link in entry.get("links") or []}
                    for url in urls:
                        manifest.links[source][url].update(links)
                except (ValueError, TypeError, KeyError, AttributeError) as exc:
                    raise ManifestError(f"{path}:{number}: not a page entry: {exc!r}"[:300]) from None
    for source, urls in manifest.answered.items():
        manifest.missed[source] -= urls
    return manifest


def _earlier_links(folder: RunFolder, source: str) -> dict[str, set[str]]:
    """The source's link graph in the newest earlier run that read any of its pages."""
    for earlier in (f for f in folder.earlier() if f.run_id < folder.run_id):
        links = read_manifest(earlier).links.get(source)
        if links:
            return links
    return {}


def unfetched_pages(folder: RunFolder) -> dict[str, set[str]]:
    """source_id → canonical URLs of the pages whose programs this run did not see (see the module)."""
    this = read_manifest(folder)
    unfetched = {}
    for source, missed in this.missed.items():
        if not missed:
            continue
        graph, reached = _earlier_links(folder, source), this.answered.get(source, set())
        found, todo = set(missed), list(missed)
        while todo:
            for link in graph.get(todo.pop(), ()):
                if link not in found and link not in reached:
                    found.add(link)
                    todo.append(link)
        unfetched[source] = found
    return unfetched

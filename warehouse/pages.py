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

from contract.identity import canonical_url
from contract.run_folder import RunFolder

GONE = (404, 410)


class ManifestError(ValueError):
    """A manifest line that is not a page entry; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    """A page entry as read, its URLs not yet canonical."""

    where: str  # `file:line`, for a URL found bogus later
    answered: bool  # see `_answered`
    urls: tuple[str, ...]  # as requested, as the records name it
    links: tuple[str, ...]

    def canonical(self, url: str) -> str:
        try:
            return canonical_url(url)
        except ValueError as exc:
            raise ManifestError(f"{self.where}: not a page entry: {url!r}: {exc}"[:300]) from None


@dataclass
class Manifest:
    """One run's page entries, by source. URLs are made canonical only for a source that is asked
    about: at 100 µs a URL that is most of a read, and a night that missed no page asks of none."""

    entries: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))

    def missing_some(self) -> list[str]:
        """The sources with an entry that did not answer (a page may still be answered by another)."""
        return [source for source, entries in self.entries.items() if not all(e.answered for e in entries)]

    def answered(self, source: str) -> set[str]:
        """Canonical URLs of the source's pages seen, or seen gone."""
        return {e.canonical(url) for e in self.entries.get(source, ()) if e.answered for url in e.urls}

    def unanswered(self, source: str) -> set[str]:
        """Canonical URLs of the source's pages an entry asked for and did not get (another entry may
        have got one of them: take `answered` away for those missed)."""
        return {e.canonical(url) for e in self.entries.get(source, ()) if not e.answered for url in e.urls}

    def links(self, source: str) -> dict[str, set[str]]:
        """The source's link graph: each page's canonical URLs to those of the pages it links to."""
        done: dict[str, str] = {}  # the source's pages link to the same pages: each made canonical once

        def canonical(entry: Entry, url: str) -> str:
            if url not in done:
                done[url] = entry.canonical(url)
            return done[url]

        graph: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries.get(source, ()):
            targets = {canonical(entry, link) for link in entry.links}
            for url in entry.urls:
                graph[canonical(entry, url)].update(targets)
        return graph


def _answered(status: object, error: object) -> bool:
    """Did this entry see the page as it is, or learn that it is gone?"""
    if status in GONE:
        return True
    ok = isinstance(status, int) and (200 <= status < 300 or status == 304)
    return ok and not error


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    return value


def read_manifest(folder: RunFolder) -> Manifest:
    manifest = Manifest()
    for path in folder.page_manifests():
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    entry = json.loads(line)
                    manifest.entries[_text(entry["source_id"])].append(
                        Entry(
                            f"{path}:{number}",
                            _answered(entry.get("status"), entry.get("error")),
                            tuple(_text(url) for url in (entry["key"], entry["source_url"]) if url),
                            tuple(_text(link) for link in entry.get("links") or ()),
                        )
                    )
                except (ValueError, TypeError, KeyError, AttributeError) as exc:
                    raise ManifestError(f"{path}:{number}: not a page entry: {exc!r}"[:300]) from None
    return manifest


def _earlier_links(folder: RunFolder, source: str, read: dict[str, Manifest]) -> dict[str, set[str]]:
    """The source's link graph in the newest earlier run that read any of its pages (each earlier
    run's manifest read once into `read`, however many sources ask)."""
    for earlier in (f for f in folder.earlier() if f.run_id < folder.run_id):
        if earlier.run_id not in read:
            read[earlier.run_id] = read_manifest(earlier)
        links = read[earlier.run_id].links(source)
        if links:
            return links
    return {}


def unfetched_pages(folder: RunFolder) -> dict[str, set[str]]:
    """source_id → canonical URLs of the pages whose programs this run did not see (see the module)."""
    this = read_manifest(folder)
    unfetched: dict[str, set[str]] = {}
    earlier: dict[str, Manifest] = {}
    for source in this.missing_some():
        reached = this.answered(source)
        missed = this.unanswered(source) - reached
        if not missed:
            continue
        graph = _earlier_links(folder, source, earlier)
        found, todo = set(missed), list(missed)
        while todo:
            for link in graph.get(todo.pop(), ()):
                if link not in found and link not in reached:
                    found.add(link)
                    todo.append(link)
        unfetched[source] = found
    return unfetched

"""The health verdict of one source in one run: only a healthy crawl may close programs.

The one home of the verdict: the crawl writes `crawl_failure` into status.json (`failed`,
`error`), the warehouse judges each source with `judge` (and records it, with the last ok run in
`contract.run_folder`'s index), and the next crawl takes its baseline from that verdict.

failed  — the site did not answer as a site: not crawled, an error, no start page requested, every
          start page failed, a crawl that stopped with the source's pages still queued,
          exceptions (timeouts, DNS, refused), 5xx / 429 answers, failed pages, or a crawl that
          stopped early. A 404/410 page is not a failure: that page is gone. Robots.txt refusing a
          start page fails it (the crawler counts it in start_pages_failed); refusing a linked page
          is the site's choice, obeyed, and no failure.
suspect — fetched, but the yield collapsed against the last ok run: 0 programs where there were
          any (a login wall or a soft 404 answers 200 with nothing on it, and on a site of one or two
          programs that looks just like a real removal, so it is never trusted to close them), or
          under half of at least MIN_YIELD while fewer pages carried programs; or a page came cut
          off in transfer (the crawler kept its last version, `crawlers.completeness`).
ok      — anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MIN_YIELD = 3
"""Below this many programs in the last ok run, a partial drop is too small to call a collapse
(one program of two gone is ordinary); a drop to 0 is suspect at any size."""


@dataclass(frozen=True)
class Verdict:
    verdict: str  # ok | failed | suspect
    reason: str | None


def crawl_failure(stats: Mapping[str, Any]) -> str | None:
    """Why the crawl of this source cannot be trusted to show what is gone, if it cannot."""
    if stats.get("error"):
        return str(stats["error"])
    if stats.get("failed"):
        return "the crawl reported the source failed"
    start, start_failed = stats.get("start_pages") or 0, stats.get("start_pages_failed") or 0
    if start and start_failed >= start:
        last = stats.get("start_error")
        return f"all {start} start page(s) failed" + (f"; last: {last}" if last else "")
    if stats.get("unfinished"):
        return f"crawl stopped ({stats.get('finish_reason')}) before the source was finished"
    if stats.get("start_pages") == 0:  # counted, and none: an older status without the count is not judged on it
        return "no start page was requested"
    exceptions = {name: count for name, count in (stats.get("exceptions") or {}).items() if count}
    if exceptions:
        return "exceptions: " + ", ".join(f"{name} ×{count}" for name, count in sorted(exceptions.items()))
    bad_http = {code: n for code, n in (stats.get("http_status") or {}).items() if n and _server_trouble(code)}
    if bad_http:
        return "HTTP " + ", ".join(f"{code} ×{n}" for code, n in sorted(bad_http.items()))
    if stats.get("pages_failed"):
        return f"{stats['pages_failed']} pages failed"
    if stats.get("finish_reason") not in (None, "finished"):
        return f"crawl stopped early: {stats['finish_reason']}"
    return None


def _server_trouble(code: object) -> bool:
    text = str(code)
    return text.isdigit() and (int(text) >= 500 or int(text) == 429)


def judge(stats: Mapping[str, Any] | None, items: int, last_ok: tuple[int, int | None] | None) -> Verdict:
    """Verdict from the source's crawl stats (None: not crawled), its staged record count, and
    (items, pages_with_programs) of its last ok run (None: never ok)."""
    if stats is None:
        return Verdict("failed", "not crawled (not in status.json)")
    reason = crawl_failure(stats)
    if reason:
        return Verdict("failed", reason)
    if stats.get("pages_incomplete"):
        return Verdict("suspect", f"{stats['pages_incomplete']} page(s) came cut off; their last version was kept")
    if last_ok and last_ok[0] > 0 and items == 0:
        return Verdict("suspect", f"0 programs where the last ok run had {last_ok[0]}")
    if last_ok and last_ok[0] >= MIN_YIELD:
        before, pages_before = last_ok
        pages = stats.get("pages_with_programs")
        fewer_pages = pages is not None and pages_before is not None and pages < pages_before
        if items < before / 2 and fewer_pages:
            return Verdict(
                "suspect",
                f"{items} programs on {pages} pages where the last ok run had {before} on {pages_before}",
            )
    return Verdict("ok", None)

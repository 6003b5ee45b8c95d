"""A night in words for whoever runs it: one line per crawled source, the sources not ok and why,
and the night's summary (every event with its institution) — the Prefect flow's logs, artifacts
and final state say these. No Prefect import here.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from contract.events import SOURCE_EVENTS
from flows.publish import describe
from flows.publish.values import http_url

ALERT_STATE = "CompletedWithSourceAlerts"
"""Name of the Completed state a night with a failed or suspect source ends in (Prefect's own names
read this way, e.g. AwaitingRetry): its state-change event is `prefect.flow-run.CompletedWithSourceAlerts`."""


def _flat(text: Any) -> str:
    """Text on one line (a browser's error spans several)."""
    return " ".join(str(text).split())


def crawl_line(source_id: str, stats: Mapping[str, Any]) -> str:
    """What the crawl of one source did: "lake: fetched 6 pages (1 not modified), 4 programs on 3 pages",
    and, when it failed, why ("…: failed: all 1 start page(s) failed; last: TimeoutError")."""
    fetched = stats.get("pages_fetched") or 0
    extras = [
        f"{stats[key]} {words}"
        for key, words in (
            ("pages_not_modified", "not modified"),
            ("pages_gone", "gone"),
            ("pages_failed", "failed"),
            ("robots_refused", "refused by robots.txt"),
        )
        if stats.get(key)
    ]
    line = f"{source_id}: fetched {fetched} {'page' if fetched == 1 else 'pages'}"
    if extras:
        line += f" ({', '.join(extras)})"
    line += f", {stats.get('items') or 0} programs on {stats.get('pages_with_programs') or 0} pages"
    answers = sorted((stats.get("http_status") or {}).items())
    shown = [f"HTTP {code} ×{n}" for code, n in answers if n and str(code).startswith(("4", "5"))]
    shown += [f"{name} ×{n}" for name, n in sorted((stats.get("exceptions") or {}).items()) if n]
    if shown:
        line += f"; {', '.join(shown)}"
    if stats.get("failed") or stats.get("error"):
        line += f"; failed: {_flat(stats.get('error') or 'failed')}"
    return line


def health_rows(verdicts: Mapping[str, str], events: list[dict], institutions: Mapping[str, str]) -> list[dict]:
    """One row per source of the night: id, institution, verdict and the reason it was not ok (on one
    line); not ok first."""
    reasons = {e["source_id"]: e.get("detail") for e in events if e.get("event_type") in SOURCE_EVENTS}
    rows = [
        {
            "source_id": source,
            "institution": institutions.get(source, ""),
            "verdict": verdict,
            "reason": _flat(reasons.get(source) or ""),
        }
        for source, verdict in verdicts.items()
    ]
    return sorted(rows, key=lambda row: (row["verdict"] == "ok", row["source_id"]))


def alert_line(row: Mapping[str, str]) -> str:
    """The flow's warning for a source not ok: "high-mesa-som (High Mesa …): failed: HTTP 500 ×3"."""
    return f"{row['source_id']} ({row['institution'] or 'not in the config'}): {row['verdict']}: {row['reason']}"


def alert_message(rows: list[dict]) -> str | None:
    """The final state's message when a source was not ok: "2 sources failed (a, b); 1 suspect (c)"."""
    parts = []
    for verdict in ("failed", "suspect"):
        names = [row["source_id"] for row in rows if row["verdict"] == verdict]
        if names:
            noun = "source" if len(names) == 1 else "sources"
            parts.append(f"{len(names)} {noun} {verdict} ({', '.join(names)})")
    return "; ".join(parts) or None


def _md(text: Any) -> str:
    """Scraped text as inert Markdown on one line: no HTML (the Prefect UI renders it), no table or link syntax."""
    plain = html.escape(_flat(text), quote=False)
    return plain.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def summary_markdown(run_id: str, counts: Mapping[str, int], rows: list[dict], events: list[dict]) -> str:
    """The night's artifact: counts, the sources not ok with institution and reason, every program
    event in words with its source page."""
    lines = [f"# Night {run_id}", ""]
    lines += [", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()) if n) or "nothing changed", ""]
    not_ok = [row for row in rows if row["verdict"] != "ok"]
    if not_ok:
        lines += ["## Sources not ok", "", "| source | institution | verdict | reason |", "|---|---|---|---|"]
        for row in not_ok:
            cells = (row["source_id"], row["institution"], row["verdict"], row["reason"])
            lines.append("| " + " | ".join(map(_md, cells)) + " |")
        lines.append("")
    program_events = [e for e in events if e.get("event_type") not in SOURCE_EVENTS]
    if program_events:
        lines += ["## Programs", ""]
    for event in program_events:
        changes = describe.change_lines(event)
        words = _md(describe.subject(event) + (f": {'; '.join(changes)}" if changes else ""))
        link = http_url(event.get("source_url"))
        shown = f"[{words}]({link})" if link else words
        lines.append(f"- **{event['event_type']}** {shown}")
    return "\n".join(lines)

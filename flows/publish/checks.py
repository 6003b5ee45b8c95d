"""checks.js: the one nightly file that tells the program pages when each program was last verified.

A program page's bytes change only when what it states changes (`pages`), so the night's "verified
on DATE" comes from here. It is a script setting `window.clerkshipsChecks`, not JSON, because a page
opened from file:// may load a script beside it but not fetch a file. Small at thousands of sources:
a date per source (the run that checks a source sees all its present programs at once), a date per
program only where it differs (its page was not fetched that night), and the sources whose last run
failed or looked suspect.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from flows.publish import cards, words

CHECKS_FILE = "checks.js"
GLOBAL = "clerkshipsChecks"


def checks(programs: list[dict[str, Any]], sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`days` (newest first), `sources` and `programs` (an index into `days`: when last verified),
    `stale` (sources not verified on their last run) and `say` (the page's words for either)."""
    seen: dict[str, str] = {}
    per_source: dict[str, Counter[str]] = {}
    for program in programs:
        when = cards.day(program.get("last_seen"))
        if program.get("presence") == "present" and when:
            seen[program["program_id"]] = when
            per_source.setdefault(program["source_id"], Counter())[when] += 1
    source_day = {source: days.most_common(1)[0][0] for source, days in per_source.items()}
    own_day = {
        program_id: when
        for program in programs
        if (when := seen.get(program_id := program["program_id"])) and when != source_day[program["source_id"]]
    }
    days = sorted({*source_day.values(), *own_day.values()}, reverse=True)
    index = {when: i for i, when in enumerate(days)}
    return {
        "say": {key: words.CHECKED[key] for key in ("ok", "stale", "also")},
        "days": days,
        "sources": {source: index[when] for source, when in sorted(source_day.items())},
        "programs": {program_id: index[when] for program_id, when in sorted(own_day.items())},
        "stale": sorted(s for s in source_day if (sources.get(s) or {}).get("verdict", cards.HEALTHY) != cards.HEALTHY),
    }


def script(found: dict[str, Any]) -> str:
    """The file's text: ASCII JSON (no line separator can end the statement early) assigned to GLOBAL."""
    return f"window.{GLOBAL} = {json.dumps(found, separators=(',', ':'), ensure_ascii=True)};\n"

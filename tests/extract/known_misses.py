"""The extractor's known misses on the labelled sets, kept as data in `known_misses.yaml`.

    uv run python -m tests.extract.known_misses            # say what the file lacks or lists in vain; exit 1 if so
    uv run python -m tests.extract.known_misses --update   # rewrite it from the current extractor's output

The file maps set → page id → check → reason (`misses`), and set → figure → reason (`bars`). Each listed
case is a strict xfail in `test_real_pages.py`, so a fixed miss fails until its entry is removed. `--update`
keeps the reasons written by hand, writes "expected X, got Y" for new misses (and refreshes such
machine-written reasons), drops the cases that now pass, and lists every bar of issue 10 not met yet
with today's figure. A set whose folder is absent (the real pages on a machine without ../shared)
keeps its entries untouched. A regression floor of a project set is never turned into an xfail:
`--update` reports it and exits 1.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from tests.extract.scoring import (
    BAR_REASON,
    BARS,
    CHECKS,
    METRICS,
    LabelledSet,
    figures,
    floors,
    labelled_sets,
    page_problems,
    records,
    set_summary,
)

MISSES_FILE = Path(__file__).resolve().parent / "known_misses.yaml"
MACHINE_REASON = re.compile(r"^(expected .*, got |bar of issue 10 not met yet: )")
"""Reasons this tool writes; they are refreshed on every update, while a person's reasons are kept."""
HEADER = """\
# Known misses of the extractor on the labelled pages: set -> page id -> check -> why (misses), and
# set -> figure -> why (bars). Each entry is a strict xfail in tests/extract/test_real_pages.py: once
# the case passes, the test fails until the entry is removed. Checks are the scored fields, plus
# records (the page gives a program), first_status (the first record's status is the label's) and
# evidence. Regenerate with `uv run python -m tests.extract.known_misses --update`: reasons written
# by hand are kept; new misses get "expected X, got Y".
"""
Entries = dict[str, dict[str, dict[str, str]]]
Bars = dict[str, dict[str, str]]


class KnownMissesError(Exception):
    """A misses file that cannot be read; the message is one line naming it."""


def _strings(path: Path, where: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise KnownMissesError(f"{path}: {where} must be a mapping, not {type(value).__name__}")
    for key in value:
        if not isinstance(key, str):
            raise KnownMissesError(f"{path}: {where}: key {key!r} must be a quoted string")
    return value


def load(path: Path = MISSES_FILE) -> tuple[Entries, Bars]:
    """The file's misses and bars ({} each when the file does not exist)."""
    if not path.exists():
        return {}, {}
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        raise KnownMissesError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    data = _strings(path, "the file", data)
    unknown = set(data) - {"misses", "bars"}
    if unknown:
        raise KnownMissesError(f"{path}: unknown top-level keys {sorted(unknown)} (misses, bars)")
    misses: Entries = {}
    for set_name, pages in _strings(path, "misses", data.get("misses")).items():
        for page_id, checks in _strings(path, f"misses.{set_name}", pages).items():
            for check, reason in _strings(path, f"misses.{set_name}.{page_id}", checks).items():
                if not isinstance(reason, str) or not reason.strip():
                    raise KnownMissesError(f"{path}: misses.{set_name}.{page_id}.{check}: the reason must be text")
                misses.setdefault(set_name, {}).setdefault(page_id, {})[check] = reason
    bars: Bars = {}
    for set_name, metrics in _strings(path, "bars", data.get("bars")).items():
        for metric, reason in _strings(path, f"bars.{set_name}", metrics).items():
            if not isinstance(reason, str) or not reason.strip():
                raise KnownMissesError(f"{path}: bars.{set_name}.{metric}: the reason must be text")
            bars.setdefault(set_name, {})[metric] = reason
    return misses, bars


def stale(misses: Entries, bars: Bars, sets: dict[str, LabelledSet]) -> list[str]:
    """Entries that name no set, page, check or figure (only judged for sets that are present)."""
    out = []
    for set_name, pages in misses.items():
        if set_name not in sets:
            out.append(f"misses.{set_name}: no such set")
            continue
        if not sets[set_name].usable:
            continue
        ids = {p["id"] for p in sets[set_name].pages}
        for page_id, checks in pages.items():
            if page_id not in ids:
                out.append(f"misses.{set_name}.{page_id}: no such page")
            out += [f"misses.{set_name}.{page_id}.{c}: no such check" for c in checks if c not in CHECKS]
    for set_name, metrics in bars.items():
        if set_name not in sets:
            out.append(f"bars.{set_name}: no such set")
        out += [f"bars.{set_name}.{m}: no such figure" for m in metrics if m not in METRICS]
    return out


def _keep(old: str | None, new: str) -> str:
    return old if old and not MACHINE_REASON.match(old) else new


def current(sets: dict[str, LabelledSet], old_misses: Entries, old_bars: Bars) -> tuple[Entries, Bars, list[str]]:
    """The file's contents for today's extractor output, and the problems no entry may hide."""
    misses: Entries = {}
    bars: Bars = {}
    problems = []
    for name, labelled in sets.items():
        if labelled.error:
            problems.append(labelled.error)
        if not labelled.usable:  # absent or unreadable: what the file says about it stays
            if name in old_misses:
                misses[name] = old_misses[name]
            if name in old_bars:
                bars[name] = old_bars[name]
            continue
        for page in labelled.pages:
            failing = {c: p for c, p in page_problems(page, records(name, page)).items() if p is not None}
            old = old_misses.get(name, {}).get(page["id"], {})
            if failing:
                misses.setdefault(name, {})[page["id"]] = {c: _keep(old.get(c), p) for c, p in failing.items()}
        figs = figures(set_summary(labelled))
        for metric, floor in floors(name).items():
            if figs[metric] >= floor:
                continue
            old_bar = old_bars.get(name, {}).get(metric)
            if name in BARS:
                bars.setdefault(name, {})[metric] = _keep(old_bar, BAR_REASON.format(figure=figs[metric]))
            elif old_bar:
                bars.setdefault(name, {})[metric] = old_bar  # a person chose to accept it
            else:
                problems.append(f"{name}: {metric} {figs[metric]:.3f} is below its floor {floor}")
    return misses, bars, problems


def dump(misses: Entries, bars: Bars) -> str:
    """The file's text: sets in the tests' order, every key and reason quoted (page ids like 005 stay text)."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 - a JSON string is a YAML double-quoted scalar
    lines = [HEADER.rstrip("\n"), "bars:" if bars else "bars: {}"]
    for set_name, metrics in bars.items():
        lines.append(f"  {q(set_name)}:")
        lines += [f"    {q(m)}: {q(r)}" for m, r in metrics.items()]
    lines.append("misses:" if misses else "misses: {}")
    for set_name, pages in misses.items():
        lines.append(f"  {q(set_name)}:")
        for page_id, checks in pages.items():
            lines.append(f"    {q(page_id)}:")
            lines += [f"      {q(c)}: {q(r)}" for c, r in checks.items()]
    return "\n".join(lines) + "\n"


def _ordered(misses: Entries, bars: Bars, sets: dict[str, LabelledSet]) -> tuple[Entries, Bars]:
    """Sets in the tests' order, pages in file order (kept sets as written), checks and figures in theirs."""
    out_m: Entries = {}
    for name in [*sets, *sorted(set(misses) - set(sets))]:
        if name not in misses:
            continue
        order = [p["id"] for p in sets[name].pages] if name in sets and sets[name].usable else list(misses[name])
        pages = misses[name]
        out_m[name] = {
            pid: {c: pages[pid][c] for c in sorted(pages[pid], key=_check_order)}
            for pid in [*order, *(p for p in pages if p not in order)]
            if pid in pages
        }
    out_b: Bars = {
        name: {m: bars[name][m] for m in sorted(bars[name], key=lambda m: METRICS.index(m) if m in METRICS else 99)}
        for name in [*sets, *sorted(set(bars) - set(sets))]
        if name in bars
    }
    return out_m, out_b


def _check_order(check: str) -> tuple[int, str]:
    return (CHECKS.index(check) if check in CHECKS else len(CHECKS), check)


def _count(misses: Entries) -> set[tuple[str, str, str]]:
    return {(s, p, c) for s, pages in misses.items() for p, checks in pages.items() for c in checks}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="rewrite the file from the current extractor's output")
    ap.add_argument("--file", type=Path, default=MISSES_FILE, help="the misses file (default: %(default)s)")
    args = ap.parse_args(argv)
    try:
        old_misses, old_bars = load(args.file)
    except KnownMissesError as exc:
        print(exc, file=sys.stderr)
        return 2
    sets = labelled_sets()
    for labelled in sets.values():
        if labelled.skip:
            print(f"{labelled.name}: {labelled.skip}; its entries are kept as they are", file=sys.stderr)
    misses, bars, problems = current(sets, old_misses, old_bars)
    misses, bars = _ordered(misses, bars, sets)
    text = dump(misses, bars)
    old_text = args.file.read_text(encoding="utf-8") if args.file.exists() else ""
    before, after = _count(old_misses), _count(misses)
    added, fixed = sorted(after - before), sorted(before - after)
    for s, p, c in added:
        print(f"+ {s} {p} {c}: {misses[s][p][c]}")
    for s, p, c in fixed:
        print(f"- {s} {p} {c}: gone (passes now, or no such case)")
    for name in sorted(set(bars) | set(old_bars)):
        for m in sorted(set(bars.get(name, {})) | set(old_bars.get(name, {}))):
            was, now = old_bars.get(name, {}).get(m), bars.get(name, {}).get(m)
            if was != now:
                print(f"{'~' if was and now else '+' if now else '-'} bars {name} {m}: {now or 'met now'}")
    for problem in problems:
        print(problem, file=sys.stderr)
    summary = (
        f"{len(after)} known misses ({len(added)} new, {len(fixed)} fixed), {sum(map(len, bars.values()))} bars not met"
    )
    if args.update:
        if text != old_text:
            args.file.write_text(text, encoding="utf-8")
            print(f"{args.file}: rewritten: {summary}")
        else:
            print(f"{args.file}: up to date: {summary}")
        return 1 if problems else 0
    if text != old_text:
        print(f"{args.file}: out of date ({summary}); run with --update", file=sys.stderr)
        return 1
    print(f"{args.file}: up to date: {summary}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

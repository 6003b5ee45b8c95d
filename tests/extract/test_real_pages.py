"""Hand-labelled pages: per page, every labelled field the extractor is known to get right must stay
right; in aggregate, precision, F1 and status accuracy must stay above their floors.

The sets: the real dev pages (hand-labelled pages of real institutions, read from outside the repository:
$CLERKSHIPS_REAL_PAGES, else ../shared/real-pages-dev; skipped when absent), and held-out pages of other
institutions in other wording (labelled by LABELS.md before the extractor was run on them), which
guard against rules that fit pages rather than phrasing. Two fresh sets (modelled on the wording of
further US institutions, messy parts left in) were labelled by LABELS.md and scored exactly once before
any rule was changed for them; those honest figures are the generalization estimate:
  fresh (30 pages), before fixes: precision 0.916, recall 0.786, F1 0.846, status 0.73, closures 5/9
  fresh_2 (12 pages), written after the fixes: precision 0.980, recall 0.874, F1 0.924, status 0.92, closures 3/4
  fresh_3 (22 pages), written after the batch-2 fixes: precision 0.945, recall 0.787, F1 0.858, status 0.82,
  closures 4/8
  fresh_4 (20 pages: community, children's, osteopathic, VA, cancer-center and Puerto Rico pages; FAQ, policy
  PDF, fee schedule, checklist and catalog pages; terse and wordy), written after the batch-3 fixes: precision
  0.957, recall 0.861, F1 0.906, status 0.90, closures 5/6
  fresh_5 (16 pages: GME policy PDF with wrapped lines, department observerships, elective catalog table, FAQ,
  residency FAQs that deny or pause observerships; menus left in, cut mid-sentence), written after the batch-4
  fixes: precision 0.945, recall 0.884, F1 0.913, status 1.00, closures 6/6
  fresh_6 (14 pages: 14 institutions not used before; fixed-width FAQ and GME policy PDF with wrapped lines, catalog
  lists, department observerships, residency FAQ denying observerships, suspended and closed pages), written after
  the wrapped-line fix: precision 0.993, recall 0.968, F1 0.980, status 1.00, closures 5/5
  fresh_7 (12 pages: 12 institutions not used before, each paraphrasing the structure and kinds of facts of one
  dev page with every sentence reworded and numbers, specialties, fees and durations changed), written after
  the batch-6 fixes: precision 0.943, recall 0.815, F1 0.874, status 1.00, closures 2/2
  fresh_8 (16 pages, 16 fictional institutions: 6 closed or suspended in the families of issue 10, 3 restricted,
  7 open; written blind — without reading the extractor — after the phrasing engine), scored once: precision 0.984,
  recall 0.897, F1 0.938, status 1.00, closures 6/6 (specialties 0 of 10: lists and table rows)
(the 51 dev pages then used: precision 0.994, F1 0.984); q05 was later removed from fresh_7 because it was
modelled on a page of a reserved institution (kept for the independent evaluation). fresh was then used
to fix phrasing families, so it now only guards against regressions; fresh_2 has had one fix (a 'preferred'
step is not required).

Known misses are data: known_misses.yaml lists, per set, page and check (a scored field, or records,
first_status, evidence), why the extractor fails it today, in the spirit of price-parser's example
tables. Each is a strict xfail: fixing one fails until its entry goes (`uv run python -m
tests.extract.known_misses --update` rewrites the file). The real pages' aggregate figures are held to the
bars of issue 10; a bar not met yet is listed there too, with today's figure.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from crawlers.extract.scoring import Summary
from tests.extract import known_misses
from tests.extract.scoring import CHECKS, METRICS, figures, floors, labelled_sets, page_problems, records, set_summary

SETS = labelled_sets()
MISSES, BARS_UNMET = known_misses.load()


def _unusable(name: str, *nones: None) -> Any:
    """The one case of a set that cannot be scored: skipped when absent, failing when unreadable."""
    labelled = SETS[name]
    if labelled.skip:
        return pytest.param(name, *nones, marks=pytest.mark.skip(reason=labelled.skip), id=f"{name}-absent")
    return pytest.param(name, *nones, id=f"{name}-unreadable")


def page_cases() -> list[Any]:
    """One case per (set, page, check); a known miss is a strict xfail with its reason."""
    cases = []
    for name, labelled in SETS.items():
        if not labelled.usable:
            cases.append(_unusable(name, None, None))
            continue
        for page in labelled.pages:
            known = MISSES.get(name, {}).get(page["id"], {})
            for check in CHECKS:
                marks = [pytest.mark.xfail(strict=True, reason=known[check])] if check in known else []
                cases.append(pytest.param(name, page["id"], check, marks=marks, id=f"{name}-{page['id']}-{check}"))
    return cases


def aggregate_cases() -> list[Any]:
    """One case per (set, figure); a bar not met yet is a strict xfail with its reason."""
    cases = []
    for name, labelled in SETS.items():
        if not labelled.usable:
            cases.append(_unusable(name, None))
            continue
        for metric in METRICS:
            reason = BARS_UNMET.get(name, {}).get(metric)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(name, metric, marks=marks, id=f"{name}-{metric}"))
    return cases


@cache
def problems(name: str, page_id: str) -> dict[str, str | None]:
    page = next(p for p in SETS[name].pages if p["id"] == page_id)
    return page_problems(page, records(name, page))


@cache
def summary(name: str) -> Summary:
    return set_summary(SETS[name])


@pytest.mark.parametrize(("name", "page_id", "check"), page_cases())
def test_page(name: str, page_id: str | None, check: str | None) -> None:
    labelled = SETS[name]
    assert labelled.error is None, labelled.error
    assert page_id is not None and check is not None
    problem = problems(name, page_id)[check]
    assert problem is None, f"{name} {page_id}: {check}: {problem}"


@pytest.mark.parametrize(("name", "metric"), aggregate_cases())
def test_aggregate(name: str, metric: str | None) -> None:
    labelled = SETS[name]
    assert labelled.error is None, labelled.error
    assert metric is not None
    figure, floor = figures(summary(name))[metric], floors(name)[metric]
    assert figure >= floor, f"{name}: {metric} {figure:.3f} is below {floor}"


def test_known_misses_name_real_cases() -> None:
    """Every entry of known_misses.yaml names a set, page, check or figure that exists."""
    stale = known_misses.stale(MISSES, BARS_UNMET, SETS)
    assert not stale, "; ".join(stale)

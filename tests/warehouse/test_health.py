"""The health verdict decides what may close programs; each rule on its own."""

from __future__ import annotations

import pytest

from contract.health import judge
from tests.warehouse.staging_kit import stats


@pytest.mark.parametrize(
    ("crawl", "items", "last_ok", "verdict"),
    [
        (None, 0, (5, 5), "failed"),
        (stats(5, start_pages=2, start_pages_failed=2), 0, None, "failed"),
        (stats(5, start_pages=2, start_pages_failed=1), 5, (5, 5), "ok"),
        (stats(5, http_status={"200": 5, "500": 1}), 5, (5, 5), "failed"),
        (stats(5, http_status={"200": 5, "429": 1}), 5, (5, 5), "failed"),
        (stats(5, http_status={"200": 5, "404": 2, "410": 1}, pages_gone=3), 2, (5, 5), "ok"),
        (stats(5, exceptions={"TimeoutError": 0}), 5, (5, 5), "ok"),
        (stats(5, exceptions={"TimeoutError": 1}), 5, (5, 5), "failed"),
        (stats(0), 0, (3, 3), "suspect"),
        (stats(0), 0, (2, 2), "suspect"),  # a login wall or soft 404 on a small site is no removal
        (stats(0), 0, (1, 1), "suspect"),
        (stats(0), 0, (0, 0), "ok"),  # it had nothing to lose
        (stats(1, pages_with_programs=1), 1, (2, 2), "ok"),
        (stats(2, pages_with_programs=1), 2, (5, 5), "suspect"),
        (stats(2, pages_with_programs=5), 2, (5, 5), "ok"),  # same pages, fewer programs: a real change
        (stats(3, pages_with_programs=3), 3, (5, 5), "ok"),  # not under half
        (stats(0), 0, None, "ok"),  # never ok before: nothing to compare with
        (stats(5, pages_incomplete=1), 5, (5, 5), "suspect"),  # a page came cut off: its last version kept
    ],
)
def test_verdict(crawl, items, last_ok, verdict):
    assert judge(crawl, items, last_ok).verdict == verdict

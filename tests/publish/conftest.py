"""A real Chromium (Debian's) driven by Playwright, shared by the hub page tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from crawlers.settings import PLAYWRIGHT_LAUNCH_OPTIONS

# The crawler's own launch options: the same Debian Chromium with the same flags.
LAUNCH = {key: PLAYWRIGHT_LAUNCH_OPTIONS[key] for key in ("executable_path", "args")}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(**LAUNCH)
        yield chromium
        chromium.close()

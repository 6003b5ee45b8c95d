"""A real Chromium (Debian's) driven by Playwright, shared by the hub page tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from crawlers.settings import PLAYWRIGHT_LAUNCH_OPTIONS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        # The crawler's own launch options: the same Debian Chromium with the same flags.
        chromium = pw.chromium.launch(
            executable_path=PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"], args=PLAYWRIGHT_LAUNCH_OPTIONS["args"]
        )
        yield chromium
        chromium.close()

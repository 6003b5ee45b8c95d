"""Hooks for the Chromium download path."""

from __future__ import annotations

from playwright.async_api import Request as BrowserRequest

HEAVY_RESOURCES = frozenset({"image", "font", "media"})


def abort_heavy_resources(request: BrowserRequest) -> bool:
    """Images, fonts and media never carry program facts: don't download them."""
    return request.resource_type in HEAVY_RESOURCES

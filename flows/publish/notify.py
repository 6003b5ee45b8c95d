"""Tell subscribers what happened in a run: Apprise URLs, or a plain JSON POST for `webhook+http(s)://`.

One try per URL with a short timeout; a failure is logged (with the URL's secrets masked) and
returned as a result, never raised, so a dead receiver cannot fail the load.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import apprise
import requests

from flows.publish import describe
from flows.publish.values import jsonable

log = logging.getLogger(__name__)

WEBHOOK_PREFIX = "webhook+"
_BODY_EVENTS = 50  # a chat message stays readable; the JSON webhook always carries every event


@contextmanager
def _apprise_quiet() -> Iterator[None]:
    """Keep Apprise's own records (which quote an unparsable URL whole) out of the app's logs.

    Apprise still captures them for its result, and our one warning names the redacted URL.
    """
    logger = logging.getLogger("apprise")
    before, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.propagate = before


def redact(url: str) -> str:
    """The URL with secrets masked: user info, tokens in path or query, and Apprise's own secret fields."""
    if not url.startswith(WEBHOOK_PREFIX):
        with _apprise_quiet():
            plugin = apprise.Apprise.instantiate(url)
        if plugin:
            return plugin.url(privacy=True).split("?", 1)[0]
    match = re.match(r"^([a-z][a-z0-9+.-]*://)(?:[^@/?#]*@)?([^/?#]*)(.*)$", url, re.IGNORECASE)
    if not match:
        return "<unparsable URL>"
    scheme, host, rest = match.groups()
    return f"{scheme}{host}/…" if rest.strip("/") else f"{scheme}{host}/"


def message(run_id: str, events: list[dict]) -> tuple[str, str]:
    """A title and a plain-text body listing the run's events."""
    count = len(events)
    title = f"clerkships: {count} {'event' if count == 1 else 'events'} in run {run_id}"
    lines = [describe.title(event) for event in events[:_BODY_EVENTS]]
    if count > _BODY_EVENTS:
        lines.append(f"… and {count - _BODY_EVENTS} more")
    return title, "\n".join(lines) or "Nothing changed."


def payload(run_id: str, events: list[dict]) -> dict[str, Any]:
    return {"run_id": run_id, "count": len(events), "events": jsonable(events)}


def _post_webhook(url: str, run_id: str, events: list[dict], timeout: float) -> str | None:
    """POST the events as JSON; the error text, or None when the receiver took it (2xx)."""
    try:
        response = requests.post(url[len(WEBHOOK_PREFIX) :], json=payload(run_id, events), timeout=timeout)
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: could not reach the receiver"
    if not response.ok:
        return f"HTTP {response.status_code}"
    return None


def _send_apprise(url: str, run_id: str, events: list[dict], timeout: float) -> str | None:
    plugin = apprise.Apprise.instantiate(url)
    if not plugin:
        return "not a valid Apprise URL"
    plugin.socket_connect_timeout = plugin.socket_read_timeout = timeout
    sender = apprise.Apprise()
    sender.add(plugin)
    title, body = message(run_id, events)
    result = sender.notify(body=body, title=title, timeout=timeout * 2)
    if result.status == apprise.AppriseResultStatus.SUCCESS:
        return None
    problems = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR")]
    return problems[-1] if problems else f"Apprise: {result.status.name.lower()}"


def notify(
    urls: list[str], run_id: str, events: list[dict], *, notify_when_empty: bool = False, timeout: float = 10.0
) -> list[dict]:
    """Send the run's events to every URL; one result per URL attempted: {"url", "ok", "error"}."""
    if not events and not notify_when_empty:
        return []
    results = []
    for url in urls:
        send = _post_webhook if url.startswith(WEBHOOK_PREFIX) else _send_apprise
        shown = redact(url)
        try:
            with _apprise_quiet():
                error = send(url, run_id, events, timeout)
        except Exception as exc:  # a notifier must never fail the load
            error = f"{type(exc).__name__}: {exc}".replace(url, shown)
        if error:
            log.warning("notification to %s failed: %s", shown, error)
        results.append({"url": shown, "ok": error is None, "error": error})
    return results

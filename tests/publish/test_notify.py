"""Notifications reach a local receiver (plain JSON webhook and Apprise json://); dead receivers never raise."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from flows.publish import notify
from flows.publish.notify import redact
from tests.publish import sample
from tests.publish.receiver import Receiver, closed_port


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def failing() -> Iterator[Receiver]:
    server = Receiver(status=500)
    yield server
    server.close()


def test_webhook_gets_the_nights_events(receiver: Receiver) -> None:
    events = sample.events()
    url = f"webhook+http://127.0.0.1:{receiver.port}/hooks/secret-token?key=abc"
    results = notify([url], "20250314T030000", events, timeout=5)

    assert results == [{"url": f"webhook+http://127.0.0.1:{receiver.port}/…", "ok": True, "error": None}]
    [got] = receiver.received
    assert got["path"] == "/hooks/secret-token?key=abc" and got["type"] == "application/json"
    assert got["body"]["run_id"] == "20250314T030000" and got["body"]["count"] == len(events)
    assert [e["event_id"] for e in got["body"]["events"]] == [e["event_id"] for e in events]
    assert got["body"]["events"][0]["changes"] == {
        "program_fee_usd": [200.0, 250.0],
        "usmle_steps_required": [None, ["Step 1"]],
    }
    assert got["body"]["events"][0]["occurred_at"] == "2025-03-14T04:06:00+00:00"


def test_apprise_json_url_delivers(receiver: Receiver) -> None:
    results = notify([f"json://127.0.0.1:{receiver.port}/apprise"], "run-1", sample.events()[:2], timeout=5)

    assert [r["ok"] for r in results] == [True], results
    [got] = receiver.received
    assert got["path"] == "/apprise"
    assert got["body"]["title"] == "clerkships: 2 events in run run-1"
    assert "Delta Regional Medical Center — IMG Observership: closed" in got["body"]["message"]


def test_failures_are_recorded_not_raised(receiver: Receiver, failing: Receiver, caplog) -> None:
    down = closed_port()
    urls = [
        f"webhook+http://127.0.0.1:{failing.port}/",
        f"webhook+http://user:hunter2@127.0.0.1:{down}/",
        f"json://user:hunter2@127.0.0.1:{down}/",
        f"json://127.0.0.1:{failing.port}/",
        "nosuchservice://whatever",
        f"webhook+http://127.0.0.1:{receiver.port}/",
    ]
    results = notify(urls, "run-2", sample.events(), timeout=2)

    assert [r["ok"] for r in results] == [False, False, False, False, False, True]
    assert results[0]["error"] == "HTTP 500"
    assert results[1]["error"].startswith("ConnectionError")
    assert all(r["error"] for r in results[:5])
    assert len(failing.received) == 2 and len(receiver.received) == 1  # one try each, no retries
    assert "hunter2" not in json.dumps(results) and "hunter2" not in caplog.text
    assert len([r for r in caplog.records if r.name == "flows.publish.notify"]) == 5  # one warning per failure


def test_nothing_sent_when_nothing_happened(receiver: Receiver) -> None:
    url = f"webhook+http://127.0.0.1:{receiver.port}/"
    assert notify([url], "run-3", []) == []
    assert receiver.received == []
    [result] = notify([url], "run-3", [], notify_when_empty=True)
    assert result["ok"] and receiver.received[0]["body"] == {"run_id": "run-3", "count": 0, "events": []}


def test_redact_masks_secrets() -> None:
    assert redact("webhook+https://hooks.example.com/services/T000/B000/XXXX") == "webhook+https://hooks.example.com/…"
    assert redact("webhook+https://u:pw@hooks.example.com/") == "webhook+https://hooks.example.com/"
    assert "TokenB" not in redact("slack://TokenA/TokenB/TokenC/#general")
    assert "secretpw" not in redact("mailto://user:secretpw@gmail.com")
    assert "supersecret" not in redact("discord://1234/supersecrettoken")

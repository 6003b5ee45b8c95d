"""Stage reports reach listeners only while they listen, and a reporter without listeners is a no-op."""

from __future__ import annotations

from flows.progress import listening, report


def test_reports_reach_listeners_while_listening() -> None:
    heard: list[tuple[str, int, int]] = []
    report("crawl", 0, 3)  # nobody listens: nothing happens
    with listening(lambda *args: heard.append(args)):
        report("crawl", 2, 3)
        report("load", 0, 1)
    report("publish", 0, 1)
    assert heard == [("crawl", 2, 3), ("load", 0, 1)]

"""The night's words for Prefect: a line per crawled source, the health rows, the state's message, the summary."""

from __future__ import annotations

from flows.night_report import alert_line, alert_message, crawl_line, health_rows, summary_markdown
from tests.publish import sample
from tests.warehouse.staging_kit import stats


def test_a_crawl_line_says_what_was_fetched_and_why_a_source_failed() -> None:
    healthy = stats(4, pages_fetched=6, pages_not_modified=2, pages_with_programs=3)
    assert crawl_line("lake", healthy) == "lake: fetched 6 pages (2 not modified), 4 programs on 3 pages"
    down = stats(
        0,
        pages_fetched=0,
        pages_failed=1,
        http_status={"500": 3},
        exceptions={"TimeoutError": 1},
        failed=True,
        error="all 1 start page(s) failed; last: HTTP 500\n  Call log:",
    )
    assert crawl_line("mesa", down) == (
        "mesa: fetched 0 pages (1 failed), 0 programs on 0 pages; HTTP 500 ×3, TimeoutError ×1; "
        "failed: all 1 start page(s) failed; last: HTTP 500 Call log:"
    )


def test_health_rows_name_institutions_and_reasons_and_the_state_message_the_sources_not_ok() -> None:
    events = [
        sample.event("a", 0, "source_failed", None, source_id="mesa", detail="HTTP 500 ×3\n  Call log:\n  - x"),
        sample.event("b", 0, "source_suspect", None, source_id="bay", detail="0 programs where the last ok run had 4"),
    ]
    verdicts = {"lake": "ok", "mesa": "failed", "bay": "suspect", "gulf": "failed"}
    rows = health_rows(verdicts, events, {"lake": "Lake University", "mesa": "High Mesa", "bay": "Bayside"})
    assert [(r["source_id"], r["institution"], r["verdict"], r["reason"]) for r in rows] == [
        ("bay", "Bayside", "suspect", "0 programs where the last ok run had 4"),
        ("gulf", "", "failed", ""),
        ("mesa", "High Mesa", "failed", "HTTP 500 ×3 Call log: - x"),
        ("lake", "Lake University", "ok", ""),
    ]
    assert alert_message(rows) == "2 sources failed (gulf, mesa); 1 source suspect (bay)"
    assert alert_line(rows[2]) == "mesa (High Mesa): failed: HTTP 500 ×3 Call log: - x"
    assert alert_message([r for r in rows if r["verdict"] == "ok"]) is None


def test_the_summary_names_institutions_verdicts_reasons_and_each_program_event_in_words() -> None:
    events = sample.events()
    rows = health_rows({"oldtown": "failed", "harbor": "ok"}, events, {"oldtown": "Old | Town"})
    text = summary_markdown("run-1", {"changed": 1, "new": 2, "closed": 0}, rows, events)
    assert text.startswith("# Night run-1\n\n1 changed, 2 new\n")
    assert "| oldtown | Old \\| Town | failed | connection refused on every start page |" in text
    assert (
        "- **changed** [Harbor Medical Center — Clinical Externship for IMGs: program fee $200 → $250; "
        "USMLE not stated → Step 1](https://harbor.example.edu/visiting/)" in text
    )
    assert "javascript:" not in text  # a hostile source URL is named, never linked
    assert "- **new** Ridgeview Medical Center — &lt;img src=x" in text and "<script>" not in text

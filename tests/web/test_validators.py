"""ETag / Last-Modified on every 200, and 304 for a conditional GET of an unchanged page."""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime

from demo.web import NIGHT_DATES, FixtureWeb
from tests.web.http import fetch

UNCHANGED = ("prairie-childrens", "/documents/observership-applicant-guide.pdf")
CHANGED = ("lakeshore-som", "/visiting/international-electives")  # its fee changes on night 2
ADDED = ("lakeshore-som", "/visiting/partner-school-electives")  # appears on night 2


def test_every_200_has_validators(fixture_web: FixtureWeb) -> None:
    for source_id in fixture_web.base_urls:
        for path in ("", "/robots.txt", "/contact/"):
            answer = fetch(fixture_web.url(source_id, path))
            assert answer.status == 200
            assert answer.headers["ETag"].startswith('"') and answer.headers["ETag"].endswith('"')
            assert parsedate_to_datetime(answer.headers["Last-Modified"]) == NIGHT_DATES[1]


def test_304_with_etag_and_with_if_modified_since(fixture_web: FixtureWeb) -> None:
    url = fixture_web.url(*UNCHANGED)
    first = fetch(url)
    by_etag = fetch(url, headers={"If-None-Match": first.headers["ETag"]})
    by_date = fetch(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert (by_etag.status, by_etag.body) == (304, b"")
    assert (by_date.status, by_date.body) == (304, b"")
    assert by_etag.headers["ETag"] == first.headers["ETag"]
    stale_tag = fetch(url, headers={"If-None-Match": '"something-else"'})
    earlier = format_datetime(NIGHT_DATES[1].replace(year=2025), usegmt=True)
    stale_date = fetch(url, headers={"If-Modified-Since": earlier})
    assert (stale_tag.status, stale_date.status) == (200, 200)
    assert stale_tag.body == first.body


def test_etag_wins_over_if_modified_since(fixture_web: FixtureWeb) -> None:
    url = fixture_web.url(*UNCHANGED)
    first = fetch(url)
    answer = fetch(url, headers={"If-None-Match": '"other"', "If-Modified-Since": first.headers["Last-Modified"]})
    assert answer.status == 200


def test_unchanged_pages_stay_304_across_nights(fixture_web: FixtureWeb) -> None:
    first = fetch(fixture_web.url(*UNCHANGED))
    for night in (2, 3):
        fixture_web.set_night(night)
        answer = fetch(fixture_web.url(*UNCHANGED), headers={"If-None-Match": first.headers["ETag"]})
        assert answer.status == 304, night
        assert answer.headers["Last-Modified"] == first.headers["Last-Modified"]


def test_changed_page_answers_200_with_new_validators(fixture_web: FixtureWeb) -> None:
    first = fetch(fixture_web.url(*CHANGED))
    fixture_web.advance()
    by_etag = fetch(fixture_web.url(*CHANGED), headers={"If-None-Match": first.headers["ETag"]})
    by_date = fetch(fixture_web.url(*CHANGED), headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert (by_etag.status, by_date.status) == (200, 200)
    assert by_etag.headers["ETag"] != first.headers["ETag"]
    assert parsedate_to_datetime(by_etag.headers["Last-Modified"]) == NIGHT_DATES[2]
    assert b"$650" in by_etag.body
    fixture_web.advance()  # night 3: unchanged since night 2
    again = fetch(fixture_web.url(*CHANGED), headers={"If-None-Match": by_etag.headers["ETag"]})
    assert again.status == 304
    assert parsedate_to_datetime(again.headers["Last-Modified"]) == NIGHT_DATES[2]


def test_new_page_is_dated_the_night_it_appeared(fixture_web: FixtureWeb) -> None:
    fixture_web.set_night(3)
    answer = fetch(fixture_web.url(*ADDED))
    assert parsedate_to_datetime(answer.headers["Last-Modified"]) == NIGHT_DATES[2]

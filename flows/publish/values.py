"""Plain-value helpers shared by the hub, the feed and the notifications.

Warehouse rows carry naive UTC datetimes, dates and lists; the published forms need aware times,
JSON-safe values and text that XML accepts. Scraped text is never trusted, so links are kept only
when they are http(s).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, overload

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@overload
def to_utc(value: datetime | date) -> datetime: ...
@overload
def to_utc(value: str | None) -> datetime | None: ...
def to_utc(value: datetime | date | str | None) -> datetime | None:
    """An aware UTC datetime from a datetime, a date or an ISO string; naive values are UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    elif not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def jsonable(value: Any) -> Any:
    """The value with datetimes as ISO strings and decimals as floats, for JSON."""
    if isinstance(value, datetime):
        return to_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def http_url(url: Any) -> str | None:
    """The URL if it is http(s), else None: other schemes (javascript:, data:) are never linked."""
    if isinstance(url, str) and re.match(r"^https?://[^\s]+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def xml_text(text: Any) -> str:
    """Text without the control characters XML cannot hold."""
    return _NOT_XML.sub("", "" if text is None else str(text))

"""The index's cards in a compact form: columns instead of repeated keys, every string once.

10,000 cards as plain JSON objects weigh 16 MB, most of it keys and the same few words ("not stated",
"verified on …") again and again, and a page's first render waits for its data to be read. Here a
block is `{"strings": [...], "cols": [...], "rows": [[...], ...]}`: each row holds one value per
column (nested keys flattened to "f.total"), every string an index into `strings` (most frequent
first, so the common ones are one digit; index 0 is null). A column of numbers is named with a
trailing "#" and keeps its numbers. hub.js reads it back with the same rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

NUMERIC = "#"


def _flatten(row: dict[str, Any], into: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    for key, value in row.items():
        if isinstance(value, dict):
            _flatten(value, into, f"{prefix}{key}.")
        else:
            into[prefix + key] = value
    return into


def _is_number_type(kind: type) -> bool:
    return issubclass(kind, int | float) and not issubclass(kind, bool)


def _is_number(value: Any) -> bool:
    return _is_number_type(type(value))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if type(item) is str:
                yield item
            else:
                yield from _strings(item)


def pack(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows of the same keys (strings, booleans, nulls, lists of them; numbers only at top level of a
    column) as one compact block. Worked column by column: 10,000 cards are 250,000 values."""
    flat = [_flatten(row, {}) for row in rows]
    names = list(flat[0]) if flat else []
    columns = {n: [r[n] for r in flat] for n in names}
    numeric = {n for n, values in columns.items() if any(map(_is_number_type, {type(v) for v in values}))}
    counts: Counter[str] = Counter()
    for name, values in columns.items():
        if name not in numeric:
            counts.update(v for v in values if isinstance(v, str))
            counts.update(s for v in values if isinstance(v, list) for s in _strings(v))
    strings: list[str | None] = [None, *(s for s, _ in counts.most_common())]
    index = {s: i for i, s in enumerate(strings)}

    def encode(value: Any, column: str) -> Any:
        if value is None or isinstance(value, str):
            return index[value]
        if isinstance(value, list):
            return [index[item] if type(item) is str else encode(item, column) for item in value]
        if _is_number(value):
            raise ValueError(f"hub cards: column {column!r} mixes numbers with strings")
        return value

    encoded = [
        values if name in numeric else [index[v] if type(v) is str else encode(v, name) for v in values]
        for name, values in columns.items()
    ]
    return {
        "strings": strings,
        "cols": [f"{n}{NUMERIC}" if n in numeric else n for n in names],
        "rows": [list(row) for row in zip(*encoded, strict=True)] if encoded else [[] for _ in flat],
    }


def unpack(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows `pack` was given (nested keys restored)."""
    strings = block["strings"]

    def decode(value: Any) -> Any:
        if _is_number(value):
            return strings[value]
        return [decode(item) for item in value] if isinstance(value, list) else value

    rows = []
    for values in block["rows"]:
        row: dict[str, Any] = {}
        for column, value in zip(block["cols"], values, strict=True):
            *parents, last = column.removesuffix(NUMERIC).split(".")
            target = row
            for key in parents:
                target = target.setdefault(key, {})
            target[last] = value if column.endswith(NUMERIC) else decode(value)
        rows.append(row)
    return rows

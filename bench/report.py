"""The benchmark's one table: each check with its measured ratio, its goal and PASS or MISS.

Verdicts are ratios of medians (A/B interleaved on the same machine), never absolute times: the
machine's load moves both sides of a ratio alike, the seconds themselves go in the detail column.
"""

from __future__ import annotations

import operator
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

COMPARE: dict[str, Callable[[float, float], bool]] = {"≥": operator.ge, "≤": operator.le}


@dataclass(frozen=True)
class Goal:
    """`measured OP threshold`, e.g. Goal("≥", 0.8)."""

    op: str
    threshold: float

    def met(self, measured: float) -> bool:
        return COMPARE[self.op](measured, self.threshold)

    def __str__(self) -> str:
        return f"{self.op} {self.threshold:g}"


@dataclass(frozen=True)
class Row:
    """One check: `measured` against `goal` (None: a figure shown without a verdict)."""

    check: str
    size: str
    measured: float
    goal: Goal | None
    detail: str = ""
    unit: str = "×"

    @property
    def verdict(self) -> str:
        if self.goal is None:
            return ""
        return "PASS" if self.goal.met(self.measured) else "MISS"


HEADERS = ("check", "size", "measured", "goal", "verdict", "detail")


def cells(row: Row) -> tuple[str, ...]:
    measured = f"{row.measured:.2f}{row.unit}" if row.unit == "×" else f"{row.measured:.2f} {row.unit}"
    return (row.check, row.size, measured, str(row.goal or ""), row.verdict, row.detail)


def render_table(rows: Sequence[Row]) -> str:
    """A plain-text table (it goes to a terminal or a log alike), then the count of checks met."""
    table = [HEADERS, *(cells(row) for row in rows)]
    widths = [max(len(line[k]) for line in table) for k in range(len(HEADERS) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)) + "  " + line[-1]
        for line in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  " + "-" * len(HEADERS[-1]))
    judged = [row for row in rows if row.goal is not None]
    passed = sum(row.verdict == "PASS" for row in judged)
    lines.append(f"{passed} of {len(judged)} goals met")
    return "\n".join(line.rstrip() for line in lines)


def seconds(values: Sequence[float]) -> str:
    """A median and its rounds, for a detail column: `12.3 s (12.1, 12.3, 14.0)`."""
    return f"{statistics.median(values):.2f} s ({', '.join(f'{v:.2f}' for v in values)})"

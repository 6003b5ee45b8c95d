"""The spider's one item: a page as staged, handed to the pipeline in one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contract.record import ProgramRecord
from contract.run_folder import PageEntry


@dataclass
class StagedPage:
    """One page's manifest entry with its program records, so a page costs one pass through Scrapy's
    item machinery instead of one per record.

    `records` were extracted this run; `kept` are the last run's records of a page that did not
    change, as that run staged them (JSON objects): they are written again with the entry's
    `fetched_at`, never rebuilt as models, which an unchanged night of thousands of pages would pay
    for record by record."""

    entry: PageEntry
    records: list[ProgramRecord] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)

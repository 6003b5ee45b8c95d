"""Where a data dir keeps things: one definition, so the CLI, the flow and the demo agree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "clerkships.duckdb"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def hub(self) -> Path:
        return self.exports / "index.html"

    @property
    def feed(self) -> Path:
        return self.exports / "events.atom"

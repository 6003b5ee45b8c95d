"""Where a data dir keeps things: one definition, so the CLI, the flow and the demo agree.

Two DuckDB files: `clerkships.duckdb` is the analysts' (a read-only snapshot, replaced after each
load; open it as you like) and `warehouse/writer.duckdb` is the night's own (only the load and the
publish step open it; an analyst who holds it blocks the night).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def db(self) -> Path:
        """The analysts' snapshot."""
        return self.root / "clerkships.duckdb"

    @property
    def writer_db(self) -> Path:
        """The file the load writes and the publish step reads."""
        return self.root / "warehouse" / "writer.duckdb"

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

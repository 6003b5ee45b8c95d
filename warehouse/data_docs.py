"""The README's data section: every table, view and column with its type and meaning, generated
from a freshly migrated warehouse and `warehouse.catalog`, the same source as the DuckDB comments
and the exports' JSON Schemas (`tests/docs/test_readme.py` keeps the README in step).

    python -m warehouse.data_docs   # rewrite the README's data section
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from contract.readme import GeneratedSection
from contract.record import RECORD_FIELDS
from warehouse.catalog import TABLES, describe
from warehouse.db import in_utc
from warehouse.fields import ENUMS
from warehouse.schema import RECORD_TABLES, migrate

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = GeneratedSection("data-contract")
INTRO = (
    "Generated from the record contract ([`contract/record.py`](contract/record.py)) and"
    " [`warehouse/catalog.py`](warehouse/catalog.py), as are the comments in the DuckDB file"
    " (`SELECT table_name, column_name, comment FROM duckdb_columns()`) and the JSON Schema beside each"
    " Parquet export. `null` always means the page does not say; every time is UTC."
)


def _shown(column: str, duckdb_type: str) -> str:
    """A column's type as the README shows it: a choice field by its values."""
    if duckdb_type.startswith("ENUM("):
        return "ENUM: " + ", ".join(f"`{value}`" for value in ENUMS[column])
    if duckdb_type == "TIMESTAMP WITH TIME ZONE":
        return "TIMESTAMPTZ"
    return duckdb_type.replace("[]", "\\[\\]")


def _rows(columns: list[tuple[str, str]]) -> list[str]:
    lines = ["| column | type | meaning |", "|---|---|---|"]
    lines += [f"| `{name}` | {_shown(name, kind)} | {describe(name).replace('|', '/')} |" for name, kind in columns]
    return lines


def data_markdown() -> str:
    """The data section: the record's columns once, then each table and view with the rest of its own."""
    con = duckdb.connect()
    in_utc(con)
    migrate(con, Path(":memory:"))
    columns: dict[str, list[tuple[str, str]]] = {name: [] for name in TABLES}
    for table, column, kind in con.execute(
        """SELECT table_name, column_name, data_type FROM duckdb_columns()
        WHERE database_name = current_database() ORDER BY table_name, column_index"""
    ).fetchall():
        columns[table].append((column, kind))
    con.close()
    record = [pair for pair in columns["programs"] if pair[0] in RECORD_FIELDS]
    lines = [INTRO, "", "**The program record**: every column of it is in `programs`, `program_versions` and"]
    lines += ["`observations` (and their exports).", "", *_rows(record)]
    for table, description in TABLES.items():
        lines += ["", f"**`{table}`**: {description}"]
        same = [other for other in TABLES if other != table and not other.startswith("v_")]
        if table.startswith("v_") and (like := next((o for o in same if columns[o] == columns[table]), None)):
            lines[-1] += f" Its columns are those of `{like}`."
            continue
        own = columns[table]
        if table in RECORD_TABLES:
            lines[-1] += " The record's columns, and:"
            own = [pair for pair in own if pair[0] not in RECORD_FIELDS]
        lines += ["", *_rows(own)]
    return "\n".join(lines)


def readme_section(text: str) -> str | None:
    """The generated part of the README, or None without its markers."""
    return SECTION.read(text)


def write_readme(readme: Path = README) -> None:
    """Replace the README's generated section with what the code says now."""
    SECTION.write(readme, data_markdown())


if __name__ == "__main__":
    write_readme()

"""A JSON Schema of one export's rows, from the DuckDB types of its columns and their meanings
(`warehouse.catalog`), so an app can check what it reads without reading our code."""

from __future__ import annotations

from typing import Any

import duckdb

from warehouse.catalog import JSON_SHAPES, TABLES, describe
from warehouse.fields import ENUMS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SCALARS: dict[str, dict[str, Any]] = {
    "VARCHAR": {"type": "string"},
    "BOOLEAN": {"type": "boolean"},
    "DOUBLE": {"type": "number"},
    "INTEGER": {"type": "integer"},
    "BIGINT": {"type": "integer"},
    "DATE": {"type": "string", "format": "date"},
    "TIMESTAMP WITH TIME ZONE": {"type": "string", "format": "date-time"},
    "VARCHAR[]": {"type": "array", "items": {"type": "string"}},
}


def value_schema(column: str, duckdb_type: str) -> dict[str, Any]:
    """The schema of one non-null value of a column."""
    if duckdb_type.startswith("ENUM("):
        return {"type": "string", "enum": list(ENUMS[column])}
    if duckdb_type == "JSON":
        return dict(JSON_SHAPES.get(column, {}))
    if duckdb_type not in _SCALARS:
        raise ValueError(f"column {column}: no JSON Schema for DuckDB type {duckdb_type}")
    return dict(_SCALARS[duckdb_type])


def column_schema(column: str, duckdb_type: str, nullable: bool) -> dict[str, Any]:
    value = value_schema(column, duckdb_type)
    schema = {"anyOf": [value, {"type": "null"}]} if nullable else value
    return {"description": describe(column), **schema}


def export_schema(rel: duckdb.DuckDBPyRelation, table: str, required: set[str]) -> dict:
    """The schema of a row of an export made from `table` (its meaning in TABLES): one property per
    column of `rel`, each present; those in `required` never null."""
    columns = [(name, str(kind)) for name, kind in zip(rel.columns, rel.types, strict=True)]
    return {
        "$schema": DIALECT,
        "title": table,
        "description": TABLES[table],
        "type": "object",
        "properties": {name: column_schema(name, kind, nullable=name not in required) for name, kind in columns},
        "required": [name for name, _ in columns],
        "additionalProperties": False,
    }

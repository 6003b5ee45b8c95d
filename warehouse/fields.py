"""The record's columns as the warehouse sees them, derived from the contract so they cannot drift."""

from __future__ import annotations

import types
from datetime import date
from typing import Literal, Union, get_args, get_origin

from contract.record import FACT_FIELDS, RECORD_FIELDS, ProgramRecord

_SCALARS: dict[object, str] = {str: "VARCHAR", bool: "BOOLEAN", float: "DOUBLE", int: "INTEGER", date: "DATE"}


def _unwrap(annotation: object) -> object:
    """`X | None` → X."""
    if get_origin(annotation) in (Union, types.UnionType):
        return next(arg for arg in get_args(annotation) if arg is not type(None))
    return annotation


def _describe(name: str) -> tuple[str, str, tuple[str, ...]]:
    """(DuckDB type, kind, allowed enum values) of one contract field."""
    annotation = _unwrap(ProgramRecord.model_fields[name].annotation)
    if name == "fetched_at":
        return "TIMESTAMP", "timestamp", ()
    if name == "program_key":
        return "VARCHAR", "key", ()
    if get_origin(annotation) is Literal:
        return "VARCHAR", "enum", get_args(annotation)
    if get_origin(annotation) is list:
        return "VARCHAR[]", "list", ()
    if get_origin(annotation) is dict:
        return "JSON", "json", ()
    if annotation is str:
        return "VARCHAR", "text", ()
    return _SCALARS[annotation], "value", ()


COLUMNS: dict[str, tuple[str, str, tuple[str, ...]]] = {name: _describe(name) for name in RECORD_FIELDS}
REQUIRED: tuple[str, ...] = tuple(
    name
    for name, field in ProgramRecord.model_fields.items()
    if field.is_required() or (COLUMNS[name][1] == "enum" and field.default is not None)
)
ENUMS: dict[str, tuple[str, ...]] = {name: allowed for name, (_, kind, allowed) in COLUMNS.items() if kind == "enum"}
"""The choice fields and their values, each stored as a DuckDB ENUM of its own."""
DIFF_FIELDS: tuple[str, ...] = FACT_FIELDS
"""Fields whose change is a `changed` event; identity columns and provenance are not."""


def enum_type(name: str) -> str:
    """The DuckDB ENUM type of a choice field."""
    return f"{name}_choice"


def enum_ddl(name: str) -> str:
    """SQL creating a choice field's ENUM type from the contract's values."""
    values = ", ".join(f"'{value}'" for value in ENUMS[name])
    return f"CREATE TYPE {enum_type(name)} AS ENUM ({values})"


def hashable(name: str) -> str:
    """SQL for a column as a fingerprint hashes it: a stored ENUM hashes by its position, so as text,
    the way its staged VARCHAR does."""
    return f"{name}::VARCHAR" if name in ENUMS else name


def collapse(expr: str) -> str:
    """SQL: whitespace runs → one space, trimmed, empty → NULL. The regex (the cost of reading a
    night) runs only on a value it would change: one with two spaces in a row or a tab, a newline,
    a form feed or a carriage return (the rest of what RE2 calls whitespace)."""
    runs = " OR ".join([f"contains({expr}, '  ')", *(f"contains({expr}, chr({code}))" for code in (9, 10, 12, 13))])
    return rf"nullif(trim(CASE WHEN {runs} THEN regexp_replace({expr}, '\s+', ' ', 'g') ELSE {expr} END), '')"


def normalized(name: str, expr: str) -> str:
    """SQL that cleans one raw staged value: whitespace collapsed, enums lower-case, lists trimmed."""
    _, kind, _ = COLUMNS[name]
    if kind == "text":
        return collapse(expr)
    if kind == "enum":
        return f"lower(trim({expr}))"
    if kind == "key":
        return f"coalesce({expr}, '')"
    if kind == "list":
        return f"list_transform({expr}, lambda x: {collapse('x')})"
    return expr


def comparable(name: str, expr: str) -> str:
    """SQL for comparing two versions of a field: list order does not count."""
    return f"list_sort({expr})" if COLUMNS[name][1] == "list" else expr

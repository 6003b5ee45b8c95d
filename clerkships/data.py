"""The published data as pandas DataFrames, typed as the data contract says.

Read from the analysts' snapshot (`<data dir>/clerkships.duckdb`, opened read-only: it is never
written in place, so holding it blocks nothing) or from the Parquet exports (`<data dir>/exports`).
Choice fields are categoricals in the contract's order, times are UTC-aware, numbers nullable
(`Int32`, `Float64`, `boolean`), lists are lists and `evidence` / `changes` are dicts.

    from clerkships import data
    programs = data.programs()                      # ./data, as the CLI's --data-dir
    open_now = programs[programs.status.eq("open") & programs.presence.eq("present")]
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from flows.paths import DataPaths
from warehouse.db import connect, in_utc
from warehouse.export import EVENTS_FILE, OBSERVATIONS, PROGRAMS_FILE
from warehouse.fields import ENUMS

Source = Literal["snapshot", "exports"]
DEFAULT_DATA_DIR = Path("data")
"""The CLI's default `--data-dir`."""
NULLABLE: dict[str, pd.api.extensions.ExtensionDtype] = {
    "BOOLEAN": pd.BooleanDtype(),
    "INTEGER": pd.Int32Dtype(),
    "BIGINT": pd.Int64Dtype(),
    "DOUBLE": pd.Float64Dtype(),
}
"""pandas' nullable dtypes, whether or not a column holds a null this time."""
CATEGORIES = ("presence", "event_type", "verdict")
"""Choice columns of the warehouse's own (not the record's): categoricals of the values present."""


def programs(data_dir: Path = DEFAULT_DATA_DIR, source: Source = "snapshot") -> pd.DataFrame:
    """Every program ever seen, in its current state (closed ones too: see `presence`)."""
    return _read(data_dir, source, "v_programs", PROGRAMS_FILE)


def events(data_dir: Path = DEFAULT_DATA_DIR, source: Source = "snapshot") -> pd.DataFrame:
    """Every event, newest first: new, changed (with `changes`), closed, reopened, source alerts."""
    return _read(data_dir, source, "v_events", EVENTS_FILE, "ORDER BY occurred_at DESC, event_id")


def observations(
    data_dir: Path = DEFAULT_DATA_DIR, source: Source = "snapshot", program_id: str | None = None
) -> pd.DataFrame:
    """Every record of every run as staged (or one program's, by its id), by run."""
    where = "WHERE program_id = $id OR observed_id = $id" if program_id is not None else ""
    params = {"id": program_id} if program_id is not None else None
    return _read(data_dir, source, "observations", OBSERVATIONS, f"{where} ORDER BY run_id, program_id", params)


def sources(data_dir: Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """Each source's health: its last verdict and why, its last ok run, its programs (snapshot only)."""
    return _read(data_dir, "snapshot", "v_source_health")


def history(program_id: str, data_dir: Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """Every state one program has had, oldest first, each valid from `valid_from` to `valid_to`
    (null: the current one); a renamed program's later id finds it too (snapshot only)."""
    where = """WHERE program_id = coalesce((SELECT any_value(program_id) FROM aliases WHERE alias_id = $id), $id)
    ORDER BY valid_from"""
    return _read(data_dir, "snapshot", "program_versions", tail=where, params={"id": program_id})


def _read(
    data_dir: Path,
    source: Source,
    table: str,
    export: str | None = None,
    tail: str = "",
    params: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """`SELECT * FROM table tail` over the snapshot, or over the Parquet export `export` that
    holds the same rows, typed."""
    paths = DataPaths(Path(data_dir))
    if source == "snapshot":
        if not paths.db.exists():
            raise FileNotFoundError(f"{paths.db}: {_MISSING}")
        con = connect(paths.db, read_only=True)
    elif source == "exports" and export is not None:
        path = paths.exports / export
        if not path.exists():
            raise FileNotFoundError(f"{path}: {_MISSING}")
        con = duckdb.connect()
        in_utc(con)
        files = f"{path}/*/*.parquet" if path.is_dir() else str(path)
        table = f"read_parquet('{files.replace(chr(39), chr(39) * 2)}', hive_partitioning = true)"
    else:
        raise ValueError(f"source {source!r}: {table} is read from the snapshot only")
    try:
        return typed(con.execute(f"SELECT * FROM {table} {tail}", params or {}))
    finally:
        con.close()


_MISSING = "nothing published yet: run `clerkships run` (or `clerkships demo`) first"


def typed(cursor: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The query's result as a DataFrame typed by its DuckDB column types."""
    kinds = {name: str(kind) for name, kind, *_ in cursor.description or []}
    frame = cursor.df()
    for name, kind in kinds.items():
        if convert := _converter(name, kind):
            frame[name] = convert(frame[name])
    return frame


def _converter(name: str, kind: str) -> Callable[[pd.Series], pd.Series] | None:
    if name in ENUMS:  # an ENUM in the snapshot, text in Parquet: the contract's categories either way
        return lambda column: column.astype(pd.CategoricalDtype(list(ENUMS[name])))
    if name in CATEGORIES:
        return lambda column: column.astype("category")
    if kind == "JSON":
        return lambda column: column.map(json.loads, na_action="ignore").astype(object)
    if kind.endswith("[]"):
        return lambda column: column.map(lambda v: list(v) if isinstance(v, np.ndarray | list) else None).astype(object)
    if nullable := NULLABLE.get(kind):
        return lambda column: column.astype(nullable)
    return None

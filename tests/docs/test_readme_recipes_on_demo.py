"""Each of the README's SQL recipes finds rows in the demo's warehouse: the demo shows what they do."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
RECIPES = re.findall(r"```sql\n(.*?)```", README, re.S)


def test_the_readme_has_its_recipes() -> None:
    assert len(RECIPES) >= 4


@pytest.mark.parametrize("sql", RECIPES, ids=[sql.splitlines()[0].lstrip("- ")[:60] for sql in RECIPES])
def test_recipe_returns_rows_on_the_demo(demo_data: Path, sql: str) -> None:
    with duckdb.connect(str(demo_data / "clerkships.duckdb"), read_only=True) as con:
        found = con.execute(sql).fetchall()
    assert found, f"no rows on the demo for:\n{sql}"

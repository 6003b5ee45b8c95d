"""The README documents every CLI command and the whole config model, exactly."""

from __future__ import annotations

import re
from pathlib import Path

from crawlers.config import reference_markdown
from flows.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_config_reference_is_generated_from_the_model() -> None:
    section = re.search(r"<!-- config-reference:start -->\n(.*?)<!-- config-reference:end -->", README, re.S)
    assert section, "README lacks the config reference markers"
    assert section.group(1).strip() == reference_markdown().strip()


def test_data_section_is_generated_from_the_contract() -> None:
    from warehouse.data_docs import data_markdown, readme_section

    section = readme_section(README)
    assert section, "README lacks the data-contract markers"
    assert section == data_markdown().strip(), "run: uv run python -m warehouse.data_docs"


def test_every_command_is_documented() -> None:
    cli_section = README.split("## CLI reference", 1)[1].split("\n## ", 1)[0]
    names = [command.name or getattr(command.callback, "__name__", "") for command in app.registered_commands]
    assert len(names) >= 7
    for name in names:
        assert f"`clerkships {name}" in cli_section, f"clerkships {name} is not in the README's CLI reference"


def test_sql_recipes_run_against_a_loaded_database(tmp_path: Path) -> None:
    import duckdb

    from tests.warehouse.staging_kit import record, write_run
    from warehouse import load_run

    runs_dir, db = tmp_path / "runs", tmp_path / "clerkships.duckdb"
    page = "http://lake.test/visiting"
    load_run(db, runs_dir, write_run(runs_dir, 0, {"lake": [record("lake", page, hands_on=True)]}))
    changed = record("lake", page, night=1, hands_on=True, audience="both", usmle_steps_required=[])
    load_run(db, runs_dir, write_run(runs_dir, 1, {"lake": [changed]}))
    recipes = re.findall(r"```sql\n(.*?)```", README, re.S)
    assert len(recipes) >= 4
    with duckdb.connect(str(db), read_only=True) as con:
        results = [con.execute(sql).fetchall() for sql in recipes]
    assert all(isinstance(rows, list) for rows in results)
    assert results[0], "the hands-on graduates recipe finds the program"
    assert results[2], "the no-USMLE recipe finds the program"

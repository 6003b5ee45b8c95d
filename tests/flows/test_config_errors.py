"""Bad configs and a damaged database file give one line on stderr, never a traceback."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.config.test_hostile_yaml import laughs
from tests.flows.test_cli_errors import CONFIG, clerkships, one_error_line
from tests.warehouse.staging_kit import record, write_run
from warehouse import WAREHOUSE_ERRORS, load_run


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return path


def test_validate_refuses_an_empty_source_list(tmp_path: Path) -> None:
    config = config_file(tmp_path, CONFIG.format(state="IL").split("sources:")[0] + "sources: []\n")
    assert one_error_line(clerkships("validate", "--config", str(config))) == (
        f"{config}:3: sources: no sources; add at least one"
    )


def test_validate_compiles_selectors(tmp_path: Path) -> None:
    config = config_file(tmp_path, CONFIG.format(state="IL") + "    selectors: {program_block: 'div..x'}\n")
    line = one_error_line(clerkships("validate", "--config", str(config)))
    assert line.startswith(f"{config}:9: sources[0].selectors.program_block: 'div..x' is not a valid CSS selector")


def test_validate_answers_an_alias_bomb_in_one_short_line(tmp_path: Path) -> None:
    config = config_file(tmp_path, laughs())
    line = one_error_line(clerkships("validate", "--config", str(config)))
    assert len(line) < 300 and line.startswith(f"{config}:22: YAML aliases expand to more than")


def test_validate_refuses_a_private_start_url(tmp_path: Path) -> None:
    text = CONFIG.format(state="IL").replace("http://lake.test/visiting", "http://169.254.169.254/")
    line = one_error_line(clerkships("validate", "--config", str(config_file(tmp_path, text))))
    assert line == (
        f"{tmp_path / 'sources.yaml'}:8: sources[0].start_urls[0]: 'http://169.254.169.254/' is a link-local "
        "address; set allow_private: true to crawl it"
    )


DISABLED = CONFIG.format(state="IL") + "    enabled: false\n"


def test_validate_counts_a_file_of_disabled_sources(tmp_path: Path) -> None:
    config = config_file(tmp_path, DISABLED)
    done = clerkships("validate", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert " ".join(done.stdout.split()) == f"{config}: ok, 1 sources (0 enabled)"  # rich may wrap it


def test_run_with_nothing_enabled_is_refused_before_it_starts(tmp_path: Path) -> None:
    config = config_file(tmp_path, DISABLED)
    line = one_error_line(clerkships("run", "--config", str(config), "--data-dir", str(tmp_path / "data")))
    assert line == f"{config}: no enabled source (all 1 have enabled: false); nothing to crawl"
    assert not (tmp_path / "data" / "runs").exists() or not any((tmp_path / "data" / "runs").iterdir())


def random_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(4096))
    return path


def cut_short(path: Path) -> Path:
    """A real warehouse file that lost its tail (a disk that filled up, a copy that stopped)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT range AS i, 'row ' || range AS label FROM range(200000)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


@pytest.mark.parametrize("damage", [random_file, cut_short], ids=["random bytes", "cut short"])
def test_status_on_a_damaged_database_is_one_line(tmp_path: Path, damage: Callable[[Path], Path]) -> None:
    db = damage(tmp_path / "data" / "clerkships.duckdb")
    line = one_error_line(clerkships("status", "--data-dir", str(tmp_path / "data")))
    assert line.startswith(f"{db}: not a DuckDB file or damaged (IO Error: ")


def test_loading_into_a_damaged_database_is_a_warehouse_error(tmp_path: Path) -> None:
    runs_dir = tmp_path / "runs"
    run = write_run(runs_dir, 0, {"lake": [record("lake", "http://lake.test/visiting")]})
    db = random_file(tmp_path / "clerkships.duckdb")
    with pytest.raises(WAREHOUSE_ERRORS, match=r"not a DuckDB file or damaged"):
        load_run(db, runs_dir, run, lock_timeout=1)

"""The config is parsed once per process and content: asking again is free, an edit is seen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crawlers.config import ConfigError, load_config
from tests.config.test_config import GOOD


def test_the_same_file_is_parsed_once(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD)
    assert load_config(path) is load_config(path)


def test_an_edit_is_seen_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD)
    first = load_config(path)
    stamp = path.stat()
    edited = GOOD.replace("Lakeshore University", "Lakeshore Universitz")
    assert len(edited) == len(GOOD)
    path.write_text(edited)
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # an edit within the clock's resolution
    second = load_config(path)
    assert first.sources[0].institution == "Lakeshore University"
    assert second.sources[0].institution == "Lakeshore Universitz"
    path.write_text(GOOD)
    assert load_config(path).sources[0].institution == "Lakeshore University"


def test_the_same_text_at_another_path_names_its_own_file(tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    for path in (one, two):
        path.write_text(GOOD.replace("city: Chicago", "city: Chicago\n    bogus: 1"))
        with pytest.raises(ConfigError) as caught:
            load_config(path)
        assert str(caught.value).startswith(f"{path}:")

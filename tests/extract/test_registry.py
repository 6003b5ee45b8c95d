"""The field registry orders finders by their declared dependencies and refuses bad declarations."""

from __future__ import annotations

import pytest

from crawlers.extract.fields.registry import Finder, finders, ordered
from tests.extract.scoring import FIELDS


def _finder(produces: str, *depends: str) -> Finder:
    return Finder((produces,), depends, lambda page: (None,))


def test_every_contract_field_has_one_finder() -> None:
    produced = [name for f in finders() for name in f.produces]
    assert len(produced) == len(set(produced)), "a field is produced by two finders"
    assert set(FIELDS) <= set(produced)


def test_each_finder_comes_after_what_it_reads() -> None:
    seen: set[str] = set()
    for f in finders():
        assert set(f.depends) <= seen, f"{f.produces} runs before {set(f.depends) - seen}"
        seen |= set(f.produces)


def test_order_is_derived_from_dependencies() -> None:
    got = ordered([_finder("c", "b"), _finder("b", "a"), _finder("a")])
    assert [f.produces[0] for f in got] == ["a", "b", "c"]


def test_unknown_dependency_is_named() -> None:
    with pytest.raises(ValueError, match=r"finder for status depends on unknown fields \['kind'\]"):
        ordered([_finder("status", "kind")])


def test_cycle_is_named() -> None:
    with pytest.raises(ValueError, match="cycle"):
        ordered([_finder("a", "b"), _finder("b", "a")])

"""The stages meet only in contract/: the warehouse imports nothing of the crawler, the crawler
nothing of the warehouse or the flows, and the contract none of them (read from the source, so a
lazy import inside a function counts too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "contract": {"crawlers", "warehouse", "flows", "clerkships", "demo", "bench"},
    "crawlers": {"warehouse", "flows", "clerkships", "demo", "bench"},
    "warehouse": {"crawlers", "flows", "clerkships", "demo", "bench"},
}


def imported_packages(path: Path) -> set[tuple[int, str]]:
    """(line, top-level package) of every import in the file, wherever it stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {(node.lineno, alias.name.split(".")[0]) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add((node.lineno, node.module.split(".")[0]))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_only_what_it_may(package: str) -> None:
    crossings = [
        f"{path.relative_to(REPO)}:{line}: imports {name}"
        for path in sorted((REPO / package).rglob("*.py"))
        for line, name in sorted(imported_packages(path))
        if name in FORBIDDEN[package]
    ]
    assert crossings == []


def test_the_check_sees_a_crossing(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from crawlers.run import crawl\n")
    assert (2, "crawlers") in imported_packages(module)

"""Hostile YAML gets one short line: aliases that expand without bound, huge values quoted in errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawlers.config import ALIAS_BUDGET, load_config
from tests.config.test_config import errors_for, replace

REPO = Path(__file__).resolve().parents[2]
DEPTH_LINE = "      max_depth: 2"  # line 18 of GOOD


def laughs(levels: int = 9, width: int = 10) -> str:
    """A "billion laughs" as a wrong-type max_depth: level k is `width` aliases of level k-1, one per line."""
    rows = ["      max_depth:", f"        - &l0 [{', '.join(['lol'] * width)}]"]
    rows += [f"        - &l{k} [{', '.join([f'*l{k - 1}'] * width)}]" for k in range(1, levels + 1)]
    return replace(DEPTH_LINE, "\n".join(rows))


def test_alias_bomb_is_one_short_line_naming_where_it_crosses_the_budget(tmp_path: Path) -> None:
    text = laughs()
    assert len(text.encode()) < 2000 and "*l8" in text  # 10**10 values once expanded
    [line] = errors_for(tmp_path, text)
    # level 3 is the first to pass the budget: 10 + 110 + 1110 values before it, 11110 in it
    assert line == f"22: YAML aliases expand to more than {ALIAS_BUDGET} values; write the values out"


def test_alias_bomb_costs_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(laughs())
    probe = (
        "import sys\n"
        "from crawlers.config import ConfigError, load_config\n"
        "try:\n    load_config(sys.argv[1])\nexcept ConfigError as e:\n    print(e)\n"
        # VmHWM is this process's own peak: ru_maxrss would carry over the peak of the process it was
        # forked from (a long pytest run's), across the exec.
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(path)], cwd=REPO, capture_output=True, text=True)
    error, peak_kb = done.stdout.splitlines()
    assert done.returncode == 0 and "YAML aliases expand" in error, done.stderr
    assert int(peak_kb) < 400_000  # the unbounded error line took 2.2 GB


def test_aliases_within_the_budget_still_work(tmp_path: Path) -> None:
    text = replace("    follow:\n      keywords: [rotation]", "    follow: &shared\n      keywords: [rotation]")
    text = text.replace("    wait_for:", "    follow: *shared\n    wait_for:")
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    lake, prairie = load_config(path).sources
    assert prairie.follow == lake.follow and prairie.follow.keywords == ["rotation"]


def test_a_value_that_contains_itself_is_refused(tmp_path: Path) -> None:
    text = replace("      keywords: [rotation]", "      keywords: &k [rotation, *k]")
    assert errors_for(tmp_path, text) == ["17: YAML alias *k is inside the value it names"]


@pytest.mark.parametrize(
    "value",
    [
        "[" + ", ".join(f"item{i}" for i in range(5000)) + "]",  # a long value, no alias
        "&w [" + ", ".join(["wide"] * 90) + "]\n      max_pages: [" + ", ".join(["*w"] * 100) + "]",  # 9000
        "[" + ", ".join(["x" * 110] * 6) + "]",
    ],
    ids=["long list", "aliases under the budget", "long strings"],
)
def test_a_wrong_type_value_is_quoted_short(tmp_path: Path, value: str) -> None:
    lines = errors_for(tmp_path, replace(DEPTH_LINE, f"      max_depth: {value}"))
    assert lines and all(len(line) < 300 for line in lines), [len(line) for line in lines]
    assert lines[0].startswith("18: sources[0].follow.max_depth: [")
    assert lines[0].endswith(": Input should be a valid integer") and ("..." in lines[0] or "…" in lines[0])

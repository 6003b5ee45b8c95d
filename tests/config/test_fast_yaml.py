"""The fast reader (crawlers.fast_yaml) gives exactly what ruamel's round-trip parser gives, or steps aside.

`load_config` trusts the fast reading of a file that validates, so a value read differently (YAML
1.1's `no` as false, `010` as 8) would silently change a source. Every case here must either come
out equal to ruamel's reading, type for type, or raise NeedsRoundTrip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from crawlers import config as config_module
from crawlers import fast_yaml
from crawlers.config import Config, load_config
from tests.config.test_config import GOOD

REPO = Path(__file__).resolve().parents[2]

# Plain scalars whose meaning depends on the YAML version or the parser, and ordinary ones.
SCALARS = """
    no yes on off y n Yes NO Off ~ null Null NULL nULL true True TRUE false False FALSE tRUE
    0 -0 +0 +1 12 -12 00 010 0o10 0O10 0x1F 0X1F 0b11 1_000 1__0 _1 1.5 -1.5 1.50 1. .5 0.0 -0.0
    1e3 1E3 1.0e3 1.0e+3 1e-3 .inf -.inf +.inf .Inf .NaN .nan 1:20 1:20:30.5 2026-12-01
    2026-12-01T03:00:00Z 2026-1-1 = < << 12abc 3D 0 3 * * * 1st 5 weeks $650 USD 20% 0.5% -
""".split()


def plain(value: Any) -> Any:
    """ruamel's round-trip values as the plain types they stand for (CommentedMap → dict, ScalarFloat →
    float, …), so they compare with the fast reading type for type."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    for kind in (bool, int, float, str):  # ruamel's ScalarBoolean, ScalarInt, ScalarFloat, string kinds
        if isinstance(value, kind):
            return kind(value)
    return value


def typed(value: Any) -> Any:
    """A value with its type spelled out, so True never equals 1 and 1.0 never equals 1."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def assert_same_or_steps_aside(text: str) -> None:
    try:
        fast = fast_yaml.load(text)
    except fast_yaml.NeedsRoundTrip:
        return
    try:
        slow = plain(YAML(typ="rt").load(text))
    except YAMLError as exc:
        pytest.fail(f"the fast reader read what ruamel refuses ({exc}): {text!r}")
    assert typed(fast) == typed(slow), text


@pytest.mark.parametrize("scalar", SCALARS)
def test_each_plain_scalar_reads_as_ruamel_reads_it(scalar: str) -> None:
    assert_same_or_steps_aside(f"key: {scalar}\nlist: [{scalar}]\n")


def test_the_forms_yaml_1_1_reads_otherwise_are_strings_or_step_aside() -> None:
    assert fast_yaml.load("a: no\nb: on\nc: y\nd: 1:20\n") == {"a": "no", "b": "on", "c": "y", "d": "1:20"}
    for text in ("a: 010", "a: 0x1F", "a: 1_000", "a: 2026-12-01", "a: .inf"):
        with pytest.raises(fast_yaml.NeedsRoundTrip):
            fast_yaml.load(text)


def test_a_duplicate_key_steps_aside_as_ruamel_refuses_it() -> None:
    with pytest.raises(fast_yaml.NeedsRoundTrip):
        fast_yaml.load("a: 1\nb: 2\na: 3\n")


def test_anchors_merges_and_block_scalars_read_alike() -> None:
    text = (
        "base: &polite\n  download_delay: 2.5\n  concurrency: 1\n"
        "one:\n  <<: *polite\n  concurrency: 2\n"
        "two: *polite\n"
        "note: |\n  Two lines\n  of text.\n"
        "folded: >\n  one\n  line\n"
        "quoted: ['no', \"010\", '2026-12-01']\n"
    )
    assert_same_or_steps_aside(text)
    assert fast_yaml.load(text)["one"] == {"download_delay": 2.5, "concurrency": 2}


PROJECT_YAML = sorted(
    str(path.relative_to(REPO)) for top in ("config", "crawlers", "tests") for path in (REPO / top).rglob("*.yaml")
)


@pytest.mark.parametrize("path", PROJECT_YAML)
def test_every_yaml_file_of_the_project_reads_alike(path: str) -> None:
    assert_same_or_steps_aside((REPO / path).read_text(encoding="utf-8"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-+._:eExXoObBnNtTfFyYsSlu~ =<", min_size=1, max_size=8))
def test_any_short_scalar_reads_alike_or_steps_aside(scalar: str) -> None:
    assert_same_or_steps_aside(f"key: {scalar}\n")


@pytest.mark.parametrize("name", ["GOOD", "config/sources.yaml"])
def test_the_fast_and_the_round_trip_reading_give_the_same_config(name: str) -> None:
    text = GOOD if name == "GOOD" else (REPO / name).read_text(encoding="utf-8")
    path = Path(name)
    fast = Config.model_validate(fast_yaml.load(text))
    slow = config_module._validated(path, config_module.parse_yaml(path, text))
    assert fast.model_dump() == slow.model_dump()


def test_a_file_the_fast_reader_steps_aside_from_loads_the_round_trip_way(tmp_path: Path) -> None:
    text = GOOD.replace("max_depth: 2", "max_depth: 0o3")  # YAML 1.2 octal: 3
    with pytest.raises(fast_yaml.NeedsRoundTrip):
        fast_yaml.load(text)
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    assert load_config(path).sources[0].follow.max_depth == 3

"""A config file as plain data at libyaml's speed, read as the round-trip parser reads it, or not at all.

`crawlers.config` reads the sources file with ruamel's round-trip parser, which remembers the line of
every value so each mistake can be named `file:line: field`. That parser is pure Python: 0.7 s for
200 sources, growing with the file (most of a 5,000-source night's start-up, paid by every process
that reads the config). A file that is fine needs no line numbers, so it is first read here with
PyYAML's C parser; only a file that fails to read or to validate is read again the slow way.

This reader must never give a value the round-trip parser would not. ruamel follows YAML 1.2;
PyYAML's own resolvers follow 1.1 (`no` is false, `010` is 8, `1:20` is 80). So none of PyYAML's
resolvers are used: plain scalars resolve by ruamel's 1.2 patterns, and any form whose meaning
could differ between the two (octal, hex, binary, underscores, exponents, infinities, dates, `=`)
or that ruamel refuses (duplicate keys) raises `NeedsRoundTrip`, and the caller reads the file with
ruamel. tests/config/test_fast_yaml.py holds both readers to the same result.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from ruamel.yaml import resolver as ruamel_resolver
from yaml.events import Event
from yaml.nodes import MappingNode, ScalarNode


class NeedsRoundTrip(Exception):
    """This text must be read by the round-trip parser (a form read differently, or an error to name)."""


FALLBACK = "tag:clerkships,2026:needs-round-trip"

# (tag, pattern, first characters): the forms both parsers read alike, tried first.
EXACT: tuple[tuple[str, str, list[str]], ...] = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$", list("-+0123456789")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^<<$", ["<"]),
)


class PlainLoader(yaml.CSafeLoader):
    """libyaml's parser with the YAML 1.2 resolution above and no silent duplicate keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [key.value for key, _ in node.value if isinstance(key, ScalarNode)]
        if len(keys) != len(set(keys)):
            raise NeedsRoundTrip("duplicate key")
        return dict(super().construct_mapping(node, deep=deep))


def _needs_round_trip(loader: PlainLoader, node: ScalarNode) -> None:
    raise NeedsRoundTrip(f"line {node.start_mark.line + 1}: {node.value!r}")


PlainLoader.yaml_implicit_resolvers = {}  # none of PyYAML's (YAML 1.1): only those added here
for _tag, _pattern, _first in EXACT:
    PlainLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)
# Then whatever else ruamel would read as a number, date or special value: read the file with ruamel.
for _versions, _tag, _regexp, _first in ruamel_resolver.implicit_resolvers:
    if (1, 2) in _versions:
        PlainLoader.add_implicit_resolver(FALLBACK, _regexp, _first)
PlainLoader.add_constructor(FALLBACK, _needs_round_trip)


def load(text: str) -> Any:
    """`text` as plain dicts, lists and scalars, exactly as ruamel's round-trip parser reads it;
    raises NeedsRoundTrip when that cannot be promised or the text is not valid YAML."""
    try:
        return yaml.load(text, Loader=PlainLoader)  # a safe loader: no Python objects
    except yaml.YAMLError as exc:
        raise NeedsRoundTrip(str(exc)) from None


def events(text: str) -> Iterator[Event]:
    """The parser events of `text` (anchors, aliases, collections), at C speed."""
    try:
        yield from yaml.parse(text, Loader=PlainLoader)
    except yaml.YAMLError as exc:
        raise NeedsRoundTrip(str(exc)) from None

"""Which program pages (and feeds) need rendering: only those whose inputs changed, so an unchanged
night renders and writes none of its thousands of pages.

A page carries the key of its inputs in a <meta> near its top: its row without the fields that move
on a night that changed nothing it states, its line beside the status, its history, and the code and
templates that render it. A page on disk with the same key would be rendered to the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson

import contract.events
from flows.publish.cards import PageLine
from warehouse.history import History

NIGHTLY = frozenset({"last_seen", "last_run_id", "fetched_at", "missing_runs", "page_sha256"})
"""Fields that move on nights that change nothing on the page; none of them is on it (a test holds
that a page rendered with each of them changed is the same)."""
KEY_NAME = "clerkships-inputs"
_KEY = re.compile(rb'<meta name="' + KEY_NAME.encode() + rb'" content="([0-9a-f]{32})">')
_HEAD = 512  # the key is in the first bytes of a page
_RENDERER = (Path(__file__).parent, Path(contract.events.__file__))  # the hub's code and templates, the events' words


@cache
def renderer() -> bytes:
    """A digest of what turns inputs into a page: a change to any of it renders every page again."""
    libraries = " ".join(version(name) for name in ("jinja2", "markupsafe", "feedgen", "lxml"))
    digest = hashlib.blake2b(libraries.encode(), digest_size=16)
    files = [p for root in _RENDERER for p in ([root] if root.is_file() else sorted(root.rglob("*")))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def digest(inputs: Any) -> str:
    """The key of what a file is rendered from, with the renderer's: orjson writes dates, times and
    dataclasses, anything else by its repr (the warehouse's column order is fixed, so equal inputs
    have one encoding)."""
    encoded = orjson.dumps(inputs, default=repr, option=orjson.OPT_NON_STR_KEYS)
    return hashlib.blake2b(encoded, digest_size=16, key=renderer()).hexdigest()


def key(program: dict[str, Any], line: PageLine, history: History) -> str:
    """The key of everything the program's page is rendered from."""
    program_id = program["program_id"]
    return digest(
        (
            {name: value for name, value in program.items() if name not in NIGHTLY},
            line,
            history.events.get(program_id),
            history.versions.get(program_id),
        )
    )


def key_on_disk(path: Path, marker: re.Pattern[bytes] = _KEY) -> str | None:
    """The key a file on disk was rendered from, found by its `marker` in its first bytes; None when
    there is no file (or not one of ours)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        found = marker.search(os.read(fd, _HEAD))
    finally:
        os.close(fd)
    return found.group(1).decode() if found else None

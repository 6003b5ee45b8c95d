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


def test_every_command_is_documented() -> None:
    cli_section = README.split("## CLI reference", 1)[1].split("\n## ", 1)[0]
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert len(names) >= 7
    for name in names:
        assert f"`clerkships {name}" in cli_section, f"clerkships {name} is not in the README's CLI reference"

"""The README's coverage table: which institutions the config watches, state by state.

A student deciding where to apply wants to know whether their state, or the one they hope to move
to, is covered at all; a maintainer wants to see the gaps. Both read the same table, generated
from the config so it can never claim a source that is not there (`tests/config/test_coverage.py`
keeps the README in step).

    python -m crawlers.coverage   # rewrite the README's table from config/sources.yaml
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from contract.readme import GeneratedSection
from crawlers.config import US_STATES, Config, load_config

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CONFIG = ROOT / "config" / "sources.yaml"
SECTION = GeneratedSection("coverage-table")

STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "GU": "Guam",
    "VI": "U.S. Virgin Islands", "AS": "American Samoa", "MP": "Northern Mariana Islands",
}  # fmt: skip


def label(institution: str, campus: str | None) -> str:
    """How a source appears in the table: the institution, and its campus when it has one."""
    return f"{institution} ({campus})" if campus else institution


def by_state(config: Config) -> dict[str, list[str]]:
    """State code → sorted institution (campus) names of its enabled sources; a name listed once."""
    states: dict[str, set[str]] = defaultdict(set)
    for source in config.sources:
        if source.enabled:
            states[source.state].add(label(source.institution, source.campus))
    return {state: sorted(names, key=str.casefold) for state, names in states.items()}


def coverage_markdown(config: Config) -> str:
    """The README's coverage table: one row per state with a source, then the states without one."""
    states = by_state(config)
    lines = ["| state | count | institutions and campuses |", "|---|---|---|"]
    for state in sorted(states, key=lambda code: STATE_NAMES[code]):
        names = "; ".join(name.replace("|", "/") for name in states[state])
        lines.append(f"| {STATE_NAMES[state]} ({state}) | {len(states[state])} | {names} |")
    total = sum(len(names) for names in states.values())
    places = f"{len(states)} of the {len(US_STATES)} states, DC and territories"
    lines += ["", f"{total} institutions or campuses in {places}."]
    missing = sorted(US_STATES - states.keys(), key=lambda code: STATE_NAMES[code])
    if missing:
        lines.append("None yet in: " + ", ".join(f"{STATE_NAMES[code]} ({code})" for code in missing) + ".")
    return "\n".join(lines)


def readme_section(text: str) -> str | None:
    """The generated part of the README, or None without its markers."""
    return SECTION.read(text)


def write_readme(config_path: Path = CONFIG, readme: Path = README) -> None:
    """Replace the README's generated section with what the code says now."""
    SECTION.write(readme, coverage_markdown(load_config(config_path)))


if __name__ == "__main__":
    write_readme()

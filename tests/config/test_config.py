"""Every kind of bad config gives one line naming file, exact line and field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawlers.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
settings:
  user_agent: "clerkships-test/0.1 (+https://example.org/contact)"
  closure_grace_runs: 2
  schedule:
    cron: "0 3 * * *"
    timezone: America/Chicago
  notify: []
sources:
  - id: lakeshore
    institution: Lakeshore University
    city: Chicago
    state: IL
    start_urls:
      - https://www.lakeshore.edu/visiting/
    render: static
    follow:
      keywords: [rotation]
      max_depth: 2
  - id: prairie
    institution: Prairie Health
    city: Omaha
    state: NE
    start_urls: [https://prairie.org/observers]
    allowed_hosts: [prairie.org]
    render: js
    wait_for: "#programs"
"""


def errors_for(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert all(line.startswith(f"{path}:") for line in info.value.lines)
    return [line.removeprefix(f"{path}:") for line in info.value.lines]


def replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_good_config_loads(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD)
    cfg = load_config(path)
    assert [s.id for s in cfg.enabled_sources()] == ["lakeshore", "prairie"]
    lakeshore = cfg.sources[0]
    assert lakeshore.hosts == ["lakeshore.edu"]
    assert lakeshore.allows("http://lakeshore.edu/visiting/electives")
    assert not lakeshore.allows("https://other.edu/visiting/")
    assert cfg.sources[1].allows("https://apply.prairie.org/form")
    assert lakeshore.follow.max_pages == 40  # sane default


# (name, config text, expected lines without the file prefix)
CASES = [
    ("not yaml", "settings: [unclosed\nsources: []\n", ["2: not valid YAML: expected ',' or ']'"]),
    ("empty file", "", ["1: the config is empty"]),
    ("only a comment", "# nothing here\n", ["1: the config is empty"]),
    ("tab indentation", replace("    city: Chicago", "\tcity: Chicago"), ["11: tab character in indentation"]),
    ("not a mapping", "- just\n- a list\n", ["1: the config must be a mapping"]),
    (
        "unknown key",
        replace("    start_urls:\n      - https://www.lake", "    strat_urls:\n      - https://www.lake"),
        [
            "9: sources[0].start_urls: required field is missing",
            "13: sources[0].strat_urls: unknown key (did you mean 'start_urls'?)",
        ],
    ),
    (
        "unknown settings key",
        replace("  closure_grace_runs: 2", "  closure_grace: 2"),
        ["3: settings.closure_grace: unknown key (did you mean 'closure_grace_runs'?)"],
    ),
    (
        "duplicate id",
        replace("  - id: prairie", "  - id: lakeshore"),
        ["19: sources[1].id: duplicate source id 'lakeshore'"],
    ),
    (
        "duplicate yaml key",
        replace("    city: Chicago", "    city: Chicago\n    city: Evanston"),
        ["12: not valid YAML: found duplicate key"],
    ),
    (
        "bad url",
        replace("      - https://www.lakeshore.edu/visiting/", "      - https://www.lake shore.edu/"),
        ["13: sources[0].start_urls: 'https://www.lake shore.edu/' is not a valid URL"],
    ),
    (
        "non-http scheme",
        replace("[https://prairie.org/observers]", "[ftp://prairie.org/observers]"),
        ["23: sources[1].start_urls: 'ftp://prairie.org/observers' is not an http(s) URL"],
    ),
    (
        "bad state",
        replace("    state: NE", "    state: Ohio"),
        ["22: sources[1].state: 'Ohio' is not a 2-letter US state code"],
    ),
    (
        "bad enum",
        replace("    render: js", "    render: dynamic"),
        ["25: sources[1].render: 'dynamic': Input should be 'static' or 'js'"],
    ),
    (
        "bad cron",
        replace('cron: "0 3 * * *"', 'cron: "0 25 * * *"'),
        ["5: settings.schedule.cron: '0 25 * * *' is not a valid cron expression"],
    ),
    (
        "bad timezone",
        replace("timezone: America/Chicago", "timezone: Mars/Olympus"),
        ["6: settings.schedule.timezone: 'Mars/Olympus' is not an IANA time zone"],
    ),
    (
        "wrong type",
        replace("      max_depth: 2", "      max_depth: deep"),
        ["18: sources[0].follow.max_depth: 'deep': Input should be a valid integer"],
    ),
    (
        "wrong container type",
        replace("    follow:\n      keywords: [rotation]", "    follow:\n      keywords: rotation"),
        ["17: sources[0].follow.keywords: 'rotation': Input should be a valid list"],
    ),
    (
        "start url outside allowed hosts",
        replace("allowed_hosts: [prairie.org]", "allowed_hosts: [prairie.com]"),
        ["23: sources[1].start_urls[0]: 'https://prairie.org/observers' is outside allowed_hosts"],
    ),
    (
        "wait_for without js",
        replace("    render: js", "    render: static"),
        ["26: sources[1].wait_for: wait_for only applies to render: js"],
    ),
    (
        "missing user agent contact",
        replace('"clerkships-test/0.1 (+https://example.org/contact)"', "clerkships"),
        ["2: settings.user_agent: must name a contact URL or e-mail"],
    ),
    (
        "missing settings",
        "# no settings\nsources: []\n",
        ["2: settings: required field is missing", "2: sources: no sources; add at least one"],
    ),
    (
        "bad selector field",
        replace("    render: static", "    render: static\n    selectors:\n      fields: {fee: '.x'}"),
        ["17: sources[0].selectors.fields: 'fee' is not a field of the program record"],
    ),
    ("no sources", GOOD[: GOOD.index("sources:")] + "sources: []\n", ["8: sources: no sources; add at least one"]),
    (
        "program block that does not compile",
        replace("    render: static", "    render: static\n    selectors:\n      program_block: 'section..program'"),
        ["17: sources[0].selectors.program_block: 'section..program' is not a valid CSS selector (Expected ident"],
    ),
    (
        "field selector that does not compile",
        replace("    render: static", "    render: static\n    selectors:\n      fields:\n        program_name: 'h1['"),
        ["18: sources[0].selectors.fields.program_name: 'h1[' is not a valid CSS selector (Expected ident"],
    ),
    (
        "wait_for that does not compile",
        replace('wait_for: "#programs"', 'wait_for: "#programs:hover("'),
        ["26: sources[1].wait_for: '#programs:hover(' is not a valid CSS selector (Expected an argument"],
    ),
    (
        "bad grace",
        replace("  closure_grace_runs: 2", "  closure_grace_runs: 0"),
        ["3: settings.closure_grace_runs: Input should be greater than or equal to 1"],
    ),
    (
        "staging on a filesystem fsspec does not know",
        replace("  notify: []", "  notify: []\n  staging_url: nope://bucket/runs"),
        ["8: settings.staging_url: 'nope://bucket/runs': Protocol not known: nope"],
    ),
    (
        "staging on a relative path",
        replace("  notify: []", "  notify: []\n  staging_url: shared/runs"),
        ["8: settings.staging_url: 'shared/runs' is neither an fsspec URL (scheme://...) nor an absolute path"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_config_names_line_and_field(tmp_path: Path, text: str, expected: list[str]) -> None:
    lines = errors_for(tmp_path, text)
    assert len(lines) == len(expected), lines
    for got, want in zip(lines, expected, strict=True):
        assert got.startswith(want), (got, want)


def test_selectors_that_compile_pass(tmp_path: Path) -> None:
    block = "    selectors:\n      program_block: 'section.program, div > article:not(.old)'\n"
    fields = "      fields:\n        program_name: 'h2:first-of-type'\n"
    fields += "        application_fee_usd: 'td:contains(\"Fee\") + td'\n"
    path = tmp_path / "sources.yaml"
    path.write_text(replace("    render: static\n", "    render: static\n" + block + fields))
    selectors = load_config(path).sources[0].selectors
    assert selectors and selectors.fields["program_name"] == "h2:first-of-type"


def test_staging_on_s3_or_a_shared_path_passes(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    for url in ("s3://clerkships/runs", "/mnt/shared/runs"):
        path.write_text(replace("  notify: []", f"  notify: []\n  staging_url: {url}"))
        assert load_config(path).settings.staging_url == url


def test_a_run_of_only_disabled_sources_is_refused_in_one_line(tmp_path: Path) -> None:
    """Valid to `validate` (sources parked with enabled: false), but a run would have nothing to crawl."""
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD.replace("    render: ", "    enabled: false\n    render: "))
    cfg = load_config(path)
    assert [s.enabled for s in cfg.sources] == [False, False]
    with pytest.raises(ConfigError) as info:
        cfg.enabled_sources()
    assert info.value.lines == [f"{path}: no enabled source (all 2 have enabled: false); nothing to crawl"]
    assert [s.id for s in cfg.enabled_sources(["prairie"])] == ["prairie"]  # naming one still runs it


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.yaml: cannot read config"):
        load_config(tmp_path / "missing.yaml")


def test_real_config_is_valid() -> None:
    cfg = load_config(REPO / "config" / "sources.yaml")
    assert len(cfg.sources) >= 60
    assert all(s.city and len(s.state) == 2 for s in cfg.sources)
    assert cfg.settings.closure_grace_runs == 2


def test_validate_command(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(replace("    state: NE", "    state: Ohio"))
    run = subprocess.run(
        [sys.executable, "-m", "flows", "validate", "--config", str(bad)], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert run.stderr.strip() == f"{bad}:22: sources[1].state: 'Ohio' is not a 2-letter US state code"
    good = subprocess.run(
        [sys.executable, "-m", "flows", "validate", "--config", str(REPO / "config" / "sources.yaml")],
        capture_output=True,
        text=True,
    )
    assert good.returncode == 0, good.stderr
    assert f"ok, {len(load_config(REPO / 'config' / 'sources.yaml').sources)} sources" in good.stdout

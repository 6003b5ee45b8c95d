"""A config cannot point the crawler at its own machine or network unless a source opts in."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.addresses import private_reason
from crawlers.config import load_config
from tests.config.test_config import GOOD, errors_for, replace

LAKE_URL = "      - https://www.lakeshore.edu/visiting/"

REFUSED = [
    ("169.254.169.254", "a link-local address"),  # the cloud metadata service
    ("10.1.2.3", "a private address"),
    ("172.16.0.1", "a private address"),
    ("192.168.1.1", "a private address"),
    ("127.0.0.1", "a loopback address"),
    ("127.9.9.9", "a loopback address"),
    ("0.0.0.0", "an unspecified address"),
    ("[::1]", "a loopback address"),
    ("[fe80::1]", "a link-local address"),
    ("[fe80::1%25eth0]", "a link-local address"),
    ("[fc00::1]", "a private address"),
    ("[fd12:3456::1]", "a private address"),
    ("[::ffff:127.0.0.1]", "a loopback address"),
    ("[::]", "an unspecified address"),
    ("224.0.0.1", "a multicast address"),
    ("240.0.0.1", "a private address"),
    ("100.64.0.1", "a non-public address"),
    ("2130706433", "a loopback address"),  # 127.0.0.1 as one decimal number
    ("0x7f.1", "a loopback address"),
    ("0177.0.0.1", "a loopback address"),
    ("0xa9fea9fe", "a link-local address"),  # 169.254.169.254 in hex
    ("127.1", "a loopback address"),
    ("localhost", "a local name"),
    ("LOCALHOST.", "a local name"),
    ("admin.localhost", "a local name"),
    ("metadata.google.internal", "a local name"),
    ("printer.local", "a local name"),
    ("intranet", "a local name"),
]


@pytest.mark.parametrize(("host", "reason"), REFUSED, ids=[h for h, _ in REFUSED])
def test_a_start_url_on_a_private_host_names_line_field_and_way_out(tmp_path: Path, host: str, reason: str) -> None:
    url = f"http://{host}:8080/visiting/"
    [line] = errors_for(tmp_path, replace(LAKE_URL, f"      - {url}"))
    assert line == f"14: sources[0].start_urls[0]: {url!r} is {reason}; set allow_private: true to crawl it"


@pytest.mark.parametrize("host", ["lakeshore.edu", "8.8.8.8", "[2606:4700::1]", "cafe.de", "1e100.net", "a.b.c.test"])
def test_public_hosts_pass(tmp_path: Path, host: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(replace(LAKE_URL, f"      - http://{host}/visiting/"))
    assert load_config(path).sources[0].start_urls == [f"http://{host}/visiting/"]


def test_an_allowed_host_on_a_private_network_is_refused(tmp_path: Path) -> None:
    text = replace("allowed_hosts: [prairie.org]", "allowed_hosts: [prairie.org, 192.168.0.10:8000]")
    assert errors_for(tmp_path, text) == [
        "24: sources[1].allowed_hosts[1]: '192.168.0.10:8000' is a private address; set allow_private: true to crawl it"
    ]


def test_allow_private_opts_a_source_in(tmp_path: Path) -> None:
    default = tmp_path / "default.yaml"
    default.write_text(GOOD)
    assert not load_config(default).sources[0].allow_private  # off unless set
    text = replace(LAKE_URL, "      - http://127.0.0.2:8080/visiting/\n    allow_private: true")
    hosts = "allowed_hosts: [prairie.org, localhost]\n    allow_private: true"
    text = text.replace("allowed_hosts: [prairie.org]", hosts)
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    lake, prairie = load_config(path).sources
    assert lake.allow_private and lake.hosts == ["127.0.0.2:8080"]
    assert prairie.allows("http://localhost/observers")


def test_reason_is_judged_on_the_host_text_only() -> None:
    """No DNS at validate time: a public-looking name is public, whatever it resolves to."""
    assert private_reason("127.0.0.1.nip.io") is None
    assert private_reason("999.1.1.1") is None  # no address at all; no resolver reads it as one

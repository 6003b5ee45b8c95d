"""Is a host off-limits for a crawler that runs on our own machine? (server-side request safety)

A config that names 169.254.169.254, 10.0.0.5, [::1] or `localhost` would make the nightly crawl
fetch the cloud's metadata service or the private network, and store what it finds. Such hosts are
refused unless a source opts in with `allow_private: true` (the loopback fixture webs of the tests do).

Only the text of the host is judged: DNS is not resolved at validate time (it needs the network and its
answer may change by night), so a public name that resolves to a private address is out of reach of
validation.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import unquote

# IPv4 as urllib, Twisted and the C resolver also read it: 2130706433, 0x7f.1, 0177.0.0.1, 127.1.
NUMERIC_V4 = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}$")
# Names that only ever mean "this machine" or "this network" (RFC 6761, RFC 6762, RFC 8375, ICANN 2024).
LOCAL_SUFFIXES = ("localhost", "localdomain", "local", "internal", "home.arpa")
# (test, reason), first match wins: 169.254.169.254 is link-local before it is private.
KINDS = (
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_unspecified", "an unspecified address"),
    ("is_multicast", "a multicast address"),
    ("is_private", "a private address"),
    ("is_reserved", "a reserved address"),
)


def private_reason(host: str) -> str | None:
    """Why `host` (as in a URL, brackets and port removed) is not a public host, or None when it is."""
    host = unquote(host).strip().lower().rstrip(".")
    address = ip_of(host)
    if address is None:
        if "." not in host or any(host == s or host.endswith("." + s) for s in LOCAL_SUFFIXES):
            return "a local name"
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for test, reason in KINDS:
        if getattr(address, test):
            return reason
    return None if address.is_global else "a non-public address"


def ip_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host literally is, in any form a resolver accepts; None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if NUMERIC_V4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None  # e.g. 999.1.1.1: no address, and no resolver finds it either
    return None

"""Addresses a public host should never resolve to: private, shared, loopback and reserved ranges.

A public whitelist host that a resolver answers with such an address means something between the
machine and the internet made it up: a hijacking resolver, a proxy handing out fake IPs (Clash,
Surge and the like use 198.18.0.0/15), or split-horizon DNS that gives the inside view. A phone on
a mobile network would get another answer, or none that it can reach, so the check says so
instead of passing on an address that works only here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class ReservedRange:
    """A range no public host should be in, and what an answer in it means."""

    network: str
    meaning: str


_RANGES: tuple[ReservedRange, ...] = (
    ReservedRange("0.0.0.0/8", "'this network', not an address to connect to"),
    ReservedRange("10.0.0.0/8", "a private network"),
    ReservedRange("100.64.0.0/10", "carrier-grade NAT, shared inside an operator's network"),
    ReservedRange("127.0.0.0/8", "this machine (loopback)"),
    ReservedRange("169.254.0.0/16", "link-local, the local link only (cloud metadata lives here)"),
    ReservedRange("172.16.0.0/12", "a private network"),
    ReservedRange("192.0.0.0/24", "reserved for protocol assignments"),
    ReservedRange("192.0.2.0/24", "reserved for documentation"),
    ReservedRange("192.168.0.0/16", "a private network"),
    ReservedRange("198.18.0.0/15", "the benchmarking range that proxies hand out as fake IPs"),
    ReservedRange("198.51.100.0/24", "reserved for documentation"),
    ReservedRange("203.0.113.0/24", "reserved for documentation"),
    ReservedRange("224.0.0.0/4", "multicast"),
    ReservedRange("240.0.0.0/4", "reserved (and the broadcast address)"),
    ReservedRange("::/128", "the unspecified address"),
    ReservedRange("::1/128", "this machine (loopback)"),
    ReservedRange("100::/64", "the discard range"),
    ReservedRange("2001:db8::/32", "reserved for documentation"),
    ReservedRange("fc00::/7", "a private network (unique local)"),
    ReservedRange("fe80::/10", "link-local, the local link only"),
    ReservedRange("ff00::/8", "multicast"),
)


@cache
def _networks() -> tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ReservedRange], ...]:
    return tuple((ipaddress.ip_network(r.network), r) for r in _RANGES)


def reserved_range(address: str) -> ReservedRange | None:
    """The private or reserved range `address` is in, or None for a public address (or not an
    address at all). An IPv4-mapped IPv6 address is judged as its IPv4 address."""
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    for network, found in _networks():
        if parsed.version == network.version and parsed in network:
            return found
    return None

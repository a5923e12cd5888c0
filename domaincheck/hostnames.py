"""Hostname syntax: is a string a bare, public DNS hostname as a whitelist entry or registry host needs?

Shared by the registry loader and the static whitelist checks, so both reject the same things and
say why in the same words.
"""

from __future__ import annotations

import re

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)


def hostname_problem(host: str) -> str | None:
    """Says what keeps `host` from being a bare public hostname (LDH labels, a dot, no IP), or None.

    Internationalised names must be in their ASCII `xn--` form; a scheme, port, path or wildcard is
    reported as such, since those are the usual ways a pasted entry goes wrong.
    """
    if not host:
        return "it is empty"
    if "://" in host:
        return "it has a scheme; write the bare host"
    if "/" in host:
        return "it has a path; write the bare host"
    if ":" in host:
        return "it has a port; write the bare host"
    if "*" in host:
        return "it is a wildcard"
    if any(c.isspace() for c in host):
        return "it contains whitespace"
    if not host.isascii():
        return "it is not ASCII; write an internationalised name in its xn-- form"
    if host.endswith("."):
        return "it ends with a dot"
    if len(host) > 253:
        return "it is longer than 253 characters"
    labels = host.split(".")
    for label in labels:
        if not label:
            return "it has an empty label (two dots in a row or a leading dot)"
        if len(label) > 63:
            return f"its label {label[:20]!r}... is longer than 63 characters"
        if not _LABEL.fullmatch(label):
            return f"its label {label!r} is not letters, digits and inner hyphens"
    if len(labels) < 2:
        return "it has no dot, so it is not a public hostname"
    if labels[-1].isdigit():
        return "it is an IP address or ends in a numeric label"
    return None


def is_valid_hostname(host: str) -> bool:
    """True when `host` is a bare public hostname (see `hostname_problem` for the reasons it is not)."""
    return hostname_problem(host) is None

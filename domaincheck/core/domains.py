"""Whitelist entries and URLs taken apart: scheme, host (as an A-label), port and path.

Entries come from the registry, from the user's `--extra` domains and from lists pasted out of a
console, so they arrive in every shape: `https://Host:443/path`, `wss://host`, a bare host with a
trailing dot, upper case, or a Unicode name. `parse_entry` never raises: what is wrong with an entry
is recorded on it, and `domaincheck.whitelist.static_checks` turns that into findings.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum

# Characters that a full stop may arrive as in pasted Chinese text (UTS 46 maps them to ".").
_DOTS = str.maketrans({"。": ".", "．": ".", "｡": "."})
_SCHEME_PATTERN = r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$"
_LDH_LABEL_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    """Compiled on first use: the whitelist command often parses nothing."""
    return re.compile(pattern, re.DOTALL)


_MAX_HOST_LENGTH = 253


class HostKind(StrEnum):
    """What the host part of an entry is; only `name` can ever be whitelisted."""

    NAME = "name"  # a valid DNS name (IDNA-encoded when it was Unicode)
    IPV4 = "ipv4"
    IPV6 = "ipv6"
    LOCALHOST = "localhost"  # localhost, *.localhost, or a loopback IP literal
    WILDCARD = "wildcard"  # "*.example.com" or any "*" in the host
    INVALID = "invalid"  # not a hostname: bad characters, label lengths, IDNA, empty


@dataclass(frozen=True)
class ParsedEntry:
    """One whitelist entry or URL, taken apart and normalised.

    `host` is lower case, without a trailing dot, and an A-label (`xn--...`) when the input was a
    Unicode name; IPv6 literals are held without brackets. `port` is the port as written (None when
    the entry names none: `:443` is not the same as no port on WeChat). `path` is everything after
    the host (path, query, fragment) as written. `problems` lists why the host or port is unusable.
    """

    original: str
    scheme: str | None
    host: str
    port: int | None
    path: str
    kind: HostKind
    problems: tuple[str, ...] = ()

    @property
    def is_name(self) -> bool:
        """True when the host is a valid DNS name and the port, if any, is a valid number."""
        return self.kind is HostKind.NAME and not self.problems

    @property
    def has_path(self) -> bool:
        """True when the entry carries more than a bare "/" after the host."""
        return self.path not in ("", "/")

    @property
    def wildcard_base(self) -> str | None:
        """For `*.example.com`, the name the wildcard stands under; None for anything else."""
        if self.kind is HostKind.WILDCARD and self.host.startswith("*."):
            return self.host[2:]
        return None

    def origin(self, scheme: str | None = None, *, keep_port: bool = True) -> str:
        """The entry as `scheme://host[:port]`, or the bare host when no scheme is given or known."""
        use_scheme = scheme or self.scheme
        host = f"[{self.host}]" if self.kind is HostKind.IPV6 else self.host
        if keep_port and self.port is not None:
            host = f"{host}:{self.port}"
        return f"{use_scheme}://{host}" if use_scheme else host


def parse_entry(text: str) -> ParsedEntry:
    """Takes an entry or URL apart: `https://host[:port][/path]`, `wss://...`, or a bare host."""
    original = text
    rest = text.strip()
    scheme: str | None = None
    match = _regex(_SCHEME_PATTERN).match(rest)
    if match:
        scheme = match.group(1).lower()
        rest = match.group(2)
    elif rest.startswith("//"):
        rest = rest[2:]

    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, path = rest[:cut], rest[cut:]
    problems: list[str] = []
    if "@" in authority:
        problems.append("user information (user@host) is not allowed in an entry")
        authority = authority.rsplit("@", 1)[1]

    host_text, port_text, bracketed = _split_authority(authority)
    port: int | None = None
    if port_text is not None:
        if port_text.isascii() and port_text.isdigit() and 0 < int(port_text) <= 65535:
            port = int(port_text)
        else:
            problems.append(f"port {port_text!r} is not a number from 1 to 65535")

    host, kind, host_problem = classify_host(host_text, bracketed=bracketed)
    if host_problem:
        problems.insert(0, host_problem)
    return ParsedEntry(
        original=original,
        scheme=scheme,
        host=host,
        port=port,
        path=path,
        kind=kind,
        problems=tuple(problems),
    )


def _split_authority(authority: str) -> tuple[str, str | None, bool]:
    """Splits `host[:port]`, `[v6][:port]` or a bare IPv6 literal; returns (host, port, bracketed)."""
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            return authority, None, False
        host, after = authority[1:end], authority[end + 1 :]
        if after.startswith(":"):
            return host, after[1:], True
        return host, (after or None), True
    if authority.count(":") == 1:
        host, port = authority.split(":")
        return host, port, False
    return authority, None, False


def classify_host(text: str, *, bracketed: bool = False) -> tuple[str, HostKind, str | None]:
    """Normalises a host and says what it is; returns (host, kind, problem or None).

    Names are folded to lower case, lose a trailing dot and are IDNA-encoded (UTS 46, the mapping
    browsers use) when not ASCII. The `idna` package is imported only for non-ASCII or `xn--` names,
    so plain ASCII work stays fast.
    """
    host = text.strip().translate(_DOTS)
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]
    if not host:
        return "", HostKind.INVALID, "the entry has no host"

    ip = _ip_literal(host)
    if ip is not None:
        kind = HostKind.IPV4 if ip.version == 4 else HostKind.IPV6
        if ip.is_loopback:
            kind = HostKind.LOCALHOST
        return ip.compressed, kind, None
    if bracketed:
        return host.lower(), HostKind.INVALID, f"[{host}] is not an IPv6 address"

    if "*" in host:
        return host.lower(), HostKind.WILDCARD, None

    if host.isascii():
        name = host.lower()
        if "xn--" in name:
            problem = _check_a_labels(name)
            if problem:
                return name, HostKind.INVALID, problem
    else:
        name, problem = _to_a_label(host)
        if problem:
            return name, HostKind.INVALID, problem

    problem = hostname_problem(name)
    if problem:
        return name, HostKind.INVALID, problem
    if name == "localhost" or name.endswith(".localhost"):
        return name, HostKind.LOCALHOST, None
    return name, HostKind.NAME, None


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    candidate = host.split("%", 1)[0]  # an IPv6 zone id ("fe80::1%eth0") is still an IP literal
    if not candidate or not (":" in candidate or candidate.replace(".", "").isdigit()):
        return None
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        return None


def hostname_problem(name: str) -> str | None:
    """Why `name` (lower-case ASCII) is not a valid DNS hostname, or None when it is one.

    Letters, digits and hyphens only (LDH), labels of 1 to 63 characters that neither start nor
    end with a hyphen, at most 253 characters, at least two labels and a top-level label that is
    not all digits.
    """
    if len(name) > _MAX_HOST_LENGTH:
        return f"{name[:40]}... is {len(name)} characters long; a hostname has at most 253"
    labels = name.split(".")
    if len(labels) < 2 and name != "localhost":
        return f"{name!r} is a single label, not a fully qualified domain name"
    for label in labels:
        if not label:
            return f"{name!r} has an empty label (two dots in a row, or a leading dot)"
        if len(label) > 63:
            return f"label {label[:20]}... is {len(label)} characters long; a label has at most 63"
        if not _regex(_LDH_LABEL_PATTERN).match(label):
            bad = sorted({c for c in label if not (c.isascii() and (c.isalnum() or c == "-"))})
            if bad:
                return f"{name!r} contains {''.join(bad)!r}; a hostname takes letters, digits and hyphens only"
            return f"label {label!r} of {name!r} starts or ends with a hyphen"
    if labels[-1].isdigit():
        return f"{name!r} ends in an all-digit label, which no top-level domain is"
    return None


def _to_a_label(host: str) -> tuple[str, str | None]:
    import idna  # lazy: about 15 ms to import, needed only for Unicode names

    try:
        encoded = idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        return host.lower(), f"{host!r} is not a valid internationalised domain name: {exc}"
    return encoded.lower(), None


def _check_a_labels(name: str) -> str | None:
    import idna  # lazy, see _to_a_label

    for label in name.split("."):
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError) as exc:
                return f"label {label!r} of {name!r} is not a valid IDNA A-label: {exc}"
    return None


def to_unicode(host: str) -> str:
    """The Unicode form of an A-label host, for display; the host itself when it cannot be decoded."""
    if "xn--" not in host:
        return host
    import idna  # lazy, see _to_a_label

    try:
        return str(idna.decode(host))
    except (idna.IDNAError, UnicodeError):
        return host


def is_subdomain_or_same(host: str, parent: str) -> bool:
    """True when `host` is `parent` or lies under it (`a.b.com` under `b.com`, not `ab.com`)."""
    return host == parent or host.endswith("." + parent)

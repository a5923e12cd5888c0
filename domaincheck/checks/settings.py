"""Settings of the live checks: resolvers, trust, curl-style overrides, timeouts, thresholds, clock.

One frozen object built by the CLI (or a test) and passed to every checker, so nothing reads global
state and tests point the checks at servers on loopback and fix "now". The option parsers here turn
`--resolver`, `--resolve` and `--connect-to` strings into rules and raise `UsageError` on bad input.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from domaincheck.core.errors import InputFileError, UsageError

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

    from domaincheck.checks.proxy import ProxySpec
    from domaincheck.whitelist.coverage import CoverageList
    from domaincheck.whitelist.rules import PlatformRules

DEFAULT_TIMEOUT = 5.0
DEFAULT_CONCURRENCY = 200

# Python's default client ciphers (ECDHE/DHE forward secrecy first), then, last, the suites Android
# and iOS still offer for old servers: plain-RSA key exchange (works on Android, fails iOS ATS,
# which the TLS check reports as a warning) and ECDHE/RSA with AES-CBC and a SHA-1 MAC (phones
# connect, so a server with only those must not fail the handshake here).
CLIENT_CIPHERS = (
    "@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:-SHA1:!AESCCM"
    ":AES128-GCM-SHA256:AES256-GCM-SHA384"
    ":ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA"
    ":AES128-SHA:AES256-SHA"
)


def utc_now() -> datetime:
    """The real clock; tests pass their own to `LiveSettings.clock`."""
    return datetime.now(UTC)


class DnsTransport(StrEnum):
    """How a resolver is asked: plain DNS (UDP, TCP when truncated), DNS-over-HTTPS, DNS-over-TLS."""

    UDP = "udp"
    DOH = "doh"
    DOT = "dot"


@dataclass(frozen=True)
class NameServer:
    """A DNS resolver given with `--resolver`: `IP[:PORT]`, a DoH URL, `tls://HOST[:PORT]` or a
    preset name (`checks.resolvers.PRESETS`).

    `address` is an IP address, or for DoH and DoT a host name; `url` is the DoH URL; `server_name`
    the DoT server's name (SNI and certificate) when it differs from `address`; `preset` the name
    it was given by.
    """

    address: str
    port: int = 53
    transport: DnsTransport = DnsTransport.UDP
    url: str | None = None
    server_name: str | None = None
    preset: str | None = None

    @property
    def label(self) -> str:
        if self.transport is DnsTransport.DOH and self.url:
            where = self.url
        else:
            host = f"[{self.address}]" if ":" in self.address else self.address
            default = 853 if self.transport is DnsTransport.DOT else 53
            where = host if self.port == default else f"{host}:{self.port}"
            if self.transport is DnsTransport.DOT:
                where = f"tls://{where}"
            elif self.port == 53:
                where = self.address
        return f"{self.preset} {where}" if self.preset else where


@dataclass(frozen=True)
class ResolveRule:
    """`--resolve HOST:PORT:ADDR[,ADDR...]`: connect to these addresses instead of asking DNS.

    `host` "*" matches any host, as in curl.
    """

    host: str
    port: int
    addresses: tuple[str, ...]

    def matches(self, host: str, port: int) -> bool:
        return self.port == port and self.host in ("*", host.lower())


@dataclass(frozen=True)
class ConnectToRule:
    """`--connect-to HOST:PORT:CONNECT_HOST:CONNECT_PORT`: reach HOST:PORT at another place.

    As in curl, an empty HOST or PORT matches any, an empty CONNECT_HOST or CONNECT_PORT keeps the
    original. TLS still uses the original host name for SNI and the certificate check.
    """

    host: str | None
    port: int | None
    connect_host: str | None
    connect_port: int | None

    def matches(self, host: str, port: int) -> bool:
        return (self.host is None or self.host == host.lower()) and (
            self.port is None or self.port == port
        )


class ClientCertificateRequests:
    """The host names whose TLS servers asked for a client certificate (sent a CertificateRequest).

    Mini programs cannot present a client certificate. A server that insists on one drops the
    connection in ways that look like a reset or a close (in TLS 1.3 only after the handshake), so
    the checks ask here to name the cause. Fed by OpenSSL's message callback
    (`SSLContext._msg_callback`, CPython's debugging hook; without it nothing is recorded).
    """

    _HANDSHAKE = 22
    _CERTIFICATE_REQUEST = 13

    def __init__(self) -> None:
        self._hosts: set[str] = set()

    def watch(self, context: ssl.SSLContext) -> None:
        """Records the CertificateRequests of connections made with `context`."""
        with contextlib.suppress(AttributeError, TypeError):
            context._msg_callback = self._message  # type: ignore[attr-defined]

    def _message(
        self,
        conn: object,
        direction: str,
        version: int,
        content_type: int,
        msg_type: int,
        data: bytes,
    ) -> None:
        if (
            direction == "read"
            and content_type == self._HANDSHAKE
            and msg_type == self._CERTIFICATE_REQUEST
        ):
            name = getattr(conn, "server_hostname", None)
            if name:
                self._hosts.add(str(name).lower())

    def asked(self, host: str) -> bool:
        """True when a server of `host` asked for a client certificate during this run."""
        host = host.lower().rstrip(".")
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_host = host
        return host in self._hosts or ascii_host in self._hosts


class TrustStore:
    """The CA certificates TLS is verified against: certifi's Mozilla roots or `--ca-bundle FILE`.

    It builds the verifying SSL contexts once and, only when a chain fails, parses the anchors so the
    TLS check can tell an incomplete chain from an untrusted root.
    """

    def __init__(self, cafile: str, label: str) -> None:
        self.cafile = cafile
        self.label = label
        self._contexts: dict[tuple[str, ...], ssl.SSLContext] = {}
        self._anchors: tuple[Certificate, ...] | None = None
        self.client_cert_requests = ClientCertificateRequests()

    @classmethod
    def load(cls, ca_bundle: str | Path | None = None) -> TrustStore:
        """Opens the bundle (certifi's when None); an unusable file is an `InputFileError`."""
        if ca_bundle is None:
            import certifi

            store = cls(certifi.where(), "Mozilla roots (certifi)")
        else:
            store = cls(str(ca_bundle), f"--ca-bundle {ca_bundle}")
        try:
            store.context()
        except (OSError, ssl.SSLError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise InputFileError(f"{store.cafile}: cannot use as CA bundle: {reason}") from exc
        return store

    def context(self, alpn: tuple[str, ...] = ("http/1.1",)) -> ssl.SSLContext:
        """A client context that verifies the chain and host name, TLS 1.2 or newer.

        The host name must be in the subjectAltName: phones (iOS 13+, Android, Chrome) no longer
        read it from the common name, though OpenSSL would by default.
        """
        ctx = self._contexts.get(alpn)
        if ctx is None:
            ctx = ssl.create_default_context(cafile=self.cafile)
            ctx.hostname_checks_common_name = False
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.set_ciphers(CLIENT_CIPHERS)
            if alpn:
                ctx.set_alpn_protocols(list(alpn))
            self.client_cert_requests.watch(ctx)
            self._contexts[alpn] = ctx
        return ctx

    def anchors(self) -> tuple[Certificate, ...]:
        """The bundle's certificates, parsed (cryptography is imported only here)."""
        if self._anchors is None:
            import warnings

            from cryptography import x509

            anchors = []
            text = Path(self.cafile).read_bytes()
            marker = b"-----BEGIN CERTIFICATE-----"
            for block in text.split(marker)[1:]:
                try:
                    with warnings.catch_warnings():  # a few old roots bend RFC 5280
                        warnings.simplefilter("ignore")
                        anchors.append(x509.load_pem_x509_certificate(marker + block))
                except ValueError:
                    continue  # OpenSSL skipped or rejected it too; not an anchor we can compare
            self._anchors = tuple(anchors)
        return self._anchors


@dataclass(frozen=True)
class AppWhitelist:
    """The platform's rules and the whitelist the app runs under.

    The HTTPS check judges a redirect to another host against it, as the phone would: the target
    must be an https URL that some entry covers under the platform's matching rule.
    """

    rules: PlatformRules
    coverage: CoverageList


@dataclass(frozen=True)
class LiveSettings:
    """Everything the live checks need from outside: who to ask, whom to trust, where to connect.

    `resolvers` empty means the system resolver (/etc/resolv.conf). `timeout` bounds each network
    operation (a DNS lookup, a connect, a handshake, a request). `concurrency` is the number of hosts
    probed at the same time. Expiry thresholds are in days; `clock` gives "now" in UTC. `whitelist`
    is what a redirect to another host is judged against (None: such a redirect is a warning).
    """

    trust: TrustStore = field(compare=False)
    resolvers: tuple[NameServer, ...] = ()
    resolve: tuple[ResolveRule, ...] = ()
    connect_to: tuple[ConnectToRule, ...] = ()
    proxy: ProxySpec | None = None  # --via: every TCP connection goes through it
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = DEFAULT_CONCURRENCY
    expiry_warn_days: int = 30
    expiry_fail_days: int = 7
    max_addresses: int = 4
    legacy_tls_probe: bool = True
    # A DNS answer in a private or reserved range fails the dns check unless this is set (a test
    # lab, an intranet mirror on purpose); --resolve and --connect-to addresses are never judged.
    allow_private_dns: bool = False
    clock: Callable[[], datetime] = utc_now
    whitelist: AppWhitelist | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not math.isfinite(self.timeout) or self.timeout <= 0:  # nan or inf would never end
            raise UsageError("--timeout must be a positive number of seconds")
        if self.concurrency < 1:
            raise UsageError("--concurrency must be at least 1")
        if self.expiry_fail_days > self.expiry_warn_days:
            raise UsageError("the expiry fail threshold must not exceed the warn threshold")


def _parse_port(text: str, option: str, value: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise UsageError(f"{option} {value!r}: {text!r} is not a port number (1-65535)")
    return int(text)


def _parse_ip(text: str, option: str, value: str) -> str:
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        raise UsageError(f"{option} {value!r}: {text!r} is not an IP address") from None


def _split_host_port(text: str) -> tuple[str, str | None]:
    """'1.2.3.4', '1.2.3.4:53', '::1', '[::1]:53' -> (host, port or None)."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, rest[1:] if rest.startswith(":") else None
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, port
    return text, None


def parse_resolver(value: str) -> NameServer:
    """`--resolver` -> NameServer: `IP[:PORT]` (IPv6 as `[::1]:5353`), `https://HOST/PATH` (DoH),
    `tls://HOST[:PORT]` (DoT), or a preset name, alone (UDP) or as `NAME:doh` / `NAME:dot`."""
    from domaincheck.checks.resolvers import PRESETS

    text = value.strip()
    name, _, how = text.lower().partition(":")
    if name in PRESETS and how in ("", "udp", "doh", "dot"):
        preset = PRESETS[name]
        if how == "doh":
            if preset.doh is None:
                raise UsageError(f"--resolver {value!r}: {preset.title} publishes no DoH address")
            return replace(parse_resolver(preset.doh), preset=name)
        if how == "dot":
            if preset.dot is None:
                raise UsageError(f"--resolver {value!r}: {preset.title} publishes no DoT address")
            return NameServer(
                preset.addresses[0], 853, DnsTransport.DOT, server_name=preset.dot, preset=name
            )
        return NameServer(preset.addresses[0], preset=name)
    if text.lower().startswith("https://"):
        try:
            parts = urlsplit(text)
        except ValueError as exc:  # an unclosed [IPv6 address
            raise UsageError(f"--resolver {value!r}: not a valid URL ({exc})") from None
        try:
            port = parts.port or 443
        except ValueError:
            raise UsageError(f"--resolver {value!r}: not a valid port") from None
        if not parts.hostname:
            raise UsageError(f"--resolver {value!r}: a DoH URL needs a host")
        return NameServer(parts.hostname, port, DnsTransport.DOH, url=text)
    if text.lower().startswith("tls://"):
        host, port_text = _split_host_port(text[6:].rstrip("/"))
        if not host:
            raise UsageError(f"--resolver {value!r}: expected tls://HOST[:PORT]")
        port = _parse_port(port_text, "--resolver", value) if port_text else 853
        address = host if not _is_ip(host) else _parse_ip(host, "--resolver", value)
        return NameServer(address.lower(), port, DnsTransport.DOT)
    host, port_text = _split_host_port(text)
    address = _parse_ip(host, "--resolver", value)
    return NameServer(address, _parse_port(port_text, "--resolver", value) if port_text else 53)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _split_fields(value: str, count: int) -> list[str]:
    """Splits on ':' outside [brackets] into at most `count` fields (the last keeps its colons)."""
    fields: list[str] = []
    current = ""
    depth = 0
    for char in value:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        if char == ":" and depth == 0 and len(fields) < count - 1:
            fields.append(current)
            current = ""
        else:
            current += char
    fields.append(current)
    return fields


def parse_resolve(value: str) -> ResolveRule:
    """`--resolve HOST:PORT:ADDR[,ADDR]` -> ResolveRule (curl's syntax; IPv6 in brackets)."""
    fields = _split_fields(value.strip(), 3)
    if len(fields) != 3 or not fields[0] or not fields[2]:
        raise UsageError(f"--resolve {value!r}: expected HOST:PORT:ADDRESS")
    port = _parse_port(fields[1], "--resolve", value)
    addresses = tuple(_parse_ip(a.strip(), "--resolve", value) for a in fields[2].split(","))
    return ResolveRule(fields[0].lower(), port, addresses)


def parse_connect_to(value: str) -> ConnectToRule:
    """`--connect-to HOST:PORT:CONNECT_HOST:CONNECT_PORT` -> ConnectToRule (curl's syntax)."""
    fields = _split_fields(value.strip(), 4)
    if len(fields) != 4:
        raise UsageError(f"--connect-to {value!r}: expected HOST:PORT:CONNECT_HOST:CONNECT_PORT")
    host, port, connect_host, connect_port = fields
    if connect_host.startswith("[") and connect_host.endswith("]"):
        connect_host = connect_host[1:-1]
    return ConnectToRule(
        host=host.lower() or None,
        port=_parse_port(port, "--connect-to", value) if port else None,
        connect_host=connect_host.lower() or None,
        connect_port=_parse_port(connect_port, "--connect-to", value) if connect_port else None,
    )


def parse_via(value: str) -> ProxySpec:
    """`--via socks5h://[USER:PASSWORD@]HOST:PORT`, `socks5://...` or `http://...` -> ProxySpec."""
    from domaincheck.checks.proxy import ProxyScheme, ProxySpec

    schemes = ", ".join(f"{s.value}://" for s in ProxyScheme)
    try:
        parts = urlsplit(value.strip())
    except ValueError as exc:  # an unclosed [IPv6 address
        raise UsageError(f"--via {value!r}: not a valid URL ({exc})") from None
    try:
        scheme = ProxyScheme(parts.scheme.lower())
    except ValueError:
        raise UsageError(f"--via {value!r}: expected {schemes} with HOST:PORT") from None
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"--via {value!r}: not a valid port") from None
    if not parts.hostname or port is None or parts.path not in ("", "/"):
        raise UsageError(f"--via {value!r}: expected {scheme.value}://HOST:PORT")
    return ProxySpec(scheme, parts.hostname, port, parts.username, parts.password)


def build_settings(
    *,
    via: str | None = None,
    resolvers: Sequence[str] = (),
    resolve: Sequence[str] = (),
    connect_to: Sequence[str] = (),
    ca_bundle: str | Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
    expiry_warn_days: int = 30,
    expiry_fail_days: int = 7,
    legacy_tls_probe: bool = True,
    allow_private_dns: bool = False,
) -> LiveSettings:
    """Settings from command-line strings; bad values raise `UsageError` or `InputFileError`."""
    return LiveSettings(
        trust=TrustStore.load(ca_bundle),
        resolvers=tuple(parse_resolver(r) for r in resolvers),
        resolve=tuple(parse_resolve(r) for r in resolve),
        connect_to=tuple(parse_connect_to(r) for r in connect_to),
        proxy=parse_via(via) if via else None,
        timeout=timeout,
        concurrency=concurrency,
        expiry_warn_days=expiry_warn_days,
        expiry_fail_days=expiry_fail_days,
        legacy_tls_probe=legacy_tls_probe,
        allow_private_dns=allow_private_dns,
    )

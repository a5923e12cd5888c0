"""The one router: where every connection of the tool goes and how it is opened.

`--connect-to`, `--resolve` and `--resolver` are applied here and nowhere else, for the live probes
(TLS, HTTPS, WebSocket, the TLS 1.0 probe) and for the HTTP-DNS fetch alike, in curl's order:
a `--connect-to` rule first, then a `--resolve` rule for the (new) host and port, then DNS at the
`--resolver`s (the system's by default). A connect-to target that is a name other than the host is
looked up with the system resolver (getaddrinfo), as curl does, so `localhost` works.

Failures are raised as `StepError` naming the step, for each checker's translation to a result.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from domaincheck.checks._net import (
    Endpoint,
    NameNotResolved,
    Step,
    StepError,
    TlsStream,
    is_ip,
)
from domaincheck.checks.settings import LiveSettings

# Looks a host name up at the configured resolvers: its addresses, or NameNotResolved.
NameLookup = Callable[[str], Awaitable[tuple[str, ...]]]


@dataclass(frozen=True)
class Route:
    """Where host:port goes after the overrides: the host and port to reach, and which rule said so.

    `addresses` are set when a `--resolve` rule gives them (or the target is an IP address); empty
    means the name `host` still has to be looked up.
    """

    host: str
    port: int
    via: str
    addresses: tuple[str, ...] = ()
    renamed: bool = False  # a --connect-to rule sent the connection to another name

    @property
    def needs_dns(self) -> bool:
        """True when the original host's DNS answer decides where to connect."""
        return not self.addresses and not self.renamed


def route(settings: LiveSettings, host: str, port: int) -> Route:
    """Applies `--connect-to` then `--resolve` to host:port (pure: no lookup, no socket)."""
    target_host, target_port, via = host.lower(), port, "dns"
    for rule in settings.connect_to:
        if rule.matches(host, port):
            target_host = rule.connect_host or target_host
            target_port = rule.connect_port or target_port
            via = "--connect-to"
            break
    renamed = target_host != host.lower()
    for resolve_rule in settings.resolve:
        if resolve_rule.matches(target_host, target_port):
            return Route(target_host, target_port, "--resolve", resolve_rule.addresses, renamed)
    if is_ip(target_host):
        address = str(ipaddress.ip_address(target_host))
        return Route(target_host, target_port, via, (address,), renamed)
    return Route(target_host, target_port, via, (), renamed)


class Router:
    """Opens every TCP and TLS connection of a run, after `route` has said where it goes.

    `lookup` resolves a name at the configured resolvers when no DNS answer is at hand (the HTTP-DNS
    servers): the run's `DnsChecker`, or one of the router's own from `checks.dns.resolving_router`,
    whose sockets `close_lookup` closes with the router. The lookup comes in as a parameter, so the
    router needs nothing from the DNS check that itself sends DoH and DoT through a router.
    """

    def __init__(
        self,
        settings: LiveSettings,
        lookup: NameLookup,
        close_lookup: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self._lookup = lookup
        self._close_lookup = close_lookup

    def reachable_without_dns(self, host: str, port: int) -> bool:
        """True when --connect-to or --resolve say where host:port is, so its DNS is not needed.

        A `--via socks5h` proxy resolves the names it connects to, but a host whose DNS check
        failed is still skipped: the DNS check's verdict stands for the run.
        """
        return not route(self.settings, host, port).needs_dns

    async def lookup(self, host: str) -> tuple[str, ...]:
        """The addresses of `host` at the configured resolvers; raises NameNotResolved."""
        return await self._lookup(host)

    async def endpoints(
        self, host: str, port: int, dns_addresses: tuple[str, ...] | None = None
    ) -> tuple[Endpoint, ...]:
        """The endpoints of host:port. `dns_addresses` is the host's DNS answer when the caller has
        it (the DNS check ran first); None asks the resolvers here. Raises `StepError(LOOKUP)`."""
        where = route(self.settings, host, port)
        limit = self.settings.max_addresses
        if where.addresses:
            return tuple(Endpoint(a, where.port, where.via) for a in where.addresses)
        proxy = self.settings.proxy
        if proxy is not None and proxy.resolves_names:  # the proxy looks the name up, as there
            return (Endpoint(where.host, where.port, "proxy" if where.via == "dns" else where.via),)
        if not where.renamed:
            if dns_addresses is None:
                try:
                    dns_addresses = await self.lookup(host.lower())
                except Exception as exc:
                    raise StepError(Step.LOOKUP, None, exc) from exc
            return tuple(Endpoint(a, where.port, where.via) for a in dns_addresses[:limit])
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.settings.timeout):
                infos = await loop.getaddrinfo(where.host, where.port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError) as exc:
            raise StepError(Step.LOOKUP, None, exc) from exc
        found: dict[str, None] = {}
        for info in infos:
            found.setdefault(str(info[4][0]), None)
        alternative = len(found) > 1
        return tuple(Endpoint(a, where.port, where.via, alternative) for a in list(found)[:limit])

    async def open_tcp(
        self, endpoint: Endpoint, timeout: float | None = None
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A TCP connection to `endpoint` (through the --via proxy when there is one), bounded by
        `timeout`; raises `StepError(CONNECT)`."""
        limit = self.settings.timeout if timeout is None else timeout
        try:
            if self.settings.proxy is not None:
                from domaincheck.checks.proxy import open_tunnel

                return await open_tunnel(
                    self.settings.proxy, endpoint.address, endpoint.port, limit
                )
            async with asyncio.timeout(limit):
                return await asyncio.open_connection(endpoint.address, endpoint.port, limit=2**16)
        except Exception as exc:
            raise StepError(Step.CONNECT, endpoint, exc) from exc

    async def open_tls(
        self, endpoint: Endpoint, server_hostname: str, context: ssl.SSLContext
    ) -> TlsStream:
        """TCP connect then TLS handshake (SNI = `server_hostname`), each step bounded by the timeout."""
        timeout = self.settings.timeout
        started = time.perf_counter()
        reader, writer = await self.open_tcp(endpoint)
        connected = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                await writer.start_tls(
                    context, server_hostname=server_hostname, ssl_handshake_timeout=timeout + 1
                )
        except BaseException as exc:
            writer.transport.abort()
            if isinstance(exc, Exception):
                raise StepError(Step.HANDSHAKE, endpoint, exc) from exc
            raise
        done = time.perf_counter()
        return TlsStream(
            reader,
            writer,
            endpoint,
            connect_ms=(connected - started) * 1000,
            handshake_ms=(done - connected) * 1000,
        )

    async def connect(
        self,
        host: str,
        port: int,
        context: ssl.SSLContext,
        dns_addresses: tuple[str, ...] | None = None,
    ) -> TlsStream:
        """A verified TLS connection to host:port at the first endpoint that takes it, as curl
        tries the addresses in turn; raises the last endpoint's `StepError`."""
        error: StepError | None = None
        for endpoint in await self.endpoints(host, port, dns_addresses):
            try:
                return await self.open_tls(endpoint, host, context)
            except StepError as exc:
                error = exc
        raise error or StepError(Step.LOOKUP, None, NameNotResolved(f"no address for {host}"))

    def close(self) -> None:
        """Closes the resolver sockets this router opened for its own lookups."""
        if self._close_lookup is not None:
            self._close_lookup()

"""Encrypted resolvers for the DNS check: DNS-over-HTTPS (RFC 8484) and DNS-over-TLS (RFC 7858).

dnspython builds and parses the messages; the connections go through the run's router like every
other connection of the tool (so `--resolve`, `--connect-to` and `--via` apply, and the trust store
verifies the resolver's certificate), and their failures are read by the shared translator. The
resolver's own name is looked up with the system resolver, as curl bootstraps `--doh-url`, unless
`--resolve` or `--connect-to` say where it is. One connection per query: simple, and a run asks
each host's A and AAAA once.
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING

import dns.exception
import dns.message

from domaincheck.checks._http import BodyTooLarge, exchange
from domaincheck.checks._net import Step, StepError, is_ip
from domaincheck.checks.failures import NetFailure, translate
from domaincheck.checks.router import Router, route
from domaincheck.checks.settings import DnsTransport, LiveSettings, NameServer

if TYPE_CHECKING:
    from domaincheck.checks._net import TlsStream

MAX_DNS_ANSWER = 65535


class ResolverTransportError(Exception):
    """The connection to an encrypted resolver failed before any DNS answer: `failure` says how."""

    def __init__(self, failure: NetFailure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


class ResolverHttpError(Exception):
    """The DoH server answered, but not with a DNS message (a status or content type says what)."""


class EncryptedNameServer:
    """One DoH or DoT resolver, asked over a new verified connection per query."""

    def __init__(self, spec: NameServer, settings: LiveSettings, router: Router) -> None:
        assert spec.transport in (DnsTransport.DOH, DnsTransport.DOT)
        self.spec = spec
        self.settings = settings
        self.router = router
        alpn = ("http/1.1",) if spec.transport is DnsTransport.DOH else ("dot",)
        self._context = settings.trust.context(alpn)

    async def _bootstrap(self) -> tuple[str, ...] | None:
        """The resolver's addresses when only the system resolver can say (None: the router knows)."""
        host, port = self.spec.address, self.spec.port
        proxy = self.settings.proxy
        if is_ip(host) or not route(self.settings, host, port).needs_dns:
            return None
        if proxy is not None and proxy.resolves_names:  # the proxy looks it up
            return None
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.settings.timeout):
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError) as exc:
            raise StepError(Step.LOOKUP, None, exc) from exc
        return tuple(dict.fromkeys(str(info[4][0]) for info in infos))

    async def _open(self) -> TlsStream:
        name = self.spec.server_name or self.spec.address
        addresses = await self._bootstrap()
        error: StepError | None = None
        for endpoint in await self.router.endpoints(self.spec.address, self.spec.port, addresses):
            try:
                return await self.router.open_tls(endpoint, name, self._context)
            except StepError as exc:
                error = exc
        raise error or StepError(Step.LOOKUP, None, LookupError(f"no address for {name}"))

    async def ask(self, query: dns.message.Message, timeout: float) -> dns.message.Message:
        """Sends `query` and returns the answer; a transport failure is `ResolverTransportError`."""
        wire = query.to_wire()
        try:
            stream = await self._open()
            try:
                if self.spec.transport is DnsTransport.DOH:
                    answer = await self._doh(stream, wire, timeout)
                else:
                    answer = await self._dot(stream, wire, timeout)
            finally:
                stream.abort()
        except ResolverHttpError:
            raise
        except Exception as exc:
            raise ResolverTransportError(translate(exc, timeout)) from exc
        try:
            response = dns.message.from_wire(answer)
        except dns.exception.DNSException as exc:
            raise ResolverHttpError(f"the answer is not a DNS message ({exc})") from None
        return response

    async def _doh(self, stream: TlsStream, wire: bytes, timeout: float) -> bytes:
        from urllib.parse import urlsplit

        url = urlsplit(self.spec.url or "")
        host = url.hostname or self.spec.address
        if url.port not in (None, 443):
            host = f"{host}:{url.port}"
        try:
            answer = await exchange(
                stream,
                "POST",
                host,
                (url.path or "/dns-query") + (f"?{url.query}" if url.query else ""),
                headers=(
                    ("Accept", "application/dns-message"),
                    ("Content-Type", "application/dns-message"),
                ),
                body=wire,
                timeout=timeout,
                max_body=MAX_DNS_ANSWER,
            )
        except BodyTooLarge as exc:
            raise ResolverHttpError(str(exc)) from None
        if answer.status_code != 200:
            raise ResolverHttpError(f"the DoH server answered HTTP {answer.status_code}")
        if answer.content_type.split(";")[0].strip().lower() != "application/dns-message":
            shown = answer.content_type[:60] or "none"
            raise ResolverHttpError(f"the DoH server answered content type {shown!r}, not DNS")
        return answer.body

    async def _dot(self, stream: TlsStream, wire: bytes, timeout: float) -> bytes:
        try:
            stream.writer.write(len(wire).to_bytes(2, "big") + wire)
            async with asyncio.timeout(timeout):
                await stream.writer.drain()
        except Exception as exc:
            raise StepError(Step.REQUEST, stream.endpoint, exc) from exc
        try:
            async with asyncio.timeout(timeout):
                size = int.from_bytes(await stream.reader.readexactly(2), "big")
                return await stream.reader.readexactly(size)
        except Exception as exc:
            raise StepError(Step.RESPONSE, stream.endpoint, exc) from exc

    def close(self) -> None:
        """Nothing stays open between queries."""

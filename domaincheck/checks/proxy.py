"""`--via`: a SOCKS5 or HTTP CONNECT proxy that carries every TCP connection of the live checks.

A jump host in the region that matters (a small VPS in Hangzhou running a SOCKS5 server) gives that
region's view from any CI runner. The router opens each connection here: TCP to the proxy, then the
proxy's handshake to the target, then (in the router) TLS with the real host name, so the
certificate check and SNI are the same as direct. With `socks5h://` the proxy resolves the names,
as a phone there would; `socks5://` sends the addresses resolved here; `http://` asks the proxy
with `CONNECT host:port`. Hand-written (RFC 1928, RFC 1929, RFC 9110 CONNECT) over asyncio streams:
two small handshakes, so each refusal is told apart exactly.

Failures at the proxy (cannot connect to it, authentication required or rejected, CONNECT
answered 403) are `ProxyError`s that name the proxy; the target's own failures that the proxy
reports (refused, unreachable) stay the target's.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import struct
from dataclasses import dataclass
from enum import StrEnum

from domaincheck.core.model import Status


class ProxyScheme(StrEnum):
    SOCKS5H = "socks5h"  # names resolved at the proxy
    SOCKS5 = "socks5"  # addresses resolved here
    HTTP = "http"  # HTTP CONNECT


@dataclass(frozen=True)
class ProxySpec:
    """The proxy of `--via SCHEME://[USER:PASSWORD@]HOST:PORT`."""

    scheme: ProxyScheme
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @property
    def label(self) -> str:
        """The proxy as reports show it (never the password)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        user = f"{self.username}@" if self.username else ""
        return f"{self.scheme}://{user}{host}:{self.port}"

    @property
    def resolves_names(self) -> bool:
        return self.scheme in (ProxyScheme.SOCKS5H, ProxyScheme.HTTP)


class ProxyError(Exception):
    """The proxy could not or would not open the tunnel: `kind`, `status` and a readable reason."""

    def __init__(self, kind: str, reason: str, status: Status = Status.ERROR) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.status = status


class TargetRefused(ConnectionRefusedError):
    """The proxy reached the target's host and the port refused (SOCKS reply 5)."""


class TargetUnreachable(OSError):
    """The proxy could not reach the target (SOCKS replies 3 and 4, HTTP 502 or 504)."""


_SOCKS_REPLIES = {
    1: "general SOCKS server failure",
    2: "connection not allowed by the proxy's rules",
    3: "network unreachable from the proxy",
    4: "host unreachable from the proxy",
    5: "connection refused",
    6: "TTL expired",
    7: "command not supported",
    8: "address type not supported",
}


async def open_tunnel(
    proxy: ProxySpec, host: str, port: int, timeout: float
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A stream to host:port through `proxy`; raises `ProxyError`, `TargetRefused`,
    `TargetUnreachable` or `TimeoutError`."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(proxy.host, proxy.port, limit=2**16)
    except TimeoutError:
        raise ProxyError(
            "proxy-timeout", f"the proxy {proxy.label} did not answer within {timeout:g} s"
        ) from None
    except OSError as exc:
        raise ProxyError(
            "proxy-unreachable",
            f"cannot connect to the proxy {proxy.label}: {exc.strerror or exc}",
        ) from None
    try:
        async with asyncio.timeout(timeout):
            if proxy.scheme is ProxyScheme.HTTP:
                await _connect(proxy, reader, writer, host, port)
            else:
                await _socks5(proxy, reader, writer, host, port)
    except TimeoutError:
        writer.transport.abort()
        raise ProxyError(
            "proxy-timeout",
            f"the proxy {proxy.label} did not finish its handshake in {timeout:g} s",
        ) from None
    except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError):
        writer.transport.abort()
        raise ProxyError(
            "proxy-closed", f"the proxy {proxy.label} closed the connection during its handshake"
        ) from None
    except BaseException:
        writer.transport.abort()
        raise
    return reader, writer


async def _socks5(
    proxy: ProxySpec,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    host: str,
    port: int,
) -> None:
    methods = b"\x00\x02" if proxy.username is not None else b"\x00"
    writer.write(b"\x05" + bytes([len(methods)]) + methods)
    version, method = await reader.readexactly(2)
    if version != 5:
        raise ProxyError("proxy-protocol", f"{proxy.label} does not speak SOCKS5")
    if method == 0xFF:
        raise ProxyError(
            "proxy-auth",
            f"the proxy {proxy.label} requires authentication"
            + (" and accepts none we offer" if proxy.username else ": give USER:PASSWORD@"),
        )
    if method == 0x02:
        user = (proxy.username or "").encode()
        password = (proxy.password or "").encode()
        writer.write(b"\x01" + bytes([len(user)]) + user + bytes([len(password)]) + password)
        _, status = await reader.readexactly(2)
        if status != 0:
            raise ProxyError(
                "proxy-auth", f"the proxy {proxy.label} rejected the user name or password"
            )
    elif method != 0x00:
        raise ProxyError("proxy-protocol", f"the proxy {proxy.label} chose method {method}")
    try:
        address = ipaddress.ip_address(host)
        kind = b"\x01" if address.version == 4 else b"\x04"
        target = kind + address.packed
    except ValueError:
        name = host.encode("idna")
        target = b"\x03" + bytes([len(name)]) + name
    writer.write(b"\x05\x01\x00" + target + struct.pack("!H", port))
    _, reply, _, kind_byte = await reader.readexactly(4)
    size = {1: 4, 4: 16}.get(kind_byte)
    if size is None:
        size = (await reader.readexactly(1))[0]
    await reader.readexactly(size + 2)
    if reply == 0:
        return
    what = _SOCKS_REPLIES.get(reply, f"reply {reply}")
    if reply == 5:
        raise TargetRefused(f"connection refused (reported by the proxy {proxy.label})")
    if reply in (3, 4):
        raise TargetUnreachable(f"{what} {proxy.label}")
    if reply == 6:
        raise TimeoutError(f"{what} at the proxy {proxy.label}")
    raise ProxyError("proxy-refused", f"the proxy {proxy.label} refused to connect: {what}")


async def _connect(
    proxy: ProxySpec,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    host: str,
    port: int,
) -> None:
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
    if proxy.username is not None:
        token = base64.b64encode(f"{proxy.username}:{proxy.password or ''}".encode()).decode()
        lines.append(f"Proxy-Authorization: Basic {token}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("ascii", "replace"))
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError:
        raise ProxyError(
            "proxy-protocol", f"the proxy {proxy.label} sent an endless head"
        ) from None
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        shown = status_line[:60].encode("unicode_escape").decode("ascii")
        raise ProxyError("proxy-protocol", f"the proxy {proxy.label} answered {shown!r}")
    code = int(parts[1])
    said = status_line[len(parts[0]) + 1 :][:60].encode("unicode_escape").decode("ascii")
    if 200 <= code < 300:
        return
    if code == 407:
        raise ProxyError(
            "proxy-auth",
            f"the proxy {proxy.label} requires authentication ({said})"
            + ("" if proxy.username else ": give USER:PASSWORD@"),
        )
    if code in (502, 504):
        raise TargetUnreachable(f"the proxy {proxy.label} could not reach {authority} ({said})")
    raise ProxyError(
        "proxy-refused", f"the proxy {proxy.label} refused CONNECT {authority} ({said})"
    )

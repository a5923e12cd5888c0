"""Proxies on loopback: SOCKS5 (RFC 1928, user/password RFC 1929) and HTTP CONNECT, each also failing.

A proxy resolves names in its own zone (`names`: what the phones' side of the world answers), so a
test can prove the names were resolved at the proxy; it only ever connects to loopback addresses
(the autouse guard would catch anything else).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import struct
from dataclasses import dataclass, field
from enum import StrEnum


class ProxyMode(StrEnum):
    OK = "ok"
    AUTH = "auth"  # requires USER:PASSWORD (user "lab", password "secret")
    DENY = "deny"  # refuses every target (SOCKS reply 2, HTTP 403)


@dataclass
class LabProxy:
    """A SOCKS5 (`socks=True`) or HTTP CONNECT proxy on 127.0.0.1."""

    socks: bool = True
    mode: ProxyMode = ProxyMode.OK
    names: dict[str, str] = field(default_factory=dict)  # host name -> address, at the proxy
    port: int = 0
    targets: list[str] = field(default_factory=list)  # what clients asked for, as they asked
    _server: asyncio.Server | None = None

    async def start(self) -> LabProxy:
        handler = self._socks if self.socks else self._http
        self._server = await asyncio.start_server(handler, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    def url(self, auth: str = "") -> str:
        scheme = "socks5h" if self.socks else "http"
        return f"{scheme}://{auth}127.0.0.1:{self.port}"

    def _address(self, host: str) -> str | None:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return self.names.get(host.lower())
        return host

    async def _socks(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            try:
                _, count = await reader.readexactly(2)
                methods = await reader.readexactly(count)
                if self.mode is ProxyMode.AUTH:
                    if 2 not in methods:
                        writer.write(b"\x05\xff")
                        return
                    writer.write(b"\x05\x02")
                    _, size = await reader.readexactly(2)
                    user = await reader.readexactly(size)
                    (size,) = await reader.readexactly(1)
                    password = await reader.readexactly(size)
                    ok = (user, password) == (b"lab", b"secret")
                    writer.write(b"\x01" + (b"\x00" if ok else b"\x01"))
                    if not ok:
                        return
                else:
                    writer.write(b"\x05\x00")
                _, _, _, kind = await reader.readexactly(4)
                if kind == 3:
                    (size,) = await reader.readexactly(1)
                    host = (await reader.readexactly(size)).decode()
                else:
                    raw = await reader.readexactly(4 if kind == 1 else 16)
                    host = str(ipaddress.ip_address(raw))
                (port,) = struct.unpack("!H", await reader.readexactly(2))
                self.targets.append(f"{host}:{port}")
                reply = 2 if self.mode is ProxyMode.DENY else 0
                address = self._address(host)
                upstream = None
                if reply == 0 and address is None:
                    reply = 4  # host unreachable: the name does not resolve here
                if reply == 0:
                    try:
                        upstream = await asyncio.open_connection(address, port)
                    except ConnectionRefusedError:
                        reply = 5
                writer.write(b"\x05" + bytes([reply]) + b"\x00\x01" + b"\x00" * 6)
                await writer.drain()
                if upstream is not None:
                    await _pipe(reader, writer, *upstream)
            finally:
                writer.close()

    async def _http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            try:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                target = head.split(" ")[1]
                self.targets.append(target)
                if self.mode is ProxyMode.AUTH:
                    wanted = "Basic " + base64.b64encode(b"lab:secret").decode()
                    if f"Proxy-Authorization: {wanted}" not in head:
                        writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
                        return
                if self.mode is ProxyMode.DENY:
                    writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                    return
                host, _, port = target.rpartition(":")
                address = self._address(host.strip("[]"))
                if address is None:
                    writer.write(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
                    return
                try:
                    upstream = await asyncio.open_connection(address, int(port))
                except ConnectionRefusedError:
                    writer.write(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
                    return
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
                await _pipe(reader, writer, *upstream)
            finally:
                writer.close()


async def _pipe(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    up_reader: asyncio.StreamReader,
    up_writer: asyncio.StreamWriter,
) -> None:
    async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        with contextlib.suppress(Exception):
            sink.close()

    await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))

"""Encrypted resolvers on loopback: DNS-over-HTTPS and DNS-over-TLS answering from a lab zone.

Both put the lab's `DnsServer.answer` (the same zone, the same faults) behind TLS with a lab
certificate; each can also fail in the ways a real one does.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import struct
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from tests.lab.dnsserver import DnsServer


class EncryptedMode(StrEnum):
    ANSWER = "answer"
    HTTP_500 = "http-500"  # DoH: a server error instead of an answer
    HTML = "html"  # DoH: 200 with a web page (a captive portal, a wrong path)
    CLOSE = "close"  # closes the connection after the handshake without an answer


@dataclass
class EncryptedDnsServer:
    """A DoH (`doh=True`, POST /dns-query) or DoT server on 127.0.0.1 answering from `zone`."""

    zone: DnsServer
    cert: tuple[Path, Path]
    doh: bool = True
    mode: EncryptedMode = EncryptedMode.ANSWER
    port: int = 0
    requests: list[str] = field(default_factory=list)
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/dns-query"

    async def start(self) -> EncryptedDnsServer:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(self.cert[0]), str(self.cert[1]))
        handler = self._doh if self.doh else self._dot
        self._server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=context)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _doh(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            try:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                self.requests.append(head)
                if self.mode is EncryptedMode.CLOSE:
                    return
                length = 0
                for line in head.split("\r\n"):
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                query = await reader.readexactly(length)
                if self.mode is EncryptedMode.HTTP_500:
                    status, kind, body = "500 Internal Server Error", "text/plain", b"oops"
                elif self.mode is EncryptedMode.HTML:
                    status, kind, body = "200 OK", "text/html", b"<html>login</html>"
                else:
                    wire, _ = self.zone.answer(query, tcp=True)
                    status, kind, body = "200 OK", "application/dns-message", wire or b""
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
            finally:
                writer.close()

    async def _dot(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            try:
                (length,) = struct.unpack("!H", await reader.readexactly(2))
                query = await reader.readexactly(length)
                self.requests.append("dot")
                if self.mode is EncryptedMode.CLOSE:
                    return
                wire, _ = self.zone.answer(query, tcp=True)
                if wire:
                    writer.write(struct.pack("!H", len(wire)) + wire)
                    await writer.drain()
            finally:
                writer.close()

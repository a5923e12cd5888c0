"""TCP, TLS, HTTPS and WebSocket servers for the lab, each with a chosen behaviour or fault."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import socket
import ssl
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Transport(StrEnum):
    """What happens after the TCP accept."""

    TLS = "tls"  # a TLS handshake with the server's context, then the application
    SILENT = "silent"  # accept and never say anything
    RESET = "reset"  # read the ClientHello, then reset the connection
    PLAIN = "plain"  # speak plain HTTP on the TLS port
    GARBAGE = "garbage"  # answer the ClientHello with bytes that are not TLS
    CLOSE = "close"  # read the ClientHello, then close the connection cleanly (FIN)
    ALERT = "alert"  # answer the ClientHello with a fatal handshake_failure alert
    ALERT_SNI = "alert-sni"  # answer the ClientHello with a fatal unrecognized_name alert


class App(StrEnum):
    """What the server answers once TLS is up (an HTTP request or a WebSocket upgrade)."""

    GOOD = "good"  # HTTP 200 to requests, 101 with the right Accept to upgrades, clean close
    WS_200 = "ws-200"
    WS_403 = "ws-403"
    WS_426 = "ws-426"
    WS_BAD_ACCEPT = "ws-bad-accept"
    WS_SILENT = "ws-silent"  # reads the upgrade request and answers nothing
    WS_NO_CLOSE = "ws-no-close"  # 101, then ignores the close frame
    HTTP_SILENT = "http-silent"  # reads the request and answers nothing
    HTTP_500 = "http-500"
    HTTP_REDIRECT = "http-redirect"  # 301 to another host
    HTTP_MOVED = "http-moved"  # 301 to `LabServer.location` ({host}: the Host header), 200 there
    HTTP_LOOP = "http-loop"  # / -> /a -> /b -> /a ...
    HTTP_CHAIN = "http-chain"  # / -> /1 -> /2 -> ... without end, never twice the same
    HTTP_TO_SILENT = "http-to-silent"  # / -> /silent, which never answers
    HTTP_502 = "http-502"
    HTTP_HANG_BODY = "http-hang-body"  # the head and half the body, then nothing
    HTTP_10_CLOSE = "http-10-close"  # an HTTP/1.0 answer delimited by closing the connection
    HTTP_HUGE_HEADER = "http-huge-header"  # a 100 KiB header line
    HTTP_GARBAGE = "http-garbage"  # bytes that are not HTTP
    HTTP_CLOSE = "http-close"  # reads the request and closes without an answer
    HTTP_TRICKLE = "http-trickle"  # the status line one byte every 100 ms, never finished
    WS_NO_UPGRADE = "ws-no-upgrade"  # 101 with the right Accept but no Upgrade header
    WS_RESET_AFTER_101 = "ws-reset-after-101"  # 101, then resets the connection at once
    WS_CHATTY = "ws-chatty"  # 101, then a text frame and a ping before answering the close
    WS_FIN_NO_CLOSE = "ws-fin-no-close"  # 101, then closes TCP when the close frame comes
    WS_REDIRECT = "ws-redirect"  # 301 to another path
    WS_404 = "ws-404"
    WS_PARTIAL_HEAD = "ws-partial-head"  # the first lines of a 101, then nothing
    WS_EVIL_STATUS = "ws-evil-status"  # a 403 whose status line holds a bare LF and an escape
    WS_CLOSE_1011 = "ws-close-1011"  # 101, then closes with 1011 (internal error) at once
    IDLE_CLOSE = "idle-close"  # good, but closes a connection that sends no request in 0.3 s


def accept_for(key: str) -> str:
    return base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()


@dataclass
class LabServer:
    """One listening socket on loopback with one behaviour; `delay` is added before each step."""

    transport: Transport = Transport.TLS
    context: ssl.SSLContext | None = None
    app: App = App.GOOD
    delay: float = 0.0
    host: str = "127.0.0.1"
    port: int = 0
    location: str = ""  # where App.HTTP_MOVED sends requests
    connections: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> LabServer:
        self._server = await asyncio.start_server(self._handle, self.host, self.port, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError):
            pass
        except asyncio.CancelledError:
            # The lab is shutting down. Ending quietly keeps asyncio 3.11's stream callback from
            # logging a traceback for each handler that was still waiting (silent servers).
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.transport.abort()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.transport is Transport.TLS:
            # Keep the ClientHello in the kernel until start_tls: read into the StreamReader
            # during a delay, it would never reach the TLS layer.
            writer.transport.pause_reading()  # type: ignore[attr-defined]
        if self.transport is Transport.SILENT:
            await asyncio.sleep(3600)
            return
        if self.transport is Transport.RESET:
            await reader.read(1)
            _reset(writer)
            return
        if self.transport is Transport.GARBAGE:
            await reader.read(1)
            writer.write(b"\x00\xffthis is not TLS\r\n" * 4)
            await writer.drain()
            await asyncio.sleep(3600)
            return
        if self.transport is Transport.CLOSE:
            await reader.read(1)
            writer.close()
            await writer.wait_closed()
            return
        if self.transport in (Transport.ALERT, Transport.ALERT_SNI):
            await reader.read(1)
            # a fatal handshake_failure (40) or unrecognized_name (112)
            code = 0x28 if self.transport is Transport.ALERT else 0x70
            writer.write(b"\x15\x03\x03\x00\x02\x02" + bytes([code]))
            await writer.drain()
            await asyncio.sleep(0.2)
            return
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.transport is Transport.PLAIN:  # as a plain HTTP server answers a ClientHello
            await reader.read(1)
            writer.write(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            await writer.drain()
            return
        if self.transport is Transport.TLS:
            assert self.context is not None
            await writer.start_tls(self.context)
        await self._app(reader, writer)

    async def _app(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                if self.app is App.IDLE_CLOSE:  # an idle connection is closed after 0.3 s
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 0.3)
                else:
                    head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, TimeoutError):
                return
            lines = head.decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if self.delay:
                await asyncio.sleep(self.delay)
            upgrade = headers.get("upgrade", "").lower() == "websocket"
            if upgrade:
                await self._websocket(reader, writer, headers)
                return
            if self.app is App.HTTP_SILENT:
                await asyncio.sleep(3600)
                return
            if self.app in (App.HTTP_MOVED, App.HTTP_LOOP, App.HTTP_CHAIN, App.HTTP_TO_SILENT):
                target = lines[0].split(" ")[1] if lines[0].count(" ") >= 2 else "/"
                if self.app is App.HTTP_TO_SILENT and target == "/silent":
                    await asyncio.sleep(3600)
                    return
                if self.app is App.HTTP_LOOP:
                    location = "/a" if target != "/a" else "/b"
                elif self.app is App.HTTP_CHAIN:
                    step = target.strip("/")
                    location = f"/{int(step) + 1 if step.isdigit() else 1}"
                elif self.app is App.HTTP_TO_SILENT:
                    location = "/silent"
                else:
                    location = self.location.format(host=headers.get("host", ""))
                if target != location:
                    writer.write(
                        b"HTTP/1.1 301 Moved Permanently\r\n"
                        + f"Location: {location}\r\nContent-Length: 0\r\n\r\n".encode()
                    )
                    await writer.drain()
                    continue
            if self.app in _HTTP_FAULTS:
                await _HTTP_FAULTS[self.app](writer)
                return
            body = b"lab ok\n"
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()

    async def _websocket(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, headers: dict[str, str]
    ) -> None:
        key = headers.get("sec-websocket-key", "")
        if self.app is App.WS_SILENT:
            await asyncio.sleep(3600)
            return
        if self.app in _WS_REFUSALS:
            status, extra = _WS_REFUSALS[self.app]
            body = b"not a websocket endpoint\n"
            writer.write(
                f"HTTP/1.1 {status}\r\n{extra}Content-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            return
        if self.app is App.WS_EVIL_STATUS:
            writer.write(b"HTTP/1.1 403 Forbidden\x1b[2J\nX-Injected: yes\r\n\r\n")
            await writer.drain()
            return
        if self.app is App.WS_PARTIAL_HEAD:
            writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n")
            await writer.drain()
            await asyncio.sleep(3600)
            return
        accept = accept_for(key) if self.app is not App.WS_BAD_ACCEPT else accept_for(key + "x")
        upgrade = b"" if self.app is App.WS_NO_UPGRADE else b"Upgrade: websocket\r\n"
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\n"
            + upgrade
            + b"Connection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        await writer.drain()
        if self.app is App.WS_NO_CLOSE:
            await asyncio.sleep(3600)
            return
        if self.app is App.WS_RESET_AFTER_101:
            _reset(writer)
            return
        if self.app is App.WS_CLOSE_1011:
            writer.write(b"\x88\x02\x03\xf3")  # close, code 1011
            await writer.drain()
        if self.app is App.WS_CHATTY:
            writer.write(b"\x81\x05hello" + b"\x89\x04ping")  # a text frame and a ping
            await writer.drain()
        # Wait for the client's close frame and answer it.
        while True:
            first, second = await reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await reader.readexactly(8))
            mask = await reader.readexactly(4) if second & 0x80 else b""
            payload = await reader.readexactly(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if first & 0x0F == 0x8:
                if self.app is App.WS_FIN_NO_CLOSE:
                    return
                writer.write(bytes([0x88, len(payload[:2])]) + payload[:2])
                await writer.drain()
                return


_WS_REFUSALS = {
    App.WS_200: ("200 OK", ""),
    App.WS_403: ("403 Forbidden", ""),
    App.WS_426: ("426 Upgrade Required", ""),
    App.WS_404: ("404 Not Found", ""),
    App.WS_REDIRECT: ("301 Moved Permanently", "Location: /ws/\r\n"),
}


def _reset(writer: asyncio.StreamWriter) -> None:
    """Drops the connection with a TCP RST (SO_LINGER 0) instead of a FIN."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _simple(writer: asyncio.StreamWriter, data: bytes, then_sleep: float = 0.0) -> None:
    writer.write(data)
    await writer.drain()
    if then_sleep:
        await asyncio.sleep(then_sleep)


async def _trickle(writer: asyncio.StreamWriter) -> None:
    for byte in b"HTTP/1.1 200 OK, very slowly" * 100:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(0.1)


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()


_HTTP_FAULTS: dict[App, Callable[[asyncio.StreamWriter], Awaitable[None]]] = {
    App.HTTP_500: lambda w: _simple(
        w, b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops\n"
    ),
    App.HTTP_502: lambda w: _simple(
        w, b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 12\r\n\r\nno upstream\n"
    ),
    App.HTTP_REDIRECT: lambda w: _simple(
        w,
        b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://elsewhere.lab.test/\r\n"
        b"Content-Length: 0\r\n\r\n",
    ),
    App.HTTP_HANG_BODY: lambda w: _simple(
        w, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhalf a bo", then_sleep=3600
    ),
    App.HTTP_10_CLOSE: lambda w: _simple(w, b"HTTP/1.0 200 OK\r\n\r\nbody until close\n"),
    App.HTTP_HUGE_HEADER: lambda w: _simple(
        w, b"HTTP/1.1 200 OK\r\nX-Huge: " + b"x" * 100_000 + b"\r\n\r\n", then_sleep=3600
    ),
    App.HTTP_GARBAGE: lambda w: _simple(w, b"\x00\x01\x02 SSH-2.0-not-http\r\n\r\n", 3600),
    App.HTTP_CLOSE: _close,
    App.HTTP_TRICKLE: _trickle,
}


def free_port(host: str = "127.0.0.1") -> int:
    """A port on which nothing listens (for 'connection refused')."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])

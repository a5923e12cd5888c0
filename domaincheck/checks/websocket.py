"""The WebSocket check: a socket host completes a real RFC 6455 upgrade on wss://host/websocket.

A small hand-rolled client over the same TLS plumbing as the TLS check (same address, SNI and trust):
it sends the upgrade, requires `101` with `Upgrade: websocket` and the correct `Sec-WebSocket-Accept`,
then closes with a close frame and waits for the server's. Hand-rolled rather than a library so that
every wrong answer is reported exactly: the status line and body of a 200/403/426, the Accept value
received next to the one expected, silence, a close that is never answered.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import re
import struct
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

from domaincheck import __version__
from domaincheck.checks._net import (
    CLIENT_CERT_REASON,
    Endpoint,
    PartialAnswer,
    Step,
    StepError,
    TlsStream,
    client_cert_refusal,
    dropped_unanswered,
)
from domaincheck.checks.dns import resolving_router
from domaincheck.checks.failures import translate
from domaincheck.checks.router import Router
from domaincheck.checks.settings import LiveSettings
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, ProbeKind, ProbeTarget, Status

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_HEAD = 64 * 1024

_HINTS = {
    200: "the path serves plain HTTP: check the socket path and that the proxy passes Upgrade",
    301: "a redirect: mini programs do not follow redirects on a WebSocket",
    302: "a redirect: mini programs do not follow redirects on a WebSocket",
    400: "the server rejected the upgrade request",
    403: "forbidden: an origin, IP or WAF rule blocks the upgrade",
    404: "no such path: check the socket path (/websocket)",
    426: "Upgrade Required: a proxy in front drops the Upgrade/Connection headers",
    502: "the proxy cannot reach the WebSocket backend",
    503: "the WebSocket backend is unavailable",
}


# Close codes that answer our 1000 as expected; others tell why the server ended the connection.
CLEAN_CLOSE_CODES = (1000, 1001, 1005)
CLOSE_CODES = {
    1002: "protocol error",
    1003: "unsupported data",
    1006: "abnormal closure",
    1007: "invalid payload",
    1008: "policy violation",
    1009: "message too big",
    1010: "extension required",
    1011: "internal server error",
    1012: "service restart",
    1013: "try again later",
}


def expected_accept(key: str) -> str:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 section 4.2.2)."""
    return base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()


@dataclass(frozen=True)
class UpgradeAnswer:
    """The server's answer to the upgrade request."""

    status_code: int
    status_line: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


class ProtocolFailure(Exception):
    """The server answered, but not as RFC 6455 requires; `status` is fail."""

    def __init__(self, kind: str, message: str, answer: UpgradeAnswer | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.answer = answer


def failure_from(
    exc: BaseException, timeout: float, client_cert_asked: bool = False
) -> tuple[Status, str, str, UpgradeAnswer | None]:
    """The one place where the WebSocket check turns exceptions into (status, kind, reason, answer).

    `client_cert_asked`: the server asked for a client certificate in the handshake, so a dropped
    connection means it wanted one.
    """
    if isinstance(exc, ProtocolFailure):
        return Status.FAIL, exc.kind, str(exc), exc.answer
    step = exc.step if isinstance(exc, StepError) else None
    cause = exc.cause if isinstance(exc, StepError) else exc
    if client_cert_refusal(cause, client_cert_asked):
        return Status.FAIL, "client-cert", CLIENT_CERT_REASON, None
    if isinstance(cause, PartialAnswer):
        return (
            Status.FAIL,
            "incomplete",
            f"the answer to the upgrade did not end within {timeout:g} s (got {cause.preview!r})",
            None,
        )
    if step is Step.RESPONSE and isinstance(cause, TimeoutError):
        return Status.FAIL, "silence", f"no answer to the upgrade within {timeout:g} s", None
    if isinstance(cause, asyncio.IncompleteReadError):
        got = cause.partial[:80].decode("latin-1")
        suffix = f" after {got!r}" if got else ""
        return (
            Status.FAIL,
            "closed",
            f"the server closed the connection without answering the upgrade{suffix}",
            None,
        )
    if isinstance(cause, asyncio.LimitOverrunError):
        return Status.FAIL, "bad-response", "response headers larger than 64 KiB", None
    net = translate(exc, timeout, client_cert_asked)
    return net.status, net.kind, net.reason, None


def _request(target: ProbeTarget, key: str) -> bytes:
    host = target.host if target.port == 443 else f"{target.host}:{target.port}"
    path = target.path if target.path.startswith("/") else "/" + target.path
    return (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n"
        f"User-Agent: domaincheck/{__version__}\r\n"
        "\r\n"
    ).encode()


def _parse_head(head: bytes) -> UpgradeAnswer:
    text = head.decode("latin-1")
    lines = re.split(r"\r?\n", text)  # bare LF line ends too: the status line stays one line
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ProtocolFailure("bad-response", f"not an HTTP response: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    status_line = lines[0].strip().encode("unicode_escape").decode("ascii")
    return UpgradeAnswer(int(parts[1]), status_line, headers)


async def _read_close(stream: TlsStream) -> int | None:
    """Reads frames until the server's close frame; returns its code (None if it sent none)."""
    reader = stream.reader
    while True:
        try:
            header = await reader.readexactly(2)
        except asyncio.IncompleteReadError:
            return None  # TCP closed without a close frame
        opcode, length = header[0] & 0x0F, header[1] & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await reader.readexactly(8))
        mask = await reader.readexactly(4) if header[1] & 0x80 else b""
        payload = await reader.readexactly(min(length, 1 << 20))
        if mask:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        if opcode == 0x8:
            return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005


def _close_frame(code: int = 1000) -> bytes:
    mask = os.urandom(4)
    payload = struct.pack("!H", code)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x88, 0x80 | len(payload)]) + mask + masked


class WebSocketChecker:
    """Performs the upgrade on each socket host; one instance per run. The probe plugin for `ProbeKind.WEBSOCKET`."""

    kind: ClassVar[ProbeKind] = ProbeKind.WEBSOCKET
    ids: ClassVar[tuple[CheckId, ...]] = (CheckId.WEBSOCKET,)

    def __init__(self, settings: LiveSettings, router: Router | None = None) -> None:
        self.settings = settings
        self.router = router or resolving_router(settings)
        self._context = settings.trust.context(("http/1.1",))

    async def _upgrade(
        self,
        target: ProbeTarget,
        endpoint: Endpoint,
        details: dict[str, Any],
        stream: TlsStream | None,
    ) -> tuple[Status, str]:
        timeout = self.settings.timeout
        started = time.perf_counter()
        if stream is None:
            stream = await self.router.open_tls(endpoint, target.host, self._context)
        try:
            key = base64.b64encode(os.urandom(16)).decode()
            try:
                stream.writer.write(_request(target, key))
                async with asyncio.timeout(timeout):
                    await stream.writer.drain()
            except Exception as exc:
                raise StepError(Step.REQUEST, endpoint, exc) from exc
            try:
                async with asyncio.timeout(timeout):
                    head = await stream.reader.readuntil(b"\r\n\r\n")
            except TimeoutError as exc:
                cause: Exception = exc
                with contextlib.suppress(Exception):  # what came of a head that never ended
                    async with asyncio.timeout(0.01):
                        started_head = await stream.reader.read(PartialAnswer.PREVIEW)
                    if started_head:
                        cause = PartialAnswer(started_head, closed=False)
                raise StepError(Step.RESPONSE, endpoint, cause) from exc
            except Exception as exc:
                raise StepError(Step.RESPONSE, endpoint, exc) from exc
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            details["elapsed_ms"] = elapsed
            answer = _parse_head(head)
            details["status_line"] = answer.status_line
            details["response_headers"] = answer.headers
            if answer.status_code != 101:
                body = b""
                try:
                    async with asyncio.timeout(min(timeout, 0.5)):
                        body = await stream.reader.read(300)
                except Exception:  # the body is only an illustration
                    pass
                hint = _HINTS.get(answer.status_code, "not a WebSocket endpoint")
                answer = UpgradeAnswer(
                    answer.status_code,
                    answer.status_line,
                    answer.headers,
                    body.decode("utf-8", "replace"),
                )
                details["body"] = answer.body
                raise ProtocolFailure(
                    f"http-{answer.status_code}",
                    f"answered '{answer.status_line}' instead of 101 Switching Protocols ({hint})",
                    answer,
                )
            accept = answer.headers.get("sec-websocket-accept")
            expected = expected_accept(key)
            details["accept"] = accept
            details["accept_expected"] = expected
            if accept != expected:
                got = (
                    "no Sec-WebSocket-Accept"
                    if accept is None
                    else f"Sec-WebSocket-Accept {accept!r}"
                )
                raise ProtocolFailure(
                    "bad-accept", f"101, but {got}; expected {expected!r}", answer
                )
            upgrade = answer.headers.get("upgrade")
            if (upgrade or "").lower() != "websocket":
                got = "no Upgrade header" if upgrade is None else f"Upgrade header {upgrade!r}"
                raise ProtocolFailure(
                    "bad-upgrade", f"101, but {got}; expected 'Upgrade: websocket'", answer
                )
            connection = answer.headers.get("connection")
            if "upgrade" not in (connection or "").lower():
                got = (
                    "no Connection header"
                    if connection is None
                    else f"Connection header {connection!r}"
                )
                raise ProtocolFailure(
                    "bad-upgrade", f"101, but {got}; expected 'Connection: Upgrade'", answer
                )
            # Close cleanly: send a close frame and wait for the server's.
            try:
                stream.writer.write(_close_frame())
                async with asyncio.timeout(timeout):
                    await stream.writer.drain()
                    code = await _read_close(stream)
            except TimeoutError:
                details["close"] = "no answer"
                return Status.WARN, (
                    f"101 Switching Protocols in {elapsed:g} ms, but the server did not answer the "
                    f"close frame within {timeout:g} s"
                )
            except (ConnectionResetError, BrokenPipeError) as exc:
                details["close"] = f"{type(exc).__name__}: {exc}"
                return Status.WARN, (
                    f"101 Switching Protocols in {elapsed:g} ms, but then the server reset the "
                    "connection instead of answering the close frame (the socket drops at once)"
                )
            except Exception as exc:  # the upgrade worked; only the close went wrong
                details["close"] = f"{type(exc).__name__}: {exc}"
                return Status.WARN, (
                    f"101 Switching Protocols in {elapsed:g} ms, but then the connection failed "
                    f"instead of closing cleanly ({type(exc).__name__}: {exc})"
                )
            details["close"] = code
            if code is None:
                return Status.WARN, (
                    f"101 Switching Protocols in {elapsed:g} ms, but the server closed TCP "
                    "without a close frame (no clean WebSocket close)"
                )
            if code not in CLEAN_CLOSE_CODES:
                return Status.WARN, (
                    f"101 Switching Protocols in {elapsed:g} ms, but the server closed with code "
                    f"{code} ({CLOSE_CODES.get(code, 'an application code')}), not 1000"
                )
            return (
                Status.PASS,
                f"101 Switching Protocols in {elapsed:g} ms, Accept correct, closed cleanly ({code})",
            )
        finally:
            stream.abort()

    async def check(
        self, target: ProbeTarget, endpoint: Endpoint, stream: TlsStream | None = None
    ) -> CheckResult:
        """Upgrades wss://host{path} at `endpoint` (over `stream` when given, else a new verified
        connection); never raises, always closes the stream."""
        name = target.host if target.port == 443 else f"{target.host}:{target.port}"
        details: dict[str, Any] = {
            "url": f"wss://{name}{target.path}",
            "address": endpoint.label,
            "via": endpoint.via,
            "reused_tls_connection": stream is not None,
        }
        try:
            try:
                status, message = await self._upgrade(target, endpoint, details, stream)
            except Exception as exc:
                if stream is None or not dropped_unanswered(exc):
                    raise
                # The server closed the idle reused connection: upgrade over a new one.
                details["retried_on_new_connection"] = True
                status, message = await self._upgrade(target, endpoint, details, None)
        except Exception as exc:
            asked = self.settings.trust.client_cert_requests.asked(target.host)
            status, kind, reason, _ = failure_from(exc, self.settings.timeout, asked)
            details["kind"] = kind
            return CheckResult(
                name, CheckId.WEBSOCKET, status, f"WebSocket upgrade failed: {reason}", details
            )
        return CheckResult(name, CheckId.WEBSOCKET, status, message, details)

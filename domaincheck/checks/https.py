"""The HTTPS check: a request host answers an HTTP/1.1 request over TLS.

The request is made with httpx, through a transport that speaks HTTP/1.1 (h11, the parser httpx
itself uses) over the connection the TLS check already opened and verified, with SNI, the
certificate check and the Host header on the real host name. So `--resolve` and `--connect-to` work
as with curl, and a host costs one TCP and TLS handshake for both checks. Any HTTP status means the
host is reachable; the status and the time to the response headers are reported. Failures say why:
refused, reset, timeout, TLS, closed without a response.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from typing import Any

import h11
import httpx

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
from domaincheck.checks.failures import translate
from domaincheck.checks.router import Router
from domaincheck.checks.settings import LiveSettings
from domaincheck.core.model import CheckResult, ProbeTarget, Status

CHECK_HTTPS = "https"
USER_AGENT = f"domaincheck/{__version__}"
MAX_HEAD = 64 * 1024  # the response head we accept (h11's default is 16 KiB)


@dataclass(frozen=True)
class HttpsAnswer:
    """What came back: status line, a few headers and how long it took."""

    status_code: int
    reason: str
    http_version: str
    elapsed_ms: float
    server: str | None
    location: str | None

    def details(self) -> dict[str, Any]:
        return {
            "status_code": self.status_code,
            "reason": self.reason,
            "http_version": self.http_version,
            "elapsed_ms": self.elapsed_ms,
            "server": self.server,
            "location": self.location,
        }


class StreamTransport(httpx.AsyncBaseTransport):
    """An httpx transport that sends one request over an open TLS stream and reads the head back.

    The body is not read: the status says the host is reachable. Network failures are raised as
    `StepError` (request or response step) for the checker to map.
    """

    def __init__(self, stream: TlsStream, timeout: float) -> None:
        self.stream = stream
        self.timeout = timeout

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        connection = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD)
        head = connection.send(
            h11.Request(
                method=request.method,
                target=request.url.raw_path,
                headers=list(request.headers.raw),
            )
        )
        assert head is not None
        end = connection.send(h11.EndOfMessage()) or b""
        endpoint = self.stream.endpoint
        try:
            self.stream.writer.write(head + end)
            async with asyncio.timeout(self.timeout):
                await self.stream.writer.drain()
        except Exception as exc:
            raise StepError(Step.REQUEST, endpoint, exc) from exc
        received = b""  # the start of the answer, to show when it never ends
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    event = connection.next_event()
                    if event is h11.NEED_DATA:
                        data = await self.stream.reader.read(65536)
                        if not data:
                            if received:
                                raise PartialAnswer(received, closed=True)
                            raise ConnectionAbortedError("closed without an HTTP response")
                        if len(received) < PartialAnswer.PREVIEW:
                            received += data[: PartialAnswer.PREVIEW]
                        connection.receive_data(data)
                        continue
                    if isinstance(event, h11.Response):
                        # h11 bounds only a head still incomplete; bound the whole head alike
                        size = sum(len(k) + len(v) + 4 for k, v in event.headers)
                        if size + len(event.reason) > MAX_HEAD:
                            raise h11.RemoteProtocolError("head too large", error_status_hint=431)
                        break
                    if isinstance(event, h11.ConnectionClosed):
                        raise ConnectionAbortedError("closed without an HTTP response")
                    # 1xx informational responses: keep reading
        except TimeoutError as exc:
            cause: Exception = PartialAnswer(received, closed=False) if received else exc
            raise StepError(Step.RESPONSE, endpoint, cause) from exc
        except Exception as exc:
            raise StepError(Step.RESPONSE, endpoint, exc) from exc
        return httpx.Response(
            status_code=event.status_code,
            headers=[(bytes(k), bytes(v)) for k, v in event.headers],
            request=request,
            extensions={
                "http_version": b"HTTP/" + event.http_version,
                "reason_phrase": bytes(event.reason),
            },
        )

    async def aclose(self) -> None:
        self.stream.abort()


def failure_from(
    exc: BaseException, timeout: float, client_cert_asked: bool = False
) -> tuple[Status, str, str]:
    """The HTTPS check's failures as (status, kind, reason): what only HTTP can say here, the
    network steps by the shared translator.

    `client_cert_asked`: the server asked for a client certificate in the handshake, so a dropped
    connection means it wanted one (TLS 1.3 servers refuse only after the handshake).
    """
    step = exc.step if isinstance(exc, StepError) else None
    cause = exc.cause if isinstance(exc, StepError) else exc
    answering = step in (Step.REQUEST, Step.RESPONSE)
    if client_cert_refusal(cause, client_cert_asked):
        return Status.FAIL, "client-cert", CLIENT_CERT_REASON
    if isinstance(cause, PartialAnswer):
        how = (
            "the server closed the connection in the middle of the response head"
            if cause.closed
            else f"the response head did not end within {timeout:g} s"
        )
        return Status.FAIL, "incomplete", f"{how} (got {cause.preview!r})"
    if answering and isinstance(cause, TimeoutError):
        return Status.FAIL, "timeout", f"TLS up, but no HTTP answer within {timeout:g} s"
    if answering and isinstance(cause, ConnectionAbortedError | asyncio.IncompleteReadError):
        return (
            Status.FAIL,
            "no-response",
            "the server closed the connection without an HTTP response",
        )
    if isinstance(cause, h11.RemoteProtocolError):
        if cause.error_status_hint == 431:
            return (
                Status.FAIL,
                "bad-response",
                f"the response head is larger than {MAX_HEAD // 1024} KiB",
            )
        text = re.sub(r"bytearray\((b['\"].*?['\"])\)", r"\1", str(cause))[:200]
        return Status.FAIL, "bad-response", f"not a valid HTTP/1.1 response: {text}"
    if isinstance(cause, httpx.HTTPError):
        return Status.ERROR, "http-error", f"{type(cause).__name__}: {cause}"
    net = translate(exc, timeout, client_cert_asked)
    return net.status, net.kind, net.reason


class HttpsChecker:
    """Sends one GET per request host; one instance per run."""

    def __init__(self, settings: LiveSettings, router: Router | None = None) -> None:
        self.settings = settings
        self.router = router or Router(settings)
        self._context = settings.trust.context(("http/1.1",))

    async def _get(
        self,
        target: ProbeTarget,
        endpoint: Endpoint,
        stream: TlsStream | None,
        url: str,
        started: float,
    ) -> HttpsAnswer:
        """One GET over `stream` (or a new verified connection), which it always closes."""
        timeout = self.settings.timeout
        try:
            if stream is None:
                stream = await self.router.open_tls(endpoint, target.host, self._context)
            async with httpx.AsyncClient(
                transport=StreamTransport(stream, timeout), follow_redirects=False
            ) as client:
                response = await client.get(
                    url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
                )
        finally:
            if stream is not None:
                stream.abort()
        return HttpsAnswer(
            status_code=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
            server=response.headers.get("server"),
            location=response.headers.get("location"),
        )

    async def check(
        self, target: ProbeTarget, endpoint: Endpoint, stream: TlsStream | None = None
    ) -> CheckResult:
        """GET target.path at `endpoint` (over `stream` when given, else a new verified
        connection) with SNI and Host = target.host; never raises, always closes the stream."""
        name = target.host if target.port == 443 else f"{target.host}:{target.port}"
        path = target.path if target.path.startswith("/") else "/" + target.path
        timeout = self.settings.timeout
        details: dict[str, Any] = {
            "url": f"https://{name}{path}",
            "address": endpoint.label,
            "via": endpoint.via,
            "reused_tls_connection": stream is not None,
        }
        started = time.perf_counter()
        try:
            try:
                answer = await self._get(target, endpoint, stream, f"https://{name}{path}", started)
            except Exception as exc:
                if stream is None or not dropped_unanswered(exc):
                    raise
                # The server closed the idle reused connection: ask again over a new one.
                details["retried_on_new_connection"] = True
                answer = await self._get(target, endpoint, None, f"https://{name}{path}", started)
        except Exception as exc:
            asked = self.settings.trust.client_cert_requests.asked(target.host)
            status, kind, reason = failure_from(exc, timeout, asked)
            details.update(kind=kind, elapsed_ms=round((time.perf_counter() - started) * 1000, 1))
            return CheckResult(
                name, CHECK_HTTPS, status, f"HTTPS request failed: {reason}", details
            )
        details.update(answer.details())
        reason = f" {answer.reason}" if answer.reason else ""
        location = f" to {answer.location}" if answer.location and answer.status_code < 400 else ""
        message = (
            f"answers HTTP {answer.status_code}{reason}{location} over {answer.http_version} "
            f"in {answer.elapsed_ms:g} ms (reachable)"
        )
        return CheckResult(name, CHECK_HTTPS, Status.PASS, message, details)

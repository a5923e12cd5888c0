"""The HTTPS check: a request host answers an HTTP/1.1 request over TLS.

The request is made with httpx, through a transport that speaks HTTP/1.1 (h11, the parser httpx
itself uses) over the connection the TLS check already opened and verified, with SNI, the
certificate check and the Host header on the real host name. So `--resolve` and `--connect-to` work
as with curl, and a host costs one TCP and TLS handshake for both checks. Failures say why: refused,
reset, timeout, TLS, closed without a response.

The answer is judged as a mini program's request API would meet it, which follows redirects: a
redirect on the same origin is followed (at most `MAX_REDIRECTS`, all within one more timeout); one
to plain http fails (no whitelist and no iOS ATS allows it; usually a TLS-terminating proxy that
builds http:// URLs); one to another host or port is not followed but judged against the app's
whitelist under the platform's matching rule; a loop fails. A 5xx answer warns (the host answers,
its upstream fails); any other status means reachable (REST hosts answer 404 on `/`).
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from typing import Any, ClassVar

import h11
import httpx

from domaincheck import __version__
from domaincheck.checks._certs import printable
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
from domaincheck.checks.settings import AppWhitelist, LiveSettings
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, ConsoleList, ProbeKind, ProbeTarget, Status
from domaincheck.whitelist.coverage import uncovered

USER_AGENT = f"domaincheck/{__version__}"
MAX_HEAD = 64 * 1024  # the response head we accept (h11's default is 16 KiB)
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5  # same-origin redirects followed before giving up
MAX_SHOWN = 200  # characters of a server-given URL or reason phrase shown in a message
PLAIN_HTTP_CAUSE = (
    "the phone follows the redirect, and no platform's whitelist nor iOS ATS allows plain http; "
    "usually a TLS-terminating proxy that builds http:// URLs (make it send https Locations, "
    "e.g. by passing X-Forwarded-Proto)"
)


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
    """Sends one GET per request host; one instance per run. The probe plugin for `ProbeKind.HTTPS`."""

    kind: ClassVar[ProbeKind] = ProbeKind.HTTPS
    ids: ClassVar[tuple[CheckId, ...]] = (CheckId.HTTPS,)

    def __init__(self, settings: LiveSettings, router: Router | None = None) -> None:
        self.settings = settings
        self.router = router or resolving_router(settings)
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
        connection) with SNI and Host = target.host, following same-origin redirects; never
        raises, always closes the stream."""
        name = target.host if target.port == 443 else f"{target.host}:{target.port}"
        path = target.path if target.path.startswith("/") else "/" + target.path
        url = f"https://{name}{path}"
        timeout = self.settings.timeout
        details: dict[str, Any] = {
            "url": url,
            "address": endpoint.label,
            "via": endpoint.via,
            "reused_tls_connection": stream is not None,
        }
        started = time.perf_counter()
        hops: list[tuple[HttpsAnswer, str]] = []  # each redirect followed, and where it led
        visited = [str(httpx.URL(url))]
        try:
            try:
                answer = await self._get(target, endpoint, stream, url, started)
            except Exception as exc:
                if stream is None or not dropped_unanswered(exc):
                    raise
                # The server closed the idle reused connection: ask again over a new one.
                details["retried_on_new_connection"] = True
                answer = await self._get(target, endpoint, None, url, started)
            async with asyncio.timeout(timeout):  # every redirect followed, together
                while (step := judge_redirect(target, url, answer, self.settings.whitelist)).follow:
                    if len(hops) == MAX_REDIRECTS or step.url in visited:
                        break
                    hops.append((answer, step.url))
                    visited.append(step.url)
                    url = step.url
                    answer = await self._get(target, endpoint, None, url, started)
        except Exception as exc:
            asked = self.settings.trust.client_cert_requests.asked(target.host)
            status, kind, reason = failure_from(exc, timeout, asked)
            if isinstance(exc, TimeoutError) and hops:  # the redirects' own time ran out
                status, kind = Status.FAIL, "timeout"
                reason = f"no answer within {timeout:g} s"
            details.update(kind=kind, elapsed_ms=round((time.perf_counter() - started) * 1000, 1))
            details["redirects"] = _hops_details(hops)
            where = f" after redirects to {_shown(url)}" if hops else ""
            return CheckResult(
                name, CheckId.HTTPS, status, f"HTTPS request failed{where}: {reason}", details
            )
        details.update(answer.details())
        details["redirects"] = _hops_details(hops)
        if hops:
            details["final_url"] = url
        status, verdict = step.status, step.verdict
        if step.follow:  # stopped following: a loop or too many
            chain = " -> ".join(_shown(u) for u in visited)
            looped = step.url in visited
            status = Status.FAIL
            verdict = (
                f"a redirect loop ({chain} -> {_shown(step.url)}): the request never ends"
                if looped
                else f"more than {MAX_REDIRECTS} redirects ({chain} -> ...)"
            )
        reason = f" {printable(answer.reason)[:MAX_SHOWN]}" if answer.reason else ""
        location = (
            f" to {_shown(answer.location)}"
            if answer.location and answer.status_code < 400 and not step.follow
            else ""
        )
        after = ""
        if hops:
            first = hops[0][0]
            count = f"{len(hops)} redirect{'s' if len(hops) > 1 else ''}"
            after = f" after {count} (HTTP {first.status_code} to {_shown(hops[0][1])})"
        message = (
            f"answers HTTP {answer.status_code}{reason}{location}{after} over "
            f"{answer.http_version} in {answer.elapsed_ms:g} ms ({verdict})"
        )
        return CheckResult(name, CheckId.HTTPS, status, message, details)


@dataclass(frozen=True)
class RedirectStep:
    """What an answer means: follow it to `url`, or stop with `status` and a `verdict`."""

    status: Status
    verdict: str
    follow: bool = False
    url: str = ""


def judge_redirect(
    target: ProbeTarget, url: str, answer: HttpsAnswer, whitelist: AppWhitelist | None
) -> RedirectStep:
    """How the phone's request API meets `answer` to a GET of `url`; pure.

    A redirect is followed by the runtime, so its target must be usable: https, and on the same
    origin (followed here) or on a host the whitelist covers (judged, not connected to: the
    server's Location never decides what domaincheck connects to).
    """
    code = answer.status_code
    if code >= 500:
        return RedirectStep(Status.WARN, "the host answers, but the service behind it is failing")
    if code not in REDIRECT_CODES or not answer.location:
        return RedirectStep(Status.PASS, "reachable")
    shown = _shown(answer.location)
    try:
        goes_to = httpx.URL(url).join(answer.location)
        host = goes_to.raw_host.decode("ascii").lower().rstrip(".")
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return RedirectStep(
            Status.FAIL, f"the redirect's Location {shown} is not a URL the phone can follow"
        )
    if goes_to.scheme == "http":
        return RedirectStep(Status.FAIL, f"a redirect to plain http: {PLAIN_HTTP_CAUSE}")
    if goes_to.scheme != "https":
        return RedirectStep(
            Status.FAIL, f"a redirect to {shown}, which a mini program's request cannot follow"
        )
    port = goes_to.port or 443
    if host == _ascii(target.host) and port == target.port:
        return RedirectStep(Status.PASS, "reachable", follow=True, url=str(goes_to))
    where = f"{host}:{port}" if goes_to.port else host
    other = f"another {'port' if host == _ascii(target.host) else 'host'}, {where}"
    if whitelist is None:
        return RedirectStep(
            Status.WARN,
            f"a redirect to {other}: the phone follows it only if the whitelist covers it",
        )
    why = uncovered(
        whitelist.rules, whitelist.coverage, ConsoleList.REQUEST, host, "https", goes_to.port
    )
    if why is not None:
        return RedirectStep(Status.FAIL, f"a redirect to {other}, which the phone refuses: {why}")
    return RedirectStep(
        Status.PASS, f"reachable; the redirect goes to {where}, which the whitelist covers"
    )


def _shown(text: str) -> str:
    """A server-given URL as a message may show it: escaped, on one line, bounded."""
    text = printable(text)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _ascii(host: str) -> str:
    host = host.lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _hops_details(hops: list[tuple[HttpsAnswer, str]]) -> list[dict[str, Any]]:
    return [
        {"status_code": a.status_code, "location": _shown(a.location or ""), "url": u}
        for a, u in hops
    ]

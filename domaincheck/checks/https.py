"""The HTTPS check: a request host answers an HTTP/1.1 request over TLS.

Uses httpx, pointed at the address the TLS check connected to, with the host name kept for SNI,
the certificate check and the Host header (httpx's `sni_hostname` extension), so `--resolve` and
`--connect-to` work as with curl. Any HTTP status means the host is reachable; the status and the
time to the response headers are reported. Failures say why: refused, reset, timeout, TLS.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass
from typing import Any

import httpx

from domaincheck import __version__
from domaincheck.checks._net import Endpoint
from domaincheck.checks.settings import LiveSettings
from domaincheck.model import CheckResult, ProbeTarget, Status

CHECK_HTTPS = "https"
USER_AGENT = f"domaincheck/{__version__}"


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


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from (httpx -> httpcore -> anyio -> OSError)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 10:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _first(chain: list[BaseException], kind: type[BaseException]) -> BaseException | None:
    return next((e for e in chain if isinstance(e, kind)), None)


def failure_from(exc: BaseException, timeout: float) -> tuple[Status, str, str]:
    """The one place where the HTTPS check turns exceptions into (status, kind, reason)."""
    chain = _chain(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        return Status.ERROR, "timeout", f"no TCP/TLS connection within {timeout:g} s"
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):
        return (
            Status.FAIL,
            "timeout",
            f"TLS connection up, but no HTTP answer within {timeout:g} s",
        )
    if isinstance(exc, httpx.PoolTimeout | TimeoutError):
        return Status.ERROR, "timeout", f"timed out after {timeout:g} s"
    verify = _first(chain, ssl.SSLCertVerificationError)
    if isinstance(verify, ssl.SSLCertVerificationError):
        return Status.FAIL, "tls", f"TLS: certificate not trusted: {verify.verify_message}"
    tls = _first(chain, ssl.SSLError)
    if isinstance(tls, ssl.SSLError):
        return Status.FAIL, "tls", f"TLS handshake failed: {tls.reason or tls}"
    if _first(chain, ConnectionRefusedError):
        return Status.ERROR, "refused", "connection refused (nothing listens on the port)"
    if _first(chain, ConnectionResetError) or _first(chain, BrokenPipeError):
        return Status.ERROR, "reset", "connection reset by the server"
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc) or "protocol error"
        if "without sending" in text or "disconnected" in text.lower():
            return (
                Status.FAIL,
                "no-response",
                "the server closed the connection without an HTTP response",
            )
        return Status.FAIL, "bad-response", f"not a valid HTTP/1.1 response: {text}"
    os_error = next((e for e in reversed(chain) if isinstance(e, OSError)), None)
    if os_error is not None:
        return Status.ERROR, "os-error", f"connection failed: {os_error.strerror or os_error}"
    if isinstance(exc, httpx.HTTPError):
        return Status.ERROR, "http-error", f"{type(exc).__name__}: {exc}"
    return Status.ERROR, "error", f"unexpected {type(exc).__name__}: {exc}"


def _url(endpoint: Endpoint, path: str) -> str:
    address = f"[{endpoint.address}]" if ":" in endpoint.address else endpoint.address
    return f"https://{address}:{endpoint.port}{path if path.startswith('/') else '/' + path}"


class HttpsChecker:
    """Sends one GET per request host; one instance per run."""

    def __init__(self, settings: LiveSettings) -> None:
        self.settings = settings
        self._context = settings.trust.context(("http/1.1",))

    async def check(self, target: ProbeTarget, endpoint: Endpoint) -> CheckResult:
        """GET target.path from `endpoint` with SNI and Host = target.host; never raises."""
        name = target.host if target.port == 443 else f"{target.host}:{target.port}"
        timeout = self.settings.timeout
        details: dict[str, Any] = {
            "url": f"https://{name}{target.path}",
            "address": endpoint.label,
            "via": endpoint.via,
        }
        started = time.perf_counter()
        try:
            async with httpx.AsyncClient(
                verify=self._context,
                http1=True,
                http2=False,
                trust_env=False,
                follow_redirects=False,
                timeout=httpx.Timeout(timeout),
                limits=httpx.Limits(max_keepalive_connections=0),
            ) as client:
                request = client.build_request(
                    "GET",
                    _url(endpoint, target.path),
                    headers={"Host": name, "User-Agent": USER_AGENT, "Accept": "*/*"},
                    extensions={"sni_hostname": target.host},
                )
                response = await client.send(request, stream=True)
                elapsed = round((time.perf_counter() - started) * 1000, 1)
                await response.aclose()
            answer = HttpsAnswer(
                status_code=response.status_code,
                reason=response.reason_phrase,
                http_version=response.http_version,
                elapsed_ms=elapsed,
                server=response.headers.get("server"),
                location=response.headers.get("location"),
            )
        except Exception as exc:
            status, kind, reason = failure_from(exc, timeout)
            details.update(kind=kind, elapsed_ms=round((time.perf_counter() - started) * 1000, 1))
            return CheckResult(
                name, CHECK_HTTPS, status, f"HTTPS request failed: {reason}", details
            )
        details.update(answer.details())
        message = (
            f"answers HTTP {answer.status_code} {answer.reason} over {answer.http_version} "
            f"in {answer.elapsed_ms:g} ms (reachable)"
        )
        return CheckResult(name, CHECK_HTTPS, Status.PASS, message.replace("  ", " "), details)

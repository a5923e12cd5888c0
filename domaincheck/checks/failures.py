"""The one translator from network exceptions to results: refused, reset, timeout, TLS alert, closed.

Every probe (TLS, HTTPS, WebSocket) and the HTTP-DNS fetch hand the exceptions of their network
steps here, so the same failure reads the same everywhere. A probe first names what only it can
know (an HTTP head that never ended, a WebSocket answer that breaks RFC 6455) and passes the rest.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
from dataclasses import dataclass

from domaincheck.checks._net import (
    CLIENT_CERT_REASON,
    NameNotResolved,
    Step,
    StepError,
    client_cert_refusal,
)
from domaincheck.checks.proxy import ProxyError, TargetRefused, TargetUnreachable
from domaincheck.core.model import Status

_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT}


class NotTls(Exception):
    """The port answered, but not in TLS: `words` is the start of what it says."""

    def __init__(self, words: bytes) -> None:
        super().__init__(words[:80].decode("latin-1"))
        self.words = words


@dataclass(frozen=True)
class NetFailure:
    """A network step that did not complete: status, a stable kind, a reason a person can read.

    `fail` when the server answered wrongly (TLS alert, untrusted certificate, not TLS); `error`
    when nothing usable came (refused, reset, timeout, unreachable).
    """

    status: Status
    kind: str  # refused, reset, closed, timeout, unreachable, lookup, tls-alert, plain-http, ...
    reason: str
    step: Step | None = None


def translate(exc: BaseException, timeout: float, client_cert_asked: bool = False) -> NetFailure:
    """The reason `exc` (a `StepError` or a bare exception) ended a network step.

    `client_cert_asked`: the server sent a CertificateRequest, so a dropped connection means it
    wanted a client certificate.
    """
    step: Step | None = None
    if isinstance(exc, StepError):
        step, exc = exc.step, exc.cause
    where = f"{step}" if step else "probe"

    def failure(status: Status, kind: str, reason: str) -> NetFailure:
        return NetFailure(status, kind, reason, step)

    if isinstance(exc, NotTls):
        said = exc.words.decode("latin-1")
        if said.startswith("HTTP/"):
            return failure(
                Status.FAIL,
                "plain-http",
                f"the port does not speak TLS but plain HTTP (it answers {said!r})",
            )
        return failure(
            Status.FAIL, "plain-http", f"the port does not speak TLS (it answers {said!r})"
        )
    if step not in (Step.LOOKUP, Step.CONNECT) and client_cert_refusal(exc, client_cert_asked):
        return failure(Status.FAIL, "client-cert", CLIENT_CERT_REASON)
    if isinstance(exc, ProxyError):  # the proxy's own failure, told apart from the target's
        return failure(exc.status, exc.kind, exc.reason)
    if isinstance(exc, TargetRefused):
        return failure(Status.ERROR, "refused", f"connection refused ({exc})")
    if isinstance(exc, TargetUnreachable):
        return failure(Status.ERROR, "unreachable", str(exc))
    if isinstance(exc, NameNotResolved):
        return failure(Status.ERROR, "lookup", f"cannot look up the host: {exc}")
    if isinstance(exc, TimeoutError):
        if step is Step.HANDSHAKE:
            reason = f"TCP connection accepted but no TLS handshake answer within {timeout:g} s"
        elif step is Step.CONNECT:
            reason = f"no answer to the TCP connect within {timeout:g} s (filtered or host down)"
        elif step is Step.RESPONSE:
            reason = f"no answer within {timeout:g} s after the request"
        else:
            reason = f"timeout during {where} after {timeout:g} s"
        return failure(Status.ERROR, "timeout", reason)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return failure(
            Status.FAIL, "cert-verify", f"TLS certificate not trusted: {exc.verify_message}"
        )
    if isinstance(exc, ssl.SSLError):
        return _tls_failure(exc, step)
    if isinstance(exc, ConnectionRefusedError):
        return failure(Status.ERROR, "refused", "connection refused (nothing listens on the port)")
    if isinstance(exc, ConnectionResetError) and exc.errno is None:
        # asyncio's and uvloop's word for an orderly close (EOF) in the middle of the handshake
        after = " (after the ClientHello)" if step is Step.HANDSHAKE else ""
        return failure(
            Status.ERROR, "closed", f"the server closed the connection during the {where}{after}"
        )
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return failure(Status.ERROR, "reset", f"connection reset by the server during the {where}")
    if isinstance(exc, ConnectionAbortedError | EOFError | asyncio.IncompleteReadError):
        return failure(
            Status.ERROR, "closed", f"the server closed the connection during the {where}"
        )
    if isinstance(exc, OSError):
        if exc.errno in _UNREACHABLE:
            return failure(Status.ERROR, "unreachable", f"network unreachable: {exc.strerror}")
        if isinstance(exc, socket.gaierror):
            return failure(
                Status.ERROR, "lookup", f"cannot look up the connect-to host: {exc.strerror or exc}"
            )
        return failure(Status.ERROR, "os-error", f"{where} failed: {exc.strerror or exc}")
    return failure(Status.ERROR, "error", f"unexpected {type(exc).__name__} during {where}: {exc}")


def _tls_failure(exc: ssl.SSLError, step: Step | None) -> NetFailure:
    text = (exc.reason or str(exc)).upper()
    if "WRONG_VERSION_NUMBER" in text or "HTTP_REQUEST" in text or "RECORD_LAYER_FAILURE" in text:
        return NetFailure(
            Status.FAIL, "plain-http", "the port does not speak TLS (plain HTTP?)", step
        )
    if (
        "UNSUPPORTED_PROTOCOL" in text
        or "PROTOCOL_VERSION" in text
        or "NO_PROTOCOLS_AVAILABLE" in text
    ):
        return NetFailure(
            Status.FAIL,
            "protocol-version",
            "no common TLS version (the server refuses TLS 1.2 and 1.3)",
            step,
        )
    if "UNRECOGNIZED_NAME" in text:
        return NetFailure(
            Status.FAIL,
            "sni",
            "the server does not serve this host name: it answered the SNI with an "
            "unrecognized_name alert",
            step,
        )
    if "HANDSHAKE_FAILURE" in text or "NO_SHARED_CIPHER" in text or "INSUFFICIENT_SECURITY" in text:
        return NetFailure(
            Status.FAIL,
            "tls-alert",
            f"TLS handshake refused by the server ({exc.reason or exc})",
            step,
        )
    return NetFailure(Status.FAIL, "tls-error", f"TLS handshake failed: {exc.reason or exc}", step)

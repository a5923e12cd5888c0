"""The vocabulary of connections: endpoints, steps, open TLS streams, certificate chains.

Shared by the router and the TLS, HTTPS and WebSocket checkers. Failures are raised as `StepError`, which names the
step (connect, handshake, ...) and chains the original exception, so each checker can map it to a
result in its own single place.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    """A network step of a probe; named in messages ("timeout during handshake")."""

    LOOKUP = "address lookup"
    CONNECT = "TCP connect"
    HANDSHAKE = "TLS handshake"
    REQUEST = "request"
    RESPONSE = "response"
    CLOSE = "close"


class NameNotResolved(Exception):
    """DNS at the configured resolvers gave no address for a name the tool must connect to."""


class StepError(Exception):
    """A network step failed; `__cause__` is the original exception."""

    def __init__(self, step: Step, endpoint: Endpoint | None, cause: BaseException) -> None:
        super().__init__(f"{step}: {type(cause).__name__}: {cause}")
        self.step = step
        self.endpoint = endpoint
        self.cause = cause


CLIENT_CERT_REASON = (
    "the server requires a client certificate (mutual TLS): it asked for one and dropped the "
    "connection without it; mini programs cannot present one"
)


def client_cert_refusal(exc: BaseException, asked: bool) -> bool:
    """True when `exc` is how a server that insists on a client certificate ends the connection.

    `asked`: the server sent a CertificateRequest (see `settings.ClientCertificateRequests`); then
    an alert, a reset or a close means it wanted one. TLS 1.3 names it in its own alert.
    """
    if isinstance(exc, ssl.SSLError):
        text = (exc.reason or str(exc)).upper()
        if "CERTIFICATE_REQUIRED" in text:
            return True
        return asked and ("HANDSHAKE_FAILURE" in text or "BAD_CERTIFICATE" in text)
    return asked and isinstance(
        exc,
        ConnectionResetError
        | ConnectionAbortedError
        | BrokenPipeError
        | EOFError
        | asyncio.IncompleteReadError,
    )


def dropped_unanswered(exc: BaseException) -> bool:
    """True when a request failed because the server had closed the connection before answering.

    Over the TLS check's connection, kept open while the other addresses and the TLS 1.0 probe
    finish, that is a server closing an idle connection: worth asking again over a new one, as
    browsers do.
    """
    if not isinstance(exc, StepError) or exc.step not in (Step.REQUEST, Step.RESPONSE):
        return False
    cause = exc.cause
    if isinstance(cause, asyncio.IncompleteReadError):
        return not cause.partial
    return isinstance(
        cause, ConnectionResetError | BrokenPipeError | ConnectionAbortedError | ssl.SSLEOFError
    )


@dataclass(frozen=True)
class Endpoint:
    """One place to connect to for a host: an IP address and port, and why (dns, an override)."""

    address: str
    port: int
    via: str = "dns"
    # One of several addresses of a --connect-to name: tried like curl, the first that works counts.
    alternative: bool = False

    @property
    def label(self) -> str:
        return (
            f"[{self.address}]:{self.port}"
            if ":" in self.address
            else f"{self.address}:{self.port}"
        )

    @property
    def family(self) -> int:
        return socket.AF_INET6 if ":" in self.address else socket.AF_INET


class PartialAnswer(Exception):
    """The server began to answer but the head never ended: it stalled past the timeout, or closed.

    `partial` is the start of what came (at most `PREVIEW` bytes), shown in the message.
    """

    PREVIEW = 120

    def __init__(self, partial: bytes, closed: bool) -> None:
        self.partial = bytes(partial[: self.PREVIEW])
        self.closed = closed
        super().__init__(f"{'closed' if closed else 'stalled'} after {self.preview!r}")

    @property
    def preview(self) -> str:
        text = self.partial.decode("latin-1")
        return text[:60] + ("..." if len(text) > 60 else "")


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@dataclass
class TlsStream:
    """An open TLS connection with the time each step took (milliseconds)."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    endpoint: Endpoint
    connect_ms: float
    handshake_ms: float

    @property
    def ssl_object(self) -> ssl.SSLObject:
        obj = self.writer.get_extra_info("ssl_object")
        assert isinstance(obj, ssl.SSLObject)
        return obj

    def abort(self) -> None:
        """Drops the connection at once (a probe has nothing more to say); never raises."""
        with contextlib.suppress(Exception):
            self.writer.transport.abort()


def unverified_chain(ssl_object: ssl.SSLObject) -> tuple[bytes, ...]:
    """The certificates the server sent, in the order sent, as DER.

    Python 3.13 has `SSLObject.get_unverified_chain()`; 3.10 to 3.12 have the same OpenSSL call
    (SSL_get_peer_cert_chain) on the private `_sslobj`. If neither exists, only the leaf is known.
    """
    public = getattr(ssl_object, "get_unverified_chain", None)
    if public is not None:
        return tuple(_der(c) for c in public())
    private = getattr(getattr(ssl_object, "_sslobj", None), "get_unverified_chain", None)
    if private is not None:
        return tuple(_der(c) for c in private() or ())
    leaf = ssl_object.getpeercert(binary_form=True)
    return (leaf,) if leaf else ()


def verified_chain(ssl_object: ssl.SSLObject) -> tuple[bytes, ...]:
    """The chain OpenSSL built to a trust anchor (leaf first), as DER; empty if unknown."""
    public = getattr(ssl_object, "get_verified_chain", None)
    if public is None:
        public = getattr(getattr(ssl_object, "_sslobj", None), "get_verified_chain", None)
    if public is None:
        return ()
    with contextlib.suppress(ssl.SSLError, ValueError):
        return tuple(_der(c) for c in public() or ())
    return ()


def _der(cert: object) -> bytes:
    if isinstance(cert, bytes):
        return cert
    public_bytes = getattr(cert, "public_bytes", None)
    if public_bytes is None:
        raise TypeError(f"unexpected certificate object {type(cert).__name__}")
    der = public_bytes(ssl._ssl.ENCODING_DER)  # type: ignore[attr-defined]
    assert isinstance(der, bytes)
    return der

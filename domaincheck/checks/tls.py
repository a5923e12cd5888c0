"""The TLS check: handshake with each address, trust, host name, the chain sent, expiry, versions, ATS.

For every address the DNS check found (or an override gave), a TLS 1.2+ handshake with SNI = the host
is verified against the trust store (certifi or `--ca-bundle`). When verification fails, a second
handshake without verification fetches the chain the server sent, so the failure can be explained:
an incomplete chain (Android and mini programs do not fetch missing intermediates) is told apart from
an untrusted or self-signed root, an expired or not-yet-valid certificate, or a wrong host name. A
concurrent probe offering only TLS 1.0/1.1 tells whether the server still accepts them.

Results: `tls` (handshake and trust), `tls.protocol`, `tls.expiry`, `tls.ats` (iOS App Transport
Security). The sent chain comes from OpenSSL's SSL_get_peer_cert_chain, public in Python 3.13 as
`get_unverified_chain()` and private (`_sslobj`) in 3.10 to 3.12; see `_net.unverified_chain`.

This module probes (`TlsChecker`); the verdict on what the probes found is `checks.tls_verdict`
(pure), and the hand-written TLS 1.0/1.1 ClientHello is `checks.tls_legacy`.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import replace

from domaincheck.checks._net import (
    Endpoint,
    Step,
    StepError,
    TlsStream,
    unverified_chain,
    verified_chain,
)
from domaincheck.checks.dns import resolving_router
from domaincheck.checks.failures import NotTls, translate
from domaincheck.checks.router import Router
from domaincheck.checks.settings import CLIENT_CIPHERS, LiveSettings
from domaincheck.checks.tls_legacy import LegacyRefused, first_words, legacy_version
from domaincheck.checks.tls_verdict import Failure, Handshake, TlsOutcome, evaluate
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import Status

__all__ = [
    "ALPN_OFFERED",
    "TLS_CHECKS",
    "Failure",
    "Handshake",
    "TlsChecker",
    "TlsOutcome",
    "evaluate",
    "failure_from",
]

TLS_CHECKS = (CheckId.TLS, CheckId.TLS_PROTOCOL, CheckId.TLS_EXPIRY, CheckId.TLS_ATS)

# Offered as a mini program offers it (wx.request uses HTTP/1.1 unless enableHttp2 is set), so the
# verified connection can carry the HTTPS request or WebSocket upgrade that follows.
ALPN_OFFERED = ("http/1.1",)


def failure_from(
    exc: BaseException,
    endpoint: Endpoint | None,
    timeout: float,
    client_cert_asked: bool = False,
) -> Failure:
    """The TLS check's failures: a refused TLS 1.0 hello here, the rest by the shared translator.

    `client_cert_asked`: the server sent a CertificateRequest, so a dropped handshake means it
    wanted a client certificate.
    """
    if isinstance(exc, StepError):
        endpoint = exc.endpoint or endpoint
    if isinstance(exc, LegacyRefused):
        return Failure(endpoint, Status.FAIL, "refused-version", str(exc))
    net = translate(exc, timeout, client_cert_asked)
    return Failure(endpoint, net.status, net.kind, net.reason)


def _unverified_context(alpn: tuple[str, ...]) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(CLIENT_CIPHERS)
    ctx.set_alpn_protocols(list(alpn))
    return ctx


class TlsChecker:
    """Runs the TLS probes of one run; holds the contexts so they are built once."""

    def __init__(self, settings: LiveSettings, router: Router | None = None) -> None:
        self.settings = settings
        self.router = router or resolving_router(settings)
        self._verifying = settings.trust.context(ALPN_OFFERED)
        self._unverified = _unverified_context(ALPN_OFFERED)
        settings.trust.client_cert_requests.watch(self._unverified)

    async def _handshake(self, host: str, endpoint: Endpoint) -> Handshake | Failure:
        timeout = self.settings.timeout
        try:
            try:
                stream = await self.router.open_tls(endpoint, host, self._verifying)
                verify_code: int | None = None
                verify_message = ""
            except StepError as exc:
                if not isinstance(exc.cause, ssl.SSLCertVerificationError):
                    raise
                verify_code = exc.cause.verify_code
                verify_message = exc.cause.verify_message or str(exc.cause)
                try:
                    stream = await self.router.open_tls(endpoint, host, self._unverified)
                except StepError:
                    raise exc from None  # keep OpenSSL's verdict when the retry fails
            obj = stream.ssl_object
            cipher = obj.cipher()
            handshake = Handshake(
                endpoint=endpoint,
                version=obj.version() or "?",
                cipher=cipher[0] if cipher else "?",
                alpn=obj.selected_alpn_protocol(),
                sent_chain=unverified_chain(obj),
                verified_chain=verified_chain(obj) if verify_code is None else (),
                verify_code=verify_code,
                verify_message=verify_message,
                connect_ms=round(stream.connect_ms, 1),
                handshake_ms=round(stream.handshake_ms, 1),
                stream=stream if verify_code is None else None,
            )
            if verify_code is not None:
                stream.abort()
            return handshake
        except Exception as exc:
            asked = self.settings.trust.client_cert_requests.asked(host)
            failure = failure_from(exc, endpoint, timeout, asked)
        if failure.kind == "plain-http":  # say what the port speaks instead
            words = await first_words(self.router, endpoint, host, min(timeout, 1.0))
            if words:
                return failure_from(
                    StepError(Step.HANDSHAKE, endpoint, NotTls(words)), None, timeout
                )
        return failure

    async def _legacy(self, host: str, endpoint: Endpoint) -> str | Failure | None:
        """The version a TLS 1.0/1.1-only client gets, a Failure when refused, None when not probed."""
        if not self.settings.legacy_tls_probe:
            return None
        try:
            return await legacy_version(self.router, endpoint, host, self.settings.timeout)
        except Exception as exc:
            return failure_from(exc, endpoint, self.settings.timeout)

    async def check(self, host: str, port: int, dns_addresses: tuple[str, ...]) -> TlsOutcome:
        """Probes every endpoint of host:port concurrently and evaluates the first that answered."""
        try:
            eps = await self.router.endpoints(host, port, dns_addresses)
        except Exception as exc:
            failure = failure_from(exc, None, self.settings.timeout)
            return evaluate(host, port, (failure,), None, self.settings)
        if not eps:
            failure = Failure(None, Status.ERROR, "no-address", "no address to connect to")
            return evaluate(host, port, (failure,), None, self.settings)
        probes = [self._handshake(host, ep) for ep in eps]
        results = await asyncio.gather(*probes, self._legacy(host, eps[0]))
        handshakes: tuple[Handshake | Failure, ...] = tuple(results[:-1])  # type: ignore[arg-type]
        legacy = results[-1]
        assert legacy is None or isinstance(legacy, str | Failure)
        asked = self.settings.trust.client_cert_requests.asked(host)
        try:
            outcome = evaluate(host, port, handshakes, legacy, self.settings, asked)
        except BaseException:
            for probe in handshakes:
                if isinstance(probe, Handshake) and probe.stream is not None:
                    probe.stream.abort()
            raise
        keep: TlsStream | None = None
        for probe in handshakes:
            if not isinstance(probe, Handshake) or probe.stream is None:
                continue
            if keep is None and outcome.failure is None and probe.endpoint == outcome.endpoint:
                keep = probe.stream
            else:
                probe.stream.abort()
        return replace(outcome, stream=keep)

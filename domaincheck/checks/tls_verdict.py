"""The TLS check's verdict: what the handshakes found, judged into the `tls`, `tls.protocol`,
`tls.expiry` and `tls.ats` results.

Pure: `evaluate` takes the probes (completed handshakes or failures, each with its endpoint), the
TLS 1.0/1.1 answer and the clock, and never touches the network, so every verdict is testable
without a server. The probing is in `checks.tls`, the legacy ClientHello in `checks.tls_legacy`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from domaincheck.checks import _certs
from domaincheck.checks._net import (
    Endpoint,
    TlsStream,
)
from domaincheck.checks.settings import LiveSettings
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, Status


@dataclass(frozen=True)
class Handshake:
    """A completed handshake: what was negotiated, the chains, and OpenSSL's verdict."""

    endpoint: Endpoint
    version: str
    cipher: str
    alpn: str | None
    sent_chain: tuple[bytes, ...]
    verified_chain: tuple[bytes, ...] = ()
    verify_code: int | None = None  # None: verified
    verify_message: str = ""
    connect_ms: float = 0.0
    handshake_ms: float = 0.0
    # The verified connection, kept open for the HTTPS request or WebSocket upgrade that follows.
    stream: TlsStream | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Failure:
    """A probe that did not complete, with a stable kind and a reason a person can read."""

    endpoint: Endpoint | None
    status: Status
    kind: str  # refused, reset, timeout, unreachable, protocol-version, tls-alert, plain-http, ...
    reason: str

    @property
    def unreachable(self) -> bool:
        return self.kind == "unreachable"


@dataclass(frozen=True)
class TlsOutcome:
    """The TLS results of host:port and, when a handshake succeeded, where the next probes go."""

    host: str
    port: int
    results: tuple[CheckResult, ...]
    endpoint: Endpoint | None = None
    handshakes: tuple[Handshake | Failure, ...] = field(default=())
    # The verified connection to `endpoint`, open, for the next probe to use (None when failed).
    stream: TlsStream | None = field(default=None, compare=False, repr=False)

    @property
    def failure(self) -> str | None:
        """Why the HTTPS/WebSocket probes should not run (None: go ahead)."""
        main = self.results[0]
        if self.endpoint is None or main.status in (Status.FAIL, Status.ERROR):
            return main.message
        return None


def _version_number(version: str) -> tuple[int, int]:
    digits = version.replace("TLSv", "").split(".")
    try:
        return int(digits[0]), int(digits[1]) if len(digits) > 1 else 0
    except ValueError:
        return 0, 0


def evaluate(
    host: str,
    port: int,
    probes: tuple[Handshake | Failure, ...],
    legacy: str | Failure | None,
    settings: LiveSettings,
    client_cert_asked: bool = False,
) -> TlsOutcome:
    """Turns the probes of host:port into the four TLS results (pure; `settings.clock` gives now).

    `client_cert_asked`: the server asked for a client certificate (noted on a passing result).
    """
    now = settings.clock()
    target = host if port == 443 else f"{host}:{port}"
    handshakes = [p for p in probes if isinstance(p, Handshake)]
    failures = [p for p in probes if isinstance(p, Failure)]
    legacy_version = legacy if isinstance(legacy, str) else None
    legacy_details: dict[str, Any] = {
        "legacy_probe": "not run"
        if legacy is None
        else (legacy_version or f"refused: {legacy.reason}")  # type: ignore[union-attr]
    }
    addresses = [_probe_details(p, now) for p in probes]

    if not handshakes:
        first = next((f for f in failures if not f.unreachable), failures[0])
        if legacy_version is not None:
            message = (
                f"the server offers only {legacy_version}: mini programs and iOS need TLS 1.2 "
                "or newer"
            )
            main = CheckResult(
                target,
                CheckId.TLS,
                Status.FAIL,
                message,
                {"addresses": addresses, **legacy_details, "kind": "protocol-version"},
                "enable TLS 1.2 and TLS 1.3 on the server",
            )
            protocol = CheckResult(
                target,
                CheckId.TLS_PROTOCOL,
                Status.FAIL,
                message,
                legacy_details,
                "enable TLS 1.2 and TLS 1.3 on the server",
            )
        else:
            where = f"{first.endpoint.label}: " if first.endpoint and len(probes) > 1 else ""
            main = CheckResult(
                target,
                CheckId.TLS,
                first.status,
                f"{where}{first.reason}",
                {"addresses": addresses, **legacy_details, "kind": first.kind},
                _failure_fix(first),
            )
            protocol = CheckResult(
                target, CheckId.TLS_PROTOCOL, Status.SKIP, f"no TLS handshake ({first.reason})"
            )
        skip = f"no TLS handshake ({main.message})"
        return TlsOutcome(
            host,
            port,
            (
                main,
                protocol,
                CheckResult(target, CheckId.TLS_EXPIRY, Status.SKIP, skip),
                CheckResult(target, CheckId.TLS_ATS, Status.SKIP, skip),
            ),
            None,
            probes,
        )

    hs = handshakes[0]
    try:
        chain = _certs.parse_chain(hs.sent_chain)
    except Exception as exc:  # a certificate cryptography cannot parse
        chain = ()
        parse_error: str | None = f"{type(exc).__name__}: {exc}"
    else:
        parse_error = None
    base: dict[str, Any] = {
        "address": hs.endpoint.label,
        "via": hs.endpoint.via,
        "version": hs.version,
        "cipher": hs.cipher,
        "alpn": hs.alpn,
        "connect_ms": hs.connect_ms,
        "handshake_ms": hs.handshake_ms,
        "chain": [c.details(now) for c in chain],
        "addresses": addresses,
    }
    if parse_error:
        base["chain_parse_error"] = parse_error

    main = _trust_result(target, host, hs, chain, base, settings, now)
    if client_cert_asked and main.status is Status.PASS:
        main = replace(
            main,
            message=f"{main.message}; the server asks for a client certificate, which mini "
            "programs cannot send (fine only if it is optional)",
            details={**main.details, "client_certificate_requested": True},
        )
    # Other addresses: one that does not connect makes phones slow or flaky (they move on to the
    # next address: warn); one that serves a bad certificate fails the phones that pick it (fail).
    # Addresses of a --connect-to name are alternatives, as in curl: the first that works counts.
    others = [
        f for f in failures if not f.unreachable and not (f.endpoint and f.endpoint.alternative)
    ]
    other_bad = [p for p in handshakes[1:] if p.verify_code is not None and hs.verify_code is None]
    if (others or other_bad) and main.status in (Status.PASS, Status.WARN, Status.INFO):
        problems = [f"{f.endpoint.label if f.endpoint else '?'}: {f.reason}" for f in others]
        problems += [
            f"{p.endpoint.label}: certificate not trusted ({p.verify_message})" for p in other_bad
        ]
        status = Status.FAIL if other_bad else Status.WARN
        main = CheckResult(
            target,
            CheckId.TLS,
            status,
            f"{hs.endpoint.label} is fine but {'; '.join(problems)}",
            main.details,
            "fix or remove the failing addresses from DNS: phones pick any of them",
        )
    return TlsOutcome(
        host,
        port,
        (
            main,
            _protocol_result(target, hs, legacy, legacy_version, legacy_details),
            _expiry_result(target, _chain_in_use(hs, chain), settings, now),
            _ats_result(target, hs, chain),
        ),
        hs.endpoint,
        probes,
    )


def _chain_in_use(hs: Handshake, chain: tuple[_certs.CertInfo, ...]) -> tuple[_certs.CertInfo, ...]:
    """The sent certificates clients build their chain from: those OpenSSL verified with, else the
    path up from the leaf. An expired extra certificate the server also sends does not count."""
    if not chain:
        return chain
    if hs.verified_chain:
        used = set(hs.verified_chain)
        kept = tuple(c for der, c in zip(hs.sent_chain, chain, strict=False) if der in used)
        if kept and kept[0] is chain[0]:
            return kept
    return _certs.sent_path(chain)


def _probe_details(probe: Handshake | Failure, now: datetime) -> dict[str, Any]:
    if isinstance(probe, Handshake):
        return {
            "address": probe.endpoint.label,
            "via": probe.endpoint.via,
            "ok": probe.verify_code is None,
            "version": probe.version,
            "verify": probe.verify_message or "ok",
            "handshake_ms": probe.handshake_ms,
        }
    return {
        "address": probe.endpoint.label if probe.endpoint else None,
        "via": probe.endpoint.via if probe.endpoint else None,
        "ok": False,
        "error": probe.reason,
        "kind": probe.kind,
    }


def _failure_fix(failure: Failure) -> str | None:
    return {
        "refused": "start the HTTPS server on the port, or open the firewall",
        "timeout": "check the firewall and that the server answers TLS on this port",
        "reset": "check the server's TLS configuration and any middlebox on the path",
        "plain-http": "serve TLS (HTTPS) on this port",
        "protocol-version": "enable TLS 1.2 and TLS 1.3 on the server",
        "tls-alert": "enable modern ECDHE cipher suites and TLS 1.2+ on the server",
        "unreachable": "check this machine's network, or run from where the host is reachable",
        "closed": "check the server's TLS set-up for this host name (SNI) and any proxy in front",
        "sni": "configure the server (virtual host, SNI) with a certificate for this host name",
        "client-cert": "stop requiring client certificates (mutual TLS) on this host",
    }.get(failure.kind)


def _trust_result(
    target: str,
    host: str,
    hs: Handshake,
    chain: tuple[_certs.CertInfo, ...],
    base: dict[str, Any],
    settings: LiveSettings,
    now: datetime,
) -> CheckResult:
    negotiated = f"{hs.version} ({hs.cipher})"
    if hs.verify_code is not None:
        try:
            anchors: Sequence[Any] = settings.trust.anchors()
        except Exception:  # an unreadable bundle was caught at load time; be safe anyway
            anchors = ()
        diagnosis = _certs.diagnose(hs.verify_code, hs.verify_message, chain, anchors, host, now)
        details = {
            **base,
            "kind": diagnosis.kind,
            "verify_code": hs.verify_code,
            "openssl": hs.verify_message,
            "trust": settings.trust.label,
        }
        return CheckResult(
            target, CheckId.TLS, Status.FAIL, diagnosis.message, details, diagnosis.fix
        )
    sent = {der for der in hs.sent_chain}
    helped = [der for der in hs.verified_chain[1:] if der not in sent]
    if helped:
        # OpenSSL needed a certificate from the bundle that is not a root: the server does not send
        # an intermediate that only our bundle happens to have. Phones have roots only.
        try:
            from_bundle = _certs.parse_chain(helped)
        except Exception:
            from_bundle = ()
        missing = [c for c in from_bundle if not c.self_issued]
        if missing:
            details = {**base, "kind": "chain-incomplete", "trust": settings.trust.label}
            return CheckResult(
                target,
                CheckId.TLS,
                Status.FAIL,
                f"incomplete certificate chain: the server does not send the intermediate "
                f"'{missing[0].name}' (it verified here only because the CA bundle holds it; "
                "Android and mini programs fail)",
                details,
                "configure the server with the full chain (leaf followed by the intermediates)",
            )
    path = _certs.sent_path(chain) if chain else ()
    intermediates = sum(1 for c in path[1:] if not c.self_issued)
    shown = [
        f"server sends {len(hs.sent_chain)} certificate{'s' if len(hs.sent_chain) != 1 else ''}"
    ]
    if intermediates:
        shown.append(f"{intermediates} intermediate{'s' if intermediates != 1 else ''}")
    roots = [c for c in path[1:] if c.self_issued]
    if roots:
        shown.append(f"the root '{roots[0].name}' too (clients have it; not needed)")
    unrelated = [c for c in chain if c not in path]
    if unrelated:
        shown.append(f"{len(unrelated)} not part of the chain ('{unrelated[0].name}')")
    if tuple(chain[: len(path)]) != path:
        shown.append("out of order (TLS 1.2 wants leaf first, then each issuer)")
    message = f"{negotiated}, certificate valid for {host}, chain complete and trusted ({', '.join(shown)})"
    return CheckResult(
        target, CheckId.TLS, Status.PASS, message, {**base, "trust": settings.trust.label}
    )


def _protocol_result(
    target: str,
    hs: Handshake,
    legacy: str | Failure | None,
    legacy_version: str | None,
    legacy_details: dict[str, Any],
) -> CheckResult:
    details = {"negotiated": hs.version, **legacy_details}
    if _version_number(hs.version) < (1, 2):  # cannot happen with our contexts; be explicit anyway
        return CheckResult(
            target,
            CheckId.TLS_PROTOCOL,
            Status.FAIL,
            f"negotiated {hs.version}: TLS 1.2+ needed",
            details,
        )
    if legacy_version is not None:
        return CheckResult(
            target,
            CheckId.TLS_PROTOCOL,
            Status.INFO,
            f"negotiates {hs.version}; still accepts {legacy_version} (only old clients need it; "
            "phones use TLS 1.2+)",
            details,
        )
    if legacy is None:
        return CheckResult(
            target,
            CheckId.TLS_PROTOCOL,
            Status.PASS,
            f"negotiates {hs.version} (TLS 1.0/1.1 not probed)",
            details,
        )
    if isinstance(legacy, Failure) and legacy.kind in (
        "timeout",
        "refused",
        "unreachable",
        "os-error",
        "error",
    ):
        return CheckResult(
            target,
            CheckId.TLS_PROTOCOL,
            Status.PASS,
            f"negotiates {hs.version} (the TLS 1.0/1.1 probe was inconclusive: {legacy.reason})",
            details,
        )
    return CheckResult(
        target,
        CheckId.TLS_PROTOCOL,
        Status.PASS,
        f"negotiates {hs.version}; refuses TLS 1.0 and 1.1",
        details,
    )


def _expiry_result(
    target: str, chain: tuple[_certs.CertInfo, ...], settings: LiveSettings, now: datetime
) -> CheckResult:
    if not chain:
        return CheckResult(
            target, CheckId.TLS_EXPIRY, Status.ERROR, "the server's certificate could not be read"
        )
    leaf = chain[0]
    earliest = min(chain, key=lambda c: c.not_after)
    leaf_days = _certs.days_left(leaf, now)
    earliest_days = _certs.days_left(earliest, now)
    details = {
        "leaf": {
            "subject": leaf.subject,
            "not_after": leaf.not_after.isoformat(),
            "days_left": leaf_days,
        },
        "earliest": {
            "subject": earliest.subject,
            "not_after": earliest.not_after.isoformat(),
            "days_left": earliest_days,
        },
        "warn_days": settings.expiry_warn_days,
        "fail_days": settings.expiry_fail_days,
    }
    future = [c for c in chain if c.not_before > now]
    if future:
        return CheckResult(
            target,
            CheckId.TLS_EXPIRY,
            Status.FAIL,
            f"certificate '{future[0].name}' is not valid yet: valid from {future[0].not_before:%Y-%m-%d %H:%M} UTC",
            details,
            "install a certificate that is valid now (or fix the server's clock)",
        )
    which = "certificate" if earliest is leaf else f"chain certificate '{earliest.name}'"
    when = f"{earliest.not_after:%Y-%m-%d}"
    if earliest_days < 0:
        return CheckResult(
            target,
            CheckId.TLS_EXPIRY,
            Status.FAIL,
            f"{which} expired on {when} ({-earliest_days:g} days ago)",
            details,
            "renew the certificate now",
        )
    if earliest_days < settings.expiry_fail_days:
        return CheckResult(
            target,
            CheckId.TLS_EXPIRY,
            Status.FAIL,
            f"{which} expires in {earliest_days:g} days ({when}); under {settings.expiry_fail_days} days",
            details,
            "renew the certificate now",
        )
    if earliest_days < settings.expiry_warn_days:
        return CheckResult(
            target,
            CheckId.TLS_EXPIRY,
            Status.WARN,
            f"{which} expires in {earliest_days:g} days ({when}); under {settings.expiry_warn_days} days",
            details,
            "renew the certificate soon",
        )
    tail = (
        ""
        if earliest is leaf
        else f"; earliest in chain '{earliest.name}' in {earliest_days:g} days"
    )
    return CheckResult(
        target,
        CheckId.TLS_EXPIRY,
        Status.PASS,
        f"certificate valid for {leaf_days:g} more days (until {leaf.not_after:%Y-%m-%d}){tail}",
        details,
    )


def _ats_result(target: str, hs: Handshake, chain: tuple[_certs.CertInfo, ...]) -> CheckResult:
    if not chain:
        return CheckResult(
            target, CheckId.TLS_ATS, Status.ERROR, "the server's certificate could not be read"
        )
    leaf = chain[0]
    problems: list[str] = []
    if leaf.key_type == "RSA" and leaf.key_bits < 2048:
        problems.append(f"RSA key of {leaf.key_bits} bits (ATS needs >= 2048)")
    elif leaf.key_type == "EC" and leaf.key_bits < 256:
        problems.append(f"EC key of {leaf.key_bits} bits (ATS needs >= 256)")
    elif leaf.key_type not in ("RSA", "EC"):
        problems.append(f"{leaf.key_type} key (ATS accepts RSA or ECC)")
    for cert in chain:
        hash_name = _certs.weak_signature(cert)
        if hash_name and not cert.self_issued:
            problems.append(f"'{cert.name}' is signed with {hash_name}")
    forward_secret = _version_number(hs.version) >= (1, 3) or hs.cipher.startswith("ECDHE-")
    if not forward_secret:
        problems.append(f"cipher {hs.cipher} has no ECDHE forward secrecy")
    details = {
        "key": f"{leaf.key_type} {leaf.key_bits}",
        "cipher": hs.cipher,
        "version": hs.version,
        "signature_hashes": [c.signature_hash for c in chain],
        "problems": problems,
    }
    if problems:
        return CheckResult(
            target,
            CheckId.TLS_ATS,
            Status.WARN,
            "iOS App Transport Security would reject: " + "; ".join(problems),
            details,
            "use ECDHE cipher suites, RSA >= 2048 or ECDSA P-256 keys, and SHA-256 signatures",
        )
    return CheckResult(
        target,
        CheckId.TLS_ATS,
        Status.PASS,
        f"meets iOS ATS ({leaf.key_type} {leaf.key_bits}, forward secrecy, no SHA-1)",
        details,
    )

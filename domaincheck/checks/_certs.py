"""Certificate facts and diagnosis for the TLS check, from the DER certificates a server sent.

Pure functions over `cryptography` objects: parse each certificate, follow the chain the server sent
from the leaf upwards, match the host name, and explain an OpenSSL verification failure in words a
person can act on. Above all it tells an incomplete chain (the server does not send an intermediate,
which Android and mini programs do not fetch) apart from an untrusted or self-signed root.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

# OpenSSL X509_V_ERR_* codes the diagnosis names (ssl.SSLCertVerificationError.verify_code).
UNABLE_TO_GET_ISSUER_CERT = 2
CERT_NOT_YET_VALID = 9
CERT_HAS_EXPIRED = 10
DEPTH_ZERO_SELF_SIGNED_CERT = 18
SELF_SIGNED_CERT_IN_CHAIN = 19
UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20
UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21
INVALID_PURPOSE = 26
HOSTNAME_MISMATCH = 62
IP_ADDRESS_MISMATCH = 64
EE_KEY_TOO_SMALL = 66
CA_KEY_TOO_SMALL = 67
CA_MD_TOO_WEAK = 68


@dataclass(frozen=True)
class CertInfo:
    """What the checks and the report need to know about one certificate."""

    cert: x509.Certificate
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    is_ca: bool
    key_type: str  # RSA, EC, Ed25519, Ed448, DSA
    key_bits: int
    signature_hash: str | None  # sha256, sha1, ... (None for Ed25519/Ed448)
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    sha256: str

    @property
    def self_issued(self) -> bool:
        return self.cert.subject == self.cert.issuer

    @property
    def name(self) -> str:
        """The common name, or the whole subject when there is none."""
        return _short_name(self.cert.subject)

    @property
    def issuer_name(self) -> str:
        return _short_name(self.cert.issuer)

    def details(self, now: datetime) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "days_left": days_left(self, now),
            "is_ca": self.is_ca,
            "key": f"{self.key_type} {self.key_bits}",
            "signature_hash": self.signature_hash,
            "dns_names": list(self.dns_names),
            "sha256": self.sha256,
        }


def printable(text: str) -> str:
    """`text` with control characters escaped: names come from the server's certificates, and a
    message must stay on one line whatever they hold."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _short_name(name: x509.Name) -> str:
    common = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if common:
        value = common[0].value
        return printable(value if isinstance(value, str) else value.decode(errors="replace"))
    return printable(name.rfc4514_string()) or "(empty name)"


@functools.lru_cache(maxsize=4096)
def parse(der: bytes) -> CertInfo:
    """Parses one DER certificate (raises ValueError on garbage).

    Cached: the intermediates of one CA recur across the hosts of a run.
    """
    cert = x509.load_der_x509_certificate(der)
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key_type, bits = "RSA", key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key_type, bits = "EC", key.curve.key_size
    elif isinstance(key, ed25519.Ed25519PublicKey):
        key_type, bits = "Ed25519", 256
    elif isinstance(key, ed448.Ed448PublicKey):
        key_type, bits = "Ed448", 456
    elif isinstance(key, dsa.DSAPublicKey):
        key_type, bits = "DSA", key.key_size
    else:
        key_type, bits = type(key).__name__, 0
    try:
        basic = cert.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
        is_ca = bool(getattr(basic, "ca", False))
    except x509.ExtensionNotFound:
        is_ca = False
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns_names = tuple(san.get_values_for_type(x509.DNSName))
        ips = tuple(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        dns_names, ips = (), ()
    algorithm = cert.signature_hash_algorithm
    return CertInfo(
        cert=cert,
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        is_ca=is_ca,
        key_type=key_type,
        key_bits=bits,
        signature_hash=algorithm.name if algorithm is not None else None,
        dns_names=dns_names,
        ip_addresses=ips,
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
    )


def parse_chain(ders: Sequence[bytes]) -> tuple[CertInfo, ...]:
    return tuple(parse(der) for der in ders)


def days_left(info: CertInfo, now: datetime) -> float:
    return round((info.not_after - now).total_seconds() / 86400, 1)


def _issued_by(child: CertInfo, parent: CertInfo) -> bool:
    if child.cert.issuer != parent.cert.subject:
        return False
    return _signed_by(child.cert, parent.cert)


@functools.lru_cache(maxsize=4096)
def _signed_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(parent)
    except Exception:  # wrong key, unsupported algorithm: not this parent
        return False
    return True


def sent_path(chain: Sequence[CertInfo]) -> tuple[CertInfo, ...]:
    """The path from the leaf upwards through the certificates the server sent (any order)."""
    if not chain:
        return ()
    path = [chain[0]]
    while not path[-1].self_issued and len(path) <= len(chain):
        parent = next(
            (c for c in chain if c not in path and _issued_by(path[-1], c)),
            None,
        )
        if parent is None:
            break
        path.append(parent)
    return tuple(path)


def hostname_matches(host: str, info: CertInfo) -> bool:
    """RFC 6125 matching of `host` against the SAN (a left-most `*` label matches one label)."""
    host = host.lower().rstrip(".")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        return str(ip) in info.ip_addresses
    for name in info.dns_names:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host:
            label, rest = host.split(".", 1)
            if rest == name[2:] and label:
                return True
    return False


WEAK_HASHES = {"sha1": "SHA-1", "md5": "MD5", "md4": "MD4", "md2": "MD2"}
MIN_KEY_BITS = {"RSA": 2048, "DSA": 2048, "EC": 256}


def weak_signature(info: CertInfo) -> str | None:
    """'SHA-1' (or MD5...) when the certificate's signature uses a broken hash, else None."""
    return WEAK_HASHES.get(info.signature_hash or "")


def _weakness(code: int, chain: Sequence[CertInfo], openssl_message: str) -> str:
    """Which certificate is weak and how, from the chain the server sent."""
    if code == CA_MD_TOO_WEAK:
        for info in chain:
            hash_name = weak_signature(info)
            if hash_name and not info.self_issued:
                return f"'{info.name}' is signed with {hash_name}, which phones reject"
    else:
        candidates = chain[:1] if code == EE_KEY_TOO_SMALL else chain[1:]
        for info in candidates:
            if info.key_bits < MIN_KEY_BITS.get(info.key_type, 0):
                return (
                    f"'{info.name}' has a {info.key_type} key of {info.key_bits} bits "
                    f"(phones need at least {MIN_KEY_BITS[info.key_type]})"
                )
    return openssl_message


_USAGE_NAMES = {
    x509.oid.ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth",
    x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
    x509.oid.ExtendedKeyUsageOID.CODE_SIGNING: "codeSigning",
    x509.oid.ExtendedKeyUsageOID.EMAIL_PROTECTION: "emailProtection",
    x509.oid.ExtendedKeyUsageOID.TIME_STAMPING: "timeStamping",
    x509.oid.ExtendedKeyUsageOID.OCSP_SIGNING: "OCSPSigning",
}


def _purpose(chain: Sequence[CertInfo], openssl_message: str) -> str:
    """Which certificate of the chain does not allow TLS servers, by its extended key usage."""
    server_auth = x509.oid.ExtendedKeyUsageOID.SERVER_AUTH
    for info in chain:
        try:
            usage = info.cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (x509.ExtensionNotFound, ValueError):
            continue
        if (
            server_auth not in usage
            and x509.oid.ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE not in usage
        ):
            names = ", ".join(_USAGE_NAMES.get(oid, oid.dotted_string) for oid in usage)
            return f"'{info.name}' allows only {names or 'no usage'} (no serverAuth)"
    return openssl_message


@dataclass(frozen=True)
class Diagnosis:
    """Why verification failed: a stable kind, a one-line message and a fix."""

    kind: str
    message: str
    fix: str


def _names(info: CertInfo) -> str:
    names = list(info.dns_names) + list(info.ip_addresses)
    if not names:
        return f"'{info.name}' (no subjectAltName)"
    shown = ", ".join(printable(n) for n in names[:4])
    return shown + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def diagnose(
    code: int | None,
    openssl_message: str,
    chain: Sequence[CertInfo],
    anchors: Sequence[x509.Certificate],
    host: str,
    now: datetime,
) -> Diagnosis:
    """Explains an OpenSSL verification failure using the chain the server sent and the anchors."""
    if not chain:
        return Diagnosis(
            "verify-failed",
            f"certificate not trusted: {openssl_message}",
            "install a certificate from a public CA with its full chain",
        )
    leaf = chain[0]
    path = sent_path(chain)
    top = path[-1]
    fullchain_fix = (
        "configure the server with the full chain (leaf followed by the intermediates, e.g. "
        "nginx ssl_certificate fullchain.pem)"
    )
    if code == DEPTH_ZERO_SELF_SIGNED_CERT or (len(path) == 1 and leaf.self_issued):
        return Diagnosis(
            "self-signed",
            f"self-signed certificate '{leaf.name}': phones reject it (iOS and Android alike)",
            "use a certificate issued by a public CA",
        )
    if code == CERT_HAS_EXPIRED:
        expired = [c for c in chain if c.not_after < now] or [leaf]
        which = "certificate" if expired[0] is leaf else "chain certificate"
        return Diagnosis(
            "expired",
            f"{which} '{expired[0].name}' expired on {expired[0].not_after:%Y-%m-%d} "
            f"({-days_left(expired[0], now):g} days ago)",
            "renew the certificate and install it with its chain",
        )
    if code == CERT_NOT_YET_VALID:
        future = [c for c in chain if c.not_before > now] or [leaf]
        return Diagnosis(
            "not-yet-valid",
            f"certificate '{future[0].name}' is not valid yet: valid from "
            f"{future[0].not_before:%Y-%m-%d %H:%M} UTC (check the server's clock or the certificate)",
            "install a certificate that is valid now",
        )
    if code in (HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH) or (
        code is None and not hostname_matches(host, leaf)
    ):
        if leaf.name.lower().rstrip(".") == host.lower().rstrip("."):
            has = (
                f"is for {_names(leaf)}"
                if leaf.dns_names or leaf.ip_addresses
                else "has no subjectAltName"
            )
            message = (
                f"wrong host name: the certificate {has}; {host} is only in its common name (CN), "
                "which phones ignore (iOS 13+ and Android read the subjectAltName only)"
            )
        else:
            message = f"wrong host name: the certificate is for {_names(leaf)}, not {host}"
        return Diagnosis(
            "hostname-mismatch",
            message,
            f"install a certificate whose subjectAltName includes {host}",
        )
    if code == INVALID_PURPOSE:
        return Diagnosis(
            "wrong-purpose",
            f"the certificate is not for TLS servers: {_purpose(chain, openssl_message)}",
            "reissue the certificate for TLS servers (extended key usage serverAuth)",
        )
    if code in (EE_KEY_TOO_SMALL, CA_KEY_TOO_SMALL, CA_MD_TOO_WEAK):
        return Diagnosis(
            "weak-certificate",
            f"weak certificate: {_weakness(code, chain, openssl_message)}",
            "reissue with RSA >= 2048 or ECDSA P-256 and a SHA-256 signature",
        )
    if code == SELF_SIGNED_CERT_IN_CHAIN or (top.self_issued and len(path) > 1):
        return Diagnosis(
            "untrusted-root",
            f"untrusted root: the chain ends at root '{top.name}', which is not a trusted CA",
            "use a certificate from a CA in the Mozilla/Android/iOS root stores",
        )
    if code in (
        UNABLE_TO_GET_ISSUER_CERT,
        UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
        UNABLE_TO_VERIFY_LEAF_SIGNATURE,
    ):
        issuer_known = any(a.subject == top.cert.issuer for a in anchors)
        if issuer_known:
            return Diagnosis(
                "verify-failed",
                f"chain does not verify: '{top.name}' names the trusted CA '{top.issuer_name}' as "
                f"issuer but is not signed by it ({openssl_message})",
                fullchain_fix,
            )
        if len(path) == 1:
            return Diagnosis(
                "chain-incomplete",
                f"incomplete certificate chain: the server sends only its own certificate, not the "
                f"intermediate '{leaf.issuer_name}' (Android and mini programs do not fetch it; "
                "if it is not an intermediate, the CA is untrusted)",
                fullchain_fix,
            )
        return Diagnosis(
            "untrusted-ca",
            f"untrusted CA: the chain ends at '{top.name}', issued by '{top.issuer_name}', which "
            "is not a trusted root and was not sent (if it is an intermediate, the chain is "
            "incomplete)",
            "use a certificate from a public CA and send its full chain",
        )
    return Diagnosis(
        "verify-failed",
        f"certificate not trusted: {openssl_message}",
        "install a certificate from a public CA with its full chain",
    )

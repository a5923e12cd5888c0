"""Test certificates: a trustme root with an intermediate, and the faulty certificates of the lab."""

from __future__ import annotations

import datetime
import ssl
import warnings
from pathlib import Path
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

LEGACY_CIPHERS = "DEFAULT:@SECLEVEL=0"


class LabPki:
    """A root CA (the one tests trust), an intermediate under it, and an untrusted second root."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.root = trustme.CA(organization_name="domaincheck lab root")
        self.intermediate = self.root.create_child_ca()
        self.untrusted_root = trustme.CA(organization_name="domaincheck untrusted root")
        self.untrusted_intermediate = self.untrusted_root.create_child_ca()
        self.ca_bundle = directory / "lab-ca.pem"
        self.ca_bundle.write_bytes(self.root.cert_pem.bytes())
        self._count = 0

    def _files(self, chain_pems: list[bytes], key_pem: bytes) -> tuple[Path, Path]:
        self._count += 1
        cert_file = self.directory / f"cert{self._count}.pem"
        key_file = self.directory / f"key{self._count}.pem"
        cert_file.write_bytes(b"".join(chain_pems))
        key_file.write_bytes(key_pem)
        return cert_file, key_file

    def leaf(
        self,
        *names: str,
        send_intermediate: bool = True,
        untrusted: bool = False,
        not_before: datetime.datetime | None = None,
        not_after: datetime.datetime | None = None,
        key_type: trustme.KeyType = trustme.KeyType.ECDSA,
    ) -> tuple[Path, Path]:
        """Cert and key files for `names`, issued by the intermediate (of the untrusted root if asked)."""
        issuer = self.untrusted_intermediate if untrusted else self.intermediate
        leaf = issuer.issue_cert(
            *names, not_before=not_before, not_after=not_after, key_type=key_type
        )
        pems = [blob.bytes() for blob in leaf.cert_chain_pems]
        if not send_intermediate:
            pems = pems[:1]
        return self._files(pems, leaf.private_key_pem.bytes())

    def leaf_with_chain(
        self, *names: str, common_name: str | None = None, order: str = "normal"
    ) -> tuple[Path, Path]:
        """A leaf sent with an odd chain: `order` is "normal", "reversed" (two intermediates, the
        upper one first), "partial" (two intermediates, only the lower one sent), "extra" (an
        unrelated certificate after the intermediate), "extra-expired" (an unrelated expired one)
        or "with-root" (the root too)."""
        issuer = self.intermediate
        if order in ("reversed", "partial"):
            issuer = self.intermediate.create_child_ca()
        leaf = issuer.issue_cert(*names, common_name=common_name)
        pems = [blob.bytes() for blob in leaf.cert_chain_pems]
        if order == "reversed":
            pems = [pems[0], *reversed(pems[1:])]
        elif order == "partial":
            pems = pems[:2]
        elif order == "extra":
            pems.append(self.untrusted_root.cert_pem.bytes())
        elif order == "extra-expired":
            pems.append(_expired_self_signed())
        elif order == "with-root":
            pems.append(self.root.cert_pem.bytes())
        return self._files(pems, leaf.private_key_pem.bytes())

    def custom_leaf(
        self,
        name: str,
        *,
        rsa_bits: int | None = None,
        sha1: bool = False,
        expired_intermediate: bool = False,
        san: bool = True,
        common_name: str | None = None,
        client_only: bool = False,
    ) -> tuple[Path, Path]:
        """A leaf built by hand: a small RSA key, a SHA-1 signature, under an expired intermediate,
        or without a subjectAltName."""
        now = datetime.datetime.now(datetime.UTC)
        day = datetime.timedelta(days=1)
        issuer_key: Any = self.intermediate._private_key
        issuer_cert: x509.Certificate = self.intermediate._certificate
        chain: list[x509.Certificate] = [issuer_cert]
        if sha1:  # an RSA intermediate: its SHA-1 signature is made by hand below
            rsa_ca = self.root.create_child_ca(key_type=trustme.KeyType.RSA)
            issuer_key, issuer_cert = rsa_ca._private_key, rsa_ca._certificate
            chain = [issuer_cert]
        if expired_intermediate:
            issuer_key = ec.generate_private_key(ec.SECP256R1())
            issuer_cert = (
                x509.CertificateBuilder()
                .subject_name(_name("domaincheck lab expired intermediate"))
                .issuer_name(self.root._certificate.subject)
                .public_key(issuer_key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - 400 * day)
                .not_valid_after(now - 3 * day)
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(
                    x509.KeyUsage(
                        digital_signature=True,
                        content_commitment=False,
                        key_encipherment=False,
                        data_encipherment=False,
                        key_agreement=False,
                        key_cert_sign=True,
                        crl_sign=True,
                        encipher_only=False,
                        decipher_only=False,
                    ),
                    critical=True,
                )
                .sign(self.root._private_key, hashes.SHA256())
            )
            chain = [issuer_cert]
        key: Any = (
            rsa.generate_private_key(65537, rsa_bits)
            if rsa_bits
            else ec.generate_private_key(ec.SECP256R1())
        )
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name or name))
            .issuer_name(issuer_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - day)
            .not_valid_after(now + 90 * day)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage(
                    [
                        x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH
                        if client_only
                        else x509.oid.ExtendedKeyUsageOID.SERVER_AUTH
                    ]
                ),
                critical=False,
            )
        )
        if san:  # without it, the name is only in the CN, as in certificates before RFC 6125
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False
            )
        cert = builder.sign(issuer_key, hashes.SHA256())
        if sha1:
            cert = _resign_sha1(cert, issuer_key)
        pem = serialization.Encoding.PEM
        key_pem = key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return self._files([c.public_bytes(pem) for c in [cert, *chain]], key_pem)

    def self_signed(self, name: str) -> tuple[Path, Path]:
        """A leaf certificate that signs itself."""
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return self._files([cert.public_bytes(serialization.Encoding.PEM)], key_pem)


# sha256WithRSAEncryption and sha1WithRSAEncryption: the same length, the last byte differs.
_SHA256_RSA = bytes.fromhex("06092a864886f70d01010b")
_SHA1_RSA = bytes.fromhex("06092a864886f70d010105")


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octets)]) + octets + body


def _resign_sha1(cert: x509.Certificate, key: Any) -> x509.Certificate:
    """The certificate signed again with SHA-1 (cryptography no longer makes such signatures)."""
    tbs = cert.tbs_certificate_bytes.replace(_SHA256_RSA, _SHA1_RSA, 1)
    signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    algorithm = _der(0x30, _SHA1_RSA + b"\x05\x00")
    return x509.load_der_x509_certificate(
        _der(0x30, tbs + algorithm + _der(0x03, b"\x00" + signature))
    )


def _expired_self_signed() -> bytes:
    """An old root that expired long ago, as some servers still append to their chain."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("domaincheck lab expired old root")
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=4000))
        .not_valid_after(now - datetime.timedelta(days=400))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def server_context(
    files: tuple[Path, Path],
    *,
    minimum: ssl.TLSVersion | None = None,
    maximum: ssl.TLSVersion | None = None,
    ciphers: str | None = None,
    alpn: tuple[str, ...] = ("http/1.1",),
    client_ca: Path | None = None,
) -> ssl.SSLContext:
    """A server context for the given cert/key files, optionally limited in versions or ciphers."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if minimum is not None or maximum is not None or ciphers is not None:
        ctx.set_ciphers(ciphers or LEGACY_CIPHERS)  # before the chain: a weak key needs SECLEVEL 0
    ctx.load_cert_chain(str(files[0]), str(files[1]))
    with warnings.catch_warnings():  # TLS 1.0 is deprecated; the lab serves it on purpose
        warnings.simplefilter("ignore", DeprecationWarning)
        if minimum is not None:
            ctx.minimum_version = minimum
        if maximum is not None:
            ctx.maximum_version = maximum
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    if client_ca is not None:  # require a client certificate issued by this CA
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(str(client_ca))
    return ctx

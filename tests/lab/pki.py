"""Test certificates: a trustme root with an intermediate, and the faulty certificates of the lab."""

from __future__ import annotations

import datetime
import ssl
import warnings
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
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


def server_context(
    files: tuple[Path, Path],
    *,
    minimum: ssl.TLSVersion | None = None,
    maximum: ssl.TLSVersion | None = None,
    ciphers: str | None = None,
    alpn: tuple[str, ...] = ("http/1.1",),
) -> ssl.SSLContext:
    """A server context for the given cert/key files, optionally limited in versions or ciphers."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(files[0]), str(files[1]))
    if minimum is not None or maximum is not None or ciphers is not None:
        ctx.set_ciphers(ciphers or LEGACY_CIPHERS)
    with warnings.catch_warnings():  # TLS 1.0 is deprecated; the lab serves it on purpose
        warnings.simplefilter("ignore", DeprecationWarning)
        if minimum is not None:
            ctx.minimum_version = minimum
        if maximum is not None:
            ctx.maximum_version = maximum
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    return ctx

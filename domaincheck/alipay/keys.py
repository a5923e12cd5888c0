"""The app's RSA2 signing key and Alipay's verifying key, loaded from files with `cryptography`.

The app private key may be PKCS#1 (`BEGIN RSA PRIVATE KEY`, what the Python SDK expects) or PKCS#8
(`BEGIN PRIVATE KEY`, what Alipay's key tool writes), in PEM or as the bare base64 the key tool and
the console show. Errors name the file, never its content; a private key file that group or others
may read gets a warning.
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from domaincheck.alipay.errors import AlipayCredentialsError
from domaincheck.files.inputfiles import FileTooLargeError, read_capped

_MAX_KEY_FILE_BYTES = 64 * 1024
_MIN_RSA_BITS = 2048


def private_key_file_warnings(path: Path) -> tuple[str, ...]:
    """A warning when group or others may read the private key file (POSIX permissions only)."""
    if os.name != "posix":
        return ()
    try:
        mode = path.stat().st_mode
    except OSError:
        return ()
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return (
            f"the app private key file {path} can be read by group or others "
            f"(mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}",
        )
    return ()


def _read_key_file(path: Path, what: str) -> bytes:
    try:
        return read_capped(path, _MAX_KEY_FILE_BYTES)
    except FileTooLargeError:
        raise AlipayCredentialsError(f"{what} file {path} is too large to be a key") from None
    except FileNotFoundError:
        raise AlipayCredentialsError(f"{what} file {path} does not exist") from None
    except IsADirectoryError:
        raise AlipayCredentialsError(f"{what} file {path} is a directory") from None
    except OSError as exc:
        raise AlipayCredentialsError(f"cannot read {what} file {path}: {exc.strerror}") from None


def _bare_base64(data: bytes) -> bytes | None:
    """The DER bytes of a key written as bare base64 (no PEM armour), or None."""
    text = b"".join(data.split())
    try:
        return base64.b64decode(text, validate=True) if text else None
    except (binascii.Error, ValueError):
        return None


def _parse_key(
    data: bytes, from_pem: Callable[[bytes], object], from_der: Callable[[bytes], object]
) -> object:
    """The key in `data`, as PEM or as bare base64 of DER; ValueError when it is neither."""
    if b"-----BEGIN" in data:
        return from_pem(data)
    der = _bare_base64(data)
    if der is None:
        raise ValueError("neither PEM nor base64")
    return from_der(der)


def load_app_private_key(path: Path) -> rsa.RSAPrivateKey:
    """The app's RSA private key from a PKCS#1 or PKCS#8 file (PEM or bare base64)."""
    what = "the app private key"
    data = _read_key_file(path, what)
    try:
        key = _parse_key(
            data,
            lambda pem: serialization.load_pem_private_key(pem, password=None),
            lambda der: serialization.load_der_private_key(der, password=None),
        )
    except TypeError:
        raise AlipayCredentialsError(
            f"{what} file {path} is encrypted; give an unencrypted PKCS#1 or PKCS#8 key"
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise AlipayCredentialsError(
            f"{what} file {path} is not a PKCS#1 or PKCS#8 private key (PEM or base64)"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise AlipayCredentialsError(f"{what} in {path} is not an RSA key; RSA2 signing needs one")
    if key.key_size < _MIN_RSA_BITS:
        raise AlipayCredentialsError(
            f"{what} in {path} has {key.key_size} bits; RSA2 needs at least {_MIN_RSA_BITS}"
        )
    return key


def load_alipay_public_key(path: Path) -> rsa.RSAPublicKey:
    """Alipay's RSA public key (支付宝公钥) from PEM (SubjectPublicKeyInfo or PKCS#1) or bare base64."""
    what = "the Alipay public key"
    data = _read_key_file(path, what)
    try:
        if b"-----BEGIN CERTIFICATE" in data:
            raise AlipayCredentialsError(
                f"{what} file {path} is a certificate: certificate mode is not supported, "
                "give the Alipay public key of public-key mode (公钥模式)"
            )
        key = _parse_key(data, serialization.load_pem_public_key, serialization.load_der_public_key)
    except (ValueError, UnsupportedAlgorithm):
        raise AlipayCredentialsError(
            f"{what} file {path} is not an RSA public key (PEM or base64)"
        ) from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise AlipayCredentialsError(f"{what} in {path} is not an RSA key")
    return key


class RsaSha256Signer:
    """Signs text with SHA256withRSA (PKCS#1 v1.5), base64 out: Alipay's RSA2."""

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self._key = private_key

    def sign(self, content: str) -> str:
        signature = self._key.sign(content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def __repr__(self) -> str:
        return "RsaSha256Signer(<key hidden>)"


class RsaSha256Verifier:
    """Checks an RSA2 signature (base64) over text with Alipay's public key."""

    def __init__(self, public_key: rsa.RSAPublicKey) -> None:
        self._key = public_key

    def verify(self, content: str, sign: str) -> bool:
        try:
            signature = base64.b64decode(sign)
        except (binascii.Error, ValueError):
            return False
        try:
            self._key.verify(
                signature, content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256()
            )
        except InvalidSignature:
            return False
        return True

"""Loading keys: PKCS#1 and PKCS#8, PEM and bare base64, clear errors that never quote the key."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from domaincheck.alipay.errors import AlipayCredentialsError
from domaincheck.alipay.keys import (
    RsaSha256Signer,
    RsaSha256Verifier,
    load_alipay_public_key,
    load_app_private_key,
    private_key_file_warnings,
)
from tests.alipay.conftest import KeyFiles


def _der_base64(data: bytes) -> bytes:
    return base64.b64encode(data)


def test_pkcs1_and_pkcs8_pem_load_to_the_same_key(key_files: KeyFiles) -> None:
    one = load_app_private_key(key_files.app_private_pkcs1)
    eight = load_app_private_key(key_files.app_private_pkcs8)
    assert one.private_numbers() == eight.private_numbers()
    signature = RsaSha256Signer(one).sign("a=b")
    assert RsaSha256Verifier(eight.public_key()).verify("a=b", signature)
    assert not RsaSha256Verifier(eight.public_key()).verify("a=c", signature)


@pytest.mark.parametrize(
    "fmt", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL]
)
def test_bare_base64_keys_as_the_alipay_key_tool_writes_them_load(
    tmp_path: Path, app_key: rsa.RSAPrivateKey, fmt: serialization.PrivateFormat
) -> None:
    der = app_key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
    path = tmp_path / "应用私钥RSA2048.txt"
    path.write_bytes(_der_base64(der) + b"\n")
    assert load_app_private_key(path).private_numbers() == app_key.private_numbers()
    public = tmp_path / "alipay_public.txt"
    public.write_bytes(
        _der_base64(
            app_key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    )
    assert load_alipay_public_key(public).public_numbers() == app_key.public_key().public_numbers()


def test_a_pkcs1_public_key_pem_loads(tmp_path: Path, app_key: rsa.RSAPrivateKey) -> None:
    path = tmp_path / "pub.pem"
    path.write_bytes(
        app_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
        )
    )
    assert load_alipay_public_key(path).key_size == 2048


def test_errors_name_the_file_and_never_quote_it(tmp_path: Path, key_files: KeyFiles) -> None:
    broken = tmp_path / "broken.pem"
    text = (
        key_files.app_private_text.replace("MII", "XXX", 1)[:-80]
        + "\n-----END RSA PRIVATE KEY-----\n"
    )
    broken.write_text(text)
    with pytest.raises(AlipayCredentialsError) as caught:
        load_app_private_key(broken)
    message = str(caught.value)
    assert str(broken) in message and "PKCS#1 or PKCS#8" in message
    assert not any(line in message for line in text.splitlines()[1:-1])
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_missing_encrypted_non_rsa_and_certificate_files_are_clear(
    tmp_path: Path, app_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(AlipayCredentialsError, match="does not exist"):
        load_app_private_key(tmp_path / "nope.pem")
    encrypted = tmp_path / "enc.pem"
    encrypted.write_bytes(
        app_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"pw"),
        )
    )
    with pytest.raises(AlipayCredentialsError, match="encrypted"):
        load_app_private_key(encrypted)
    ec_key = tmp_path / "ec.pem"
    ec_key.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(AlipayCredentialsError, match="not an RSA key"):
        load_app_private_key(ec_key)
    cert = tmp_path / "alipayCertPublicKey_RSA2.crt"
    cert.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    with pytest.raises(AlipayCredentialsError, match="certificate mode is not supported"):
        load_alipay_public_key(cert)


def test_a_private_key_file_others_can_read_gets_a_warning(key_files: KeyFiles) -> None:
    path = key_files.app_private_pkcs8
    assert private_key_file_warnings(path) == ()
    path.chmod(0o644)
    (warning,) = private_key_file_warnings(path)
    assert "group or others" in warning and "chmod 600" in warning
    path.chmod(0o640)
    assert private_key_file_warnings(path)

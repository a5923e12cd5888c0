"""Fixtures for the Alipay sync tests: test key pairs, key files, a fake gateway and a client for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from domaincheck.alipay.gateway import AlipayGatewayClient, GatewaySettings
from domaincheck.alipay.keys import RsaSha256Signer, RsaSha256Verifier
from tests.alipay.fake_gateway import FakeAlipayGateway

APP_ID = "2021004123456789"
APP_AUTH_TOKEN = "202510BBe1f7a3c1d6f24e5c9b0e1f2a3b4c5X99"
# Tiny delays so retries cost no real time; short timeout so a held connection fails fast.
FAST = GatewaySettings(timeout=0.5, attempts=3, backoff=0.001, backoff_max=0.002)


@dataclass(frozen=True)
class KeyFiles:
    """Key material on disk, as a user has it."""

    app_private_pkcs1: Path
    app_private_pkcs8: Path
    alipay_public: Path
    app_private_text: str  # what must never be printed
    app_private_pkcs8_text: str


@pytest.fixture(scope="session")
def app_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def gateway_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey, fmt: serialization.PrivateFormat) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture
def key_files(
    tmp_path: Path, app_key: rsa.RSAPrivateKey, gateway_key: rsa.RSAPrivateKey
) -> KeyFiles:
    keys = tmp_path / "keys"
    keys.mkdir()
    pkcs1 = private_pem(app_key, serialization.PrivateFormat.TraditionalOpenSSL)
    pkcs8 = private_pem(app_key, serialization.PrivateFormat.PKCS8)
    paths = {
        "app_private_pkcs1": (keys / "app_private_pkcs1.pem", pkcs1),
        "app_private_pkcs8": (keys / "app_private_pkcs8.pem", pkcs8),
        "alipay_public": (keys / "alipay_public.pem", public_pem(gateway_key)),
    }
    for path, data in paths.values():
        path.write_bytes(data)
        path.chmod(0o600)
    return KeyFiles(
        app_private_pkcs1=paths["app_private_pkcs1"][0],
        app_private_pkcs8=paths["app_private_pkcs8"][0],
        alipay_public=paths["alipay_public"][0],
        app_private_text=pkcs1.decode(),
        app_private_pkcs8_text=pkcs8.decode(),
    )


@pytest.fixture
def gateway(
    app_key: rsa.RSAPrivateKey, gateway_key: rsa.RSAPrivateKey
) -> Iterator[FakeAlipayGateway]:
    fake = FakeAlipayGateway(
        app_id=APP_ID, app_public_key=app_key.public_key(), gateway_key=gateway_key
    )
    with fake.serve():
        yield fake


ClientFactory = Callable[..., AlipayGatewayClient]


@pytest.fixture
def make_client(
    gateway: FakeAlipayGateway, app_key: rsa.RSAPrivateKey, gateway_key: rsa.RSAPrivateKey
) -> Iterator[ClientFactory]:
    clients: list[AlipayGatewayClient] = []

    def make(**overrides: Any) -> AlipayGatewayClient:
        options: dict[str, Any] = {
            "app_id": APP_ID,
            "gateway_url": gateway.url,
            "signer": RsaSha256Signer(app_key),
            "verifier": RsaSha256Verifier(gateway_key.public_key()),
            "settings": FAST,
        }
        options.update(overrides)
        client = AlipayGatewayClient(**options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()

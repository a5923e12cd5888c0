"""The gateway client against the fake gateway on loopback: signing, verifying, retrying, stopping."""

from __future__ import annotations

import socket

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from domaincheck.alipay.errors import (
    AlipayBusinessError,
    AlipayPermissionError,
    AlipayResponseError,
    AlipayResponseSignatureError,
    AlipayTransportError,
    AlipayUnavailableError,
)
from domaincheck.alipay.gateway import GatewayObserver
from domaincheck.alipay.keys import RsaSha256Signer, RsaSha256Verifier
from tests.alipay.conftest import APP_AUTH_TOKEN, APP_ID, ClientFactory
from tests.alipay.fake_gateway import CREATE, DELETE, QUERY, FakeAlipayGateway, Fault


class RecordingObserver(GatewayObserver):
    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    def request(self, method: str, attempt: int) -> None:
        self.events.append(("request", method, str(attempt)))

    def retrying(self, method: str, attempt: int, reason: str, delay: float) -> None:
        self.events.append(("retry", method, reason))


def test_query_reads_the_list_with_a_signed_request_the_gateway_accepts(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.domains[:] = ["a1.easemob.com", "im-api-alipay.easemob.com"]
    client = make_client()
    assert client.query_safe_domains() == ("a1.easemob.com", "im-api-alipay.easemob.com")
    (request,) = gateway.requests
    assert request.code == "10000"
    assert request.method == QUERY
    assert {k: request.params[k] for k in ("format", "charset", "sign_type", "version")} == {
        "format": "json",
        "charset": "utf-8",
        "sign_type": "RSA2",
        "version": "1.0",
    }
    assert "app_auth_token" not in request.params
    assert [c.outcome for c in client.calls] == ["10000"]


def test_create_and_delete_change_the_list_one_domain_per_call(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    client = make_client()
    client.create_safe_domain("a1.easemob.com")
    client.create_safe_domain("例子.cn")
    client.delete_safe_domain("a1.easemob.com")
    assert gateway.domains == ["例子.cn"]
    assert [r.biz for r in gateway.requests] == [
        {"safe_domain": "a1.easemob.com"},
        {"safe_domain": "例子.cn"},
        {"safe_domain": "a1.easemob.com"},
    ]
    assert gateway.count(CREATE) == 2 and gateway.count(DELETE) == 1


def test_the_app_auth_token_is_sent_and_signed(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.app_auth_token = APP_AUTH_TOKEN
    client = make_client(app_auth_token=APP_AUTH_TOKEN)
    client.create_safe_domain("a1.easemob.com")
    assert gateway.requests[-1].params["app_auth_token"] == APP_AUTH_TOKEN
    assert gateway.domains == ["a1.easemob.com"]


@pytest.mark.parametrize("layout", ["spaced", "sign_first"])
def test_answers_verify_whatever_their_layout(
    gateway: FakeAlipayGateway, make_client: ClientFactory, layout: str
) -> None:
    setattr(gateway, layout, True)
    gateway.domains[:] = ["a.example.com"]
    assert make_client().query_safe_domains() == ("a.example.com",)


def test_an_answer_signed_before_its_slashes_were_escaped_verifies_as_the_java_sdk_allows(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.escape_slashes = True
    gateway.domains[:] = ["a.example.com/x"]
    assert make_client().query_safe_domains() == ("a.example.com/x",)


def test_20000_is_retried_with_backoff_then_succeeds(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.inject(Fault.unavailable(), method=CREATE, times=2)
    observer = RecordingObserver()
    slept: list[float] = []
    client = make_client(observer=observer, sleep=slept.append)
    client.create_safe_domain("a1.easemob.com")
    assert gateway.domains == ["a1.easemob.com"]
    assert gateway.count(CREATE) == 3
    assert [c.outcome for c in client.calls] == ["20000", "20000", "10000"]
    assert len(slept) == 2 and slept[1] > slept[0]  # exponential
    assert [e[0] for e in observer.events] == ["request", "retry", "request", "retry", "request"]


def test_20000_that_never_ends_gives_up_after_the_attempts(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.inject(Fault.unavailable(), times=99)
    with pytest.raises(AlipayUnavailableError, match=r"20000.*\(3 attempts\)"):
        make_client().query_safe_domains()
    assert gateway.count() == 3


def test_a_timeout_is_retried(gateway: FakeAlipayGateway, make_client: ClientFactory) -> None:
    gateway.inject(Fault.timeout(), method=QUERY)
    gateway.domains[:] = ["a.example.com"]
    client = make_client()
    assert client.query_safe_domains() == ("a.example.com",)
    assert [c.outcome for c in client.calls] == ["timeout", "10000"]


def test_timeouts_that_never_end_stop_with_a_transport_error(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.inject(Fault.timeout(), times=99)
    with pytest.raises(AlipayTransportError, match="did not answer"):
        make_client().query_safe_domains()


def test_http_5xx_is_retried_other_statuses_are_not(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.inject(Fault.http(502))
    client = make_client()
    assert client.query_safe_domains() == ()
    gateway.inject(Fault.http(404))
    with pytest.raises(AlipayResponseError, match="HTTP 404"):
        client.query_safe_domains()
    assert [c.outcome for c in client.calls] == ["http 502", "10000", "http 404"]


def test_a_refused_connection_is_a_transport_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on `port` any more.
    from domaincheck.alipay.gateway import AlipayGatewayClient, GatewaySettings

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with (
        AlipayGatewayClient(
            app_id=APP_ID,
            gateway_url=f"http://127.0.0.1:{port}/gateway.do",
            signer=RsaSha256Signer(key),
            verifier=RsaSha256Verifier(key.public_key()),
            settings=GatewaySettings(timeout=0.5, attempts=2, backoff=0.001),
        ) as client,
        pytest.raises(AlipayTransportError, match="cannot reach"),
    ):
        client.query_safe_domains()
    assert [c.outcome for c in client.calls] == ["connection", "connection"]


def test_a_bad_answer_signature_stops_at_once_and_is_not_believed(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.inject(Fault.bad_signature(), method=QUERY)
    with pytest.raises(AlipayResponseSignatureError, match="does not verify") as caught:
        make_client().query_safe_domains()
    assert "Alipay public key" in str(caught.value)
    assert gateway.count() == 1


def test_the_wrong_alipay_public_key_fails_verification(
    gateway: FakeAlipayGateway, make_client: ClientFactory, other_key: rsa.RSAPrivateKey
) -> None:
    client = make_client(verifier=RsaSha256Verifier(other_key.public_key()))
    with pytest.raises(AlipayResponseSignatureError):
        client.query_safe_domains()


def test_an_answer_without_signature_is_not_believed(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.inject(Fault.unsigned("10000"), method=QUERY)
    with pytest.raises(AlipayResponseSignatureError, match="no signature"):
        make_client().query_safe_domains()


def test_the_wrong_private_key_is_rejected_by_the_gateway_and_stops(
    gateway: FakeAlipayGateway, make_client: ClientFactory, other_key: rsa.RSAPrivateKey
) -> None:
    gateway.app_auth_token = APP_AUTH_TOKEN
    client = make_client(signer=RsaSha256Signer(other_key), app_auth_token=APP_AUTH_TOKEN)
    with pytest.raises(AlipayPermissionError, match=r"isv\.invalid-signature") as caught:
        client.create_safe_domain("a1.easemob.com")
    message = str(caught.value)
    assert "app private key does not match" in message
    # The gateway echoed its sign content (token and app id included); none of it is repeated.
    assert APP_AUTH_TOKEN not in message and APP_ID not in message
    assert gateway.count() == 1 and gateway.domains == []


def test_an_unknown_app_id_gets_an_unsigned_error_reported_as_unverified(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    with pytest.raises(AlipayPermissionError, match="invalid-app-id") as caught:
        make_client(app_id="2021000000000000").query_safe_domains()
    assert caught.value.verified is False
    assert "not verified" in str(caught.value)
    assert gateway.count() == 1


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (
            Fault.error("40006", "isv.insufficient-isv-permissions", "ISV权限不足"),
            AlipayPermissionError,
        ),
        (Fault.error("20001", "aop.invalid-app-auth-token"), AlipayPermissionError),
        (Fault.error("40004", "ICP_NOT_FILED", "域名未备案"), AlipayBusinessError),
    ],
)
def test_permission_and_business_errors_are_not_retried(
    gateway: FakeAlipayGateway,
    make_client: ClientFactory,
    fault: Fault,
    error: type[Exception],
) -> None:
    gateway.inject(fault, method=CREATE)
    with pytest.raises(error, match=fault.code):
        make_client().create_safe_domain("a1.easemob.com")
    assert gateway.count() == 1


def test_every_error_kind_maps_to_an_error_class() -> None:
    from domaincheck.alipay.gateway import _API_ERRORS
    from domaincheck.alipay.protocol import ErrorKind

    assert set(_API_ERRORS) == set(ErrorKind)

"""The HTTPS and WebSocket checkers against the lab's servers."""

from __future__ import annotations

import asyncio

import pytest

from domaincheck.checks._net import Endpoint
from domaincheck.checks.https import CHECK_HTTPS, HttpsChecker
from domaincheck.checks.settings import TrustStore
from domaincheck.checks.websocket import CHECK_WEBSOCKET, WebSocketChecker, expected_accept
from domaincheck.core.model import CheckResult, ProbeKind, ProbeTarget, Status
from tests.lab.lab import Lab, host
from tests.lab.servers import accept_for


def https(lab: Lab, name: str, path: str = "/", **changes: object) -> CheckResult:
    target = ProbeTarget(host(name), ProbeKind.HTTPS, path=path)
    port = lab.servers[name].port if name in lab.servers else lab.refused_port
    checker = HttpsChecker(lab.settings(**changes))
    return asyncio.run(checker.check(target, Endpoint("127.0.0.1", port)))


def ws(lab: Lab, name: str, **changes: object) -> CheckResult:
    target = ProbeTarget(host(name), ProbeKind.WEBSOCKET, path="/websocket")
    port = lab.servers[name].port if name in lab.servers else lab.refused_port
    checker = WebSocketChecker(lab.settings(**changes))
    return asyncio.run(checker.check(target, Endpoint("127.0.0.1", port)))


def test_accept_value_matches_rfc6455_example() -> None:
    assert expected_accept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    assert accept_for("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_https_good_reports_status_and_time(lab: Lab) -> None:
    result = https(lab, "good", path="/v1/ping")
    assert result.check == CHECK_HTTPS
    assert result.status is Status.PASS, result.message
    assert "HTTP 200" in result.message and "HTTP/1.1" in result.message
    assert result.details["status_code"] == 200
    assert result.details["elapsed_ms"] >= 0
    assert result.details["url"] == f"https://{host('good')}/v1/ping"


def test_https_untrusted_certificate_fails_with_tls_reason(lab: Lab) -> None:
    result = https(lab, "good", trust=TrustStore.load(None))
    assert result.status is Status.FAIL
    assert "certificate not trusted" in result.message


def test_https_wrong_host_fails(lab: Lab) -> None:
    result = https(lab, "wronghost")
    assert result.status is Status.FAIL
    assert "TLS" in result.message


@pytest.mark.parametrize(
    ("name", "status", "words"),
    [
        ("refused", Status.ERROR, "refused"),
        ("reset", Status.ERROR, "reset"),
        ("silent", Status.ERROR, "no TLS handshake answer within"),
        ("httpsilent", Status.FAIL, "no HTTP answer within"),
    ],
)
def test_https_failures_say_why(lab: Lab, name: str, status: Status, words: str) -> None:
    result = https(lab, name, timeout=0.5)
    assert result.status is status, result.message
    assert words in result.message


def test_websocket_good_upgrade_and_clean_close(lab: Lab) -> None:
    result = ws(lab, "good")
    assert result.check == CHECK_WEBSOCKET
    assert result.status is Status.PASS, result.message
    assert "101 Switching Protocols" in result.message and "closed cleanly" in result.message
    assert result.details["accept"] == result.details["accept_expected"]
    assert result.details["close"] == 1000
    assert result.details["url"] == f"wss://{host('good')}/websocket"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("ws200", "200 OK"),
        ("ws403", "403 Forbidden"),
        ("ws426", "426 Upgrade Required"),
    ],
)
def test_websocket_non_101_fails_with_what_came_back(lab: Lab, name: str, words: str) -> None:
    result = ws(lab, name)
    assert result.status is Status.FAIL
    assert words in result.message
    assert "instead of 101" in result.message
    assert "not a websocket endpoint" in result.details["body"]


def test_websocket_bad_accept_names_both_values(lab: Lab) -> None:
    result = ws(lab, "wsbadaccept")
    assert result.status is Status.FAIL
    assert "Sec-WebSocket-Accept" in result.message
    assert result.details["accept"] in result.message
    assert result.details["accept_expected"] in result.message
    assert result.details["accept"] != result.details["accept_expected"]


def test_websocket_silence_fails(lab: Lab) -> None:
    result = ws(lab, "wssilent", timeout=0.5)
    assert result.status is Status.FAIL
    assert "no answer to the upgrade within 0.5 s" in result.message


def test_websocket_unanswered_close_warns(lab: Lab) -> None:
    result = ws(lab, "wsnoclose", timeout=0.5)
    assert result.status is Status.WARN
    assert "did not answer the close frame" in result.message


@pytest.mark.parametrize(
    ("name", "status", "words"),
    [("refused", Status.ERROR, "refused"), ("reset", Status.ERROR, "reset")],
)
def test_websocket_connection_failures(lab: Lab, name: str, status: Status, words: str) -> None:
    result = ws(lab, name, timeout=0.5)
    assert result.status is status
    assert words in result.message


def test_websocket_on_untrusted_tls_fails(lab: Lab) -> None:
    result = ws(lab, "selfsigned")
    assert result.status is Status.FAIL
    assert "certificate not trusted" in result.message

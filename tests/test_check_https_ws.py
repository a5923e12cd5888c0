"""The HTTPS and WebSocket checkers against the lab's servers."""

from __future__ import annotations

import asyncio
import time

import pytest

from domaincheck.checks._net import Endpoint
from domaincheck.checks.https import MAX_REDIRECTS, HttpsAnswer, HttpsChecker, judge_redirect
from domaincheck.checks.settings import AppWhitelist, TrustStore
from domaincheck.checks.websocket import WebSocketChecker, expected_accept
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, ConsoleList, ProbeKind, ProbeTarget, Status
from domaincheck.core.platforms import Platform
from domaincheck.whitelist.coverage import CoverageList
from domaincheck.whitelist.profiles import rules_for
from tests.lab.lab import FAULT_TIMEOUT, Lab, host
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
    assert result.check == CheckId.HTTPS
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
    result = https(lab, name, timeout=FAULT_TIMEOUT)
    assert result.status is status, result.message
    assert words in result.message


def test_websocket_good_upgrade_and_clean_close(lab: Lab) -> None:
    result = ws(lab, "good")
    assert result.check == CheckId.WEBSOCKET
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
    result = ws(lab, "wssilent", timeout=FAULT_TIMEOUT)
    assert result.status is Status.FAIL
    assert f"no answer to the upgrade within {FAULT_TIMEOUT} s" in result.message


def test_websocket_unanswered_close_warns(lab: Lab) -> None:
    result = ws(lab, "wsnoclose", timeout=FAULT_TIMEOUT)
    assert result.status is Status.WARN
    assert "did not answer the close frame" in result.message


@pytest.mark.parametrize(
    ("name", "status", "words"),
    [("refused", Status.ERROR, "refused"), ("reset", Status.ERROR, "reset")],
)
def test_websocket_connection_failures(lab: Lab, name: str, status: Status, words: str) -> None:
    result = ws(lab, name, timeout=FAULT_TIMEOUT)
    assert result.status is status
    assert words in result.message


def test_websocket_on_untrusted_tls_fails(lab: Lab) -> None:
    result = ws(lab, "selfsigned")
    assert result.status is Status.FAIL
    assert "certificate not trusted" in result.message


def wechat_whitelist(*entries: str) -> AppWhitelist:
    """WeChat's rules (exact host, exact port) with `entries` in the request list."""
    coverage = CoverageList.from_entries((ConsoleList.REQUEST, e) for e in entries)
    return AppWhitelist(rules_for(Platform.WECHAT), coverage)


def test_https_redirect_to_plain_http_fails_naming_location_and_cause(lab: Lab) -> None:
    result = https(lab, "tohttp", whitelist=wechat_whitelist(f"https://{host('tohttp')}"))
    assert result.status is Status.FAIL, result.message
    assert f"http://{host('tohttp')}/" in result.message
    assert "plain http" in result.message and "TLS-terminating proxy" in result.message
    assert result.details["status_code"] == 301


def test_https_same_origin_redirect_is_followed(lab: Lab) -> None:
    result = https(lab, "topath")
    assert result.status is Status.PASS, result.message
    assert "HTTP 200" in result.message and "after 1 redirect (HTTP 301 to" in result.message
    assert result.details["final_url"] == f"https://{host('topath')}/v2/"
    assert result.details["redirects"][0]["location"] == "/v2/"
    assert lab.servers["topath"].connections >= 2


def test_https_redirect_to_whitelisted_host_passes(lab: Lab) -> None:
    whitelist = wechat_whitelist(f"https://{host('togood')}", f"https://{host('good')}")
    before = lab.servers["good"].connections
    result = https(lab, "togood", whitelist=whitelist)
    assert result.status is Status.PASS, result.message
    assert f"HTTP 301 Moved Permanently to https://{host('good')}/v1/" in result.message
    assert "which the whitelist covers" in result.message
    assert lab.servers["good"].connections == before  # judged, not connected to


def test_https_redirect_to_host_outside_whitelist_fails_naming_it(lab: Lab) -> None:
    result = https(lab, "togood", whitelist=wechat_whitelist(f"https://{host('togood')}"))
    assert result.status is Status.FAIL, result.message
    assert f"another host, {host('good')}" in result.message
    assert f"{host('good')} is not in" in result.message


def test_https_redirect_to_another_host_without_whitelist_warns(lab: Lab) -> None:
    result = https(lab, "togood")
    assert result.status is Status.WARN, result.message
    assert host("good") in result.message


def test_https_redirect_to_another_port_follows_the_platforms_port_rule(lab: Lab) -> None:
    result = https(lab, "toport", whitelist=wechat_whitelist(f"https://{host('toport')}"))
    assert result.status is Status.FAIL, result.message
    assert f"{host('toport')}:8443" in result.message and "names no port" in result.message
    alipay = AppWhitelist(
        rules_for(Platform.ALIPAY),
        CoverageList.from_entries([(ConsoleList.WHITELIST, host("toport"))]),
    )
    assert https(lab, "toport", whitelist=alipay).status is Status.PASS


def test_https_redirect_loop_fails(lab: Lab) -> None:
    result = https(lab, "loop")
    assert result.status is Status.FAIL, result.message
    assert "redirect loop" in result.message
    assert f"https://{host('loop')}/a -> https://{host('loop')}/b -> " in result.message
    assert len(result.details["redirects"]) == 2


def test_https_endless_redirects_stop_after_the_limit(lab: Lab) -> None:
    result = https(lab, "chain")
    assert result.status is Status.FAIL, result.message
    assert f"more than {MAX_REDIRECTS} redirects" in result.message
    assert len(result.details["redirects"]) == MAX_REDIRECTS
    assert lab.servers["chain"].connections >= MAX_REDIRECTS + 1


def test_https_redirects_stay_within_one_more_timeout(lab: Lab) -> None:
    started = time.monotonic()
    result = https(lab, "tosilent", timeout=FAULT_TIMEOUT)
    took = time.monotonic() - started
    assert result.status is Status.FAIL, result.message
    assert f"after redirects to https://{host('tosilent')}/silent" in result.message
    assert f"within {FAULT_TIMEOUT} s" in result.message
    assert took < 5  # bounded by the timeouts, not by the silent server


def test_https_server_error_warns_with_status_line(lab: Lab) -> None:
    result = https(lab, "http502")
    assert result.status is Status.WARN, result.message
    assert "HTTP 502 Bad Gateway" in result.message
    assert "service behind it is failing" in result.message


@pytest.mark.parametrize("code", [404, 403, 400])
def test_client_errors_on_root_still_pass(code: int) -> None:
    answer = HttpsAnswer(code, "Not Found", "HTTP/1.1", 1.0, None, None)
    target = ProbeTarget("a.example.com", ProbeKind.HTTPS)
    step = judge_redirect(target, "https://a.example.com/", answer, None)
    assert step.status is Status.PASS and not step.follow


def test_untrusted_location_is_escaped_and_bounded() -> None:
    evil = "http://a.example.com/\x1b[31m\n" + "x" * 5000
    answer = HttpsAnswer(302, "Found", "HTTP/1.1", 1.0, None, evil)
    target = ProbeTarget("a.example.com", ProbeKind.HTTPS)
    step = judge_redirect(target, "https://a.example.com/", answer, None)
    assert step.status is Status.FAIL
    assert "\x1b" not in step.verdict and "\n" not in step.verdict
    assert "\\x1b[31m" in step.verdict
    assert len(step.verdict) < 600

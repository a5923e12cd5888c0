"""`domaincheck sync` against a gateway written from Alipay's SDKs and docs (`strict_gateway.py`).

Our own fake shares the client's assumptions; these tests check that the CLI interoperates with the
official protocol as the SDKs speak it: where each parameter travels, the signed text, the timestamp's
time zone, and answers laid out every way an official client accepts. They also count the calls
against the minimum and grep every output for the secrets.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, quote_plus

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner, Result

from domaincheck.cli import app
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.model import ConsoleList
from domaincheck.core.platforms import Platform
from domaincheck.registry.loader import load_registry, resolve_regions
from domaincheck.whitelist.build import build_whitelist
from tests.alipay.conftest import APP_ID, KeyFiles
from tests.alipay.strict_gateway import CREATE, DELETE, QUERY, Layout, StrictAlipayGateway

# A token no other text could contain, so finding it anywhere in the output means it leaked; with
# the characters URL-encoding changes, so it must arrive (and be signed) decoded.
TOKEN = "202601BBzz+DISTINCT/app-auth=token-7f3e9c"
COMMON = {"app_id", "method", "format", "charset", "sign_type", "sign", "timestamp", "version"}


class Invoke(Protocol):
    def __call__(self, *args: str) -> Result: ...


def required_entries() -> list[str]:
    registry = load_registry(None)
    whitelist = build_whitelist(registry, Platform.ALIPAY, resolve_regions(registry, ["cn1"]))
    return [e.entry for e in whitelist.entries_for(ConsoleList.WHITELIST)]


def _strict(
    app_key: rsa.RSAPrivateKey,
    gateway_key: rsa.RSAPrivateKey,
    *,
    layout: Layout = Layout.STANDARD,
    app_auth_token: str | None = None,
    timestamp_window: timedelta = timedelta(minutes=10),
) -> Iterator[StrictAlipayGateway]:
    gateway = StrictAlipayGateway(
        app_id=APP_ID,
        app_public_key=app_key.public_key(),
        gateway_key=gateway_key,
        app_auth_token=app_auth_token,
        layout=layout,
        timestamp_window=timestamp_window,
    )
    with gateway.serve():
        yield gateway


@pytest.fixture(params=list(Layout), ids=[layout.value for layout in Layout])
def strict(
    request: pytest.FixtureRequest, app_key: rsa.RSAPrivateKey, gateway_key: rsa.RSAPrivateKey
) -> Iterator[StrictAlipayGateway]:
    yield from _strict(app_key, gateway_key, layout=request.param)


@pytest.fixture
def standard_gateway(
    app_key: rsa.RSAPrivateKey, gateway_key: rsa.RSAPrivateKey
) -> Iterator[StrictAlipayGateway]:
    """The standard answer layout only, for tests whose point is not the layout."""
    yield from _strict(app_key, gateway_key)


@pytest.fixture
def isv_gateway(
    app_key: rsa.RSAPrivateKey, gateway_key: rsa.RSAPrivateKey
) -> Iterator[StrictAlipayGateway]:
    yield from _strict(app_key, gateway_key, app_auth_token=TOKEN)


def assert_no_secret(result: Result, key_files: KeyFiles) -> None:
    output = result.stdout + result.stderr
    for text in (key_files.app_private_text, key_files.app_private_pkcs8_text):
        for line in text.splitlines():
            if "-----" not in line:
                assert line not in output, "a line of the private key was printed"
    for form in (TOKEN, quote_plus(TOKEN), quote(TOKEN, safe="")):
        assert form not in output
    assert "app_auth_token=" not in output
    assert "Traceback" not in output


def invoker(
    url: str, key_files: KeyFiles, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Invoke:
    for name in list(os.environ):
        if name.startswith("DOMAINCHECK_ALIPAY_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no project file from the working folder

    def invoke(*args: str) -> Result:
        argv = [
            "sync",
            "--platform",
            "alipay",
            "--app-id",
            APP_ID,
            "--private-key-file",
            str(key_files.app_private_pkcs8),
            "--alipay-public-key-file",
            str(key_files.alipay_public),
            "--gateway",
            url,
            "--timeout",
            "5",
            "--attempts",
            "1",
            *args,
        ]
        result = CliRunner().invoke(app, argv)
        assert_no_secret(result, key_files)
        return result

    return invoke


def test_every_answer_layout_dry_run_apply_rerun_prune_in_the_fewest_calls(
    strict: StrictAlipayGateway,
    key_files: KeyFiles,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    run = invoker(strict.url, key_files, monkeypatch, tmp_path)
    wanted = required_entries()

    dry = run("--verbose")
    assert dry.exit_code == ExitCode.PASSED, dry.stdout + dry.stderr
    assert strict.domains == []
    assert [(s.method, s.code) for s in strict.requests] == [(QUERY, "10000")]

    applied = run("--apply", "--verbose")
    assert applied.exit_code == ExitCode.PASSED, applied.stdout + applied.stderr
    assert strict.domains == wanted
    calls = strict.requests[1:]
    assert len(calls) == 1 + len(wanted)  # one read, one create per domain: the minimum
    assert all(s.code == "10000" for s in calls), [(s.method, s.code, s.sub_code) for s in calls]
    assert f"gateway requests: {1 + len(wanted)}" in applied.stdout

    before = strict.count()
    again = run("--apply")
    assert again.exit_code == ExitCode.PASSED
    assert strict.count() == before + 1  # only the read
    assert strict.domains == wanted

    strict.domains.extend(["old.example.com", "legacy.example.org"])
    before = strict.count()
    pruned = run("--apply", "--prune")
    assert pruned.exit_code == ExitCode.PASSED, pruned.stdout + pruned.stderr
    assert strict.domains == wanted
    assert strict.count() == before + 1 + 2
    assert strict.count(DELETE) == 2
    assert strict.count(CREATE) == len(wanted)


def test_parameters_travel_where_the_sdks_put_them(
    key_files: KeyFiles,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    app_key: rsa.RSAPrivateKey,
    gateway_key: rsa.RSAPrivateKey,
) -> None:
    for gateway in _strict(app_key, gateway_key):
        run = invoker(gateway.url, key_files, monkeypatch, tmp_path)
        assert run("--apply").exit_code == ExitCode.PASSED
        query, create = gateway.requests[0], gateway.requests[1]
        for seen in (query, create):
            assert seen.http_method == "POST"
            assert seen.content_type.lower().replace(" ", "") == (
                "application/x-www-form-urlencoded;charset=utf-8"
            )
            assert set(seen.query_keys) == COMMON
            # sign_type is part of the signed text of a request (only notifications leave it out).
            assert "&sign_type=RSA2&" in seen.sign_content
            assert "sign=" not in seen.sign_content.replace("sign_type=", "")
        assert query.body_keys == ()  # baseinfo.query has no business parameters
        assert create.body_keys == ("biz_content",)
        assert '&biz_content={"safe_domain":"' in create.sign_content


def test_the_timestamp_is_beijing_time_whatever_the_local_zone(
    key_files: KeyFiles,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    app_key: rsa.RSAPrivateKey,
    gateway_key: rsa.RSAPrivateKey,
) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        for gateway in _strict(app_key, gateway_key, timestamp_window=timedelta(minutes=2)):
            run = invoker(gateway.url, key_files, monkeypatch, tmp_path)
            result = run()
            assert result.exit_code == ExitCode.PASSED, result.stdout + result.stderr
            assert gateway.requests[0].code == "10000"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_an_isv_token_is_sent_signed_and_never_shown(
    isv_gateway: StrictAlipayGateway,
    key_files: KeyFiles,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    run = invoker(isv_gateway.url, key_files, monkeypatch, tmp_path)
    for output_format in ("text", "json"):
        result = run("--apply", "--verbose", "--app-auth-token", TOKEN, "--format", output_format)
        assert result.exit_code == ExitCode.PASSED, result.stdout + result.stderr
    assert isv_gateway.domains == required_entries()
    assert all(s.code == "10000" for s in isv_gateway.requests)
    # Sorted by key, the token comes first: app_auth_token < app_id.
    assert all(
        s.sign_content.startswith(f"app_auth_token={TOKEN}&app_id=") for s in isv_gateway.requests
    )
    assert all("app_auth_token" in s.query_keys for s in isv_gateway.requests)

    monkeypatch.setenv("DOMAINCHECK_ALIPAY_APP_AUTH_TOKEN", TOKEN)
    from_env = run("--verbose", "--format", "json")
    assert from_env.exit_code == ExitCode.PASSED
    json.loads(from_env.stdout)


def test_a_rejected_request_signature_is_explained_without_the_echoed_sign_text(
    key_files: KeyFiles,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    other_key: rsa.RSAPrivateKey,
    gateway_key: rsa.RSAPrivateKey,
) -> None:
    # The console holds another app public key: the gateway cannot verify our signature, and, as
    # the real one does, quotes the text it verified, app_auth_token included.
    for gateway in _strict(other_key, gateway_key, app_auth_token=TOKEN):
        run = invoker(gateway.url, key_files, monkeypatch, tmp_path)
        result = run("--apply", "--verbose", "--app-auth-token", TOKEN)
        assert result.exit_code == ExitCode.FAILED
        assert "isv.invalid-signature" in result.stderr
        assert "app private key does not match" in result.stderr
        assert gateway.domains == []
        assert [s.sub_code for s in gateway.requests] == ["isv.invalid-signature"]


def test_a_wrong_token_stops_the_run(
    isv_gateway: StrictAlipayGateway,
    key_files: KeyFiles,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    run = invoker(isv_gateway.url, key_files, monkeypatch, tmp_path)
    result = run("--apply", "--app-auth-token", TOKEN + "-revoked")
    assert result.exit_code == ExitCode.FAILED
    assert "aop.invalid-app-auth-token" in result.stderr
    assert isv_gateway.domains == []
    assert isv_gateway.count() == 1


def test_a_readable_key_file_is_warned_about_and_still_used(
    standard_gateway: StrictAlipayGateway,
    key_files: KeyFiles,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    key_files.app_private_pkcs8.chmod(0o640)
    run = invoker(standard_gateway.url, key_files, monkeypatch, tmp_path)
    result = run()
    assert result.exit_code == ExitCode.PASSED
    assert "can be read by group or others" in result.stderr
    assert "chmod 600" in result.stderr


def test_near_the_limit_prune_deletes_first_and_never_overflows_the_console(
    key_files: KeyFiles,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    app_key: rsa.RSAPrivateKey,
    gateway_key: rsa.RSAPrivateKey,
) -> None:
    wanted = required_entries()
    stale = [f"old{n}.example.com" for n in range(30 - len(wanted) + 2)]
    for gateway in _strict(app_key, gateway_key):
        gateway.domains.extend(stale)
        run = invoker(gateway.url, key_files, monkeypatch, tmp_path)

        refused = run("--apply")  # without --prune the list would pass 30: nothing is done
        assert refused.exit_code == ExitCode.FAILED
        assert "over the console's limit of 30" in refused.stderr
        assert gateway.domains == stale
        assert gateway.count() == 1

        pruned = run("--apply", "--prune")
        assert pruned.exit_code == ExitCode.PASSED, pruned.stdout + pruned.stderr
        assert gateway.domains == wanted
        assert gateway.count() == 1 + 1 + len(stale) + len(wanted)
        # The gateway refuses a create past 30; every call succeeded, so none came too early.
        assert all(s.code == "10000" for s in gateway.requests)

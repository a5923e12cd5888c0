"""Where credentials come from: options over environment over the project file; nothing echoed."""

from __future__ import annotations

from pathlib import Path

import pytest

from domaincheck.alipay.credentials import resolve_credentials
from domaincheck.alipay.errors import AlipayCredentialsError
from domaincheck.alipay.protocol import PRODUCTION_GATEWAY, SANDBOX_GATEWAY

NONE: dict[str, str | None] = {}


def test_options_win_over_environment_over_project(tmp_path: Path) -> None:
    project = {
        "app_id": "3000",
        "private_key_file": "keys/app.pem",
        "alipay_public_key_file": "keys/alipay.pem",
        "app_auth_token": "project-token",
    }
    env = {"DOMAINCHECK_ALIPAY_APP_ID": "2000", "DOMAINCHECK_ALIPAY_APP_AUTH_TOKEN": "env-token"}
    creds = resolve_credentials(
        options={"app_id": "1000"}, environ=env, project=project, project_dir=tmp_path
    )
    assert creds.app_id == "1000"
    assert creds.app_auth_token == "env-token"
    # Relative paths from the project file are relative to the project file's directory.
    assert creds.private_key_file == tmp_path / "keys/app.pem"
    assert creds.gateway == PRODUCTION_GATEWAY


def test_environment_alone_is_enough_and_the_short_public_key_name_works() -> None:
    env = {
        "DOMAINCHECK_ALIPAY_APP_ID": "2021",
        "DOMAINCHECK_ALIPAY_PRIVATE_KEY_FILE": "/k/app.pem",
        "DOMAINCHECK_ALIPAY_PUBLIC_KEY_FILE": "/k/alipay.pem",
        "DOMAINCHECK_ALIPAY_GATEWAY": "sandbox",
    }
    creds = resolve_credentials(options=NONE, environ=env)
    assert creds.alipay_public_key_file == Path("/k/alipay.pem")
    assert creds.gateway == SANDBOX_GATEWAY and creds.is_sandbox
    assert creds.app_auth_token is None


def test_sandbox_flag_and_explicit_gateway() -> None:
    base = {"app_id": "1", "private_key_file": "a", "alipay_public_key_file": "b"}
    assert resolve_credentials(options=base, environ={}, sandbox=True).gateway == SANDBOX_GATEWAY
    local = resolve_credentials(
        options={**base, "gateway": "http://127.0.0.1:8080/gateway.do"}, environ={}, sandbox=True
    )
    assert local.gateway == "http://127.0.0.1:8080/gateway.do"


@pytest.mark.parametrize(
    "url", ["http://openapi.alipay.com/gateway.do", "ftp://x/", "openapi.alipay.com", "https://"]
)
def test_a_gateway_must_be_https_unless_it_is_on_this_machine(url: str) -> None:
    base = {"app_id": "1", "private_key_file": "a", "alipay_public_key_file": "b", "gateway": url}
    with pytest.raises(AlipayCredentialsError, match="https"):
        resolve_credentials(options=base, environ={})


def test_missing_values_name_every_way_to_give_them() -> None:
    with pytest.raises(AlipayCredentialsError) as caught:
        resolve_credentials(options={"app_id": "1"}, environ={})
    message = str(caught.value)
    assert "--private-key-file" in message
    assert "DOMAINCHECK_ALIPAY_ALIPAY_PUBLIC_KEY_FILE" in message
    assert "alipay.alipay_public_key_file" in message


def test_unknown_project_keys_and_wrong_types_are_errors() -> None:
    with pytest.raises(AlipayCredentialsError, match=r"alipay\.private_key\b"):
        resolve_credentials(options=NONE, environ={}, project={"private_key": "x"})
    with pytest.raises(AlipayCredentialsError, match="must be a string"):
        resolve_credentials(options=NONE, environ={}, project={"app_id": 2021})


def test_the_repr_hides_the_app_id_and_token() -> None:
    creds = resolve_credentials(
        options={
            "app_id": "2021004123456789",
            "private_key_file": "a",
            "alipay_public_key_file": "b",
            "app_auth_token": "tok-secret",
        },
        environ={},
    )
    assert "2021004123456789" not in repr(creds)
    assert "tok-secret" not in repr(creds)

"""A sync's settings from options, environment and the project file: credentials and entry limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from domaincheck.alipay.errors import AlipayCredentialsError
from domaincheck.alipay.protocol import PRODUCTION_GATEWAY, SANDBOX_GATEWAY
from domaincheck.alipay.settings import sync_credentials, sync_entry_limit
from domaincheck.files.project import parse_project


def project(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    return parse_project(text, tmp_path / "domaincheck.yaml")


def test_the_alipay_section_is_used_with_paths_relative_to_the_project_file(
    tmp_path: Path,
) -> None:
    loaded = project(
        tmp_path,
        "alipay:\n  app_id: 2021000000000000\n  private_key_file: keys/app.pem\n"
        "  alipay_public_key_file: keys/alipay.pem\n  gateway: sandbox\n",
    )
    creds = sync_credentials({}, {}, loaded)
    assert creds.app_id == "2021000000000000"
    assert creds.private_key_file == tmp_path / "keys" / "app.pem"
    assert creds.alipay_public_key_file == tmp_path / "keys" / "alipay.pem"
    assert creds.gateway == SANDBOX_GATEWAY
    # Options and the environment win over the project file.
    env = {"DOMAINCHECK_ALIPAY_APP_ID": "2000"}
    assert sync_credentials({"gateway": "production"}, env, loaded).gateway == PRODUCTION_GATEWAY
    assert sync_credentials({}, env, loaded).app_id == "2000"
    assert sync_credentials({"app_id": "1000"}, env, loaded).app_id == "1000"


def test_without_a_project_file_the_options_must_say_everything() -> None:
    with pytest.raises(AlipayCredentialsError, match="missing app id"):
        sync_credentials({}, {}, None)
    creds = sync_credentials(
        {"app_id": "1", "private_key_file": "a.pem", "alipay_public_key_file": "b.pem"},
        {},
        None,
        sandbox=True,
    )
    assert creds.gateway == SANDBOX_GATEWAY


def test_entry_limit_option_then_isv_then_project_then_alipays_own(tmp_path: Path) -> None:
    with_limit = project(tmp_path, "thresholds:\n  max_entries: 40\n")
    assert sync_entry_limit(max_entries=None, isv=False, project=None) == 30
    assert sync_entry_limit(max_entries=None, isv=False, project=with_limit) == 40
    assert sync_entry_limit(max_entries=None, isv=True, project=with_limit) == 50
    assert sync_entry_limit(max_entries=12, isv=True, project=with_limit) == 12

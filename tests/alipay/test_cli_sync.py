"""`domaincheck sync` end to end through the CLI, against the fake gateway on loopback."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner, Result

from domaincheck.cli import app
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.model import ConsoleList
from domaincheck.core.platforms import Platform
from domaincheck.registry.loader import load_registry, resolve_regions
from domaincheck.whitelist.build import build_whitelist
from tests.alipay.conftest import APP_AUTH_TOKEN, APP_ID, KeyFiles
from tests.alipay.fake_gateway import CREATE, DELETE, QUERY, FakeAlipayGateway, Fault

REMINDER = "only to builds uploaded after the change"


class Invoke(Protocol):
    def __call__(
        self, *args: str, credentials: bool = True, env: dict[str, str] | None = None
    ) -> Result: ...


def required_entries(compact: bool = False) -> list[str]:
    registry = load_registry(None)
    whitelist = build_whitelist(
        registry, Platform.ALIPAY, resolve_regions(registry, ["cn1"]), compact=compact
    )
    return [e.entry for e in whitelist.entries_for(ConsoleList.WHITELIST)]


@pytest.fixture
def run(gateway: FakeAlipayGateway, key_files: KeyFiles, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Runs `domaincheck sync` with credentials in options and fast retries; checks no secret leaks."""
    for name in (
        "APP_ID",
        "PRIVATE_KEY_FILE",
        "ALIPAY_PUBLIC_KEY_FILE",
        "PUBLIC_KEY_FILE",
        "APP_AUTH_TOKEN",
        "GATEWAY",
    ):
        monkeypatch.delenv(f"DOMAINCHECK_ALIPAY_{name}", raising=False)

    def invoke(*args: str, credentials: bool = True, env: dict[str, str] | None = None) -> Result:
        argv = ["sync", "--timeout", "0.5", "--attempts", "3", "--backoff", "0.001", *args]
        if credentials:
            argv += [
                "--app-id",
                APP_ID,
                "--private-key-file",
                str(key_files.app_private_pkcs8),
                "--alipay-public-key-file",
                str(key_files.alipay_public),
                "--gateway",
                gateway.url,
            ]
        result = CliRunner().invoke(app, argv, env=env)
        assert_no_secrets(result, key_files)
        return result

    return invoke


def assert_no_secrets(result: Result, key_files: KeyFiles) -> None:
    output = result.stdout + result.stderr
    for text in (key_files.app_private_text, key_files.app_private_pkcs8_text):
        for line in text.splitlines():
            if "-----" not in line:
                assert line not in output, "a line of the private key was printed"
    assert APP_AUTH_TOKEN not in output
    assert "Traceback" not in output


def test_a_dry_run_prints_the_plan_and_changes_nothing(
    run: Invoke, gateway: FakeAlipayGateway
) -> None:
    gateway.domains[:] = ["old.example.com"]
    result = run("--prune")
    assert result.exit_code == ExitCode.PASSED, result.stderr
    assert "nothing changed" in result.stdout
    for entry in required_entries():
        assert f"+ {entry}" in result.stdout
    assert "- old.example.com" in result.stdout
    assert "limit 30" in result.stdout
    assert REMINDER not in result.stdout
    assert gateway.domains == ["old.example.com"]
    assert [r.method for r in gateway.requests] == [QUERY]


def test_apply_reaches_the_target_in_the_fewest_calls_and_reminds_to_upload(
    run: Invoke, gateway: FakeAlipayGateway
) -> None:
    wanted = required_entries()
    result = run("--apply")
    assert result.exit_code == ExitCode.PASSED, result.stderr
    assert gateway.domains == wanted
    assert gateway.count() == 1 + len(wanted)
    assert f"gateway requests: {1 + len(wanted)}" in result.stdout
    assert REMINDER in result.stdout

    again = run("--apply")
    assert again.exit_code == ExitCode.PASSED
    assert "already holds what is required" in again.stdout
    assert REMINDER not in again.stdout
    assert gateway.count() == 2 + len(wanted)


def test_compact_and_an_existing_registrable_domain(
    run: Invoke, gateway: FakeAlipayGateway
) -> None:
    result = run("--apply", "--compact")
    assert result.exit_code == ExitCode.PASSED
    assert gateway.domains == required_entries(compact=True)
    assert gateway.count(CREATE) == len(gateway.domains)
    # The full host list is now covered by the registrable domains: nothing to add.
    plain = run("--apply")
    assert plain.exit_code == ExitCode.PASSED
    assert gateway.count(CREATE) == len(gateway.domains)
    assert "= easemob.com" in plain.stdout and "covers a1.easemob.com" in plain.stdout


def test_the_project_files_compact_is_synced_unless_no_compact(
    run: Invoke, gateway: FakeAlipayGateway, tmp_path: Path
) -> None:
    project = tmp_path / "domaincheck.yaml"
    project.write_text("platform: alipay\nregions: [cn1]\ncompact: true\n", "utf-8")
    listed = run("--project", str(project), "--no-compact")
    assert listed.exit_code == ExitCode.PASSED
    assert "+ a1.easemob.com" in listed.stdout
    result = run("--apply", "--project", str(project))
    assert result.exit_code == ExitCode.PASSED, result.stderr
    assert gateway.domains == required_entries(compact=True)


def test_check_fails_while_out_of_step_and_never_changes(
    run: Invoke, gateway: FakeAlipayGateway
) -> None:
    result = run("--check", "--apply")
    assert result.exit_code == ExitCode.FAILED
    assert gateway.domains == []
    gateway.domains[:] = required_entries()
    assert run("--check").exit_code == ExitCode.PASSED


def test_prune_deletes_only_with_prune(run: Invoke, gateway: FakeAlipayGateway) -> None:
    gateway.domains[:] = [*required_entries(), "old.example.com"]
    kept = run("--apply")
    assert kept.exit_code == ExitCode.PASSED
    assert "? old.example.com" in kept.stdout
    assert "old.example.com" in gateway.domains
    pruned = run("--apply", "--prune")
    assert pruned.exit_code == ExitCode.PASSED
    assert "old.example.com" not in gateway.domains
    assert gateway.count(DELETE) == 1


def test_json_output(run: Invoke, gateway: FakeAlipayGateway) -> None:
    gateway.domains[:] = ["old.example.com"]
    result = run("--format", "json")
    assert result.exit_code == ExitCode.PASSED
    document = json.loads(result.stdout)
    assert document["applied"] is False
    assert document["plan"]["add"] == required_entries()
    assert document["plan"]["extra"] == ["old.example.com"]
    assert document["count"] == {
        "now": 1,
        "after": 1 + len(required_entries()),
        "limit": 30,
        "over_limit": False,
    }
    assert document["requests"] == 1


def test_over_the_limit_warns_on_a_dry_run_and_refuses_to_apply(
    run: Invoke, gateway: FakeAlipayGateway
) -> None:
    dry = run("--max-entries", "3")
    assert dry.exit_code == ExitCode.PASSED
    assert "over the console's limit of 3" in dry.stdout
    applied = run("--max-entries", "3", "--apply")
    assert applied.exit_code == ExitCode.FAILED
    assert "nothing was changed" in applied.stderr
    assert gateway.domains == []
    isv = run("--isv")
    assert "limit 50" in isv.stdout


def test_a_stop_half_way_then_the_same_command_finishes_the_job(
    run: Invoke, gateway: FakeAlipayGateway
) -> None:
    wanted = required_entries()
    gateway.inject(Fault.unavailable(), method=CREATE, after=3, times=99)
    first = run("--apply")
    assert first.exit_code == ExitCode.FAILED
    assert "stopped:" in first.stdout and "20000" in first.stdout
    assert "Run the same command again" in first.stdout
    assert gateway.domains == wanted[:3]
    assert REMINDER in first.stdout  # three entries did change

    gateway._injections.clear()
    second = run("--apply")
    assert second.exit_code == ExitCode.PASSED
    assert gateway.domains == wanted
    assert second.stdout.count("done") == len(wanted) - 3


def test_a_bad_answer_signature_stops_with_a_clear_message(
    run: Invoke, gateway: FakeAlipayGateway
) -> None:
    gateway.inject(Fault.bad_signature(), method=QUERY)
    result = run("--apply")
    assert result.exit_code == ExitCode.FAILED
    assert "does not verify with the Alipay public key" in result.stderr
    assert result.stdout == ""
    assert gateway.count() == 1


def test_a_permission_error_stops(run: Invoke, gateway: FakeAlipayGateway) -> None:
    gateway.inject(
        Fault.error("40006", "isv.insufficient-isv-permissions", "ISV权限不足"), method=QUERY
    )
    result = run("--apply")
    assert result.exit_code == ExitCode.FAILED
    assert "40006" in result.stderr and "feature package" in result.stderr
    assert gateway.count() == 1


def test_a_wrong_private_key_is_reported_without_echoing_anything_secret(
    run: Invoke,
    gateway: FakeAlipayGateway,
    key_files: KeyFiles,
    tmp_path: Path,
    other_key: rsa.RSAPrivateKey,
) -> None:
    wrong = tmp_path / "wrong.pem"
    wrong.write_bytes(
        other_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    wrong.chmod(0o600)
    gateway.app_auth_token = APP_AUTH_TOKEN
    result = run(
        "--app-id",
        APP_ID,
        "--private-key-file",
        str(wrong),
        "--alipay-public-key-file",
        str(key_files.alipay_public),
        "--gateway",
        gateway.url,
        "--app-auth-token",
        APP_AUTH_TOKEN,
        "-v",
        credentials=False,
    )
    assert result.exit_code == ExitCode.FAILED
    assert "isv.invalid-signature" in result.stderr
    assert APP_ID not in result.stdout + result.stderr


def test_credentials_from_environment_with_a_pkcs1_key_and_a_token(
    run: Invoke,
    gateway: FakeAlipayGateway,
    key_files: KeyFiles,
) -> None:
    gateway.app_auth_token = APP_AUTH_TOKEN
    env = {
        "DOMAINCHECK_ALIPAY_APP_ID": APP_ID,
        "DOMAINCHECK_ALIPAY_PRIVATE_KEY_FILE": str(key_files.app_private_pkcs1),
        "DOMAINCHECK_ALIPAY_ALIPAY_PUBLIC_KEY_FILE": str(key_files.alipay_public),
        "DOMAINCHECK_ALIPAY_APP_AUTH_TOKEN": APP_AUTH_TOKEN,
        "DOMAINCHECK_ALIPAY_GATEWAY": gateway.url,
    }
    result = run("--apply", "-v", credentials=False, env=env)
    assert result.exit_code == ExitCode.PASSED, result.stderr
    assert gateway.domains == required_entries()
    assert all(r.params.get("app_auth_token") == APP_AUTH_TOKEN for r in gateway.requests)


def test_credentials_from_the_project_file(
    run: Invoke,
    gateway: FakeAlipayGateway,
    key_files: KeyFiles,
    tmp_path: Path,
) -> None:
    project = tmp_path / "domaincheck.yaml"
    project.write_text(
        "platform: alipay\n"
        "regions: [cn1]\n"
        "extra_domains: [https://api.myapp.com]\n"
        "alipay:\n"
        f'  app_id: "{APP_ID}"\n'
        f"  private_key_file: {key_files.app_private_pkcs1.relative_to(tmp_path)}\n"
        f"  alipay_public_key_file: {key_files.alipay_public.relative_to(tmp_path)}\n"
        f"  gateway: {gateway.url}\n"
    )
    result = run("--apply", "--project", str(project), credentials=False)
    assert result.exit_code == ExitCode.PASSED, result.stderr
    assert gateway.domains == [*required_entries(), "api.myapp.com"]


def test_an_unquoted_app_id_works_and_bad_project_values_are_not_echoed(
    run: Invoke, gateway: FakeAlipayGateway, key_files: KeyFiles, tmp_path: Path
) -> None:
    project = tmp_path / "domaincheck.yaml"
    keys = (
        f"  private_key_file: {key_files.app_private_pkcs8}\n"
        f"  alipay_public_key_file: {key_files.alipay_public}\n"
        f"  gateway: {gateway.url}\n"
    )
    project.write_text(f"alipay:\n  app_id: {APP_ID}\n" + keys)
    assert run("--project", str(project), credentials=False).exit_code == ExitCode.PASSED
    project.write_text(
        f"alipay:\n  app_id: [{APP_ID}]\n  app_auth_token: {{t: {APP_AUTH_TOKEN}}}\n" + keys
    )
    bad = run("--project", str(project), credentials=False)
    assert bad.exit_code == ExitCode.BAD_INPUT
    assert "alipay.app_id must be a string" in bad.stderr
    assert APP_ID not in bad.stderr


def test_missing_credentials_exit_2_and_say_how_to_give_them(run: Invoke) -> None:
    result = run(credentials=False)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "--app-id" in result.stderr and "DOMAINCHECK_ALIPAY_APP_ID" in result.stderr


def test_a_key_file_others_can_read_gets_a_warning(run: Invoke, key_files: KeyFiles) -> None:
    quiet = run()
    assert "warning" not in quiet.stderr
    key_files.app_private_pkcs8.chmod(0o644)
    loud = run()
    assert loud.exit_code == ExitCode.PASSED
    assert "can be read by group or others" in loud.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--platform", "wechat"), "alipay only"),
        (("--sandbox",), "not both"),
    ],
)
def test_bad_usage_exits_2(run: Invoke, args: Sequence[str], words: str) -> None:
    result = run(*args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert words in result.stderr

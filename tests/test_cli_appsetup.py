"""`domaincheck init` and `domaincheck diff` through the CLI: exit codes, output, files written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from domaincheck.cli import app
from domaincheck.exitcodes import ExitCode
from domaincheck.registry.loader import load_registry, resolve_regions
from domaincheck.whitelist import build_whitelist

runner = CliRunner()


def invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    print(result.stdout)
    print(result.stderr)
    return result


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def full_console(platform: str = "alipay", region: str = "cn1") -> str:
    registry = load_registry()
    built = build_whitelist(registry, platform, resolve_regions(registry, [region]))
    lines: list[str] = []
    for console_list in built.console_lists:
        lines.append(f"[{console_list}]")
        lines.extend(e.entry for e in built.entries_for(console_list))
    return "\n".join(lines) + "\n"


def test_init_writes_a_project_file_once(in_tmp: Path) -> None:
    result = invoke("init", "--platform", "wechat", "--region", "新加坡1区")
    assert result.exit_code == ExitCode.PASSED
    text = (in_tmp / "domaincheck.yaml").read_text("utf-8")
    assert "platform: wechat" in text and '- "sgp1"' in text
    again = invoke("init", "--platform", "alipay")
    assert again.exit_code == ExitCode.BAD_INPUT
    assert "already exists; use --force" in again.stderr
    assert (in_tmp / "domaincheck.yaml").read_text("utf-8") == text
    forced = invoke("init", "--platform", "alipay", "--force")
    assert forced.exit_code == ExitCode.PASSED
    assert "platform: alipay" in (in_tmp / "domaincheck.yaml").read_text("utf-8")


def test_init_refuses_an_unknown_region_and_writes_nothing(in_tmp: Path) -> None:
    result = invoke("init", "--region", "mars")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "unknown region 'mars'" in result.stderr
    assert list(in_tmp.iterdir()) == []


def test_diff_fails_naming_the_one_missing_host(in_tmp: Path) -> None:
    text = full_console().replace("rs.chat.agora.io\n", "")
    (in_tmp / "console.txt").write_text(text, "utf-8")
    result = invoke("diff", "console.txt")
    assert result.exit_code == ExitCode.FAILED
    assert "rs.chat.agora.io is missing from the console's current list" in result.stdout
    assert result.stdout.count("FAIL     console.missing") == 1


def test_diff_passes_on_a_complete_list_and_reads_the_project(in_tmp: Path) -> None:
    (in_tmp / "copied.txt").write_text(full_console("wechat", "cn1"), "utf-8")
    (in_tmp / "domaincheck.yaml").write_text(
        "platform: wechat\nregions: [cn1]\nconsole:\n  file: copied.txt\n", "utf-8"
    )
    result = invoke("diff", "--format", "json")
    assert result.exit_code == ExitCode.PASSED
    report = json.loads(result.stdout)
    assert report["platform"] == "wechat"
    assert {r["check"] for r in report["results"]} >= {"console.missing", "whitelist.count"}


def test_diff_option_overrides_the_project_platform(in_tmp: Path) -> None:
    (in_tmp / "console.txt").write_text(full_console("alipay"), "utf-8")
    (in_tmp / "domaincheck.yaml").write_text("platform: wechat\n", "utf-8")
    assert invoke("diff", "console.txt").exit_code == ExitCode.FAILED
    assert invoke("diff", "console.txt", "--platform", "alipay").exit_code == ExitCode.PASSED


def test_ignored_missing_host_does_not_fail(in_tmp: Path) -> None:
    text = full_console().replace("rs.chat.agora.io\n", "")
    (in_tmp / "console.txt").write_text(text, "utf-8")
    (in_tmp / "domaincheck.yaml").write_text(
        "ignore:\n  - check: console.missing\n    reason: added in the next release\n", "utf-8"
    )
    result = invoke("diff", "console.txt")
    assert result.exit_code == ExitCode.PASSED
    assert "added in the next release" in result.stdout


@pytest.mark.parametrize(
    ("files", "args", "words"),
    [
        ({}, ["diff"], "no console list to compare"),
        ({}, ["diff", "missing.txt"], "missing.txt: console list not found"),
        (
            {"console.txt": b"\x00\x01binary"},
            ["diff", "console.txt"],
            "console.txt: console list is a binary file",
        ),
        (
            {"domaincheck.yaml": b"platform: alipay\nregoins: [cn1]\n"},
            ["diff", "x.txt"],
            "domaincheck.yaml:2: project file: unknown key 'regoins'",
        ),
        (
            {"console.txt": b"a1.easemob.com\n"},
            ["diff", "console.txt", "--region", "mars"],
            "unknown region 'mars'",
        ),
    ],
)
def test_diff_bad_input_exits_2_with_one_clear_line(
    in_tmp: Path, files: dict[str, bytes], args: list[str], words: str
) -> None:
    for name, content in files.items():
        (in_tmp / name).write_bytes(content)
    result = invoke(*args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_diff_output_file_is_written_only_on_success(in_tmp: Path) -> None:
    (in_tmp / "console.txt").write_text(full_console(), "utf-8")
    result = invoke("diff", "console.txt", "--format", "junit", "--output", "out.xml")
    assert result.exit_code == ExitCode.PASSED
    assert (in_tmp / "out.xml").read_text("utf-8").startswith("<?xml")
    bad = invoke("diff", "nope.txt", "--output", "bad.xml")
    assert bad.exit_code == ExitCode.BAD_INPUT
    assert not (in_tmp / "bad.xml").exists()

"""The user's loop through the CLI: `init`, `check --offline`, `whitelist`, then `diff` on what
was pasted back from the console, with the noise a copied console page carries."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from domaincheck.cli import app
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.platforms import Platform
from domaincheck.whitelist.profiles import PROFILES

runner = CliRunner()

REGION_SETS = [["cn1"], ["cn2"], ["sgp1"], ["sgp2"], ["use1"], ["de2"], ["cn1", "sgp1"]]


def invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    print(result.stdout)
    print(result.stderr)
    return result


def whitelist_lists(text: str) -> list[tuple[str | None, list[str]]]:
    """(list name or None for a single-list console, entries) out of `whitelist`'s text output."""
    lists: list[tuple[str | None, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# ") and " · " in line:
            name = line.split(" · ")[1].rsplit("(", 1)[1].rstrip(")")
            lists.append((None if name == "whitelist" else name, []))
        elif line.strip() and not line.startswith("#"):
            lists[-1][1].append(line.strip())
    return lists


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def pasted(lists: list[tuple[str | None, list[str]]], alipay: bool) -> str:
    """The lists as a person copies them out of a console page: a title, Chinese headings, row
    numbers, buttons, blank lines, a trailing slash, https:// on Alipay, full-width typing."""
    out = ["服务器域名配置", "", "序号  域名  操作"]
    for name, entries in lists:
        out.append("服务器域名白名单" if name is None else f"{name} 合法域名：")
        for number, entry in enumerate(entries, start=1):
            if alipay and "://" not in entry:
                entry = "https://" + entry
            row = {
                0: f"{number}. {entry}",
                1: f"{number}\t{entry}/\t删除",
                2: f"（{number}）{full_width(entry)}  修改  删除",
                3: "",
            }[number % 4]
            out.append(row or entry)
            out.append("")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("platform", [p.value for p in PROFILES])
@pytest.mark.parametrize("regions", REGION_SETS, ids="+".join)
def test_init_check_and_diff_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str, regions: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    region_args = [arg for region in regions for arg in ("--region", region)]
    if platform == Platform.TAOBAO and "cn2" in regions:
        # Easemob's Taobao page has no 国内2区 row: init refuses, naming the region.
        refused = invoke("init", "--platform", platform, *region_args)
        assert refused.exit_code == ExitCode.BAD_INPUT
        assert "region cn2 (国内2区) is not on Easemob's Taobao page" in refused.output
        return
    assert invoke("init", "--platform", platform, *region_args).exit_code == ExitCode.PASSED
    if platform == Platform.TAOBAO and len(regions) > 1:
        # Two regions need 12 entries; Taobao approves at most 10 (and never deletes one).
        over = invoke("check", "--offline")
        assert over.exit_code == ExitCode.FAILED
        assert "whitelist.count" in over.output and "limit of 10" in over.output
        return
    assert invoke("check", "--offline").exit_code == ExitCode.PASSED
    shown = invoke("whitelist")
    assert shown.exit_code == ExitCode.PASSED
    lists = whitelist_lists(shown.stdout)
    assert lists and all(entries for _, entries in lists)
    alipay = platform == Platform.ALIPAY
    console = tmp_path / "console.txt"

    console.write_text(pasted(lists, alipay), "utf-8")
    complete = invoke("diff", "console.txt")
    assert complete.exit_code == ExitCode.PASSED
    assert "FAIL" not in complete.stdout and "WARN" not in complete.stdout

    # Each entry left out in turn fails diff, naming its host and nothing else.
    for index, (name, entries) in enumerate(lists):
        for entry in entries:
            cut = [
                (n, [e for e in es if not (i == index and e == entry)])
                for i, (n, es) in enumerate(lists)
            ]
            console.write_text(pasted(cut, alipay), "utf-8")
            result = invoke("diff", "console.txt")
            host = entry.split("://")[-1]
            assert result.exit_code == ExitCode.FAILED, (name, entry)
            failing = [line for line in result.stdout.splitlines() if "FAIL     " in line]
            assert len(failing) == 1, failing
            assert f"{host} is missing from" in failing[0]

"""The console's current list against the whitelist the app needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from domaincheck.appsetup.console_diff import (
    assign_lists,
    diff_console,
    load_console,
    read_console_text,
)
from domaincheck.core.errors import InputFileError
from domaincheck.core.model import CheckResult, ConsoleList, Status
from domaincheck.files.project import ConsoleItem, ConsoleSource
from domaincheck.registry.loader import load_registry, resolve_regions
from domaincheck.registry.model import Registry
from domaincheck.whitelist.build import build_whitelist
from domaincheck.whitelist.profiles import PROFILES, rules_for


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def run_diff(registry: Registry, platform: str, region: str, text: str) -> list[CheckResult]:
    regions = resolve_regions(registry, [region])
    rules = rules_for(platform)
    required = build_whitelist(registry, platform, regions)
    items = read_console_text(text, "console.txt")
    return list(diff_console(rules, required, items, regions, registry=registry))


def required_text(registry: Registry, platform: str, region: str) -> str:
    regions = resolve_regions(registry, [region])
    built = build_whitelist(registry, platform, regions)
    lines: list[str] = []
    for console_list in built.console_lists:
        lines.append(f"{console_list}合法域名")
        lines.extend(e.entry for e in built.entries_for(console_list))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("platform", [p.value for p in PROFILES])
def test_the_built_whitelist_pasted_back_passes(registry: Registry, platform: str) -> None:
    results = run_diff(registry, platform, "cn1", required_text(registry, platform, "cn1"))
    assert [r for r in results if r.fails_gate or r.status is Status.WARN] == []
    assert any(r.check == "console.missing" and r.status is Status.PASS for r in results)


def test_one_missing_host_fails_naming_it(registry: Registry) -> None:
    text = required_text(registry, "alipay", "cn1").replace("rs.chat.agora.io\n", "")
    results = run_diff(registry, "alipay", "cn1", text)
    failing = [r for r in results if r.fails_gate]
    assert [(r.check, r.details["host"]) for r in failing] == [
        ("console.missing", "rs.chat.agora.io")
    ]
    assert "rs.chat.agora.io is missing from the console's current list" in failing[0].message
    assert failing[0].fix is not None and "服务器域名白名单" in failing[0].fix


def test_wechat_lists_are_compared_list_by_list(registry: Registry) -> None:
    text = required_text(registry, "wechat", "cn1")
    # the socket host moved to the request list by mistake
    text = text.replace("wss://im-api-wechat.easemob.com\n", "").replace(
        "request合法域名\n", "request合法域名\nhttps://im-api-wechat.easemob.com\n"
    )
    results = run_diff(registry, "wechat", "cn1", text)
    failing = [(r.details["console_list"], r.details["host"]) for r in results if r.fails_gate]
    assert failing == [("socket", "im-api-wechat.easemob.com")]
    assert any(
        r.check == "console.extra" and r.target == "https://im-api-wechat.easemob.com"
        for r in results
    )


def test_alipay_registrable_domains_cover_everything(registry: Registry) -> None:
    results = run_diff(registry, "alipay", "cn1", "easemob.com\neasecdn.com\nagora.io\n")
    assert not [r for r in results if r.fails_gate or r.status is Status.WARN]


def test_alipay_entry_hidden_by_a_registrable_domain_is_reported(registry: Registry) -> None:
    results = run_diff(
        registry, "alipay", "cn1", "easemob.com\neasecdn.com\nagora.io\na1.easemob.com\n"
    )
    assert [r.target for r in results if r.check == "whitelist.covered"] == ["a1.easemob.com"]


def test_twins_disputed_and_download_hosts_fail_too_saying_why_they_are_listed(
    registry: Registry,
) -> None:
    # The whitelist domaincheck prints is what it asks the user to paste: any host of it that the
    # console lacks fails, whatever kind of host it is.
    text = "\n".join(
        [
            "a1.easemob.com",
            "a1-v2.easemob.com",
            "a2.easemob.com",
            "a3.easemob.com",
            "a4.easemob.com",
            "a5.easemob.com",
            "rs.easemob.com",
            "rs.chat.agora.io",
            "im-api-alipay.easemob.com",
        ]
    )
    results = run_diff(registry, "alipay", "cn1", text)
    failed = {r.details["host"]: r.message for r in results if r.fails_gate}
    assert set(failed) == {"a1.easecdn.com", "im-api-alipay.easecdn.com", "a1-chatfile.easemob.com"}
    assert "easecdn.com twin of a1.easemob.com" in failed["a1.easecdn.com"]
    assert "download host" in failed["a1-chatfile.easemob.com"]
    assert not [r for r in results if r.status is Status.WARN]


def test_disputed_region_needs_both_sides(registry: Registry) -> None:
    full = required_text(registry, "alipay", "cn2")
    assert run_diff(registry, "alipay", "cn2", full)[0].status is Status.PASS
    for host in ("ngi-a1.easemob.com", "a31.easemob.com", "ngi-im-api-wechat.easemob.com"):
        results = run_diff(registry, "alipay", "cn2", full.replace(host + "\n", ""))
        failed = [r for r in results if r.fails_gate]
        assert [r.details["host"] for r in failed] == [host]
        assert "the Easemob documents disagree on 国内2区's hosts" in failed[0].message


def test_rule_breaking_entries_and_count(registry: Registry) -> None:
    text = required_text(registry, "alipay", "cn1") + "http://10.0.0.1:8080/api\n"
    results = run_diff(registry, "alipay", "cn1", text)
    checks = {r.check for r in results if r.target == "http://10.0.0.1:8080/api"}
    assert {"whitelist.ip-literal", "console.extra"} <= checks
    [count] = [r for r in results if r.check == "whitelist.count"]
    assert count.details["entries"] == 13 and count.details["limit"] == 30


def test_reading_copied_console_text() -> None:
    text = (
        "服务器域名白名单\n"
        "序号 域名 操作\n"
        "1 a1.easemob.com 删除\n"
        "2 IM-API-ALIPAY.easemob.com 删除  # the socket host\n"
        "request合法域名 https://a1.easemob.com; https://a2.easemob.com\n"
        "socket合法域名：\n"
        "wss://im-api-wechat.easemob.com\n"
        "udp合法域名\n"
        "udp://skip.example.com\n"
        "[uploadFile]\n"
        "https://a1.easemob.com\n"
    )
    items = read_console_text(text, "c.txt")
    assert [(i.text, i.console_list, i.origin) for i in items] == [
        ("a1.easemob.com", ConsoleList.WHITELIST, "c.txt:3"),
        ("IM-API-ALIPAY.easemob.com", ConsoleList.WHITELIST, "c.txt:4"),
        ("https://a1.easemob.com", ConsoleList.REQUEST, "c.txt:5"),
        ("https://a2.easemob.com", ConsoleList.REQUEST, "c.txt:5"),
        ("wss://im-api-wechat.easemob.com", ConsoleList.SOCKET, "c.txt:7"),
        ("https://a1.easemob.com", ConsoleList.UPLOAD_FILE, "c.txt:11"),
    ]


def test_lists_are_assigned_by_platform() -> None:
    items = [
        ConsoleItem("wss://x.example.com", None, "a"),
        ConsoleItem("https://y.example.com", None, "b"),
        ConsoleItem("z.example.com", ConsoleList.DOWNLOAD_FILE, "c"),
    ]
    alipay = assign_lists(rules_for("alipay"), items)
    assert {e.console_list for e in alipay} == {ConsoleList.WHITELIST}
    wechat = assign_lists(rules_for("wechat"), items)
    assert [e.console_list for e in wechat] == [
        ConsoleList.SOCKET,
        ConsoleList.REQUEST,
        ConsoleList.DOWNLOAD_FILE,
    ]


def test_load_console_from_file_and_inline(tmp_path: Path) -> None:
    path = tmp_path / "console.txt"
    path.write_text("a1.easemob.com\n", encoding="utf-8")
    source = ConsoleSource(path, (ConsoleItem("rs.easemob.com", None, "domaincheck.yaml:9"),))
    assert [i.text for i in load_console(source)] == ["a1.easemob.com", "rs.easemob.com"]
    with pytest.raises(InputFileError, match="console list not found"):
        load_console(ConsoleSource(tmp_path / "missing.txt"))

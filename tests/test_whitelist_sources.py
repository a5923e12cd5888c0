"""`whitelist --format json` for every platform and region against the sources, written out by hand.

The expected host sets below are read from the documents themselves
(../shared/reference/seed-alipay-miniprogram-integration.txt and easemob-sdk-and-domains.md §2-§3),
not from regions.yaml, so a registry edit that drops a documented host or adds one no source lists
for that platform fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from domaincheck.cli import app

runner = CliRunner()

PLATFORMS = ("alipay", "wechat", "douyin", "baidu", "qq")
REGIONS = ("cn1", "cn2", "sgp1", "sgp2", "use1", "de2")

# request 合法域名 of the integration page and of every platform page: listed without a region.
A1_TO_A5 = {f"a{n}.easemob.com" for n in range(1, 6)}
# The HTTP-DNS pair: the integration page's request list, later wechat.md / qq.md / baidu.md, and
# the SDK (every platform, isHttpDNS on by default from 4.12.0).
HTTPDNS = {"rs.easemob.com", "rs.chat.agora.io"}

# Region-independent hosts that only some platforms' own pages list.
PLATFORM_HOSTS: dict[str, set[str]] = {
    # newer alipay.md: a1-chatfile "(downloadFile)" in its request = upload = download list.
    "alipay": {"a1-chatfile.easemob.com"},
    # wechat.md: request adds a1-chatfile; uploadFile a1; downloadFile a1-v2, a4, a1, a4-v2,
    # a3-v2, a5-v2, a2-v2, a1-chatfile.
    "wechat": {
        "a1-chatfile.easemob.com",
        "a1-v2.easemob.com",
        "a2-v2.easemob.com",
        "a3-v2.easemob.com",
        "a4-v2.easemob.com",
        "a5-v2.easemob.com",
    },
    # bytedance.md: like QQ and Baidu, plus a1-chatfile in request.
    "douyin": {"a1-chatfile.easemob.com"},
    "baidu": set(),
    "qq": set(),
}


def _twins(*hosts: str) -> set[str]:
    """A host and its easecdn.com alternative ("a61.easemob.com 或 a61.easecdn.com")."""
    return {h for host in hosts for h in (f"{host}.easemob.com", f"{host}.easecdn.com")}


# The data-centre tables: REST (the integration page; the easecdn twins of a1 and a31 only in
# data_center.md) and the socket host per family.
REST = {
    "cn1": _twins("a1"),
    "cn2": _twins("a31") | {"ngi-a1.easemob.com"},  # newer alipay.md / uni-app: ngi-a1
    "sgp1": _twins("a1-sgp"),
    "sgp2": _twins("a61"),
    "use1": _twins("a41"),
    "de2": _twins("a71"),
}
SUFFIX = {"cn1": "", "cn2": "-31", "sgp1": "-sgp", "sgp2": "-61", "use1": "-41", "de2": "-71"}
# 国内2区's other side: the newer alipay.md (Alipay) and the newer uni-app page (WeChat family).
NGI_SOCKET = "ngi-im-api-wechat.easemob.com"


def socket_hosts(platform: str, region: str) -> set[str]:
    family = "alipay" if platform == "alipay" else "wechat"
    hosts = _twins(f"im-api-{family}{SUFFIX[region]}")
    return hosts | ({NGI_SOCKET} if region == "cn2" else set())


def expected(platform: str, region: str) -> set[str]:
    hosts = A1_TO_A5 | HTTPDNS | PLATFORM_HOSTS[platform] | REST[region]
    hosts |= socket_hosts(platform, region)
    if platform == "alipay" and region == "cn1":
        hosts.add("a1-v2.easemob.com")  # newer alipay.md: "https://a1-v2.easemob.com (国内1区)"
    return hosts


DISPUTED_CN2 = _twins("a31", "im-api-alipay-31", "im-api-wechat-31") | {
    "ngi-a1.easemob.com",
    NGI_SOCKET,
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOMAINCHECK_CACHE_DIR", str(tmp_path / "cache"))


def whitelist_json(*args: str) -> Any:
    result = runner.invoke(app, ["whitelist", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def entries(data: Any) -> list[Any]:
    return [e for lst in data["lists"] for e in lst["entries"]]


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_hosts_are_exactly_what_the_sources_list(platform: str, region: str) -> None:
    data = whitelist_json("--platform", platform, "--region", region)
    hosts = set(data["hosts"])
    want = expected(platform, region)
    assert not want - hosts, f"documented but missing: {sorted(want - hosts)}"
    assert not hosts - want, f"listed by no source for {platform}/{region}: {sorted(hosts - want)}"
    covered = {h for e in entries(data) for h in e["covers"]}
    assert covered == hosts


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_entry_names_its_documents_and_the_disputed_ones_are_marked(
    platform: str, region: str
) -> None:
    data = whitelist_json("--platform", platform, "--region", region)
    documents = data["sources"]
    for entry in entries(data):
        assert entry["sources"], entry
        for source in entry["sources"]:
            assert documents[source]["document"] and documents[source]["version"]
        covers = set(entry["covers"])
        assert entry["disputed"] is bool(covers & DISPUTED_CN2), entry
        if entry["disputed"]:
            assert "ngi-a1" in str(entry["note"]) and "a31" in str(entry["note"])
    if region == "cn2":
        assert any(str(n).startswith("Disputed entries:") for n in data["notes"])


def test_wechat_lists_hold_the_documented_upload_and_download_hosts() -> None:
    data = whitelist_json("--platform", "wechat", "--region", "cn1")
    by_list = {lst["console_list"]: {e["entry"] for e in lst["entries"]} for lst in data["lists"]}
    assert "https://a1-chatfile.easemob.com" in by_list["request"]
    assert by_list["socket"] == {
        "wss://im-api-wechat.easemob.com",
        "wss://im-api-wechat.easecdn.com",
    }
    assert "https://a1.easemob.com" in by_list["uploadFile"]
    documented_download = {
        f"https://{h}.easemob.com"
        for h in ("a1-v2", "a4", "a1", "a4-v2", "a3-v2", "a5-v2", "a2-v2", "a1-chatfile")
    }
    assert documented_download <= by_list["downloadFile"]


@pytest.mark.parametrize("region", ["vip", "cs", "国内VIP区", "客服专用"])
@pytest.mark.parametrize("platform", PLATFORMS)
def test_vip_and_customer_service_never_succeed_empty(platform: str, region: str) -> None:
    result = runner.invoke(
        app, ["whitelist", "--platform", platform, "--region", region, "--format", "json"]
    )
    assert result.exit_code == 1
    assert "no public hosts" in result.stderr and "account manager" in result.stderr
    data = json.loads(result.stdout)
    assert set(data["hosts"]) == A1_TO_A5 | HTTPDNS | PLATFORM_HOSTS[platform]
    assert any("商务经理" in n for n in data["notes"])


def test_alipay_compact_covers_the_same_hosts_with_three_registrable_domains() -> None:
    for region in REGIONS:
        full = whitelist_json("--platform", "alipay", "--region", region)
        compact = whitelist_json("--platform", "alipay", "--region", region, "--compact")
        assert compact["compact"] is True
        assert [e["entry"] for e in entries(compact)] == ["easemob.com", "easecdn.com", "agora.io"]
        assert set(compact["hosts"]) == set(full["hosts"])
        assert any(str(n).startswith("--compact: 3 registrable-domain") for n in compact["notes"])


@pytest.mark.parametrize("region", ["vip", "cs"])
def test_diff_of_a_region_without_public_hosts_never_passes_empty(
    region: str, tmp_path: Path
) -> None:
    console = tmp_path / "console.txt"
    console.write_text("easemob.com\neasecdn.com\nagora.io\n", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(console), "--region", region])
    assert result.exit_code == 1, result.stdout
    assert "whitelist.region-hosts" in result.stdout and "no public hosts" in result.stdout


@pytest.mark.parametrize("region", ["vip", "cs"])
def test_sync_of_a_region_without_public_hosts_changes_nothing_and_fails(region: str) -> None:
    # No credentials are needed: it stops before reading any, so no gateway is ever contacted.
    result = runner.invoke(app, ["sync", "--platform", "alipay", "--region", region, "--apply"])
    assert result.exit_code == 1, result.stdout
    assert "no public hosts" in result.stderr and "Nothing was changed" in result.stderr

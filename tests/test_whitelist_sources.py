"""`whitelist --format json` for every platform, region and console list against the documents.

The expected host sets below are written out by hand, document by document, from the documents
themselves (../shared/reference/seed-alipay-miniprogram-integration.txt, easemob-sdk-and-domains.md
§2-§3 and easemob-docs-newest-pages.md: the platform pages at doc-v2 @12fa3b68 and at
@18970d6d0cdf, taobao.md @2c26a739, data_center.md, the SDK code), not from regions.yaml, so a
registry edit that drops a documented host, puts it on another list, or adds one no document lists
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
WECHAT_FAMILY = ("wechat", "douyin", "baidu", "qq")
REGIONS = ("cn1", "cn2", "sgp1", "sgp2", "use1", "de2")
SPLIT = ("request", "socket", "uploadFile", "downloadFile")

# request 合法域名 of the integration page and of every doc-v2 platform page, without a region.
A1_TO_A5 = {f"a{n}.easemob.com" for n in range(1, 6)}
# The HTTP-DNS pair: the integration page's request list, later wechat.md / qq.md, and the SDK
# code (every platform, isHttpDNS on by default from 4.12.0): request list only.
HTTPDNS = {"rs.easemob.com", "rs.chat.agora.io"}
CHATFILE = "a1-chatfile.easemob.com"


def _twins(*hosts: str) -> set[str]:
    """A host and its easecdn.com alternative ("a61.easemob.com 或 a61.easecdn.com")."""
    return {h for host in hosts for h in (f"{host}.easemob.com", f"{host}.easecdn.com")}


# The data-centre tables' REST column (the integration page, doc-v2 pages, the newest bytedance.md;
# the easecdn twins of a1 and a31 only in data_center.md): the request list.
REST = {
    "cn1": _twins("a1"),
    "cn2": _twins("a31") | {"ngi-a1.easemob.com"},  # newest pages: ngi-a1
    "sgp1": _twins("a1-sgp"),
    "sgp2": _twins("a61"),
    "use1": _twins("a41"),
    "de2": _twins("a71"),
}
# The newest pages' (@18970d6d) one request = uploadFile = downloadFile list, by data centre,
# plus a1-chatfile "(downloadFile)" without one. taobao.md has the same list without 国内2区.
NEWEST = {
    "cn1": {"a1.easemob.com", "a1-v2.easemob.com"},
    "cn2": {"ngi-a1.easemob.com"},
    "sgp1": {"a1-sgp.easemob.com"},
    "sgp2": {"a61.easemob.com"},
    "use1": {"a41.easemob.com"},
    "de2": {"a71.easemob.com"},
}
SUFFIX = {"cn1": "", "cn2": "-31", "sgp1": "-sgp", "sgp2": "-61", "use1": "-41", "de2": "-71"}
# 国内2区's other side: the newest pages, Alipay's included, use a wechat-named socket host.
NGI_SOCKET = "ngi-im-api-wechat.easemob.com"
# The doc-v2 wechat.md's own uploadFile and downloadFile lists, and the request lists of the
# doc-v2 wechat.md and bytedance.md that add a1-chatfile.
WECHAT_UPLOAD = {"a1.easemob.com"}
WECHAT_DOWNLOAD = {
    f"{h}.easemob.com" for h in ("a1-v2", "a4", "a1", "a4-v2", "a3-v2", "a5-v2", "a2-v2")
} | {CHATFILE}
CHATFILE_IN_REQUEST = ("wechat", "douyin")


def socket_hosts(platform: str, region: str) -> set[str]:
    family = "alipay" if platform == "alipay" else "wechat"
    hosts = _twins(f"im-api-{family}{SUFFIX[region]}")
    return hosts | ({NGI_SOCKET} if region == "cn2" else set())


def documented(platform: str, region: str) -> dict[str, set[str]]:
    """Per console list of a WeChat-style console, the hosts its documents place there."""
    request = A1_TO_A5 | HTTPDNS | REST[region] | NEWEST[region]
    if platform in CHATFILE_IN_REQUEST:
        request.add(CHATFILE)
    upload = NEWEST[region] | (WECHAT_UPLOAD if platform == "wechat" else set())
    download = NEWEST[region] | {CHATFILE} | (WECHAT_DOWNLOAD if platform == "wechat" else set())
    return {
        "request": request,
        "socket": socket_hosts(platform, region),
        "uploadFile": upload,
        "downloadFile": download,
    }


def inferred(region: str) -> set[str]:
    """REST hosts the SDK sends files to (apiUrl) that no page lists under upload/download."""
    return REST[region] - NEWEST[region]


def expected(platform: str, region: str) -> set[str]:
    """Every host of the platform's whitelist for one region (Alipay: its one list)."""
    if platform == "alipay":
        hosts = A1_TO_A5 | HTTPDNS | REST[region] | NEWEST[region] | {CHATFILE}
        return hosts | socket_hosts(platform, region)
    return set().union(*documented(platform, region).values())


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
    # Provenance names only documents for this platform: its own pages or neutral ones.
    pages = {"alipay": ("seed", "alipay-"), "douyin": ("bytedance-",)}.get(
        platform, (f"{platform}-",)
    )
    neutral = ("uniapp-", "data-center", "sdk-")
    assert all(s.startswith(pages + neutral) for s in documents), sorted(documents)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("platform", WECHAT_FAMILY)
def test_each_console_list_holds_what_its_documents_name_there(platform: str, region: str) -> None:
    data = whitelist_json("--platform", platform, "--region", region)
    lists = {lst["console_list"]: lst["entries"] for lst in data["lists"]}
    assert tuple(lists) == SPLIT
    want = documented(platform, region)
    for name in SPLIT:
        hosts = {h for e in lists[name] for h in e["covers"]}
        assert not want[name] - hosts, (
            f"{name}: documented but missing {sorted(want[name] - hosts)}"
        )
        extra = hosts - want[name]
        allowed = inferred(region) if name in ("uploadFile", "downloadFile") else set()
        assert extra <= allowed, f"{name}: listed by no document {sorted(extra - allowed)}"
        for entry in lists[name]:
            (host,) = entry["covers"]
            is_inferred = "placement inferred" in str(entry["note"])
            assert is_inferred is (host in extra), (name, entry)


@pytest.mark.parametrize("region", ("cn1", "sgp1", "sgp2", "use1", "de2"))
def test_taobao_lists_its_own_page_in_one_list(region: str) -> None:
    data = whitelist_json("--platform", "taobao", "--region", region)
    assert [lst["console_list"] for lst in data["lists"]] == ["whitelist"]
    # taobao.md: its one list and its data-centre table (wechat-family sockets), the SDK's
    # HTTP-DNS pair and data_center.md's a1 twin; never a2..a5, an Alipay socket or 国内2区.
    want = REST[region] | NEWEST[region] | {CHATFILE} | HTTPDNS | socket_hosts("taobao", region)
    assert set(data["hosts"]) == want
    assert all(e["entry"] == e["covers"][0] for e in entries(data))  # bare hosts
    assert "taobao-2c26a739" in data["sources"]


def test_taobao_has_no_china_2_and_dingtalk_is_refused_with_its_reason() -> None:
    cn2 = runner.invoke(app, ["whitelist", "--platform", "taobao", "--region", "cn2"])
    assert cn2.exit_code == 2
    assert "no 国内2区 row" in cn2.stderr and "--extra" in cn2.stderr
    dingtalk = runner.invoke(app, ["whitelist", "--platform", "dingtalk"])
    assert dingtalk.exit_code == 2 and not dingtalk.stdout
    assert "DingTalk (钉钉小程序) is not supported" in dingtalk.stderr
    assert "no DingTalk whitelist page" in dingtalk.stderr and "What to do" in dingtalk.stderr
    assert "Traceback" not in dingtalk.output


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
    # Only the hosts of every region: a1..a5, the HTTP-DNS pair, a1-chatfile and WeChat's own.
    common = A1_TO_A5 | HTTPDNS | {CHATFILE}
    assert set(data["hosts"]) == common | (WECHAT_DOWNLOAD if platform == "wechat" else set())
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


def test_douyin_over_the_limit_says_which_entries_are_alternatives_and_what_to_do() -> None:
    # With a1-v2 the request list of all six regions reaches 21; Douyin takes 20.
    args = [arg for region in REGIONS for arg in ("--region", region)]
    result = runner.invoke(app, ["check", "--offline", "--platform", "douyin", *args])
    assert result.exit_code == 1
    out = result.stdout
    assert "21 entries in the request list, over the limit of 20" in out
    assert "6 of them are easecdn.com alternatives" in out
    assert "https://a31.easecdn.com" in out.split("over the limit of 20")[1].splitlines()[0]
    assert "each region alone needs: cn1 10, cn2 11, sgp1 10" in out
    assert "leave out the 6 easecdn.com alternatives (15 entries)" in out
    assert "no fallback" in out  # what dropping them costs


def test_wechat_extra_lists_udp_tcp_and_dns_prefetch() -> None:
    extras = [
        "--extra", "udp=udp://game.myapp.com:9000",
        "--extra", "tcp=tcp.myapp.com",
        "--extra", "dnsPrefetch=https://api.myapp.com",
    ]  # fmt: skip
    data = whitelist_json("--platform", "wechat", *extras)
    lists = {lst["console_list"]: lst for lst in data["lists"]}
    assert [e["entry"] for e in lists["udp"]["entries"]] == ["udp://game.myapp.com"]
    assert "unconfirmed" in lists["udp"]["entries"][0]["note"]  # the port it dropped
    assert [e["entry"] for e in lists["tcp"]["entries"]] == ["tcp.myapp.com"]
    assert lists["dnsPrefetch"]["title"] == "DNS预解析域名"
    assert [e["entry"] for e in lists["dnsPrefetch"]["entries"]] == ["api.myapp.com"]  # no scheme
    # At most 5 DNS pre-resolution hosts.
    six = [arg for n in range(6) for arg in ("--extra", f"dnsPrefetch=h{n}.myapp.com")]
    over = runner.invoke(app, ["check", "--offline", "--platform", "wechat", *six])
    assert over.exit_code == 1
    assert "6 entries in the dnsPrefetch list, over the limit of 5" in over.stdout
    # A platform without a udp list refuses it instead of dropping it.
    qq = runner.invoke(app, ["whitelist", "--platform", "qq", "--extra", "udp=udp://g.myapp.com"])
    assert qq.exit_code == 2 and "udp:// is not allowed on QQ" in qq.stderr


def test_wechat_asks_for_one_change_request_where_it_tells_to_edit(tmp_path: Path) -> None:
    console = tmp_path / "console.txt"
    console.write_text("request合法域名\nhttps://a1.easemob.com\n", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(console), "--platform", "wechat"])
    assert result.exit_code == 1
    assert "50 change requests a month" in result.stdout
    notes = whitelist_json("--platform", "douyin")["notes"]
    assert any("bare hosts without scheme or port" in n for n in notes)
    assert any("ISV" in n and "shared by every template" in n for n in whitelist_json()["notes"])


@pytest.mark.parametrize(
    "command", [["whitelist"], ["check", "--offline"], ["init"], ["sync"], ["diff", "console.txt"]]
)
def test_every_command_refuses_dingtalk_with_its_reason(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real program: one line naming why and what to do, exit 2, no traceback, nothing written.
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    (tmp_path / "console.txt").write_text("a1.easemob.com\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "domaincheck", *command, "--platform", "dingtalk"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("domaincheck: DingTalk (钉钉小程序) is not supported")
    assert "What to do" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == "" and not (tmp_path / "domaincheck.yaml").exists()

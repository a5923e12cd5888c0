"""The whitelist builder and the probe targets, on a registry built by hand from the docs."""

from __future__ import annotations

import pytest

from domaincheck.core.model import ConsoleList, ProbeKind
from domaincheck.core.platforms import Platform
from domaincheck.whitelist.build import (
    ExtraDomain,
    build_whitelist,
    parse_extra,
    probe_targets,
)
from tests.hand_registry import SEED_REQUEST_HOSTS, make_registry

REGISTRY = make_registry()
CN1, CN2, SGP1, VIP = REGISTRY.regions
COMMON_REQUEST = list(SEED_REQUEST_HOSTS)


def entries(whitelist, console_list):  # type: ignore[no-untyped-def]
    return [e.entry for e in whitelist.entries_for(console_list)]


def all_hosts(whitelist):  # type: ignore[no-untyped-def]
    return {h for e in whitelist.entries for h in e.covers}


def test_alipay_cn1_is_the_integration_page() -> None:
    """The live page: request a1..a5 + rs.*, socket im-api-alipay (or its easecdn twin)."""
    wl = build_whitelist(REGISTRY, Platform.ALIPAY, [CN1])
    assert wl.console_lists == (ConsoleList.WHITELIST,)
    assert entries(wl, ConsoleList.WHITELIST) == [
        "a1.easemob.com",
        "im-api-alipay.easemob.com",
        "im-api-alipay.easecdn.com",
        *COMMON_REQUEST[1:],
        "a1-chatfile.easemob.com",
    ]
    assert wl.platform == "alipay" and wl.regions == ("cn1",) and not wl.compact
    by_entry = {e.entry: e for e in wl.entries}
    assert by_entry["a1.easemob.com"].covers == ("a1.easemob.com",)
    assert by_entry["a1.easemob.com"].sources == ("alipay-live",)
    socket_note = by_entry["im-api-alipay.easemob.com"].note
    assert socket_note is not None and "unconfirmed" in socket_note
    twin_note = by_entry["im-api-alipay.easecdn.com"].note
    assert twin_note is not None and "alternative of im-api-alipay.easemob.com" in twin_note
    assert not any("wechat" in e.entry for e in wl.entries)
    assert any("一级域名" in n for n in wl.notes)
    assert any("uploaded after" in n for n in wl.notes)


def test_alipay_compact() -> None:
    wl = build_whitelist(REGISTRY, Platform.ALIPAY, [CN1], compact=True)
    assert wl.compact
    assert entries(wl, ConsoleList.WHITELIST) == ["easemob.com", "easecdn.com", "agora.io"]
    full = build_whitelist(REGISTRY, Platform.ALIPAY, [CN1])
    assert all_hosts(wl) == all_hosts(full)
    easemob = wl.entries[0]
    assert "a1.easemob.com" in easemob.covers and "rs.easemob.com" in easemob.covers
    assert set(easemob.sources) == {"alipay-live", "wechat-doc-v2"}
    assert any(n.startswith("--compact: 3 registrable-domain") for n in wl.notes)


def test_wechat_cn1_split_lists() -> None:
    wl = build_whitelist(REGISTRY, "wechat", [CN1])
    assert wl.console_lists == (
        ConsoleList.REQUEST,
        ConsoleList.SOCKET,
        ConsoleList.UPLOAD_FILE,
        ConsoleList.DOWNLOAD_FILE,
    )
    assert entries(wl, ConsoleList.REQUEST) == [f"https://{h}" for h in COMMON_REQUEST]
    assert entries(wl, ConsoleList.SOCKET) == [
        "wss://im-api-wechat.easemob.com",
        "wss://im-api-wechat.easecdn.com",
    ]
    assert entries(wl, ConsoleList.UPLOAD_FILE) == ["https://a1.easemob.com"]
    assert entries(wl, ConsoleList.DOWNLOAD_FILE) == [
        "https://a1.easemob.com",
        "https://a1-chatfile.easemob.com",
        "https://a1-v2.easemob.com",
    ]
    assert not any("alipay" in e.entry for e in wl.entries)


@pytest.mark.parametrize("platform", [Platform.DOUYIN, Platform.BAIDU, Platform.QQ])
def test_wechat_family_platforms_use_wechat_sockets(platform: Platform) -> None:
    wl = build_whitelist(REGISTRY, platform, [CN1])
    assert entries(wl, ConsoleList.SOCKET) == [
        "wss://im-api-wechat.easemob.com",
        "wss://im-api-wechat.easecdn.com",
    ]
    # a1-v2 is listed for WeChat only in the hand-built registry.
    assert "https://a1-v2.easemob.com" not in entries(wl, ConsoleList.DOWNLOAD_FILE)


def test_cn2_keeps_both_sides_of_the_dispute() -> None:
    alipay = build_whitelist(REGISTRY, "alipay", [CN2])
    hosts = entries(alipay, ConsoleList.WHITELIST)
    for host in (
        "a31.easemob.com",
        "ngi-a1.easemob.com",
        "im-api-alipay-31.easemob.com",
        "ngi-im-api-wechat.easemob.com",
    ):
        assert host in hosts
    disputed = {e.entry: e.note for e in alipay.entries}
    assert "disputed" in (disputed["a31.easemob.com"] or "")
    wechat = build_whitelist(REGISTRY, "wechat", [CN2])
    assert entries(wechat, ConsoleList.SOCKET) == [
        "wss://im-api-wechat-31.easemob.com",
        "wss://ngi-im-api-wechat.easemob.com",
    ]


def test_several_regions_in_order_without_duplicates() -> None:
    wl = build_whitelist(REGISTRY, "wechat", [SGP1, CN1])
    request = entries(wl, ConsoleList.REQUEST)
    assert request[:2] == ["https://a1-sgp.easemob.com", "https://a1-sgp.easecdn.com"]
    assert len(request) == len(set(request))
    assert "https://a1.easemob.com" in request
    assert wl.regions == ("sgp1", "cn1")
    by_entry = {e.entry: e for e in wl.entries_for(ConsoleList.REQUEST)}
    assert by_entry["https://a1.easemob.com"].covers == ("a1.easemob.com",)


def test_same_input_same_output() -> None:
    first = build_whitelist(REGISTRY, "wechat", [CN1, CN2], ["https://api.myapp.com"])
    second = build_whitelist(REGISTRY, "wechat", [CN1, CN2], ["https://api.myapp.com"])
    assert first == second


def test_non_public_region_is_never_an_empty_success() -> None:
    wl = build_whitelist(REGISTRY, "alipay", [VIP])
    note = next(n for n in wl.notes if "国内VIP区" in n)
    assert "商务经理" in note and "--extra" in note
    assert not any("im-api" in e.entry for e in wl.entries)


def test_extras() -> None:
    extras = [
        "https://API.myapp.com:8443/v1",
        "wss://chat.myapp.com:9000/ws",
        "uploadFile,downloadFile=https://files.myapp.com",
        "http://insecure.myapp.com",
        "https://10.0.0.1",
    ]
    wl = build_whitelist(REGISTRY, "wechat", [CN1], extras)
    assert "https://api.myapp.com:8443" in entries(wl, ConsoleList.REQUEST)
    assert "wss://chat.myapp.com" in entries(wl, ConsoleList.SOCKET)
    assert "https://files.myapp.com" in entries(wl, ConsoleList.UPLOAD_FILE)
    assert "https://files.myapp.com" in entries(wl, ConsoleList.DOWNLOAD_FILE)
    assert "https://files.myapp.com" not in entries(wl, ConsoleList.REQUEST)
    socket_extra = next(e for e in wl.entries if e.entry == "wss://chat.myapp.com")
    assert socket_extra.sources == ("extra",)
    assert socket_extra.note is not None and "port :9000 dropped" in socket_extra.note
    skipped = [n for n in wl.notes if n.startswith("skipped extra")]
    assert len(skipped) == 2
    assert "http://insecure.myapp.com" in skipped[0] and "10.0.0.1" in skipped[1]
    # Alipay: bare hosts in the one list, port dropped with a note.
    alipay = build_whitelist(REGISTRY, "alipay", [CN1], extras)
    assert "api.myapp.com" in entries(alipay, ConsoleList.WHITELIST)
    assert "files.myapp.com" in entries(alipay, ConsoleList.WHITELIST)


def test_extra_that_repeats_a_registry_host_merges() -> None:
    wl = build_whitelist(REGISTRY, "alipay", [CN1], ["https://a2.easemob.com"])
    a2 = [e for e in wl.entries if e.entry == "a2.easemob.com"]
    assert len(a2) == 1 and a2[0].sources == ("alipay-live", "extra")


def test_compact_elsewhere_is_a_note() -> None:
    wl = build_whitelist(REGISTRY, "wechat", [CN1], compact=True)
    assert not wl.compact
    assert any("--compact has no effect on WeChat" in n for n in wl.notes)
    assert wl.entries == build_whitelist(REGISTRY, "wechat", [CN1]).entries


def test_parse_extra() -> None:
    assert parse_extra("https://a.com") == ExtraDomain("https://a.com")
    assert parse_extra("socket=wss://a.com").console_lists == (ConsoleList.SOCKET,)
    assert parse_extra("uploadfile=https://a.com").console_lists == (ConsoleList.UPLOAD_FILE,)
    assert parse_extra("https://a.com/?x=1").console_lists == ()
    with pytest.raises(ValueError, match="unknown console list 'sockets'"):
        parse_extra("sockets=wss://a.com")


def test_probe_targets() -> None:
    targets = probe_targets(
        REGISTRY, "alipay", [CN1], ["wss://chat.myapp.com:9000/ws", "https://api.myapp.com"]
    )
    by_host = {t.host: t for t in targets}
    assert by_host["im-api-alipay.easemob.com"].kind is ProbeKind.WEBSOCKET
    assert by_host["im-api-alipay.easemob.com"].path == "/websocket"
    assert by_host["a1.easemob.com"].kind is ProbeKind.HTTPS
    assert by_host["a1.easemob.com"].roles == ("rest", "request")
    assert by_host["rs.easemob.com"].roles == ("httpdns",)
    chat = by_host["chat.myapp.com"]
    assert (chat.kind, chat.port, chat.path, chat.roles) == (
        ProbeKind.WEBSOCKET,
        9000,
        "/ws",
        ("extra",),
    )
    assert by_host["api.myapp.com"].kind is ProbeKind.HTTPS
    assert len(targets) == len(by_host)
    # Every whitelisted host is probed.
    assert set(by_host) == all_hosts(
        build_whitelist(
            REGISTRY, "alipay", [CN1], ["wss://chat.myapp.com", "https://api.myapp.com"]
        )
    )

"""The platforms' whitelist rules as data, and `covers`, the one place their matching lives."""

from __future__ import annotations

import pytest

from domaincheck.core.model import ConsoleList
from domaincheck.core.platforms import Platform
from domaincheck.whitelist.profiles import PROFILES, UNSUPPORTED, profile_for, rules_for
from domaincheck.whitelist.rules import (
    EntryForm,
    Matching,
    PortRule,
    covers,
    entry_text,
    why_not_covered,
    with_count_limit,
)

RULES = {platform: profile.rules for platform, profile in PROFILES.items()}

ALIPAY = RULES[Platform.ALIPAY]
WECHAT = RULES[Platform.WECHAT]
BAIDU = RULES[Platform.BAIDU]
SPLIT_LISTS = (
    ConsoleList.REQUEST,
    ConsoleList.SOCKET,
    ConsoleList.UPLOAD_FILE,
    ConsoleList.DOWNLOAD_FILE,
)


def test_every_platform_has_rules() -> None:
    assert set(RULES) == set(Platform) - set(UNSUPPORTED)
    for platform, rules in RULES.items():
        assert rules.platform is platform
        assert rules.lists
        assert rules.count_limit.limit > 0
        assert rules.count_limit.source


def test_console_lists_and_forms() -> None:
    assert [r.console_list for r in ALIPAY.lists] == [ConsoleList.WHITELIST]
    assert ALIPAY.entry_form is EntryForm.BARE_HOST
    assert ALIPAY.matching is Matching.REGISTRABLE_DOMAIN
    wechat_more = (ConsoleList.UDP, ConsoleList.TCP, ConsoleList.DNS_PREFETCH)
    assert tuple(r.console_list for r in WECHAT.lists) == (*SPLIT_LISTS, *wechat_more)
    assert WECHAT.list_rules(ConsoleList.UDP).entry_scheme == "udp"
    assert WECHAT.limit_of(ConsoleList.DNS_PREFETCH) == 5
    assert WECHAT.limit_of(ConsoleList.REQUEST) == 200
    assert WECHAT.list_rules(ConsoleList.DNS_PREFETCH).entry_scheme is None
    for platform in (Platform.WECHAT, Platform.DOUYIN, Platform.BAIDU, Platform.QQ):
        rules = RULES[platform]
        assert tuple(r.console_list for r in rules.lists)[:4] == SPLIT_LISTS
        assert rules.entry_form is EntryForm.ORIGIN
        assert rules.matching is Matching.EXACT_HOST
        assert rules.list_rules(ConsoleList.SOCKET).entry_scheme == "wss"
        assert rules.list_rules(ConsoleList.REQUEST).entry_scheme == "https"
    for rules in RULES.values():
        wanted = {"https", "wss", "udp", "tcp"} if rules is WECHAT else {"https", "wss"}
        assert set(rules.allowed_schemes) == wanted
        assert rules.bans_ip and rules.bans_localhost


def test_port_rules() -> None:
    for platform in (Platform.WECHAT, Platform.QQ, Platform.DOUYIN):
        rules = RULES[platform]
        assert rules.list_rules(ConsoleList.REQUEST).port_rule is PortRule.EXACT
    # "wss: every port" is WeChat's statement; QQ and Douyin only copy it.
    assert WECHAT.list_rules(ConsoleList.SOCKET).port_rule is PortRule.ANY
    for platform in (Platform.QQ, Platform.DOUYIN):
        socket = RULES[platform].list_rules(ConsoleList.SOCKET).port_rule
        assert socket is PortRule.ANY_UNCONFIRMED
    assert {r.port_rule for r in BAIDU.lists} == {PortRule.FORBIDDEN}
    assert ALIPAY.lists[0].port_rule is PortRule.UNSPECIFIED


def test_count_limits_and_their_sources() -> None:
    assert (ALIPAY.count_limit.limit, ALIPAY.count_limit.per_list) == (30, False)
    assert dict(ALIPAY.count_limit.alternatives) == {"isv": 50}
    assert (WECHAT.count_limit.limit, WECHAT.count_limit.legacy_limit) == (200, 20)
    assert WECHAT.count_limit.per_list
    for platform in (Platform.DOUYIN, Platform.BAIDU, Platform.QQ):
        assert RULES[platform].count_limit.limit == 20
    isv = rules_for("alipay", max_entries=50)
    assert isv.count_limit.limit == 50
    assert ALIPAY.count_limit.limit == 30  # the table itself is untouched
    assert with_count_limit(WECHAT, 20).count_limit.legacy_limit is None


def test_reserved_domains() -> None:
    assert "api.weixin.qq.com" in WECHAT.reserved_domains
    assert "openapi.baidu.com" in BAIDU.reserved_domains
    assert "api.q.qq.com" in RULES[Platform.QQ].reserved_domains


def test_entry_text() -> None:
    assert entry_text(ALIPAY, ConsoleList.WHITELIST, "a1.easemob.com", 8443) == "a1.easemob.com"
    assert entry_text(WECHAT, ConsoleList.REQUEST, "a1.easemob.com") == "https://a1.easemob.com"
    assert entry_text(WECHAT, ConsoleList.REQUEST, "a.com", 8443) == "https://a.com:8443"
    assert entry_text(WECHAT, ConsoleList.SOCKET, "ws.a.com", 8443) == "wss://ws.a.com"
    assert entry_text(BAIDU, ConsoleList.REQUEST, "a.com", 8443) == "https://a.com"
    with pytest.raises(KeyError):
        entry_text(WECHAT, ConsoleList.WHITELIST, "a.com")


class TestCoversExactHost:
    def test_same_host_and_scheme(self) -> None:
        assert covers(WECHAT, "https://a1.easemob.com", "a1.easemob.com", "https")
        assert covers(WECHAT, "HTTPS://A1.easemob.com.", "a1.easemob.com", "https")
        assert covers(WECHAT, "wss://im-api-wechat.easemob.com", "im-api-wechat.easemob.com", "wss")

    def test_no_parent_domain(self) -> None:
        assert not covers(WECHAT, "https://easemob.com", "a1.easemob.com", "https")
        reason = why_not_covered(WECHAT, "https://easemob.com", "a1.easemob.com", "https")
        assert reason is not None and "exact hosts" in reason

    def test_scheme_must_match_the_list(self) -> None:
        assert not covers(WECHAT, "https://a1.easemob.com", "a1.easemob.com", "wss")
        assert not covers(WECHAT, "https://a1.easemob.com", "a1.easemob.com", "http")

    def test_https_port_is_exact(self) -> None:
        # WeChat: without a port in the entry, a URL naming one fails, :443 included.
        assert not covers(WECHAT, "https://a.example.com", "a.example.com", "https", 443)
        reason = why_not_covered(WECHAT, "https://a.example.com", "a.example.com", "https", 443)
        assert reason is not None and ":443" in reason
        assert covers(WECHAT, "https://a.example.com:8080", "a.example.com", "https", 8080)
        assert not covers(WECHAT, "https://a.example.com:8080", "a.example.com", "https")
        assert not covers(WECHAT, "https://a.example.com:8080", "a.example.com", "https", 9091)
        assert not covers(WECHAT, "https://a.example.com:443", "a.example.com", "https")

    def test_wss_any_port(self) -> None:
        assert covers(WECHAT, "wss://ws.example.com", "ws.example.com", "wss", 8443)
        assert covers(RULES[Platform.QQ], "wss://ws.example.com", "ws.example.com", "wss", 443)

    def test_baidu_no_port(self) -> None:
        assert covers(BAIDU, "https://a.example.com", "a.example.com", "https")
        assert not covers(BAIDU, "https://a.example.com", "a.example.com", "https", 8443)
        assert not covers(BAIDU, "https://a.example.com:8443", "a.example.com", "https", 8443)

    def test_unusable_entries_cover_nothing(self) -> None:
        for entry in (
            "https://1.2.3.4",
            "https://localhost",
            "https://*.example.com",
            "https://a_b.com",
        ):
            assert not covers(WECHAT, entry, "a.example.com", "https")
        assert not covers(WECHAT, "https://1.2.3.4", "1.2.3.4", "https")


class TestCoversRegistrableDomain:
    def test_registrable_domain_covers_subdomains(self) -> None:
        assert covers(ALIPAY, "easemob.com", "a1.easemob.com", "https")
        assert covers(ALIPAY, "easemob.com", "im-api-alipay.easemob.com", "wss")
        assert covers(ALIPAY, "agora.io", "rs.chat.agora.io", "https")
        assert covers(ALIPAY, "example.co.uk", "api.example.co.uk", "https")

    def test_other_domains_are_not_covered(self) -> None:
        assert not covers(ALIPAY, "easemob.com", "a1.easecdn.com", "https")
        assert not covers(ALIPAY, "easemob.com", "noteasemob.com", "https")

    def test_a_deeper_entry_covers_only_itself(self) -> None:
        assert covers(ALIPAY, "a1.easemob.com", "a1.easemob.com", "https")
        reason = why_not_covered(ALIPAY, "a1.easemob.com", "a2.easemob.com", "https")
        assert reason is not None and "unconfirmed" in reason and "easemob.com" in reason

    def test_ports_and_scheme(self) -> None:
        assert covers(ALIPAY, "easemob.com", "a1.easemob.com", "https", 8443)
        assert covers(ALIPAY, "https://easemob.com", "a1.easemob.com", "https")
        assert not covers(ALIPAY, "easemob.com", "a1.easemob.com", "http")
        assert not covers(ALIPAY, "easemob.com", "a1.easemob.com", "ws")


def test_every_platform_has_one_complete_profile() -> None:
    """Adding a platform means adding its profile: the map is complete and each record is its own."""
    assert set(PROFILES) | set(UNSUPPORTED) == set(Platform)
    assert not set(PROFILES) & set(UNSUPPORTED)
    # uni-app's base targets; Taobao builds as a sub-platform of mp-alipay.
    bases = {"mp-weixin", "mp-alipay", "mp-baidu", "mp-toutiao", "mp-qq"}
    assert {profile.uni_app_target for profile in PROFILES.values()} == bases
    for platform, profile in PROFILES.items():
        assert profile.platform is platform
        assert profile.rules.platform is platform
        assert profile.uni_app_target.startswith("mp-")
        assert profile.uni_app_define == profile.uni_app_target.upper()
    assert profile_for("wechat").uni_app_define == "MP-WEIXIN"
    assert profile_for(Platform.DOUYIN).uni_app_define == "MP-TOUTIAO"


def test_console_api_and_socket_family_come_from_the_profile() -> None:
    from domaincheck.core.platforms import SocketFamily
    from domaincheck.whitelist.profiles import ConsoleApi, platforms_with_console_api

    assert platforms_with_console_api() == (Platform.ALIPAY,)
    assert profile_for(Platform.ALIPAY).console_api is ConsoleApi.ALIPAY_OPEN_API
    assert profile_for(Platform.ALIPAY).socket_family is SocketFamily.ALIPAY
    assert profile_for(Platform.QQ).socket_family is SocketFamily.WECHAT


def test_console_list_titles_have_one_spelling() -> None:
    from domaincheck.whitelist.profiles import list_title

    assert list_title("wechat", ConsoleList.REQUEST) == "request合法域名"
    assert list_title("alipay", ConsoleList.WHITELIST) == "服务器域名白名单"
    # A list the platform has not, or a platform domaincheck does not know: the list id.
    assert list_title("alipay", ConsoleList.SOCKET) == "socket"
    assert list_title("nowhere", ConsoleList.REQUEST) == "request"


def test_single_list_notes_come_from_the_rules() -> None:
    from domaincheck.registry.model import HostRole

    assert "my.connectSocket" in (ALIPAY.role_note(HostRole.SOCKET) or "")
    assert "my.downloadFile" in (ALIPAY.role_note(HostRole.DOWNLOAD) or "")
    assert ALIPAY.role_note(HostRole.REST) is None
    assert WECHAT.role_note(HostRole.SOCKET) is None

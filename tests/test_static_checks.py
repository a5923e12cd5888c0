"""Each static rule fires on an entry that breaks it and stays quiet on one that does not."""

from __future__ import annotations

import pytest

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, ConsoleList, Status
from domaincheck.core.platforms import Platform
from domaincheck.whitelist.build import build_whitelist
from domaincheck.whitelist.profiles import PROFILES, rules_for
from domaincheck.whitelist.static_checks import (
    EntryOrigin,
    check_console_list,
    check_entries,
    check_entry,
    check_extras,
    check_regions,
    check_whitelist,
)
from tests.hand_registry import make_registry

REGISTRY = make_registry()
RULES = {platform: profile.rules for platform, profile in PROFILES.items()}
CN1, CN2, SGP1, VIP = REGISTRY.regions
CONSOLE = EntryOrigin.CONSOLE
EXTRA = EntryOrigin.EXTRA


def ids(results: tuple[CheckResult, ...]) -> list[str]:
    return [r.check for r in results]


def only(results: tuple[CheckResult, ...], rule: CheckId) -> CheckResult:
    found = [r for r in results if r.check == rule]
    assert len(found) == 1, results
    return found[0]


# rule, platform, bad entry, console list, expected status, a good entry for the same slot
ENTRY_CASES = [
    (
        CheckId.WHITELIST_SCHEME,
        "wechat",
        "http://api.example.com",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_SCHEME,
        "wechat",
        "https://ws.example.com",
        ConsoleList.SOCKET,
        Status.FAIL,
        "wss://ws.example.com",
    ),
    (
        CheckId.WHITELIST_SCHEME,
        "alipay",
        "ws://ws.example.com",
        ConsoleList.WHITELIST,
        Status.FAIL,
        "ws.example.com",
    ),
    (
        CheckId.WHITELIST_IP_LITERAL,
        "alipay",
        "1.2.3.4",
        ConsoleList.WHITELIST,
        Status.FAIL,
        "api.example.com",
    ),
    (
        CheckId.WHITELIST_IP_LITERAL,
        "wechat",
        "https://[2001:db8::1]",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_LOCALHOST,
        "qq",
        "https://localhost",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_LOCALHOST,
        "qq",
        "https://127.0.0.1",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_PORT,
        "baidu",
        "https://api.example.com:8443",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_PORT,
        "wechat",
        "https://api.example.com:443",
        ConsoleList.REQUEST,
        Status.WARN,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_PORT,
        "wechat",
        "https://api.example.com:8443",
        ConsoleList.REQUEST,
        Status.INFO,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_PORT,
        "wechat",
        "wss://ws.example.com:8443",
        ConsoleList.SOCKET,
        Status.INFO,
        "wss://ws.example.com",
    ),
    # Douyin and QQ do not say what WeChat says (every wss port allowed): a warning, not a pass.
    (
        CheckId.WHITELIST_PORT,
        "douyin",
        "wss://ws.example.com:8443",
        ConsoleList.SOCKET,
        Status.WARN,
        "wss://ws.example.com",
    ),
    (
        CheckId.WHITELIST_PORT,
        "qq",
        "wss://ws.example.com:443",
        ConsoleList.SOCKET,
        Status.INFO,
        "wss://ws.example.com",
    ),
    (
        CheckId.WHITELIST_PORT,
        "alipay",
        "api.example.com:8443",
        ConsoleList.WHITELIST,
        Status.WARN,
        "api.example.com",
    ),
    (
        CheckId.WHITELIST_PORT,
        "wechat",
        "https://api.example.com:99999",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_PATH,
        "wechat",
        "https://api.example.com/v1",
        ConsoleList.REQUEST,
        Status.WARN,
        "https://api.example.com/",
    ),
    (
        CheckId.WHITELIST_WILDCARD,
        "alipay",
        "*.example.com",
        ConsoleList.WHITELIST,
        Status.FAIL,
        "example.com",
    ),
    (
        CheckId.WHITELIST_HOSTNAME,
        "wechat",
        "https://api_v2.example.com",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api-v2.example.com",
    ),
    (
        CheckId.WHITELIST_HOSTNAME,
        "wechat",
        "https://xn--zz.example.com",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://例子.example.com",
    ),
    (
        CheckId.WHITELIST_HOSTNAME,
        "alipay",
        "user@api.example.com",
        ConsoleList.WHITELIST,
        Status.FAIL,
        "api.example.com",
    ),
    (
        CheckId.WHITELIST_PUBLIC_SUFFIX,
        "alipay",
        "co.uk",
        ConsoleList.WHITELIST,
        Status.FAIL,
        "example.co.uk",
    ),
    (
        CheckId.WHITELIST_RESERVED,
        "wechat",
        "https://api.weixin.qq.com",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_RESERVED,
        "baidu",
        "https://openapi.baidu.com",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_RESERVED,
        "qq",
        "https://api.q.qq.com",
        ConsoleList.REQUEST,
        Status.FAIL,
        "https://api.example.com",
    ),
    (
        CheckId.WHITELIST_ENTRY_FORM,
        "alipay",
        "https://api.example.com",
        ConsoleList.WHITELIST,
        Status.INFO,
        "api.example.com",
    ),
]


@pytest.mark.parametrize(("rule", "platform", "bad", "console_list", "status", "good"), ENTRY_CASES)
def test_entry_rules(
    rule: CheckId, platform: str, bad: str, console_list: ConsoleList, status: Status, good: str
) -> None:
    rules = rules_for(platform)
    found = check_entry(rules, bad, origin=CONSOLE, console_list=console_list)
    result = only(found, rule)
    assert result.status is status
    assert result.target == bad
    assert result.message and "\n" not in result.message
    assert result.fix and "\n" not in result.fix
    assert result.details["origin"] == "console"
    assert check_entry(rules, good, origin=CONSOLE, console_list=console_list) == ()


def test_extras_are_quieter_about_what_the_tool_drops() -> None:
    wechat = RULES[Platform.WECHAT]
    path = only(
        check_entry(wechat, "https://api.example.com/v1", origin=EXTRA), CheckId.WHITELIST_PATH
    )
    assert path.status is Status.INFO and "dropped" in path.message
    # An https extra is not told it lacks the console's bare-host form on Alipay.
    assert check_entry(RULES[Platform.ALIPAY], "https://api.example.com", origin=EXTRA) == ()


def test_wildcard_fix_names_the_registrable_domain_on_alipay() -> None:
    result = only(
        check_entry(RULES[Platform.ALIPAY], "*.example.com", origin=CONSOLE),
        CheckId.WHITELIST_WILDCARD,
    )
    assert "example.com" in (result.fix or "")


def test_duplicates_after_normalising() -> None:
    rules = RULES[Platform.WECHAT]
    found = check_entries(
        rules,
        [
            (ConsoleList.REQUEST, "https://a1.easemob.com"),
            (ConsoleList.REQUEST, "HTTPS://A1.EASEMOB.COM."),
            (ConsoleList.UPLOAD_FILE, "https://a1.easemob.com"),  # another list: no duplicate
            (ConsoleList.REQUEST, "https://a1.easemob.com:8443"),  # another port: no duplicate
        ],
        origin=CONSOLE,
    )
    duplicate = only(found, CheckId.WHITELIST_DUPLICATE)
    assert duplicate.target == "HTTPS://A1.EASEMOB.COM."
    assert duplicate.status is Status.WARN
    assert duplicate.details["duplicate_of"] == "https://a1.easemob.com"
    alipay = check_console_list(
        RULES[Platform.ALIPAY], ["a1.easemob.com", "https://a1.easemob.com"]
    )
    assert CheckId.WHITELIST_DUPLICATE in ids(alipay)


def test_hidden_duplicates_under_registrable_domain() -> None:
    found = check_console_list(
        RULES[Platform.ALIPAY],
        ["easemob.com", "a1.easemob.com", "im-api-alipay.easecdn.com", "# comment", ""],
    )
    covered = only(found, CheckId.WHITELIST_COVERED)
    assert covered.target == "a1.easemob.com"
    assert covered.details["covered_by"] == "easemob.com"
    assert covered.status is Status.WARN
    # WeChat matches exact hosts: a parent domain hides nothing.
    wechat = check_console_list(
        RULES[Platform.WECHAT],
        {ConsoleList.REQUEST: ["https://easemob.com", "https://a1.easemob.com"]},
    )
    assert CheckId.WHITELIST_COVERED not in ids(wechat)


def test_count_limits() -> None:
    alipay = RULES[Platform.ALIPAY]
    hosts = [f"h{i}.example{i}.com" for i in range(31)]
    over = only(check_console_list(alipay, hosts), CheckId.WHITELIST_COUNT)
    assert over.status is Status.FAIL and "31" in over.message and "30" in over.message
    assert "--compact" in (over.fix or "")
    at_limit = only(check_console_list(alipay, hosts[:30]), CheckId.WHITELIST_COUNT)
    assert at_limit.status is Status.PASS
    isv = only(
        check_console_list(rules_for("alipay", max_entries=50), hosts), CheckId.WHITELIST_COUNT
    )
    assert isv.status is Status.PASS

    wechat = RULES[Platform.WECHAT]
    requests = {ConsoleList.REQUEST: [f"https://{h}" for h in hosts[:21]]}
    legacy = only(check_console_list(wechat, requests), CheckId.WHITELIST_COUNT)
    assert legacy.status is Status.WARN and legacy.details["legacy_limit"] == 20
    assert (
        only(
            check_console_list(wechat, {ConsoleList.REQUEST: requests[ConsoleList.REQUEST][:20]}),
            CheckId.WHITELIST_COUNT,
        ).status
        is Status.PASS
    )
    douyin = only(check_console_list(RULES[Platform.DOUYIN], requests), CheckId.WHITELIST_COUNT)
    assert douyin.status is Status.FAIL and douyin.target == "douyin:request"


def test_compactable_and_a_clean_registry_whitelist() -> None:
    alipay = RULES[Platform.ALIPAY]
    found = check_whitelist(alipay, build_whitelist(REGISTRY, "alipay", [CN1]))
    compactable = only(found, CheckId.WHITELIST_COMPACTABLE)
    assert compactable.status is Status.INFO and "easemob.com" in compactable.message
    assert {r.status for r in found} <= {Status.PASS, Status.INFO}
    compact = check_whitelist(alipay, build_whitelist(REGISTRY, "alipay", [CN1], compact=True))
    assert ids(compact) == [CheckId.WHITELIST_COUNT]
    for platform in PROFILES:
        if platform is Platform.TAOBAO:
            continue  # its page has no 国内2区, and 10 entries hold one region: below
        results = check_whitelist(
            RULES[platform], build_whitelist(REGISTRY, platform, [CN1, CN2, SGP1])
        )
        assert not [r for r in results if r.fails_gate], platform
    taobao = RULES[Platform.TAOBAO]
    assert not [
        r
        for r in check_whitelist(taobao, build_whitelist(REGISTRY, "taobao", [CN1]))
        if r.fails_gate
    ]
    over = check_whitelist(taobao, build_whitelist(REGISTRY, "taobao", [CN1, SGP1]))
    assert only(over, CheckId.WHITELIST_COUNT).status is Status.FAIL


def test_extras_get_checked_once_and_an_icp_reminder() -> None:
    rules = RULES[Platform.WECHAT]
    extras = ["https://api.weixin.qq.com", "https://api.myapp.com"]
    found = check_extras(rules, extras)
    assert ids(found).count(CheckId.WHITELIST_RESERVED) == 1
    icp = only(found, CheckId.WHITELIST_ICP_FILING)
    assert icp.status is Status.INFO and "api.myapp.com" in icp.message
    wl_found = check_whitelist(rules, build_whitelist(REGISTRY, "wechat", [CN1], extras))
    assert CheckId.WHITELIST_RESERVED not in ids(wl_found)
    assert CheckId.WHITELIST_ICP_FILING not in ids(check_extras(rules, ["https://1.2.3.4"]))


def test_extras_with_a_list_are_checked_against_it() -> None:
    found = check_extras(RULES[Platform.WECHAT], ["socket=https://ws.myapp.com"])
    assert CheckId.WHITELIST_SCHEME in ids(found)


def test_non_public_region() -> None:
    failing = only(check_regions([CN1, VIP]), CheckId.WHITELIST_REGION_HOSTS)
    assert failing.status is Status.FAIL and failing.target == "cn-vip"
    assert "account manager" in (failing.fix or "")
    with_extras = only(
        check_regions([VIP], ["https://vip.myapp.com"]), CheckId.WHITELIST_REGION_HOSTS
    )
    assert with_extras.status is Status.INFO
    assert check_regions([CN1]) == ()

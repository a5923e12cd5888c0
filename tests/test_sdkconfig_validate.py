"""Validation of SDK configs against the reference facts: the fixture corpus and focused cases."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from domaincheck.core.errors import InputFileError
from domaincheck.core.model import CheckResult, ConsoleList, Status
from domaincheck.core.platforms import Platform
from domaincheck.files.project import parse_version
from domaincheck.registry.loader import load_registry, resolve_regions
from domaincheck.registry.model import Registry
from domaincheck.vendors.easemob.locate import load_sdk_configs, parse_sdk_config
from domaincheck.vendors.easemob.options import config_app_key, httpdns_in_use
from domaincheck.vendors.easemob.validate import SdkCheckSettings, validate_sdk_config
from domaincheck.whitelist.build import build_whitelist
from domaincheck.whitelist.coverage import CoverageList

FIXTURES = Path(__file__).parent / "fixtures" / "sdk"
CASES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def settings_for(
    registry: Registry,
    platform: str,
    regions: list[str],
    *,
    sdk_version: str | None = None,
    coverage: CoverageList | None = None,
    **changes: Any,
) -> SdkCheckSettings:
    chosen = resolve_regions(registry, regions)
    if coverage is None:
        coverage = CoverageList.from_whitelist(build_whitelist(registry, platform, chosen))
    return SdkCheckSettings(
        Platform(platform),
        chosen,
        registry,
        coverage,
        sdk_version=parse_version(sdk_version) if sdk_version else None,
        **changes,
    )


def findings(results: tuple[CheckResult, ...]) -> Counter[str]:
    return Counter(
        f"{r.status} {r.check} {r.details['line']}" for r in results if r.status is not Status.PASS
    )


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['file']}-{c['platform']}-{c.get('sdk_version', '')}" for c in CASES]
)
def test_fixture_corpus_gives_the_expected_findings(
    registry: Registry, case: dict[str, Any]
) -> None:
    path = FIXTURES / case["file"]
    if "error" in case:
        with pytest.raises(InputFileError) as caught:
            load_sdk_configs(path, Platform(case["platform"]))
        assert str(caught.value).startswith(f"{FIXTURES}/{case['error']}")
        return
    configs = load_sdk_configs(path, Platform(case["platform"]))
    settings = settings_for(
        registry, case["platform"], case["regions"], sdk_version=case.get("sdk_version")
    )
    results = tuple(r for config in configs for r in validate_sdk_config(config, settings))
    assert findings(results) == Counter(case["findings"])
    for result in results:  # every finding is actionable and points into the file
        assert result.target == f"{path}:{result.details['line']}"
        if result.status in (Status.FAIL, Status.WARN):
            assert result.fix, result


def test_every_fixture_is_in_the_corpus() -> None:
    listed = {c["file"] for c in CASES}
    broken = {"broken-syntax.js", "broken-syntax.ts", "broken.json", "broken.yaml", "no-config.js"}
    on_disk = {p.name for p in FIXTURES.iterdir()} - {"expected.yaml"} - broken
    assert on_disk == listed


def check(
    registry: Registry, source: str, platform: str = "alipay", **kw: Any
) -> list[CheckResult]:
    config = parse_sdk_config(source, Path("init.js"))
    return list(validate_sdk_config(config, settings_for(registry, platform, ["cn1"], **kw)))


def only(results: list[CheckResult], check_id: str) -> list[CheckResult]:
    return [r for r in results if r.check == check_id]


GOOD = """new WebIM.connection({
  appKey: "org#app", isHttpDNS: false, https: true,
  url: "wss://im-api-alipay.easemob.com/websocket", apiUrl: "https://a1.easemob.com",
});"""


def test_good_config_passes_with_visible_passes(registry: Registry) -> None:
    results = check(registry, GOOD)
    assert all(r.status is Status.PASS for r in results)
    assert {r.check for r in results} >= {
        "sdk.config.found",
        "sdk.appkey.format",
        "sdk.url.host",
        "sdk.url.whitelist",
        "sdk.apiurl.host",
        "sdk.apiurl.whitelist",
        "sdk.httpdns.enabled",
    }


def test_region_mismatch_names_both_regions(registry: Registry) -> None:
    results = check(registry, GOOD.replace("a1.easemob.com", "a61.easemob.com"))
    [mismatch] = only(results, "sdk.region.mismatch")
    assert "国内1区 (cn1)" in mismatch.message and "新加坡2区 (sgp2)" in mismatch.message
    assert mismatch.details["url_region"] == "cn1" and mismatch.details["api_region"] == "sgp2"


def test_appkey_rules(registry: Registry) -> None:
    def appkey(value: str, **kw: Any) -> list[tuple[str, Status]]:
        results = check(registry, GOOD.replace('"org#app"', value), **kw)
        return [(r.check, r.status) for r in results if r.check.startswith("sdk.appkey")]

    assert appkey('"a#b#c"') == [("sdk.appkey.format", Status.FAIL)]
    assert appkey('"#app"') == [("sdk.appkey.format", Status.FAIL)]
    assert appkey('"org#"') == [("sdk.appkey.format", Status.FAIL)]
    assert appkey('"org#" + "x".repeat(3)') == []  # a call: reported as not static instead
    assert appkey('"org#' + "a" * 33 + '"') == [("sdk.appkey.appname", Status.FAIL)]
    assert appkey('"org.x#app"') == [("sdk.appkey.orgname", Status.WARN)]
    assert appkey('"org#app"', app_key="org#other") == [("sdk.appkey.mismatch", Status.FAIL)]
    assert appkey('"org#app"', app_key="org#app") == [("sdk.appkey.format", Status.PASS)]
    results = check(registry, GOOD.replace('appKey: "org#app",', ""))
    assert [(r.check, r.status) for r in only(results, "sdk.appkey.missing")] == [
        ("sdk.appkey.missing", Status.FAIL)
    ]


def test_httpdns_on_requires_the_dns_servers_in_the_whitelist(registry: Registry) -> None:
    source = GOOD.replace("isHttpDNS: false", "isHttpDNS: true")
    console = CoverageList.from_entries(
        [
            (ConsoleList.WHITELIST, "a1.easemob.com"),
            (ConsoleList.WHITELIST, "im-api-alipay.easemob.com"),
        ]
    )
    results = check(registry, source, coverage=console)
    [enabled] = only(results, "sdk.httpdns.enabled")
    assert enabled.status is Status.WARN
    assert "ignores url and apiUrl" in enabled.message and "4.12" in enabled.message
    dns = only(results, "sdk.httpdns.whitelist")
    assert [(r.details["host"], r.status) for r in dns] == [
        ("rs.easemob.com", Status.FAIL),
        ("rs.chat.agora.io", Status.FAIL),
    ]
    assert "not in the console's current list" in dns[0].message
    assert dns[0].fix == "Add rs.easemob.com to the whitelist."


def test_alipay_registrable_domain_entry_covers_the_hosts(registry: Registry) -> None:
    console = CoverageList.from_entries(
        [(ConsoleList.WHITELIST, "easemob.com")], "the console's current list"
    )
    results = check(registry, GOOD, coverage=console)
    assert all(r.status is Status.PASS for r in results)


def test_wechat_port_rule_applies_to_the_config_urls(registry: Registry) -> None:
    source = GOOD.replace("im-api-alipay", "im-api-wechat").replace(
        "https://a1.easemob.com", "https://a1.easemob.com:443"
    )
    results = check(registry, source, platform="wechat")
    failing = [(r.details["console_list"], r.status) for r in only(results, "sdk.apiurl.whitelist")]
    assert failing == [
        ("request", Status.FAIL),
        ("uploadFile", Status.WARN),
        ("downloadFile", Status.WARN),
    ]
    assert "not even :443" in only(results, "sdk.apiurl.whitelist")[0].message


def test_https_default_matters_only_on_old_sdks(registry: Registry) -> None:
    source = GOOD.replace("https: true,", "")
    assert only(check(registry, source), "sdk.https.missing") == []
    [missing] = only(check(registry, source, sdk_version="4.11.0"), "sdk.https.missing")
    assert missing.status is Status.WARN


def test_unknown_host_in_extra_domains_is_info(registry: Registry) -> None:
    source = GOOD.replace("im-api-alipay.easemob.com", "im.example.com")
    [unknown] = only(check(registry, source), "sdk.url.host")
    assert unknown.status is Status.FAIL and "not a socket host of 国内1区 (cn1)" in unknown.message
    [own] = only(check(registry, source, extra_hosts=("im.example.com",)), "sdk.url.host")
    assert own.status is Status.INFO


def test_opaque_options_stop_after_one_warning(registry: Registry) -> None:
    results = check(registry, "new WebIM.connection(buildOptions(env));")
    assert [(r.check, r.status) for r in results] == [("sdk.config.not_static", Status.WARN)]
    assert "cannot check statically" in results[0].message


@pytest.mark.parametrize(
    ("source", "version", "expected"),
    [
        ("new X.connection({})", None, True),
        ("new X.connection({})", "3.6.3", False),
        ("new X.connection({})", "4.0.4", False),
        ("new X.connection({})", "4.11.0", False),
        ("new X.connection({})", "4.12.0", True),
        ("new X.connection({})", "4.17.0", True),
        ("new X.connection({isHttpDNS: false})", None, False),
        ("new X.connection({isHttpDNS: true})", "4.0.4", True),
        ("new X.connection({isHttpDNS: flag})", None, None),
    ],
)
def test_httpdns_in_use(source: str, version: str | None, expected: bool | None) -> None:
    config = parse_sdk_config(source, Path("a.js"))
    assert httpdns_in_use(config, parse_version(version) if version else None) is expected


def test_config_app_key() -> None:
    assert (
        config_app_key(parse_sdk_config("new X.connection({appKey: 'a#b'})", Path("a.js"))) == "a#b"
    )
    assert config_app_key(parse_sdk_config("new X.connection({appKey: k})", Path("a.js"))) is None


def test_an_option_set_only_in_other_platforms_branches_says_so(registry: Registry) -> None:
    [config] = load_sdk_configs(FIXTURES / "uniapp-ifdef.js", Platform.DOUYIN)
    results = validate_sdk_config(config, settings_for(registry, "douyin", ["cn1"]))
    [missing] = [r for r in results if r.check == "sdk.url.missing"]
    assert "lines 6-8 (#ifdef MP-ALIPAY) are not in the MP-TOUTIAO build" in missing.message
    assert "lines 9-11 (#ifdef MP-WEIXIN)" in missing.message


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # the SDK reads `o.url || ""`: null and "" are "not set"
        (
            'url: null, apiUrl: ""',
            [("sdk.url.missing", "url is null"), ("sdk.apiurl.missing", 'apiUrl is ""')],
        ),
        # written without a scheme: the host is still known
        (
            'url: "im-api-alipay.easemob.com", apiUrl: "//a1.easemob.com"',
            [
                ("sdk.url.scheme", "is not a wss:// URL"),
                ("sdk.url.path", "has path '(none)'"),
                ("sdk.apiurl.scheme", "is not an https:// URL"),
            ],
        ),
        (
            'url: " wss://im-api-alipay.easemob.com/websocket", apiUrl: "https://a1.easemob.com?v=1"',
            [
                ("sdk.url.scheme", "has spaces around it"),
                ("sdk.apiurl.path", "has '?v=1' after the host"),
            ],
        ),
    ],
)
def test_url_forms_the_sdk_does_not_fix(
    registry: Registry, options: str, expected: list[tuple[str, str]]
) -> None:
    source = f'new WebIM.connection({{ appKey: "org#app", isHttpDNS: false, {options} }});'
    failing = [(r.check, r.message) for r in check(registry, source) if r.fails_gate]
    assert [check_id for check_id, _ in failing] == [check_id for check_id, _ in expected]
    for (_, message), (_, words) in zip(failing, expected, strict=True):
        assert words in message
    hosts = {
        r.details.get("host") for r in check(registry, source) if r.check == "sdk.url.whitelist"
    }
    assert hosts <= {"im-api-alipay.easemob.com"}


def test_httpdns_on_an_older_sdk_does_not_speak_of_4_12(registry: Registry) -> None:
    source = GOOD.replace("isHttpDNS: false", "isHttpDNS: true")
    [enabled] = only(check(registry, source, sdk_version="4.11.0"), "sdk.httpdns.enabled")
    assert enabled.message.startswith("isHttpDNS is true: the SDK then ignores url and apiUrl")


@pytest.mark.parametrize(("platform", "status"), [("wechat", Status.PASS), ("qq", Status.WARN)])
def test_a_socket_port_is_fine_on_wechat_and_unconfirmed_on_qq(
    registry: Registry, platform: str, status: Status
) -> None:
    # WeChat says wss may use any port; QQ (and Douyin) only copy it, so :8443 warns there.
    source = GOOD.replace(
        "wss://im-api-alipay.easemob.com/websocket",
        "wss://im-api-wechat.easemob.com:8443/websocket",
    )
    (url,) = only(check(registry, source, platform=platform), "sdk.url.whitelist")
    assert url.status is status
    if status is Status.WARN:
        assert "whether :8443 works is unconfirmed" in url.message
        assert "443" in (url.fix or "")
    on_443 = GOOD.replace("im-api-alipay.easemob.com", "im-api-wechat.easemob.com:443")
    (plain,) = only(check(registry, on_443, platform=platform), "sdk.url.whitelist")
    assert plain.status is Status.PASS

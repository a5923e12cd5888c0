"""The app's own setup, checked alongside the whitelist: its SDK init options and the console's list.

`check` (through `checklist.run_checklist`) and `diff` use this module: it reads the SDK config and
the console's current list named by options or the project file, runs `sdkconfig.validate` and
`console_diff` on them, and says whether (and with which appKey) the HTTP-DNS answer should be
fetched. Files that cannot be read raise `InputFileError` (exit 2) before any check runs; findings
are `CheckResult`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from domaincheck.core.model import CheckResult, Status, Whitelist
from domaincheck.core.platforms import Platform
from domaincheck.files.project import ConsoleItem, ConsoleSource, Project, parse_version
from domaincheck.registry.model import Region, Registry
from domaincheck.whitelist.coverage import CoverageList
from domaincheck.whitelist.rules import PlatformRules
from domaincheck.whitelist.static_checks import RuleInfo


@dataclass(frozen=True)
class AppSetupInputs:
    """What to check of the app's own setup: options first, then the project file.

    `httpdns` is True when `--httpdns` asks for the HTTP-DNS answer whatever the config says.
    """

    sdk_config: Path | None = None
    console: ConsoleSource | None = None
    app_key: str | None = None
    sdk_version: tuple[int, ...] | None = None
    httpdns: bool = False
    extra_hosts: tuple[str, ...] = ()
    heartbeat_min_ms: int | None = None
    heartbeat_max_ms: int | None = None

    @staticmethod
    def from_project(
        project: Project,
        *,
        sdk_config: Path | None = None,
        console_file: Path | None = None,
        app_key: str | None = None,
        httpdns: bool = False,
        extra_hosts: Sequence[str] = (),
    ) -> AppSetupInputs:
        """Options override the project file: `--sdk-config`, `--console`, `--app-key`."""
        console = project.console
        if console_file is not None:
            console = ConsoleSource(file=console_file)
        version = parse_version(project.sdk_version) if project.sdk_version else None
        return AppSetupInputs(
            sdk_config=sdk_config or project.sdk_config,
            console=console,
            app_key=app_key or project.app_key,
            sdk_version=version,
            httpdns=httpdns,
            extra_hosts=tuple(extra_hosts),
            heartbeat_min_ms=project.thresholds.heartbeat_min_ms,
            heartbeat_max_ms=project.thresholds.heartbeat_max_ms,
        )


@dataclass(frozen=True)
class AppSetupOutcome:
    """The offline findings, and whether the HTTP-DNS answer should be fetched with which appKey.

    `httpdns_app_key` is None when HTTP-DNS is not in use or no literal appKey is known; then
    `httpdns_skip` says why when HTTP-DNS is in use.
    """

    results: tuple[CheckResult, ...]
    coverage: CoverageList
    httpdns_wanted: bool
    httpdns_app_key: str | None
    httpdns_skip: CheckResult | None = None


def console_items(inputs: AppSetupInputs) -> tuple[ConsoleItem, ...] | None:
    """The console's current list, read now (the file may be missing: `InputFileError`)."""
    if inputs.console is None:
        return None
    from domaincheck.appsetup.console_diff import load_console

    return load_console(inputs.console)


def check_app_setup(
    inputs: AppSetupInputs,
    *,
    registry: Registry,
    platform: Platform,
    regions: Sequence[Region],
    rules: PlatformRules,
    whitelist: Whitelist,
) -> AppSetupOutcome:
    """Reads the SDK config and the console list, and checks both against the whitelist.

    Hosts of the SDK config are checked against the console's current list when there is one (that
    is what the phone will meet), else against the whitelist domaincheck builds.
    """
    results: list[CheckResult] = []
    items = console_items(inputs)
    if items is not None:
        from domaincheck.appsetup.console_diff import assign_lists, diff_console

        results.extend(diff_console(rules, whitelist, items, regions, registry=registry))
        entries = [(e.console_list, e.text) for e in assign_lists(rules, items)]
        coverage = CoverageList.from_entries(entries)
    else:
        coverage = CoverageList.from_whitelist(whitelist)

    dns_wanted = inputs.httpdns
    app_key = inputs.app_key
    if inputs.sdk_config is not None:
        from domaincheck.appsetup.sdkconfig.extract import load_sdk_configs
        from domaincheck.appsetup.sdkconfig.validate import (
            DEFAULT_HEARTBEAT_MAX_MS,
            DEFAULT_HEARTBEAT_MIN_MS,
            SdkCheckSettings,
            config_app_key,
            httpdns_in_use,
            validate_sdk_config,
        )

        configs = load_sdk_configs(inputs.sdk_config, platform)
        settings = SdkCheckSettings(
            platform=platform,
            regions=tuple(regions),
            registry=registry,
            coverage=coverage,
            app_key=inputs.app_key,
            sdk_version=inputs.sdk_version,
            extra_hosts=inputs.extra_hosts,
            heartbeat_min_ms=inputs.heartbeat_min_ms or DEFAULT_HEARTBEAT_MIN_MS,
            heartbeat_max_ms=inputs.heartbeat_max_ms or DEFAULT_HEARTBEAT_MAX_MS,
            rules=rules,
        )
        for config in configs:
            results.extend(validate_sdk_config(config, settings))
            dns_wanted = dns_wanted or httpdns_in_use(config, inputs.sdk_version) is not False
        app_key = next(filter(None, map(config_app_key, configs)), None) or app_key

    skip = None
    if dns_wanted and not app_key:
        skip = CheckResult(
            "rs.easemob.com",
            "httpdns.fetch",
            Status.SKIP,
            "the HTTP-DNS answer was not fetched: no literal appKey in the SDK config or project file",
            {},
            "Set app_key in domaincheck.yaml or give --app-key.",
        )
    return AppSetupOutcome(
        tuple(results),
        coverage,
        dns_wanted,
        app_key if dns_wanted else None,
        skip,
    )


def _rule(title: str, help_text: str) -> RuleInfo:
    return RuleInfo(title, help_text)


# Title and help of every check id the app-setup checks produce (SARIF rules, the HTML report).
# A test proves every id used in the code is here.
APP_SETUP_RULES: dict[str, RuleInfo] = {
    "sdk.config.found": _rule(
        "SDK options found",
        "domaincheck found the options object of the Easemob SDK (new WebIM.connection({...}), an "
        "exported config object, or a JSON/YAML file) and read its literal values.",
    ),
    "sdk.config.not_static": _rule(
        "SDK options cannot be read statically",
        "The options object is built at run time (a call, a variable from another module), so its "
        "values cannot be checked without running the app. Write it as an object literal or point "
        "sdk_config at the file that holds the literal.",
    ),
    "sdk.config.partial": _rule(
        "Part of the SDK options not checked",
        "Spreads and Object.assign() arguments that are not same-file objects (...base from "
        "another module) and computed keys may set options domaincheck did not see.",
    ),
    "sdk.value.not_static": _rule(
        "Option value cannot be checked statically",
        "A variable, member expression, call or template string with ${...} is only known at run "
        "time; domaincheck never guesses it. Check it by hand or write it as a literal.",
    ),
    "sdk.appkey.missing": _rule(
        "appKey missing",
        "Without appKey (or appId) the SDK throws `Invalid appKey` when the connection is created.",
    ),
    "sdk.appkey.format": _rule(
        "appKey form",
        "The SDK splits appKey at '#' and throws unless there are exactly two parts: "
        "orgname#appname, copied from the console (应用详情). Empty parts pass the SDK but send every "
        "call to a wrong path.",
    ),
    "sdk.appkey.appname": _rule(
        "appKey app name",
        "The console allows only lowercase letters, digits and hyphens in an app name, at most 32 "
        "characters; an app name outside that rule is a typo.",
    ),
    "sdk.appkey.orgname": _rule(
        "appKey org name",
        "No character rule is published for org names; letters, digits and hyphens are what real "
        "appKeys use, so anything else is only a warning.",
    ),
    "sdk.appkey.mismatch": _rule(
        "appKey differs from the project file",
        "The SDK config and domaincheck.yaml name different apps; the HTTP-DNS answer and the "
        "checks then describe another app than the one shipped.",
    ),
    "sdk.url.missing": _rule(
        "url missing with HTTP-DNS off",
        "With isHttpDNS: false the SDK connects to `url`; without it there is no socket server.",
    ),
    "sdk.url.scheme": _rule(
        "url scheme",
        "Mini programs open sockets over wss:// only (Alipay error 20, WeChat's socket list).",
    ),
    "sdk.url.path": _rule(
        "url path",
        "The Easemob socket servers listen on /websocket; one uni-app doc version has the typo "
        "/websocket/websocket.",
    ),
    "sdk.url.host": _rule(
        "url host of the region and platform family",
        "url must be a socket host of the app's data centre and of the platform's family: "
        "im-api-alipay* on Alipay, im-api-wechat* on WeChat, QQ, Baidu and Douyin.",
    ),
    "sdk.url.whitelist": _rule(
        "url host in the whitelist",
        "The socket host must be let through by the console's socket list (Alipay: its one list), "
        "under the platform's matching rule.",
    ),
    "sdk.apiurl.missing": _rule(
        "apiUrl missing with HTTP-DNS off",
        "With isHttpDNS: false the SDK sends REST calls (login, history, files) to `apiUrl`.",
    ),
    "sdk.apiurl.scheme": _rule(
        "apiUrl scheme", "Mini programs call https:// only; http and IP addresses are refused."
    ),
    "sdk.apiurl.path": _rule(
        "apiUrl path",
        "The SDK appends /org/app/... to apiUrl, so it must be the bare origin: no path, no "
        "trailing slash.",
    ),
    "sdk.apiurl.host": _rule(
        "apiUrl host of the region",
        "apiUrl must be the REST host of the app's data centre (国内1区 a1.easemob.com, ...).",
    ),
    "sdk.apiurl.whitelist": _rule(
        "apiUrl host in the whitelist",
        "The REST host must be let through by the request list; uploads and attachment downloads "
        "also go to it, so WeChat-style consoles need it in uploadFile and downloadFile too.",
    ),
    "sdk.region.mismatch": _rule(
        "url and apiUrl from different data centres",
        "Both must come from the same row of the data-centre table; a mix logs in on one cluster "
        "and connects to another.",
    ),
    "sdk.https.disabled": _rule(
        "https flag",
        "With https: false the SDK picks http hosts and ws:// URLs, which no mini-program platform "
        "allows. Set https: true.",
    ),
    "sdk.https.missing": _rule(
        "https flag not set on an older SDK",
        "SDK 4.11 and older default https to false on mini programs; set https: true.",
    ),
    "sdk.httpdns.enabled": _rule(
        "HTTP-DNS on a mini program",
        "SDK 4.12 and later default isHttpDNS to true and then ignore url and apiUrl, using the "
        "hosts of the HTTP-DNS answer (rs.easemob.com, rs.chat.agora.io) instead; the Easemob docs "
        "say to set isHttpDNS: false on mini programs.",
    ),
    "sdk.httpdns.whitelist": _rule(
        "HTTP-DNS servers in the whitelist",
        "With HTTP-DNS on, the SDK first calls https://rs.easemob.com and then "
        "https://rs.chat.agora.io; both must be in the request list.",
    ),
    "sdk.heartbeat.unit": _rule(
        "heartBeatWait in seconds",
        "heartBeatWait is in milliseconds (default 30000); an older doc said seconds, so values "
        "under 1000 are probably seconds.",
    ),
    "sdk.heartbeat.range": _rule(
        "heartBeatWait range",
        "Values far from the default 30000 ms either wake the phone needlessly or let idle "
        "connections drop; thresholds.heartbeat_min_ms/max_ms set the range.",
    ),
    "sdk.reconnect.zero": _rule(
        "autoReconnectNumMax 0",
        "The SDK reads `autoReconnectNumMax || 5`, so 0 silently becomes 5; a negative number "
        "turns reconnects off.",
    ),
    "sdk.option.type": _rule(
        "Option of the wrong type",
        'Booleans written as strings are truthy ("false" turns HTTP-DNS on); numbers and URLs '
        "must be numbers and strings.",
    ),
    "sdk.option.ignored": _rule(
        "Option the SDK ignores",
        "Old demos set autoReconnectInterval, isMultiLoginSessions, isAutoLogin, isSandBox, "
        "isWindowSDK; SDK 4.x does not read them (enableReportLogs comes from HTTP-DNS since 4.12).",
    ),
    "sdk.option.unknown": _rule(
        "Unknown option",
        "An option SDK 4.x does not read; when it is close to a real one (apiURL for apiUrl) the "
        "real one is probably missing.",
    ),
    "sdk.option.custom_os_platform": _rule(
        "customOSPlatform range",
        "The SDK throws `Invalid customOSPlatform` unless it is a number from 1 to 100.",
    ),
    "console.missing": _rule(
        "Needed host missing from the console",
        "Every host of the whitelist domaincheck builds must be let through by the console's "
        "list under the platform's matching rule, easecdn.com twins, both sides of a documented "
        "dispute and Alipay download hosts included.",
    ),
    "console.extra": _rule(
        "Console entry not needed by the SDK",
        "The entry lets through no host the Easemob SDK needs for the chosen regions; fine for the "
        "app's own domains (list them in extra_domains).",
    ),
    "httpdns.fetch": _rule(
        "HTTP-DNS answer fetched",
        "GET /easemob/server.json?app_key=... from rs.easemob.com, then rs.chat.agora.io, as the "
        "SDK does; a failing first server only warns when the second answers.",
    ),
    "httpdns.answer": _rule(
        "HTTP-DNS answer usable",
        "The answer must be a JSON object with https hosts in rest.hosts and msync-wx.hosts "
        "(msync-ws for older builds).",
    ),
    "httpdns.host.ip": _rule(
        "HTTP-DNS host given as an IP",
        "Mini programs cannot whitelist or call IP addresses.",
    ),
    "httpdns.whitelist": _rule(
        "HTTP-DNS answer host in the whitelist",
        "With HTTP-DNS on the SDK connects to the answer's hosts, so each must be let through by "
        "the whitelist.",
    ),
}

"""Checks the SDK's init options against what the SDK does with them and what the platform allows.

The facts come from `easemob-sdk-and-domains.md` §1 and §2 (the 4.17.0 constructor, the typings,
the HTTP-DNS code and the docs): appKey form, the socket and REST URLs of the chosen data centre
and platform family, `https`, `isHttpDNS` and the SDK version it depends on, `heartBeatWait` units,
`autoReconnectNumMax: 0`, options the SDK no longer reads, and whether every host the config makes
the app contact is let through by the whitelist. Each finding is a `CheckResult` with a stable id.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from domaincheck.appsetup.sdkconfig.model import ConfigShape, SdkConfig, SdkOption
from domaincheck.core.catalog import CheckId
from domaincheck.core.guard import run_guarded
from domaincheck.core.model import CheckResult, ConsoleList, Status
from domaincheck.core.platforms import Platform
from domaincheck.registry.model import HostRole, Region, Registry, SocketFamily
from domaincheck.whitelist.coverage import CoverageList, console_list_for, uncovered
from domaincheck.whitelist.profiles import profile_for, rules_for
from domaincheck.whitelist.rules import PlatformRules, entry_text

# Options the 4.17.0 constructor reads (§1.2), plus `appId`-mode and the typings' extras.
KNOWN_OPTIONS: frozenset[str] = frozenset(
    {
        "appKey",
        "appId",
        "apiUrl",
        "url",
        "https",
        "isHttpDNS",
        "heartBeatWait",
        "autoReconnectNumMax",
        "delivery",
        "deviceId",
        "isFixedDeviceId",
        "useOwnUploadFun",
        "useReplacedMessageContents",
        "isDebug",
        "customOSPlatform",
        "customDeviceName",
        "uikitVersion",
    }
)

# Options old demos and docs still set that SDK 4.x does not read (§1.2). The value says since when.
IGNORED_OPTIONS: dict[str, str] = {
    "autoReconnectInterval": "the reconnect delay is random (1-10 s) since SDK 4.8.1",
    "isMultiLoginSessions": "a 1.x/2.x option; SDK 4.x does not read it",
    "isAutoLogin": "a 1.x/2.x option; SDK 4.x does not read it",
    "isSandBox": "a 1.x/2.x option; SDK 4.x does not read it",
    "isWindowSDK": "a 1.x/2.x option; SDK 4.x does not read it",
    "isWebRTC": "a 1.x/2.x option; SDK 4.x does not read it",
    "enableReportLogs": "SDK 4.12+ takes it from the HTTP-DNS answer, not from the options",
}

# Key names of the demos' WebIMConfig.js, which WebIM.js passes on as these SDK options.
DEMO_ALIASES: dict[str, str] = {
    "appkey": "appKey",
    "socketServer": "url",
    "xmppURL": "url",
    "apiURL": "apiUrl",
}

BOOLEAN_OPTIONS = (
    "https",
    "isHttpDNS",
    "delivery",
    "useOwnUploadFun",
    "useReplacedMessageContents",
    "isDebug",
    "isFixedDeviceId",
)

HTTPDNS_HOSTS = ("rs.easemob.com", "rs.chat.agora.io")
SOCKET_PATH = "/websocket"
HTTPDNS_DEFAULT_TRUE_SINCE = (4, 12)
APP_NAME_RE = re.compile(r"^[a-z0-9-]{1,32}$")
ORG_NAME_RE = re.compile(r"^[A-Za-z0-9-]+$")
# The web/desktop SDK's socket hosts (data_center.md): not for mini programs, named when seen.
WEB_SOCKET_HOST_RE = re.compile(
    r"^(?:im-api(?:-v2)?(?:-\d+)?|im-api-sgp-v2|msync-api-\d+)\.(?:easemob|easecdn)\.com$"
)
DEFAULT_HEARTBEAT_MIN_MS = 5_000
DEFAULT_HEARTBEAT_MAX_MS = 300_000

T = TypeVar("T")


@dataclass(frozen=True)
class SdkCheckSettings:
    """What the SDK config is checked against: platform, chosen regions, registry, whitelist.

    `coverage` is the whitelist the hosts must be in (the console's current list when the project
    names it, else the built whitelist). `app_key` is the project's, to compare with the config's.
    `sdk_version` (e.g. (4, 17, 0)) decides the `isHttpDNS` and `https` defaults; None means 4.12+.
    `extra_hosts` are the app's own domains: a url/apiUrl host among them is not an error.
    """

    platform: Platform
    regions: tuple[Region, ...]
    registry: Registry
    coverage: CoverageList
    app_key: str | None = None
    sdk_version: tuple[int, ...] | None = None
    extra_hosts: tuple[str, ...] = ()
    heartbeat_min_ms: int = DEFAULT_HEARTBEAT_MIN_MS
    heartbeat_max_ms: int = DEFAULT_HEARTBEAT_MAX_MS
    rules: PlatformRules | None = None


@dataclass(frozen=True)
class _HostPlace:
    region: Region
    role: HostRole
    family: SocketFamily | None


def httpdns_in_use(config: SdkConfig, sdk_version: tuple[int, ...] | None) -> bool | None:
    """True when the SDK will use HTTP-DNS with this config; None when that cannot be told statically."""
    option = _options(config).get("isHttpDNS")
    if option is None:
        return sdk_version is None or sdk_version >= HTTPDNS_DEFAULT_TRUE_SINCE
    if not option.static:
        return None
    if sdk_version is not None and sdk_version < HTTPDNS_DEFAULT_TRUE_SINCE:
        return bool(option.value)
    return option.value is None or bool(option.value)


def config_app_key(config: SdkConfig) -> str | None:
    """The config's appKey when it is a literal string."""
    option = _options(config).get("appKey")
    if option is not None and option.static and isinstance(option.value, str):
        return option.value
    return None


def validate_sdk_config(config: SdkConfig, settings: SdkCheckSettings) -> tuple[CheckResult, ...]:
    """Every finding about `config`: a list of `CheckResult`s, passes included, in a stable order."""
    return tuple(_Validator(config, settings).run())


def _options(config: SdkConfig) -> dict[str, SdkOption]:
    """The options under the SDK's names: demo config modules' names are mapped (appkey → appKey)."""
    found: dict[str, SdkOption] = {}
    for option in config.options:
        name = option.name
        if config.shape is not ConfigShape.CONNECTION_CALL and name in DEMO_ALIASES:
            name = DEMO_ALIASES[name]
            if name in found and found[name].name == name:
                continue  # the SDK's own name wins over the demo's alias
        found[name] = option
    return found


class _UrlOption(NamedTuple):
    """A url/apiUrl option whose value is a string, split, with its label and lower-case host."""

    option: SdkOption
    value: str
    parts: Any
    name: str
    host: str
    padded: bool  # spaces around it (already reported)


class _Validator:
    def __init__(self, config: SdkConfig, settings: SdkCheckSettings) -> None:
        self.config = config
        self.settings = settings
        self.rules = settings.rules or rules_for(settings.platform)
        self.family = profile_for(settings.platform).socket_family
        self.options = _options(config)
        self.results: list[CheckResult] = []
        self.places = _index(settings.registry)

    # -- plumbing --------------------------------------------------------------------------
    def add(
        self,
        check: CheckId,
        status: Status,
        message: str,
        fix: str | None = None,
        option: SdkOption | None = None,
        **details: Any,
    ) -> None:
        line = option.line if option is not None else self.config.line
        payload: dict[str, Any] = {"file": str(self.config.path), "line": line}
        if option is not None:
            payload["option"] = option.name
            if option.static:
                payload["value"] = option.value
            else:
                payload["source"] = option.source
        payload.update({k: v for k, v in details.items() if v is not None})
        self.results.append(
            CheckResult(self.config.where(line), check, status, message, payload, fix)
        )

    def literal(self, name: str) -> tuple[SdkOption | None, Any]:
        """The option and its value; a non-literal option is reported once and gives (option, None)."""
        option = self.options.get(name)
        if option is None:
            return None, None
        if not option.static:
            return option, None
        return option, option.value

    def label(self, option: SdkOption) -> str:
        if option.name != _canonical(option.name, self.config):
            return f"{option.name} (the SDK's {_canonical(option.name, self.config)})"
        return option.name

    @property
    def dns_on(self) -> bool | None:
        return httpdns_in_use(self.config, self.settings.sdk_version)

    @property
    def dropped_branches(self) -> str:
        """The uni-app #ifdef branches this platform's build drops, for a missing option's message."""
        dropped = [n for n in self.config.notes if "build, so they are not read" in n]
        return f" ({'; '.join(dropped)})" if dropped else ""

    @property
    def dns_sdk(self) -> str:
        """Who overwrites url/apiUrl from HTTP-DNS: SDK >= 4.12 unless an older version is given."""
        version = self.settings.sdk_version
        return "SDK >= 4.12" if version is None or version >= (4, 12) else "the SDK"

    @property
    def version_text(self) -> str:
        version = self.settings.sdk_version
        return "SDK " + ".".join(map(str, version)) if version else "SDK 4.12 or later (assumed)"

    # -- the checks ------------------------------------------------------------------------
    def run(self) -> list[CheckResult]:
        """Every concern in turn, each inside the crash guard under its main id."""
        self.step(CheckId.SDK_CONFIG_FOUND, self.found)
        if self.config.opaque:
            return self.results
        self.step(CheckId.SDK_VALUE_NOT_STATIC, self.not_static)
        self.step(CheckId.SDK_OPTION_UNKNOWN, self.options_known)
        self.step(CheckId.SDK_OPTION_TYPE, self.types)
        self.step(CheckId.SDK_APPKEY_FORMAT, self.app_key)
        self.step(CheckId.SDK_HTTPS_DISABLED, self.https)
        self.step(CheckId.SDK_HTTPDNS_ENABLED, self.httpdns)
        url_region = self.step(CheckId.SDK_URL_HOST, self.url)
        api_region = self.step(CheckId.SDK_APIURL_HOST, self.api_url)
        self.step(CheckId.SDK_REGION_MISMATCH, lambda: self.same_region(url_region, api_region))
        self.step(CheckId.SDK_HEARTBEAT_RANGE, self.heartbeat)
        self.step(CheckId.SDK_RECONNECT_ZERO, self.reconnect)
        self.step(CheckId.SDK_OPTION_CUSTOM_OS_PLATFORM, self.custom_os_platform)
        return self.results

    def step(self, check: CheckId, action: Callable[[], T]) -> T | None:
        """Runs one concern; a crash becomes an `error` result for `check` and the others run."""
        target = self.config.where(self.config.line)
        return run_guarded(check, target, action, self.results)

    def found(self) -> None:
        config = self.config
        if config.opaque:
            self.add(
                CheckId.SDK_CONFIG_NOT_STATIC,
                Status.WARN,
                f"cannot check statically: {config.opaque} in {config.description}",
                "Write the options as an object literal, or point sdk_config at the file that holds it.",
            )
            return
        message = f"read {len(config.options)} option(s) from {config.description}"
        self.add(
            CheckId.SDK_CONFIG_FOUND,
            Status.PASS,
            message,
            shape=config.shape.value,
            notes=list(config.notes) or None,
        )
        for note in config.notes:
            if "not checked" in note:
                self.add(CheckId.SDK_CONFIG_PARTIAL, Status.INFO, f"{note}", None)

    def not_static(self) -> None:
        for option in self.config.options:
            if option.static:
                continue
            name = _canonical(option.name, self.config)
            if name in IGNORED_OPTIONS:
                continue  # reported as ignored: its value does not matter
            important = name in ("appKey", "url", "apiUrl", "https", "isHttpDNS")
            origin = f", {option.origin}" if option.origin else ""
            fix = "Check this value by hand, or write it as a literal."
            if "imported from" in option.origin:
                fix = (
                    "Check the value where it is set; if that module exports the options object "
                    "(as the demos' WebIMConfig.js does), point sdk_config at it."
                )
            self.add(
                CheckId.SDK_VALUE_NOT_STATIC,
                Status.WARN if important else Status.INFO,
                f"{option.name}: cannot check statically: it is {option.reason} "
                f"{_quoted(option.source)}{origin}",
                fix,
                option,
                reason=option.reason,
                origin=option.origin or None,
            )

    def options_known(self) -> None:
        known = KNOWN_OPTIONS | set(IGNORED_OPTIONS)
        for option in self.config.options:
            name = _canonical(option.name, self.config)
            if name in IGNORED_OPTIONS:
                if (
                    name == "enableReportLogs"
                    and self.settings.sdk_version is not None
                    and self.settings.sdk_version < (4, 12)
                ):
                    continue
                self.add(
                    CheckId.SDK_OPTION_IGNORED,
                    Status.INFO,
                    f"{option.name} is ignored by SDK 4.x: {IGNORED_OPTIONS[name]}",
                    f"Remove {option.name}; it has no effect.",
                    option,
                )
            elif name not in known:
                close = _closest(option.name, KNOWN_OPTIONS)
                if self.config.shape is not ConfigShape.CONNECTION_CALL and close is None:
                    continue  # a config module holds the app's other settings too
                if close is not None:
                    self.add(
                        CheckId.SDK_OPTION_UNKNOWN,
                        Status.WARN,
                        f"{option.name} is not an SDK option; did you mean {close}? The SDK reads {close} only",
                        f"Rename {option.name} to {close}.",
                        option,
                        suggestion=close,
                    )
                else:
                    self.add(
                        CheckId.SDK_OPTION_UNKNOWN,
                        Status.INFO,
                        f"{option.name} is not an option SDK 4.x reads",
                        f"Remove {option.name} unless your own code reads it.",
                        option,
                    )

    def types(self) -> None:
        for name in BOOLEAN_OPTIONS:
            option, value = self.literal(name)
            if option is None or not option.static or value is None or isinstance(value, bool):
                continue
            truthy = "true" if value else "false"
            meant = (
                value.strip().lower() in ("true", "1") if isinstance(value, str) else bool(value)
            )
            self.add(
                CheckId.SDK_OPTION_TYPE,
                Status.FAIL,
                f"{self.label(option)} is {_js(value)}, not a boolean: the SDK reads it as {truthy}",
                f"Write {name}: {'true' if meant else 'false'} without quotes.",
                option,
            )
        for name in ("heartBeatWait", "autoReconnectNumMax", "customOSPlatform"):
            option, value = self.literal(name)
            if option is None or not option.static or value is None or _is_number(value):
                continue
            self.add(
                CheckId.SDK_OPTION_TYPE,
                Status.FAIL,
                f"{self.label(option)} is {_js(value)}, not a number",
                f"Write {name} as a number without quotes.",
                option,
            )
        for name in ("url", "apiUrl", "appKey"):
            option, value = self.literal(name)
            if option is None or not option.static or value is None or isinstance(value, str):
                continue
            self.add(
                CheckId.SDK_OPTION_TYPE,
                Status.FAIL,
                f"{self.label(option)} is {_js(value)}, not a string",
                f"Write {name} as a string.",
                option,
            )

    def app_key(self) -> None:
        app_id, app_id_value = self.literal("appId")
        option, value = self.literal("appKey")
        if app_id is not None:
            if app_id.static and (not isinstance(app_id_value, str) or not app_id_value):
                self.add(
                    CheckId.SDK_APPKEY_FORMAT,
                    Status.FAIL,
                    f"appId is {app_id_value!r}: the SDK throws `Invalid appId` unless it is a non-empty string",
                    "Set appId to the app's id from the console, or use appKey instead.",
                    app_id,
                )
            else:
                self.add(
                    CheckId.SDK_APPKEY_FORMAT,
                    Status.INFO,
                    "appId is set: the SDK ignores appKey and gets it from the HTTP-DNS answer",
                    None,
                    app_id,
                )
            return
        if option is None:
            self.add(
                CheckId.SDK_APPKEY_MISSING,
                Status.FAIL,
                "appKey is not set: the SDK throws `Invalid appKey`",
                'Set appKey to the app\'s "orgname#appname" from the console (应用详情).',
            )
            return
        if not option.static or not isinstance(value, str):
            return
        parts = value.split("#")
        placeholder = (
            " (it looks like the docs' placeholder)"
            if "appkey" in value.replace(" ", "").lower()
            else ""
        )
        if len(parts) != 2:
            count = len(parts) - 1
            self.add(
                CheckId.SDK_APPKEY_FORMAT,
                Status.FAIL,
                f"appKey {value!r} has {count or 'no'} '#'{placeholder}: it must be orgname#appname, "
                "and the SDK throws `Invalid appKey` otherwise",
                "Copy the appKey from the console (应用详情): orgname#appname.",
                option,
            )
            return
        org, app = parts
        if not org or not app:
            self.add(
                CheckId.SDK_APPKEY_FORMAT,
                Status.FAIL,
                f"appKey {value!r} has an empty {'org' if not org else 'app'} name: the SDK accepts it, "
                "but every REST call and the login then go to a wrong path",
                "Copy the appKey from the console (应用详情): orgname#appname.",
                option,
            )
            return
        ok = True
        if not APP_NAME_RE.match(app):
            ok = False
            self.add(
                CheckId.SDK_APPKEY_APPNAME,
                Status.FAIL,
                f"app name {app!r} of appKey {value!r} breaks the console's rule: only lowercase letters, "
                "digits and hyphens, at most 32 characters",
                "Copy the appKey from the console exactly (应用详情).",
                option,
            )
        if not ORG_NAME_RE.match(org):
            ok = False
            self.add(
                CheckId.SDK_APPKEY_ORGNAME,
                Status.WARN,
                f"org name {org!r} of appKey {value!r} has characters other than letters, digits and hyphens",
                "Check the appKey against the console (应用详情).",
                option,
            )
        expected = self.settings.app_key
        if expected is not None and expected != value:
            ok = False
            self.add(
                CheckId.SDK_APPKEY_MISMATCH,
                Status.FAIL,
                f"appKey {value!r} differs from the project file's app_key {expected!r}",
                "Use the same appKey in the SDK config and in domaincheck.yaml.",
                option,
                expected=expected,
            )
        if ok:
            self.add(
                CheckId.SDK_APPKEY_FORMAT,
                Status.PASS,
                f"appKey {value!r} has the form orgname#appname",
                None,
                option,
            )

    def https(self) -> None:
        option, value = self.literal("https")
        if option is None:
            version = self.settings.sdk_version
            if version is not None and version < (4, 12):
                self.add(
                    CheckId.SDK_HTTPS_MISSING,
                    Status.WARN,
                    f"https is not set: on mini programs {self.version_text} defaults it to false, "
                    "which selects http hosts and ws:// URLs when HTTP-DNS is on",
                    "Add https: true.",
                )
            return
        if value is False:
            self.add(
                CheckId.SDK_HTTPS_DISABLED,
                Status.FAIL,
                f"https: false on {self.rules.label}: the SDK then picks http hosts and "
                "ws:// URLs, which no mini-program platform allows",
                "Set https: true.",
                option,
            )
        elif value is True:
            self.add(CheckId.SDK_HTTPS_DISABLED, Status.PASS, "https: true", None, option)

    def httpdns(self) -> None:
        option, value = self.literal("isHttpDNS")
        dns_on = self.dns_on
        if dns_on is None:
            return  # not static: reported already
        if not dns_on:
            why = (
                "isHttpDNS: false"
                if option is not None
                else f"isHttpDNS defaults to false on {self.version_text}"
            )
            self.add(
                CheckId.SDK_HTTPDNS_ENABLED,
                Status.PASS,
                f"{why}: the SDK connects to url and apiUrl",
                None,
                option,
            )
            return
        alipay = (
            f" (the answer has no {self.rules.label} section: probably im-api-wechat* hosts)"
            if self.family is SocketFamily.ALIPAY
            else ""
        )
        why = (
            f"isHttpDNS is {_js(value)}"
            if option is not None
            else f"isHttpDNS is not set, so it defaults to true on {self.version_text}"
        )
        self.add(
            CheckId.SDK_HTTPDNS_ENABLED,
            Status.WARN,
            f"{why}: {self.dns_sdk} then ignores url and apiUrl and connects to the hosts the HTTP-DNS "
            f"answer of rs.easemob.com / rs.chat.agora.io names{alipay}; "
            "the Easemob docs say to set it false on mini programs",
            "Set isHttpDNS: false and keep url/apiUrl; or whitelist rs.easemob.com and rs.chat.agora.io "
            "and check the answer's hosts with `domaincheck check --httpdns`.",
            option,
        )
        for host in HTTPDNS_HOSTS:
            self.covered(
                option,
                host,
                "https",
                None,
                ConsoleList.REQUEST,
                CheckId.SDK_HTTPDNS_WHITELIST,
                "the HTTP-DNS server",
            )

    def url_option(
        self, key: str, checks: tuple[CheckId, CheckId], unserved: str, fix: Callable[[], str]
    ) -> _UrlOption | None:
        """Option `key` (url, apiUrl) as a URL; None when it is not set or not a string.

        `checks` are the ids of "missing" and "scheme". Unset with HTTP-DNS off, the SDK has no
        server for it (`unserved` says what breaks, `fix()` how to set it); spaces around it fail.
        """
        missing, scheme = checks
        option, value = self.literal(key)
        if option is None or _unset(option, value):
            if self.dns_on is False:
                self.add(
                    missing,
                    Status.FAIL,
                    f"{key} {_set_as(option, value)} but HTTP-DNS is off: {unserved}"
                    + self.dropped_branches,
                    fix(),
                    option,
                )
            return None
        if not isinstance(value, str):
            return None
        parts = _split(value)
        name = self.label(option)
        padded = value != value.strip()
        if padded:
            self.add(
                scheme,
                Status.FAIL,
                f"{name} {value!r} has spaces around it: the SDK passes it on as written",
                f"Write {value.strip()!r} without the spaces.",
                option,
            )
        host = (parts.hostname or "").lower().rstrip(".")
        return _UrlOption(option, value, parts, name, host, padded)

    def url(self) -> Region | None:
        found = self.url_option(
            "url",
            (CheckId.SDK_URL_MISSING, CheckId.SDK_URL_SCHEME),
            "the SDK has no socket server to connect to",
            lambda: f'Set url: "wss://{self._suggest(HostRole.SOCKET)}{SOCKET_PATH}".',
        )
        if found is None:
            return None
        option, value, parts, name, host, padded = found
        if not padded and parts.scheme.lower() != "wss":
            self.add(
                CheckId.SDK_URL_SCHEME,
                Status.FAIL,
                f"{name} {value!r} is not a wss:// URL: mini programs open sockets over wss only",
                f"Use wss://{host or self._suggest(HostRole.SOCKET)}{SOCKET_PATH}.",
                option,
            )
        path = parts.path
        if path != SOCKET_PATH:
            typo = (
                " (the doubled path of one uni-app doc version)" if path == SOCKET_PATH * 2 else ""
            )
            self.add(
                CheckId.SDK_URL_PATH,
                Status.FAIL,
                f"{name} has path {path or '(none)'!r}{typo}: the socket server listens on {SOCKET_PATH}",
                f"Use wss://{host}{SOCKET_PATH}.",
                option,
            )
        region = (
            self.known_host(option, name, host, HostRole.SOCKET, CheckId.SDK_URL_HOST)
            if host
            else None
        )
        if host:
            port = _port(parts)
            self.covered(
                option, host, "wss", port, ConsoleList.SOCKET, CheckId.SDK_URL_WHITELIST, name
            )
        return region

    def api_url(self) -> Region | None:
        found = self.url_option(
            "apiUrl",
            (CheckId.SDK_APIURL_MISSING, CheckId.SDK_APIURL_SCHEME),
            "REST calls (login, history, files) have no server",
            lambda: f'Set apiUrl: "https://{self._suggest(HostRole.REST)}".',
        )
        if found is None:
            return None
        option, value, parts, name, host, padded = found
        if not padded and parts.scheme.lower() != "https":
            self.add(
                CheckId.SDK_APIURL_SCHEME,
                Status.FAIL,
                f"{name} {value!r} is not an https:// URL: mini programs call https only",
                f"Use https://{host or self._suggest(HostRole.REST)}.",
                option,
            )
        if parts.path == "/":
            self.add(
                CheckId.SDK_APIURL_PATH,
                Status.WARN,
                f"{name} ends with '/': the SDK appends '/org/app/...', so every REST path starts with '//'",
                f"Use https://{host} without the trailing slash.",
                option,
            )
        elif parts.path or parts.query or parts.fragment:
            extra = value.strip().split(parts.netloc, 1)[-1] if parts.netloc else parts.path
            self.add(
                CheckId.SDK_APIURL_PATH,
                Status.FAIL,
                f"{name} has {extra!r} after the host: the SDK appends '/org/app/...' to the bare origin",
                f"Use https://{host}.",
                option,
            )
        region = (
            self.known_host(option, name, host, HostRole.REST, CheckId.SDK_APIURL_HOST)
            if host
            else None
        )
        if host:
            port = _port(parts)
            for wanted in (ConsoleList.REQUEST, ConsoleList.UPLOAD_FILE, ConsoleList.DOWNLOAD_FILE):
                if wanted is ConsoleList.REQUEST or self.rules.has_list(wanted):
                    self.covered(
                        option, host, "https", port, wanted, CheckId.SDK_APIURL_WHITELIST, name
                    )
        return region

    def same_region(self, url_region: Region | None, api_region: Region | None) -> None:
        if url_region is None or api_region is None or url_region.id == api_region.id:
            return
        url_option = self.options.get("url")
        self.add(
            CheckId.SDK_REGION_MISMATCH,
            Status.FAIL,
            f"url is a {url_region.name_zh} ({url_region.id}) host but apiUrl is a {api_region.name_zh} "
            f"({api_region.id}) host: both must be of the data centre the app lives in",
            "Take url and apiUrl from the same row of the data-centre table (console > 服务概览 shows the app's).",
            url_option,
            url_region=url_region.id,
            api_region=api_region.id,
        )

    def heartbeat(self) -> None:
        option, value = self.literal("heartBeatWait")
        if option is None or not _is_number(value):
            return
        low, high = self.settings.heartbeat_min_ms, self.settings.heartbeat_max_ms
        if value == 0:
            self.add(
                CheckId.SDK_HEARTBEAT_RANGE,
                Status.INFO,
                "heartBeatWait: 0 means the default, 30000 ms",
                None,
                option,
            )
        elif 0 < value < 1000:
            self.add(
                CheckId.SDK_HEARTBEAT_UNIT,
                Status.WARN,
                f"heartBeatWait is {value}: the SDK reads milliseconds, so this fires every {value} ms; "
                f"{value} looks like seconds (an older doc said 秒)",
                f"Write heartBeatWait: {int(value * 1000)} for {value} s.",
                option,
            )
        elif not low <= value <= high:
            self.add(
                CheckId.SDK_HEARTBEAT_RANGE,
                Status.WARN,
                f"heartBeatWait is {value} ms, outside the sane range {low}-{high} ms (default 30000)",
                "Use 30000 unless you have measured a reason not to.",
                option,
            )

    def reconnect(self) -> None:
        option, value = self.literal("autoReconnectNumMax")
        if option is None or not _is_number(value):
            return
        if value == 0:
            self.add(
                CheckId.SDK_RECONNECT_ZERO,
                Status.WARN,
                "autoReconnectNumMax: 0 silently becomes 5: the SDK reads `autoReconnectNumMax || 5`",
                "Remove it for the default 5, or give the number you mean (at least 1).",
                option,
            )
        elif value < 0 or value != int(value):
            self.add(
                CheckId.SDK_RECONNECT_ZERO,
                Status.WARN,
                f"autoReconnectNumMax is {value}: the SDK expects a whole number of attempts; a negative one turns reconnects off",
                "Give a whole number of attempts, e.g. 5.",
                option,
            )

    def custom_os_platform(self) -> None:
        option, value = self.literal("customOSPlatform")
        if option is None or not option.static or value is None:
            return
        if not _is_number(value) or not 1 <= value <= 100:
            self.add(
                CheckId.SDK_OPTION_CUSTOM_OS_PLATFORM,
                Status.FAIL,
                f"customOSPlatform is {value!r}: the SDK throws `Invalid customOSPlatform` unless it is 1-100",
                "Use a number from 1 to 100, or remove customOSPlatform.",
                option,
            )

    # -- host helpers ----------------------------------------------------------------------
    def known_host(
        self, option: SdkOption, name: str, host: str, role: HostRole, check: CheckId
    ) -> Region | None:
        """The chosen region `host` belongs to for `role`; reports why when it belongs to none."""
        places = self.places.get(host, [])
        role_places = [p for p in places if p.role is role]
        chosen = {r.id for r in self.settings.regions}
        family_ok = [
            p for p in role_places if role is not HostRole.SOCKET or p.family in (None, self.family)
        ]
        here = [p for p in family_ok if p.region.id in chosen]
        what = "socket" if role is HostRole.SOCKET else "REST"
        if here:
            region = here[0].region
            family = f" of the {self.family} family" if role is HostRole.SOCKET else ""
            self.add(
                check,
                Status.PASS,
                f"{name} host {host} is a {region.name_zh} ({region.id}) {what} host{family}",
                None,
                option,
                region=region.id,
            )
            return region
        chosen_names = ", ".join(f"{r.name_zh} ({r.id})" for r in self.settings.regions)
        expected = self._suggest(role)
        if family_ok:
            other = family_ok[0].region
            self.add(
                check,
                Status.FAIL,
                f"{name} host {host} is the {what} host of {other.name_zh} ({other.id}), "
                f"but the project's region is {chosen_names}",
                f"Use {expected}, or set the region to {other.id} if the app lives there.",
                option,
                region=other.id,
            )
            return other
        if role_places:
            wrong = role_places[0]
            self.add(
                check,
                Status.FAIL,
                f"{name} host {host} is {_a(str(wrong.family))}-family socket host; the {self.rules.label} SDK build "
                f"connects to the {self.family} family's hosts",
                f"Use {expected}.",
                option,
                family=str(wrong.family),
            )
            return wrong.region if wrong.region.id in chosen else None
        if host in self.settings.extra_hosts:
            self.add(
                check,
                Status.INFO,
                f"{name} host {host} is not an Easemob host domaincheck knows; it is one of the project's own domains",
                None,
                option,
            )
            return None
        other_roles = sorted({p.role.value for p in places})
        known_as = (
            f" (the registry knows it as a {'/'.join(other_roles)} host)" if other_roles else ""
        )
        if role is HostRole.SOCKET and WEB_SOCKET_HOST_RE.match(host):
            known_as = (
                " (it is a socket host of the web/desktop SDK in the data-centre table; the "
                f"mini-program SDK connects to im-api-{self.family}* hosts)"
            )
        self.add(
            check,
            Status.FAIL,
            f"{name} host {host} is not a {what} host of {chosen_names}{known_as}",
            f"Use {expected}; for a private deployment, list the host in extra_domains.",
            option,
        )
        return None

    def covered(
        self,
        option: SdkOption | None,
        host: str,
        scheme: str,
        port: int | None,
        console_list: ConsoleList,
        check: CheckId,
        what: str,
    ) -> bool:
        console_list = console_list_for(self.rules, scheme, console_list)
        reason = uncovered(self.rules, self.settings.coverage, console_list, host, scheme, port)
        shown = f"{scheme}://{host}" + (f":{port}" if port is not None else "")
        several = len(self.rules.lists) > 1
        where = (
            f"the {console_list} list of {self.settings.coverage.label}"
            if several
            else self.settings.coverage.label
        )
        details = {"host": host, "console_list": console_list.value}
        if reason is None:
            self.add(
                check,
                Status.PASS,
                f"{what} {shown} is let through by {where}",
                None,
                option,
                **details,
            )
            return True
        soft = several and console_list in (ConsoleList.UPLOAD_FILE, ConsoleList.DOWNLOAD_FILE)
        entry = entry_text(self.rules, console_list, host, port)
        self.add(
            check,
            Status.WARN if soft else Status.FAIL,
            f"{what} {shown} is not let through: {reason}"
            + (" (file messages will fail)" if soft else ""),
            f"Add {entry} to the {console_list} list."
            if several
            else f"Add {entry} to the whitelist.",
            option,
            **details,
        )
        return False

    def _suggest(self, role: HostRole) -> str:
        for region in self.settings.regions:
            for place_host in region.hosts_with(
                role, self.family if role is HostRole.SOCKET else None
            ):
                if place_host.alternative_of is None:
                    return place_host.host
        return "the host of your data centre"


def _index(registry: Registry) -> dict[str, list[_HostPlace]]:
    places: dict[str, list[_HostPlace]] = {}
    for region in registry.regions:
        for host in region.hosts:
            places.setdefault(host.host, []).append(_HostPlace(region, host.role, host.family))
    return places


def _canonical(name: str, config: SdkConfig) -> str:
    if config.shape is not ConfigShape.CONNECTION_CALL:
        return DEMO_ALIASES.get(name, name)
    return name


def _closest(name: str, candidates: Sequence[str] | frozenset[str]) -> str | None:
    by_fold = {c.casefold(): c for c in candidates}
    if name.casefold() in by_fold:
        return by_fold[name.casefold()]
    found = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.85)
    return found[0] if found else None


def _js(value: Any) -> str:
    """A value as JavaScript writes it: true, null, "text"."""
    return json.dumps(value, ensure_ascii=False)


def _unset(option: SdkOption, value: Any) -> bool:
    """A literal the SDK reads as "not set" (`o.url || ""`): null or an empty string."""
    return option.static and (value is None or (isinstance(value, str) and not value.strip()))


def _set_as(option: SdkOption | None, value: Any) -> str:
    return "is not set" if option is None else f"is {_js(value)}"


def _split(url: str) -> Any:
    """The parts of `url`; a URL written without a scheme still gives its host."""
    text = url.strip()
    return urlsplit(text if "://" in text or text.startswith("//") else "//" + text)


def _a(word: str) -> str:
    """`word` with its indefinite article: an alipay, a wechat."""
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _quoted(source: str) -> str:
    return source if source.startswith("`") else f"`{source}`"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _port(parts: Any) -> int | None:
    try:
        return int(parts.port) if parts.port is not None else None
    except ValueError:
        return None

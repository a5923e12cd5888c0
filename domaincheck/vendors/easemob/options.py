"""The Easemob SDK's option schema: which options the SDK reads, which it ignores, how the demos
name them, which are booleans, and the defaults that depend on the SDK version.
"""

from __future__ import annotations

import re

from domaincheck.vendors.easemob.model import ConfigShape, SdkConfig, SdkOption

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


def sdk_options(config: SdkConfig) -> dict[str, SdkOption]:
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


def canonical(name: str, config: SdkConfig) -> str:
    if config.shape is not ConfigShape.CONNECTION_CALL:
        return DEMO_ALIASES.get(name, name)
    return name


def httpdns_in_use(config: SdkConfig, sdk_version: tuple[int, ...] | None) -> bool | None:
    """True when the SDK will use HTTP-DNS with this config; None when that cannot be told statically."""
    option = sdk_options(config).get("isHttpDNS")
    if option is None:
        return sdk_version is None or sdk_version >= HTTPDNS_DEFAULT_TRUE_SINCE
    if not option.static:
        return None
    if sdk_version is not None and sdk_version < HTTPDNS_DEFAULT_TRUE_SINCE:
        return bool(option.value)
    return option.value is None or bool(option.value)


def config_app_key(config: SdkConfig) -> str | None:
    """The config's appKey when it is a literal string."""
    option = sdk_options(config).get("appKey")
    if option is not None and option.static and isinstance(option.value, str):
        return option.value
    return None

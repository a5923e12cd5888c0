"""How the connection behaves: the https flag, heartBeatWait, autoReconnectNumMax and
customOSPlatform.
"""

from __future__ import annotations

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import Status
from domaincheck.vendors.easemob.validate._base import Validator, is_number


def check_https_flag(v: Validator) -> None:
    option, value = v.literal("https")
    if option is None:
        version = v.settings.sdk_version
        if version is not None and version < (4, 12):
            v.add(
                CheckId.SDK_HTTPS_MISSING,
                Status.WARN,
                f"https is not set: on mini programs {v.version_text} defaults it to false, "
                "which selects http hosts and ws:// URLs when HTTP-DNS is on",
                "Add https: true.",
            )
        return
    if value is False:
        v.add(
            CheckId.SDK_HTTPS_DISABLED,
            Status.FAIL,
            f"https: false on {v.rules.label}: the SDK then picks http hosts and "
            "ws:// URLs, which no mini-program platform allows",
            "Set https: true.",
            option,
        )
    elif value is True:
        v.add(CheckId.SDK_HTTPS_DISABLED, Status.PASS, "https: true", None, option)


def check_heartbeat(v: Validator) -> None:
    option, value = v.literal("heartBeatWait")
    if option is None or not is_number(value):
        return
    low, high = v.settings.heartbeat_min_ms, v.settings.heartbeat_max_ms
    if value == 0:
        v.add(
            CheckId.SDK_HEARTBEAT_RANGE,
            Status.INFO,
            "heartBeatWait: 0 means the default, 30000 ms",
            None,
            option,
        )
    elif 0 < value < 1000:
        v.add(
            CheckId.SDK_HEARTBEAT_UNIT,
            Status.WARN,
            f"heartBeatWait is {value}: the SDK reads milliseconds, so this fires every {value} ms; "
            f"{value} looks like seconds (an older doc said 秒)",
            f"Write heartBeatWait: {int(value * 1000)} for {value} s.",
            option,
        )
    elif not low <= value <= high:
        v.add(
            CheckId.SDK_HEARTBEAT_RANGE,
            Status.WARN,
            f"heartBeatWait is {value} ms, outside the sane range {low}-{high} ms (default 30000)",
            "Use 30000 unless you have measured a reason not to.",
            option,
        )


def check_reconnect(v: Validator) -> None:
    option, value = v.literal("autoReconnectNumMax")
    if option is None or not is_number(value):
        return
    if value == 0:
        v.add(
            CheckId.SDK_RECONNECT_ZERO,
            Status.WARN,
            "autoReconnectNumMax: 0 silently becomes 5: the SDK reads `autoReconnectNumMax || 5`",
            "Remove it for the default 5, or give the number you mean (at least 1).",
            option,
        )
    elif value < 0 or not float(value).is_integer():
        v.add(
            CheckId.SDK_RECONNECT_ZERO,
            Status.WARN,
            f"autoReconnectNumMax is {value}: the SDK expects a whole number of attempts; a negative one turns reconnects off",
            "Give a whole number of attempts, e.g. 5.",
            option,
        )


def check_custom_os_platform(v: Validator) -> None:
    option, value = v.literal("customOSPlatform")
    if option is None or not option.static or value is None:
        return
    if not is_number(value) or not 1 <= value <= 100:
        v.add(
            CheckId.SDK_OPTION_CUSTOM_OS_PLATFORM,
            Status.FAIL,
            f"customOSPlatform is {value!r}: the SDK throws `Invalid customOSPlatform` unless it is 1-100",
            "Use a number from 1 to 100, or remove customOSPlatform.",
            option,
        )

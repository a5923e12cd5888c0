"""The mini-program platforms domaincheck knows; their whitelist rules live in `domaincheck.whitelist.rules`."""

from __future__ import annotations

from enum import StrEnum


class SocketFamily(StrEnum):
    """Which socket hosts a platform uses: im-api-alipay* for Alipay, im-api-wechat* for the rest."""

    ALIPAY = "alipay"
    WECHAT = "wechat"


class Platform(StrEnum):
    """A mini-program platform whose console holds a server-domain whitelist."""

    ALIPAY = "alipay"
    WECHAT = "wechat"
    DOUYIN = "douyin"
    BAIDU = "baidu"
    QQ = "qq"


# Which Easemob socket hosts each platform's SDK build connects to (easemob-sdk-and-domains.md §3).
SOCKET_FAMILY: dict[Platform, SocketFamily] = {
    Platform.ALIPAY: SocketFamily.ALIPAY,
    Platform.WECHAT: SocketFamily.WECHAT,
    Platform.DOUYIN: SocketFamily.WECHAT,
    Platform.BAIDU: SocketFamily.WECHAT,
    Platform.QQ: SocketFamily.WECHAT,
}

# The integration page's case: used when neither options nor a project file say otherwise.
DEFAULT_PLATFORM = Platform.ALIPAY
DEFAULT_REGION = "cn1"

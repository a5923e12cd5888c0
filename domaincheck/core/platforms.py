"""The mini-program platforms domaincheck knows; each one's profile is in `domaincheck.whitelist.profiles`."""

from __future__ import annotations

from enum import StrEnum


class SocketFamily(StrEnum):
    """Which socket hosts a platform uses: im-api-alipay* for Alipay, im-api-wechat* for the others."""

    ALIPAY = "alipay"
    WECHAT = "wechat"


class Platform(StrEnum):
    """A mini-program platform whose console holds a server-domain whitelist."""

    ALIPAY = "alipay"
    WECHAT = "wechat"
    DOUYIN = "douyin"
    BAIDU = "baidu"
    QQ = "qq"
    TAOBAO = "taobao"
    DINGTALK = "dingtalk"  # known, so that --platform dingtalk gets a reasoned refusal


# The integration page's case: used when neither options nor a project file say otherwise.
DEFAULT_PLATFORM = Platform.ALIPAY
DEFAULT_REGION = "cn1"

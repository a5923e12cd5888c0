"""isHttpDNS: whether the SDK asks the HTTP-DNS servers for its hosts, and whether those servers
are in the whitelist.
"""

from __future__ import annotations

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import ConsoleList, Status
from domaincheck.registry.model import SocketFamily
from domaincheck.vendors.easemob.httpdns import HTTPDNS_SERVERS
from domaincheck.vendors.easemob.validate._base import Validator, js


def check_httpdns(v: Validator) -> None:
    option, value = v.literal("isHttpDNS")
    dns_on = v.dns_on
    if dns_on is None:
        return  # not static: reported already
    if not dns_on:
        why = (
            "isHttpDNS: false"
            if option is not None
            else f"isHttpDNS defaults to false on {v.version_text}"
        )
        v.add(
            CheckId.SDK_HTTPDNS_ENABLED,
            Status.PASS,
            f"{why}: the SDK connects to url and apiUrl",
            None,
            option,
        )
        return
    alipay = (
        f" (the answer has no {v.rules.label} section: probably im-api-wechat* hosts)"
        if v.family is SocketFamily.ALIPAY
        else ""
    )
    why = (
        f"isHttpDNS is {js(value)}"
        if option is not None
        else f"isHttpDNS is not set, so it defaults to true on {v.version_text}"
    )
    v.add(
        CheckId.SDK_HTTPDNS_ENABLED,
        Status.WARN,
        f"{why}: {v.dns_sdk} then ignores url and apiUrl and connects to the hosts the HTTP-DNS "
        f"answer of rs.easemob.com / rs.chat.agora.io names{alipay}; "
        "the Easemob docs say to set it false on mini programs",
        "Set isHttpDNS: false and keep url/apiUrl; or whitelist rs.easemob.com and rs.chat.agora.io "
        "and check the answer's hosts with `domaincheck check --httpdns`.",
        option,
    )
    for host in HTTPDNS_SERVERS:
        v.covered(
            option,
            host,
            "https",
            None,
            ConsoleList.REQUEST,
            CheckId.SDK_HTTPDNS_WHITELIST,
            "the HTTP-DNS server",
        )

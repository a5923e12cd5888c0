"""Platform profiles: everything domaincheck knows about one mini-program platform, in one record.

A profile holds the platform's whitelist rules (console lists with their titles, entry form,
matching, ports, count limit; the facts come from `miniprogram-domain-rules.md`), the Easemob
socket family its SDK build connects to, its uni-app build target (which `#ifdef` branches its
build keeps) and, when domaincheck can change its console, the console API. The whitelist
builder, the renderers, the SDK-config reader and the CLI read the profile instead of naming a
platform; adding a platform means adding a `Platform` member, a profile here and the registry data.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from domaincheck.core.errors import UsageError
from domaincheck.core.platforms import Platform, SocketFamily
from domaincheck.core.whitelist_model import ConsoleList
from domaincheck.registry.model import HostRole
from domaincheck.whitelist.rules import (
    ConsoleListRules,
    CountLimit,
    EntryForm,
    Matching,
    PlatformRules,
    PortRule,
    with_count_limit,
)


class ConsoleApi(StrEnum):
    """A console API through which `domaincheck sync` can read and change a platform's whitelist."""

    ALIPAY_OPEN_API = (
        "alipay-open-api"  # alipay.open.mini.safedomain.create/delete (domaincheck.alipay)
    )


class PlatformProfile(NamedTuple):
    """One platform: its whitelist rules, SDK socket family, uni-app target and console API.

    `uni_app_target` is the uni-app build target (`mp-weixin`); its upper-case form is the name
    that `// #ifdef MP-WEIXIN` tests. `console_api` is None where domaincheck cannot sync the
    console (it only prints the list to paste).
    """

    platform: Platform
    rules: PlatformRules
    socket_family: SocketFamily
    uni_app_target: str
    console_api: ConsoleApi | None = None

    @property
    def uni_app_define(self) -> str:
        """The name uni-app's conditional compilation tests for this platform: `MP-WEIXIN`."""
        return self.uni_app_target.upper()


# WeChat-style consoles: four lists, https entries for request/upload/download, wss for socket.
# Each: the list, its title in the console, the scheme of its URLs and entries, the API it governs.
_ORIGIN_LISTS = (
    (ConsoleList.REQUEST, "request合法域名", "https", "request"),
    (ConsoleList.SOCKET, "socket合法域名", "wss", "connectSocket"),
    (ConsoleList.UPLOAD_FILE, "uploadFile合法域名", "https", "uploadFile"),
    (ConsoleList.DOWNLOAD_FILE, "downloadFile合法域名", "https", "downloadFile"),
)


def _origin_lists(
    https_port: PortRule, wss_port: PortRule, prefix: str
) -> tuple[ConsoleListRules, ...]:
    return tuple(
        ConsoleListRules(
            console_list,
            title,
            (scheme,),
            scheme,
            wss_port if scheme == "wss" else https_port,
            (f"{prefix}.{api}",),
        )
        for console_list, title, scheme, api in _ORIGIN_LISTS
    )


_TLS_NOTE = "Every domain must be ICP-filed (备案); domaincheck cannot check that offline."


def _wechat_style(
    platform: Platform,
    *,
    label: str,
    display_name: str,
    console_path: str,
    api_prefix: str,
    count_limit: CountLimit,
    ports: tuple[PortRule, PortRule] = (PortRule.EXACT, PortRule.ANY_UNCONFIRMED),
    more_lists: tuple[ConsoleListRules, ...] = (),
    reserved_domains: tuple[str, ...] = (),
    sources: tuple[str, ...],
    notes: tuple[str, ...],
    edit_note: str = "",
) -> PlatformRules:
    """WeChat and the consoles that copy it: four lists of origins, matched by exact host.

    `ports` are the port rules of the https lists and of the socket list (WeChat's "any port" for
    wss is unconfirmed elsewhere until a source says so); `more_lists` follow the four; the ICP
    note ends `notes`.
    """
    return PlatformRules(
        platform=platform,
        label=label,
        display_name=display_name,
        console_path=console_path,
        lists=(*_origin_lists(*ports, api_prefix), *more_lists),
        entry_form=EntryForm.ORIGIN,
        matching=Matching.EXACT_HOST,
        count_limit=count_limit,
        reserved_domains=reserved_domains,
        sources=sources,
        notes=(*notes, _TLS_NOTE),
        edit_note=edit_note,
    )


# WeChat's other lists (network.html; getDomainInfo shows udp entries as udp://host; the form of a
# tcp entry is unconfirmed, so it is written as a bare host); the DNS预解析域名 list takes at most 5
# hosts without a scheme and governs no URL of its own.
_WECHAT_MORE_LISTS = (
    ConsoleListRules(
        ConsoleList.UDP,
        "udp合法域名",
        ("udp",),
        "udp",
        PortRule.UNSPECIFIED,
        ("wx.createUDPSocket",),
    ),
    ConsoleListRules(
        ConsoleList.TCP,
        "tcp合法域名",
        ("tcp",),
        None,
        PortRule.UNSPECIFIED,
        ("wx.createTCPSocket",),
    ),
    ConsoleListRules(
        ConsoleList.DNS_PREFETCH, "DNS预解析域名", (), None, PortRule.FORBIDDEN, (), max_entries=5
    ),
)


_ALIPAY = PlatformRules(
    platform=Platform.ALIPAY,
    label="Alipay",
    display_name="Alipay (支付宝小程序)",
    console_path="开放平台 > 小程序详情 > 设置 > 开发设置 > 服务器域名白名单",
    lists=(
        ConsoleListRules(
            ConsoleList.WHITELIST,
            "服务器域名白名单",
            ("https", "wss"),
            None,
            PortRule.UNSPECIFIED,
            ("my.request", "my.uploadFile", "my.downloadFile", "my.connectSocket"),
        ),
    ),
    entry_form=EntryForm.BARE_HOST,
    matching=Matching.REGISTRABLE_DOMAIN,
    count_limit=CountLimit(
        limit=30,
        per_list=False,
        source="alipay-sdk-java-all AlipayOpenMiniSafedomainCreateModel: 每个应用最多可添加30个 URL",
        alternatives=(("isv", 50),),
    ),
    sources=(
        "AlipayDocs/open-docs mini/api/基础API/网络/网络 API 使用须知.md",
        "AlipayDocs/open-docs support/支付宝小程序/案例分析/服务器域名白名单.md",
    ),
    notes=(
        "Alipay matches the whitelist by registrable domain (一级域名): easemob.com covers a1.easemob.com.",
        "Alipay applies a changed whitelist only to builds uploaded after the change; upload a new build (体验版) to test it.",
        "Alipay documents the whitelist for my.request and my.uploadFile; whether my.connectSocket and my.downloadFile are checked is unconfirmed, so their hosts are listed too.",
        "ISV (third-party) template apps: the list to edit is the third-party app's, 50 entries shared by every template built from it; a list set on the merchant's own app has no effect on them.",
        _TLS_NOTE,
    ),
    role_notes=(
        (
            HostRole.SOCKET,
            "socket host: whether Alipay checks my.connectSocket against the whitelist is unconfirmed; listed to be safe",
        ),
        (
            HostRole.DOWNLOAD,
            "download host: whether Alipay checks my.downloadFile against the whitelist is unconfirmed; listed to be safe",
        ),
    ),
)

PROFILES: dict[Platform, PlatformProfile] = {
    Platform.ALIPAY: PlatformProfile(
        Platform.ALIPAY,
        _ALIPAY,
        SocketFamily.ALIPAY,
        "mp-alipay",
        ConsoleApi.ALIPAY_OPEN_API,
    ),
    Platform.WECHAT: PlatformProfile(
        Platform.WECHAT,
        _wechat_style(
            Platform.WECHAT,
            label="WeChat",
            display_name="WeChat (微信小程序)",
            console_path="微信公众平台 > 开发管理 > 开发设置 > 服务器域名",
            api_prefix="wx",
            count_limit=CountLimit(
                limit=200,
                per_list=True,
                source="WeChat Open API modifyServerDomain: 设置数量均最大支持200个",
                legacy_limit=20,
                legacy_source="WeChat network doc (older): 对于每个接口，分别可以配置最多 20 个域名",
            ),
            ports=(PortRule.EXACT, PortRule.ANY),
            more_lists=_WECHAT_MORE_LISTS,
            reserved_domains=("api.weixin.qq.com",),
            sources=(
                "developers.weixin.qq.com/miniprogram/dev/framework/ability/network.html",
                "WeChat Open API modifyServerDomain (每月可提交修改申请50次)",
            ),
            notes=(
                "WeChat matches each entry by exact host: list every subdomain, a parent domain covers nothing.",
                "After changing the console, refresh the project config in the devtools (详情 > 域名信息).",
            ),
            edit_note="WeChat allows 50 change requests a month (每月可提交修改申请50次; older guides say 5 for console edits): make all the changes in one request.",
        ),
        SocketFamily.WECHAT,
        "mp-weixin",
    ),
    Platform.DOUYIN: PlatformProfile(
        Platform.DOUYIN,
        _wechat_style(
            Platform.DOUYIN,
            label="Douyin",
            display_name="Douyin (抖音小程序)",
            console_path="开发 > 开发配置 > 域名管理",
            api_prefix="tt",
            count_limit=CountLimit(
                limit=20,
                per_list=True,
                source="Douyin third-party API modify_server_domain, error 40024: 最多设置 20 个",
            ),
            sources=(
                "developer.open-douyin.com mini-app network doc",
                "developer.open-douyin.com third-party API modify_server_domain (v2)",
            ),
            notes=(
                "Douyin matches each entry by exact host, like WeChat.",
                "Douyin does not say that socket URLs may use any port (WeChat's rule): keep sockets on 443.",
                "Douyin's third-party management API (modify_server_domain) takes bare hosts without scheme or port (error 40027), at most 20 per list: strip https:// and wss:// from these entries there.",
            ),
        ),
        SocketFamily.WECHAT,
        "mp-toutiao",
    ),
    Platform.BAIDU: PlatformProfile(
        Platform.BAIDU,
        _wechat_style(
            Platform.BAIDU,
            label="Baidu",
            display_name="Baidu (百度智能小程序)",
            console_path="智能小程序后台 > 设置 > 开发设置 > 服务器域名",
            api_prefix="swan",
            ports=(PortRule.FORBIDDEN, PortRule.FORBIDDEN),
            count_limit=CountLimit(
                limit=20,
                per_list=True,
                source="Baidu smart-program docs (2021-03 mirror): 20 domains per interface",
            ),
            reserved_domains=("openapi.baidu.com",),
            sources=("bookstack.cn smartprogram-20210306 mirror (secondary)",),
            notes=("Baidu allows no port in entries: 域名不能使用 IP 地址、localhost 或端口号.",),
        ),
        SocketFamily.WECHAT,
        "mp-baidu",
    ),
    Platform.QQ: PlatformProfile(
        Platform.QQ,
        _wechat_style(
            Platform.QQ,
            label="QQ",
            display_name="QQ (QQ小程序)",
            console_path="QQ小程序管理后台 > 开发 > 开发设置 > 服务器域名",
            api_prefix="qq",
            count_limit=CountLimit(
                limit=20,
                per_list=True,
                source="QQ mini-program docs (w3cschool mirror): 20 per interface",
            ),
            reserved_domains=("api.q.qq.com",),
            sources=("w3cschool.cn qqxiaochengxu mirror (secondary)",),
            notes=(
                "QQ matches each entry by exact host, like WeChat.",
                "QQ does not say that socket URLs may use any port (WeChat's rule): keep sockets on 443.",
            ),
        ),
        SocketFamily.WECHAT,
        "mp-qq",
    ),
    # Easemob's taobao.md (@2c26a739) lists the hosts and uses the im-api-wechat* sockets (its
    # data-centre table and init sample); Taobao's own rules come from its open-platform document
    # on the 外联白名单 (docId 120305), which Easemob's page links as the place to apply. What that
    # document does not say is marked unconfirmed in the notes.
    Platform.TAOBAO: PlatformProfile(
        Platform.TAOBAO,
        PlatformRules(
            platform=Platform.TAOBAO,
            label="Taobao",
            display_name="Taobao (淘宝小程序)",
            console_path="淘宝开放平台控制台 > 应用管理 > 我的应用 > 应用管理 > 云函数 > 域名配置 > 添加",
            lists=(
                ConsoleListRules(
                    ConsoleList.WHITELIST,
                    "域名配置 (外联白名单)",
                    ("https", "wss"),
                    None,
                    PortRule.EXACT,
                    ("my.request", "my.uploadFile", "my.downloadFile", "my.connectSocket"),
                ),
            ),
            entry_form=EntryForm.BARE_HOST,
            matching=Matching.EXACT_HOST,
            count_limit=CountLimit(
                limit=10,
                per_list=False,
                source="Taobao open platform, 外联白名单 (docId 120305): 白名单域名最多支持配置10个（指申请通过的记录数最多10条）",
            ),
            sources=(
                "淘宝开放平台 docId 120305 (外联白名单 / 云函数 域名配置), as mirrored at open.alitrip.com articleId=120305",
                "easemob/easemob-doc docs/document/applet/taobao.md @2c26a739",
            ),
            notes=(
                "Taobao approves each domain (审核 1-5 working days); until then it works only in the test environment (测试环境).",
                "Taobao keeps at most 10 approved domains and an approved domain cannot be deleted (配置后无法删除): apply only for the regions your app uses.",
                "Taobao enters a domain without path, with its port when the URL names one (若有端口号，请求域名需要加上端口号).",
                "Taobao filters request parameters (in the URL and the body) that were not applied for with the domain; which parameters the Easemob SDK needs is not documented.",
                "Taobao mini programs send only GET and POST (Easemob taobao.md): the SDK's PUT and DELETE calls fail with 400; do those through your own server.",
                "Unconfirmed for Taobao: whether the list matches exact hosts (assumed, so every host is listed), and whether it governs my.connectSocket (socket hosts listed to be safe).",
            ),
            role_notes=(
                (
                    HostRole.SOCKET,
                    "socket host: whether Taobao's 域名配置 governs my.connectSocket is unconfirmed; listed to be safe",
                ),
            ),
        ),
        SocketFamily.WECHAT,
        # uni-app builds Taobao mini programs as a sub-platform of mp-alipay (package.json
        # `uni-app.scripts`); the sub-platform's own define is the project's choice.
        "mp-alipay",
    ),
}

# Platforms domaincheck knows of but cannot make a list for, and why; `--platform` with one of
# them is refused with this text instead of a list that would be invented.
UNSUPPORTED: dict[Platform, str] = {
    Platform.DINGTALK: (
        "DingTalk (钉钉小程序) is not supported: the Easemob SDK runs on DingTalk (release 4.0.2), "
        "but Easemob publishes no DingTalk whitelist page, and domaincheck found no DingTalk "
        "document saying whether its console has a server-domain list, in what form, or how "
        "many entries it takes, so any list would be invented. What to do: see whether your "
        "DingTalk developer console asks for server domains; if it does, enter the hosts your "
        "SDK config connects to (url and apiUrl; with isHttpDNS on also rs.easemob.com and "
        "rs.chat.agora.io). DingTalk mini programs run on Alipay's mini-program framework "
        "(uni-app builds them from mp-alipay), so `domaincheck whitelist --platform alipay` "
        "gives the closest documented list, and `domaincheck check --platform alipay` probes "
        "those hosts live"
    ),
}


def profile_for(platform: Platform | str) -> PlatformProfile:
    """The profile of `platform` (a `Platform` or its value).

    ValueError for an unknown name; `UsageError` with the reason for a platform domaincheck knows
    but does not support (DingTalk).
    """
    chosen = Platform(platform)
    profile = PROFILES.get(chosen)
    if profile is None:
        raise UsageError(UNSUPPORTED[chosen])
    return profile


def rules_for(platform: Platform | str, *, max_entries: int | None = None) -> PlatformRules:
    """The whitelist rules of `platform`, with the count limit replaced when `max_entries` is given."""
    rules = profile_for(platform).rules
    return rules if max_entries is None else with_count_limit(rules, max_entries)


def list_title(platform: str, console_list: ConsoleList) -> str:
    """The console's name for `console_list` on `platform`; the list id for an unknown platform."""
    try:
        return profile_for(platform).rules.title_of(console_list)
    except (ValueError, UsageError):
        return console_list.value


def platforms_with_console_api() -> tuple[Platform, ...]:
    """The platforms whose console `domaincheck sync` can change."""
    return tuple(p for p, profile in PROFILES.items() if profile.console_api is not None)

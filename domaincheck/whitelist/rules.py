"""Each platform's server-domain whitelist rules, as data, and the one function that applies them.

The facts come from `miniprogram-domain-rules.md` (§1 to §6 and the table in §6); where sources
disagree on a number, the rule holds a documented default and the other figure with its source, and
callers may override the default (`with_count_limit`). `covers` decides whether a whitelist entry
lets the app reach a URL; the whitelist builder, the static checks, the SDK-config checks and the
console diff all use it, so the platforms' matching lives in one place.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from domaincheck.core.platforms import Platform
from domaincheck.core.whitelist_model import ConsoleList

if TYPE_CHECKING:
    from domaincheck.core.domains import ParsedEntry


class EntryForm(StrEnum):
    """How a console wants an entry written."""

    BARE_HOST = "bare-host"  # example.com (Alipay)
    ORIGIN = "origin"  # https://example.com, wss://example.com (WeChat and its followers)


class PortRule(StrEnum):
    """What a console list says about ports, in the entry and in the URLs the app uses."""

    # An entry may name a port; then only URLs naming exactly that port match, and an entry without
    # a port matches only URLs without one (`https://host:443/x` fails). WeChat/QQ/Douyin https.
    EXACT = "exact"
    # No port needed in the entry; URLs may use any port. WeChat/QQ/Douyin wss.
    ANY = "any"
    # Neither entries nor URLs may name a port. Baidu: "域名不能使用 IP 地址、localhost 或端口号".
    FORBIDDEN = "forbidden"
    # Alipay: no statement; emit the bare host, flag ports written in entries, match on the host.
    UNSPECIFIED = "unspecified"


class Matching(StrEnum):
    """How a console entry is compared with the host of a URL."""

    EXACT_HOST = "exact-host"  # the host must equal the entry: "不支持配置父域名，使用子域名"
    REGISTRABLE_DOMAIN = "registrable-domain"  # Alipay: a.com covers 1.a.com (一级域名匹配)


# The rules are immutable `NamedTuple`s rather than frozen dataclasses: `whitelist` defines them at
# start-up, and on Python 3.11 a frozen dataclass costs about 0.8 ms to define, a NamedTuple 0.15 ms.


class ConsoleListRules(NamedTuple):
    """One list of a platform console: its name there, the scheme of its entries and its port rule."""

    console_list: ConsoleList
    title: str  # the list's name in the console
    schemes: tuple[str, ...]  # schemes of the URLs this list governs
    entry_scheme: str | None  # scheme written in the entry; None for bare hosts
    port_rule: PortRule
    apis: tuple[str, ...] = ()


class CountLimit(NamedTuple):
    """How many entries a console takes, where the figure comes from, and any figure it disputes.

    `limit` is the default used by the checks (over it: fail). `legacy_limit`, when set, is a lower
    figure that other sources give (over it: warn). `alternatives` are named figures for other
    account types, e.g. Alipay's 50 for ISV (三方应用) templates.
    """

    limit: int
    per_list: bool  # True: each console list has its own limit; False: one limit for all entries
    source: str
    legacy_limit: int | None = None
    legacy_source: str = ""
    alternatives: tuple[tuple[str, int], ...] = ()


class PlatformRules(NamedTuple):
    """Everything the checks need to know about one platform's whitelist.

    `lists` is in the console's own order. `reserved_domains` can never be configured.
    `notes` are reminders printed with the whitelist (when changes take effect, ICP filing).
    """

    platform: Platform
    label: str  # the platform's name in messages: "Alipay", "WeChat"
    display_name: str
    console_path: str
    lists: tuple[ConsoleListRules, ...]
    entry_form: EntryForm
    matching: Matching
    count_limit: CountLimit
    reserved_domains: tuple[str, ...] = ()
    bans_ip: bool = True
    bans_localhost: bool = True
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def allowed_schemes(self) -> tuple[str, ...]:
        """Every URL scheme some list of this console accepts (https, wss)."""
        seen: dict[str, None] = {}
        for rules in self.lists:
            for scheme in rules.schemes:
                seen.setdefault(scheme, None)
        return tuple(seen)

    def list_rules(self, console_list: ConsoleList) -> ConsoleListRules:
        """The rules of one console list; KeyError for a list this platform does not have."""
        for rules in self.lists:
            if rules.console_list is console_list:
                return rules
        raise KeyError(f"{self.platform} has no {console_list} list")

    def has_list(self, console_list: ConsoleList) -> bool:
        return any(rules.console_list is console_list for rules in self.lists)

    def list_for_scheme(self, scheme: str | None) -> ConsoleListRules | None:
        """The list that governs URLs of `scheme` ("https" → request, "wss" → socket)."""
        for rules in self.lists:
            if scheme is None or scheme in rules.schemes:
                return rules
        return None


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
    ports: tuple[PortRule, PortRule] = (PortRule.EXACT, PortRule.ANY),
    reserved_domains: tuple[str, ...] = (),
    sources: tuple[str, ...],
    notes: tuple[str, ...],
) -> PlatformRules:
    """WeChat and the consoles that copy it: four lists of origins, matched by exact host.

    `ports` are the port rules of the https lists and of the socket list; the ICP note ends `notes`.
    """
    return PlatformRules(
        platform=platform,
        label=label,
        display_name=display_name,
        console_path=console_path,
        lists=_origin_lists(*ports, api_prefix),
        entry_form=EntryForm.ORIGIN,
        matching=Matching.EXACT_HOST,
        count_limit=count_limit,
        reserved_domains=reserved_domains,
        sources=sources,
        notes=(*notes, _TLS_NOTE),
    )


RULES: dict[Platform, PlatformRules] = {
    Platform.ALIPAY: PlatformRules(
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
            _TLS_NOTE,
        ),
    ),
    Platform.WECHAT: _wechat_style(
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
        reserved_domains=("api.weixin.qq.com",),
        sources=("developers.weixin.qq.com/miniprogram/dev/framework/ability/network.html",),
        notes=(
            "WeChat matches each entry by exact host: list every subdomain, a parent domain covers nothing.",
            "After changing the console, refresh the project config in the devtools (详情 > 域名信息).",
        ),
    ),
    Platform.DOUYIN: _wechat_style(
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
        sources=("developer.open-douyin.com mini-app network doc",),
        notes=("Douyin matches each entry by exact host, like WeChat.",),
    ),
    Platform.BAIDU: _wechat_style(
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
    Platform.QQ: _wechat_style(
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
        notes=("QQ matches each entry by exact host, like WeChat.",),
    ),
}


def rules_for(platform: Platform | str, *, max_entries: int | None = None) -> PlatformRules:
    """The rules of `platform`, with the count limit replaced when `max_entries` is given."""
    rules = RULES[Platform(platform)]
    return rules if max_entries is None else with_count_limit(rules, max_entries)


def with_count_limit(rules: PlatformRules, limit: int) -> PlatformRules:
    """A copy of `rules` whose count limit is `limit` (e.g. 50 for an Alipay ISV template)."""
    count = rules.count_limit._replace(limit=limit, legacy_limit=None, legacy_source="")
    return rules._replace(count_limit=count)


def entry_text(
    rules: PlatformRules, console_list: ConsoleList, host: str, port: int | None = None
) -> str:
    """`host` written as `console_list` of this platform wants it: `a.com` or `https://a.com[:port]`.

    A port is kept only where the list's rule lets an entry name one (`PortRule.EXACT`).
    """
    list_rules = rules.list_rules(console_list)
    if rules.entry_form is EntryForm.BARE_HOST or list_rules.entry_scheme is None:
        return host
    if port is not None and list_rules.port_rule is PortRule.EXACT:
        return f"{list_rules.entry_scheme}://{host}:{port}"
    return f"{list_rules.entry_scheme}://{host}"


def why_not_covered(
    rules: PlatformRules,
    entry: ParsedEntry | str,
    host: str,
    scheme: str,
    port: int | None = None,
) -> str | None:
    """Why `entry` does not let the app reach `scheme://host[:port]`; None when it does.

    `port` is the port as written in the app's URL (None when the URL names none). Entries that are
    IP literals, localhost, wildcards or invalid cover nothing. Under exact-host matching the hosts
    must be equal; under Alipay's registrable-domain matching an entry that is a registrable domain
    covers it and every subdomain, and a deeper entry is taken to cover only its own host, because
    whether Alipay widens it to its siblings is unconfirmed.
    """
    from domaincheck.core.domains import is_subdomain_or_same, parse_entry  # lazy: start-up time

    parsed = parse_entry(entry) if isinstance(entry, str) else entry
    if not parsed.is_name:
        reason = parsed.problems[0] if parsed.problems else f"the entry is a {parsed.kind} host"
        return f"{parsed.original.strip()} can never match: {reason}"
    target = parse_entry(host)
    if not target.is_name:
        return f"{host} cannot be whitelisted on {rules.label}"
    scheme = scheme.lower()
    if scheme not in rules.allowed_schemes:
        return f"{rules.label} allows only {'/'.join(rules.allowed_schemes)} URLs, not {scheme}"
    if parsed.scheme is not None and parsed.scheme != scheme:
        return f"{parsed.original.strip()} is a {parsed.scheme} entry; the URL is {scheme}"
    list_rules = rules.list_for_scheme(scheme)
    if list_rules is None:  # pragma: no cover - allowed_schemes comes from the lists
        return f"{rules.label} has no list for {scheme} URLs"
    port_problem = _port_mismatch(list_rules.port_rule, parsed.port, port)
    if port_problem:
        return port_problem

    if rules.matching is Matching.EXACT_HOST:
        if parsed.host != target.host:
            return f"{rules.label} matches exact hosts: {parsed.host} is not {target.host}"
        return None
    from domaincheck.core.psl import registrable_domain  # lazy: reads the Public Suffix List

    if registrable_domain(parsed.host) == parsed.host:
        if is_subdomain_or_same(target.host, parsed.host):
            return None
        return f"{target.host} is not under {parsed.host}"
    if parsed.host == target.host:
        return None
    return (
        f"{parsed.host} is not a registrable domain; whether Alipay lets it cover {target.host} "
        f"is unconfirmed (list {registrable_domain(target.host) or target.host} to be sure)"
    )


def _port_mismatch(rule: PortRule, entry_port: int | None, url_port: int | None) -> str | None:
    if rule is PortRule.EXACT:
        if entry_port == url_port:
            return None
        if entry_port is None:
            return f"the entry names no port, so a URL naming :{url_port} does not match (not even :443)"
        if url_port is None:
            return f"the entry names port {entry_port}; the URL must name :{entry_port} too"
        return f"the entry is for port {entry_port}, the URL uses {url_port}"
    if rule is PortRule.FORBIDDEN:
        if entry_port is not None:
            return f"this platform allows no port in an entry (:{entry_port})"
        if url_port is not None:
            return f"this platform allows no port in URLs (:{url_port})"
    return None


def covers(
    rules: PlatformRules,
    entry: ParsedEntry | str,
    host: str,
    scheme: str,
    port: int | None = None,
) -> bool:
    """True when whitelist `entry` lets the app reach `scheme://host[:port]` on this platform.

    The single definition of the platforms' matching (exact host, or Alipay's registrable domain),
    their port rules and schemes; `why_not_covered` gives the reason when it does not.
    """
    return why_not_covered(rules, entry, host, scheme, port) is None

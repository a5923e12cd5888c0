"""The shape of a platform's server-domain whitelist rules, and the one function that applies them.

Each platform's rules are data in its profile (`domaincheck.whitelist.profiles`); where sources
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
from domaincheck.registry.model import HostRole

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
    # No port needed in the entry; URLs may use any port. WeChat wss ("不需要配置端口，所有端口均可").
    ANY = "any"
    # As ANY, but only copied from WeChat: the platform does not say so (QQ, Douyin wss). Matches
    # like ANY; a URL or entry naming a port other than 443 is warned about (`port_caveat`).
    ANY_UNCONFIRMED = "any-unconfirmed"
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
    max_entries: int | None = None  # this list's own limit (WeChat's DNS预解析域名: 5)


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

    `lists` is in the console's own order; each list's `title` is its one spelling everywhere.
    `reserved_domains` can never be configured. `notes` are reminders printed with the whitelist
    (when changes take effect, ICP filing). `role_notes` say why hosts of a registry role are
    listed although the platform does not say it checks them (Alipay's socket and download hosts).
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
    role_notes: tuple[tuple[HostRole, str], ...] = ()
    edit_note: str = ""  # said wherever the tool asks the user to change the console's list

    def role_note(self, role: HostRole) -> str | None:
        """Why a host of `role` is on this console's list although that is unconfirmed, if it is."""
        return next((note for r, note in self.role_notes if r is role), None)

    def title_of(self, console_list: ConsoleList) -> str:
        """The console's name for `console_list`; the list id itself for a list it does not have."""
        for rules in self.lists:
            if rules.console_list is console_list:
                return rules.title
        return console_list.value

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

    def limit_of(self, console_list: ConsoleList) -> int:
        """How many entries `console_list` takes: its own limit, else the console's."""
        for rules in self.lists:
            if rules.console_list is console_list and rules.max_entries is not None:
                return rules.max_entries
        return self.count_limit.limit

    def list_for_scheme(self, scheme: str | None) -> ConsoleListRules | None:
        """The list that governs URLs of `scheme` ("https" → request, "wss" → socket)."""
        for rules in self.lists:
            if scheme is None or scheme in rules.schemes:
                return rules
        return None


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
        if port is not None and list_rules.port_rule is PortRule.EXACT:
            return f"{host}:{port}"  # Taobao: 若有端口号，请求域名需要加上端口号
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
        f"{parsed.host} is not a registrable domain; whether {rules.label} lets it cover {target.host} "
        f"is unconfirmed (list {registrable_domain(target.host) or target.host} to be sure)"
    )


def port_caveat(rules: PlatformRules, scheme: str, port: int | None) -> str | None:
    """Why a URL of `scheme` naming `port` may fail although an entry covers it, if it may.

    Only for lists whose "any port" rule is copied from WeChat rather than stated (QQ, Douyin wss):
    until a source says so, a port other than 443 is a risk worth a warning, not a pass.
    """
    list_rules = rules.list_for_scheme(scheme.lower())
    if list_rules is None or list_rules.port_rule is not PortRule.ANY_UNCONFIRMED:
        return None
    if port is None or port == 443:
        return None
    return (
        f"{rules.label} does not say that {scheme} URLs may use any port (that rule is WeChat's); "
        f"whether :{port} works is unconfirmed"
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

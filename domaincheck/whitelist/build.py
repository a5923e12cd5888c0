"""The whitelist a platform console needs for the chosen Easemob regions, and the hosts to probe.

`build_whitelist` turns registry hosts and the user's extra domains into the entries to paste, per
console list, in the console's own form, de-duplicated and in a stable order (regions in the order
given, hosts in registry order, common hosts after them, extras last). `probe_targets` lists the
same hosts for the live checks. Both are pure: the rules they apply are in `domaincheck.whitelist.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from domaincheck.core.platforms import Platform
from domaincheck.core.whitelist_model import ConsoleList, Whitelist, WhitelistEntry
from domaincheck.registry.model import HostRole, Region, Registry, RegistryHost, SocketFamily
from domaincheck.whitelist.profiles import profile_for, rules_for
from domaincheck.whitelist.rules import EntryForm, Matching, PlatformRules, PortRule, entry_text

if TYPE_CHECKING:
    from domaincheck.core.domains import ParsedEntry
    from domaincheck.core.model import ProbeTarget

EXTRA_SOURCE = "extra"
SOURCE_SCAN = "source"  # a host the scan of the app's own source found

# Which console list each registry role goes to on the consoles that split the whitelist (WeChat,
# Douyin, Baidu, QQ). REST hosts go to uploadFile and downloadFile as well as request: the SDK
# uploads files with uploadFile to `apiUrl/{org}/{app}/chatfiles` and rewrites attachment URLs to
# `apiUrl + path` before downloading them (easemob-sdk-and-domains.md §2.4), and the Easemob docs
# list a1.easemob.com under uploadFile and downloadFile. The HTTP-DNS hosts are fetched with
# request. A single-list console (Alipay) gets every host in its one list, socket hosts included.
ROLE_LISTS: dict[HostRole, tuple[ConsoleList, ...]] = {
    HostRole.REST: (ConsoleList.REQUEST, ConsoleList.UPLOAD_FILE, ConsoleList.DOWNLOAD_FILE),
    HostRole.REQUEST: (ConsoleList.REQUEST,),
    HostRole.HTTPDNS: (ConsoleList.REQUEST,),
    HostRole.SOCKET: (ConsoleList.SOCKET,),
    HostRole.UPLOAD: (ConsoleList.UPLOAD_FILE,),
    HostRole.DOWNLOAD: (ConsoleList.DOWNLOAD_FILE,),
}


class ExtraDomain(NamedTuple):
    """A domain of the app's own (its API server, file storage) to add to the whitelist.

    `console_lists` names the lists it goes to; empty means by scheme (wss → socket, else request).
    Written on the command line as `https://api.myapp.com` or `uploadFile=https://files.myapp.com`.
    A NamedTuple, not a frozen dataclass, for start-up time (see `domaincheck.registry.model`).
    """

    text: str
    console_lists: tuple[ConsoleList, ...] = ()
    found_at: str = ""  # where the source scan found it (file:line); empty when the user gave it

    @property
    def source(self) -> str:
        """`source` for a host the scan found, `extra` for one the user gave."""
        return SOURCE_SCAN if self.found_at else EXTRA_SOURCE

    @property
    def parsed(self) -> ParsedEntry:
        from domaincheck.core.domains import (
            parse_entry,  # lazy: `whitelist` without extras needs none
        )

        return parse_entry(self.text)


def parse_extra(text: str) -> ExtraDomain:
    """Reads `[LIST[,LIST...]=]URL`, e.g. `downloadFile=https://cdn.myapp.com`; unknown lists raise ValueError.

    A control character or a space anywhere raises ValueError too: in a host or a path it would
    end up in a request line (a CR/LF there writes request headers of its own).
    """
    from domaincheck.core.untrusted import control_character, escape

    bad = control_character(text.strip())
    if bad is not None:
        raise ValueError(
            f"'{escape(text)}' holds {bad if bad == 'a space' else 'a control character (' + bad + ')'}; "
            "a URL has none"
        )
    text = text.strip()
    head, sep, tail = text.partition("=")
    if not sep or "/" in head or "." in head:
        return ExtraDomain(text)
    names = [n.strip() for n in head.split(",") if n.strip()]
    lists: list[ConsoleList] = []
    by_name = {c.value.casefold(): c for c in ConsoleList}
    for name in names:
        found = by_name.get(name.casefold())
        if found is None:
            choices = ", ".join(c.value for c in ConsoleList)
            raise ValueError(f"unknown console list {name!r} in {text!r}; choose from {choices}")
        lists.append(found)
    return ExtraDomain(tail, tuple(lists))


# A registry host that applies to the chosen platform, and its region (None for a common host).
SelectedHost = tuple[RegistryHost, Region | None]


def select_hosts(
    registry: Registry, platform: Platform | str, regions: Sequence[Region]
) -> tuple[SelectedHost, ...]:
    """The registry hosts the platform's SDK build can contact in `regions`, plus the common hosts.

    A host is on a platform's list only when a document for that platform lists it: the
    platform's own page or a platform-neutral one (SDK code, the data-centre page); a
    corroborating page (uni-app's) alone is not enough. A region whose platform page has no row
    for it (`absent_on`) contributes nothing.
    """
    platform = Platform(platform)
    family = profile_for(platform).socket_family
    selected: list[SelectedHost] = [
        (h, region)
        for region in regions
        if platform.value not in region.absent_on
        for h in region.hosts
        if _applies(registry, h, platform, family)
    ]
    # The common hosts (a1..a5, the HTTP-DNS hosts) are contacted whatever the region, also by apps
    # in a non-public region whose own hosts come from the account manager.
    selected.extend((h, None) for h in registry.common if _applies(registry, h, platform, family))
    return tuple(selected)


def _applies(
    registry: Registry, host: RegistryHost, platform: Platform, family: SocketFamily
) -> bool:
    if host.family is not None and host.family is not family:
        return False
    if host.platforms and platform.value not in host.platforms:
        return False
    return registry.listed_for(platform.value, host.sources)


class _ListBuilder:
    """Collects entries per console list, merging `covers` and `sources` of repeated entries.

    A `caveat` (an inferred placement, a listing the platform does not confirm it needs) holds for
    an entry only while every addition of it carries one: a1-v2 is on Alipay's list as a request
    host, so its download record's caveat does not show.
    """

    def __init__(self) -> None:
        self._order: list[tuple[ConsoleList, str]] = []
        self._covers: dict[tuple[ConsoleList, str], list[str]] = {}
        self._sources: dict[tuple[ConsoleList, str], list[str]] = {}
        self._notes: dict[tuple[ConsoleList, str], list[str]] = {}
        self._caveats: dict[tuple[ConsoleList, str], list[str]] = {}
        self._plain: set[tuple[ConsoleList, str]] = set()
        self._disputed: set[tuple[ConsoleList, str]] = set()
        self._alternative: dict[tuple[ConsoleList, str], str | None] = {}
        self._regions: dict[tuple[ConsoleList, str], list[str] | None] = {}

    def add(
        self,
        console_list: ConsoleList,
        entry: str,
        covers: Iterable[str],
        sources: Iterable[str],
        note: str | None = None,
        disputed: bool = False,
        caveat: str | None = None,
        alternative_of: str | None = None,
        region: str | None = None,
    ) -> None:
        key = (console_list, entry)
        if key not in self._covers:
            self._order.append(key)
            self._covers[key] = []
            self._sources[key] = []
            self._notes[key] = []
            self._caveats[key] = []
            self._alternative[key] = alternative_of
            self._regions[key] = []
        elif self._alternative[key] != alternative_of:
            self._alternative[key] = None  # an alternative here, needed for itself there
        regions = self._regions[key]
        if region is None:
            self._regions[key] = None  # a host of every region: every build needs it
        elif regions is not None and region not in regions:
            regions.append(region)
        _extend_unique(self._covers[key], covers)
        _extend_unique(self._sources[key], sources)
        if note:
            _extend_unique(self._notes[key], (note,))
        if caveat:
            _extend_unique(self._caveats[key], (caveat,))
        else:
            self._plain.add(key)
        if disputed:
            self._disputed.add(key)

    def _note(self, key: tuple[ConsoleList, str]) -> str | None:
        caveats = [] if key in self._plain else self._caveats[key]
        return "; ".join([*caveats, *self._notes[key]]) or None

    def entries(self, list_order: Sequence[ConsoleList]) -> tuple[WhitelistEntry, ...]:
        rank = {c: i for i, c in enumerate(list_order)}
        keys = sorted(self._order, key=lambda k: rank.get(k[0], len(rank)))  # stable within a list
        return tuple(
            WhitelistEntry(
                entry=entry,
                console_list=console_list,
                covers=tuple(self._covers[(console_list, entry)]),
                sources=tuple(self._sources[(console_list, entry)]),
                note=self._note((console_list, entry)),
                disputed=(console_list, entry) in self._disputed,
                alternative_of=self._alternative[(console_list, entry)],
                regions=tuple(self._regions[(console_list, entry)] or ()),
            )
            for console_list, entry in keys
        )


def _extend_unique(target: list[str], items: Iterable[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def _host_note(host: RegistryHost) -> str | None:
    notes: list[str] = []
    if host.alternative_of:
        notes.append(f"alternative of {host.alternative_of}")
    if host.disputed:
        notes.append(f"disputed: {host.disputed}")
    return "; ".join(notes) or None


def _lists_for_role(role: HostRole, rules: PlatformRules) -> tuple[ConsoleList, ...]:
    if len(rules.lists) == 1:  # a single-list console (Alipay, Taobao) takes every host
        return (rules.lists[0].console_list,)
    return tuple(c for c in ROLE_LISTS[role] if rules.has_list(c))


_FILE_LISTS = (ConsoleList.UPLOAD_FILE, ConsoleList.DOWNLOAD_FILE)
_NOT_PROBED = ("udp", "tcp")


def _placement(
    registry: Registry, host: RegistryHost, console_list: ConsoleList, platform: str
) -> tuple[tuple[str, ...], str | None]:
    """The sources behind `host` on `console_list` of `platform`, and the caveat on it, if any.

    A REST host's uploadFile/downloadFile placement is documented only by its `file_sources`;
    without one for the platform it is the tool's inference from the SDK, and the caveat says so.
    """
    sources = registry.sources_for(platform, host.sources)
    if host.role is not HostRole.REST or console_list not in _FILE_LISTS:
        return sources, None
    documented = registry.sources_for(platform, host.file_sources)
    if registry.listed_for(platform, host.file_sources):
        return documented, None
    return sources, (
        f"{console_list} placement inferred, not documented: the SDK uploads files to apiUrl and "
        f"rewrites attachment URLs to it, and no Easemob page lists {host.host} under {console_list}"
    )


def _lists_for_extra(
    extra: ExtraDomain, parsed: ParsedEntry, rules: PlatformRules
) -> tuple[ConsoleList, ...]:
    if len(rules.lists) == 1:
        return (rules.lists[0].console_list,)
    if extra.console_lists:
        return tuple(c for c in extra.console_lists if rules.has_list(c))
    found = rules.list_for_scheme(parsed.scheme)  # wss → socket, udp → udp, else request
    return (found.console_list,) if found is not None else (ConsoleList.REQUEST,)


def extra_problem(parsed: ParsedEntry, rules: PlatformRules) -> str | None:
    """Why an extra domain cannot become an entry at all (the static checks say more), or None."""
    if not parsed.is_name:
        return (
            parsed.problems[0] if parsed.problems else f"{parsed.kind} hosts cannot be whitelisted"
        )
    if parsed.scheme is not None and parsed.scheme not in rules.allowed_schemes:
        return f"{parsed.scheme}:// is not allowed; use {' or '.join(rules.allowed_schemes)}"
    return None


def build_whitelist(
    registry: Registry,
    platform: Platform | str,
    regions: Sequence[Region],
    extras: Iterable[ExtraDomain | str] = (),
    compact: bool = False,
    *,
    rules: PlatformRules | None = None,
) -> Whitelist:
    """The entries to paste into `platform`'s console for `regions` and the app's `extras`.

    Entries are in the console's form (bare hosts for Alipay, `https://host` / `wss://host`
    elsewhere), each with the hosts it `covers` and the registry `sources` (or "extra") behind it.
    `compact` (registrable-domain matching, i.e. Alipay) covers the same hosts with the fewest registrable-domain entries.
    Regions without public hosts and extras that cannot be entries are explained in `notes`.
    """
    platform = Platform(platform)
    rules = rules or rules_for(platform)
    builder = _ListBuilder()
    notes: list[str] = []
    disputes: list[str] = []

    for host, region in select_hosts(registry, platform, regions):
        if host.disputed:
            disputes.append(f"Disputed entries: {host.disputed}")
        for console_list in _lists_for_role(host.role, rules):
            entry = entry_text(rules, console_list, host.host, None)
            sources, caveat = _placement(registry, host, console_list, platform.value)
            builder.add(
                console_list,
                entry,
                (host.host,),
                sources,
                _host_note(host),
                disputed=host.disputed is not None,
                caveat=caveat or rules.role_note(host.role),
                alternative_of=host.alternative_of,
                region=region.id if region is not None else None,
            )

    for extra in (e if isinstance(e, ExtraDomain) else parse_extra(e) for e in extras):
        parsed = extra.parsed
        problem = extra_problem(parsed, rules)
        if problem:
            notes.append(f"skipped extra {extra.text.strip()!r}: {problem}")
            continue
        for console_list in _lists_for_extra(extra, parsed, rules):
            entry = entry_text(rules, console_list, parsed.host, parsed.port)
            note = _dropped_port_note(rules, console_list, parsed) or (
                f"found in the app's source: {extra.found_at}" if extra.found_at else None
            )
            builder.add(console_list, entry, (parsed.host,), (extra.source,), note)

    for region in regions:
        if not region.public:
            notes.append(_non_public_note(region))
        elif platform.value in region.absent_on:
            notes.append(_absent_note(region, rules))

    list_order = tuple(r.console_list for r in rules.lists)
    entries = builder.entries(list_order)
    can_compact = rules.matching is Matching.REGISTRABLE_DOMAIN
    if compact:
        if can_compact:
            entries, compact_note = _compact(entries, rules)
            notes.append(compact_note)
        else:
            notes.append(
                f"--compact has no effect on {rules.label}: it matches exact hosts, so every host needs its own entry."
            )
    notes.extend(disputes)
    notes.extend(rules.notes)
    named = dict.fromkeys(s for e in entries for s in e.sources)
    return Whitelist(
        platform=platform.value,
        regions=tuple(r.id for r in regions),
        entries=entries,
        compact=compact and can_compact,
        notes=tuple(dict.fromkeys(notes)),
        documents=tuple(
            (s.id, s.document, s.version, s.title)
            for s in registry.sources.values()
            if s.id in named
        ),
    )


def _dropped_port_note(
    rules: PlatformRules, console_list: ConsoleList, parsed: ParsedEntry
) -> str | None:
    if parsed.port is None:
        return None
    port_rule = rules.list_rules(console_list).port_rule
    if rules.entry_form is EntryForm.BARE_HOST and port_rule is not PortRule.EXACT:
        return f"port :{parsed.port} dropped: {rules.label} takes a bare host"
    if port_rule is PortRule.ANY:
        return f"port :{parsed.port} dropped: {console_list} entries need no port, every port is allowed"
    if port_rule is PortRule.ANY_UNCONFIRMED:
        return (
            f"port :{parsed.port} dropped: {console_list} entries need no port; whether "
            f"{rules.label} lets the app use :{parsed.port} is unconfirmed, so serve it on 443"
        )
    if port_rule is PortRule.FORBIDDEN:
        return f"port :{parsed.port} dropped: {rules.label} allows no port, serve on 443"
    if port_rule is PortRule.UNSPECIFIED:
        return f"port :{parsed.port} dropped: whether the {console_list} list takes a port is unconfirmed"
    return None


def _absent_note(region: Region, rules: PlatformRules) -> str:
    return (
        f"{region.name_zh} ({region.id}): Easemob's {rules.label} page has no row for this data "
        "centre, so no hosts are listed for it; ask your Easemob account manager (商务经理) and add "
        "the hosts with --extra or in the project file."
    )


def _non_public_note(region: Region) -> str:
    name = f"{region.name_zh} ({region.id})"
    detail = region.note.strip() or (
        "no public hosts: ask your Easemob account manager (商务经理) for its REST and socket hosts."
    )
    stop = "" if detail.endswith((".", "。", "!", "！")) else "."
    return f"{name}: {detail}{stop} Add them with --extra or in the project file."


def _compact(
    entries: Sequence[WhitelistEntry], rules: PlatformRules
) -> tuple[tuple[WhitelistEntry, ...], str]:
    """A bare-host console (Alipay): one registrable-domain entry per group of hosts sharing it."""
    from domaincheck.core.psl import registrable_domain  # lazy: reads the Public Suffix List

    groups: dict[tuple[ConsoleList, str], tuple[list[str], list[str]]] = {}
    disputed: dict[tuple[ConsoleList, str], list[str]] = {}
    hosts = 0
    for entry in entries:
        for host in entry.covers:
            domain = registrable_domain(host) or host
            covers, sources = groups.setdefault((entry.console_list, domain), ([], []))
            if host not in covers:
                covers.append(host)
                hosts += 1
            _extend_unique(sources, entry.sources)
            if entry.disputed:
                _extend_unique(disputed.setdefault((entry.console_list, domain), []), (host,))
    compacted = tuple(
        WhitelistEntry(
            entry=domain,
            console_list=console_list,
            covers=tuple(covers),
            sources=tuple(sources),
            note=_compact_note(covers, disputed.get((console_list, domain), [])),
            disputed=(console_list, domain) in disputed,
        )
        for (console_list, domain), (covers, sources) in groups.items()
    )
    note = (
        f"--compact: {len(compacted)} registrable-domain (一级域名) entr{'ies' if len(compacted) != 1 else 'y'} "
        f"cover the {hosts} host{'s' if hosts != 1 else ''}, because {rules.label} matches the whitelist by "
        "registrable domain; each entry also admits every other subdomain of it."
    )
    return compacted, note


def _compact_note(covers: Sequence[str], disputed: Sequence[str]) -> str:
    note = f"registrable domain (一级域名) covering {len(covers)} host{'s' if len(covers) != 1 else ''}"
    if disputed:
        note += f"; the sources disagree on {', '.join(disputed)} (see the full list)"
    return note


def probe_targets(
    registry: Registry,
    platform: Platform | str,
    regions: Sequence[Region],
    extras: Iterable[ExtraDomain | str] = (),
) -> tuple[ProbeTarget, ...]:
    """The hosts the live checks probe: socket hosts get a WebSocket upgrade, the rest HTTPS.

    Socket hosts are probed on the region's socket path (`/websocket`); extra domains on the port
    and path their URL names (`wss://` ones as WebSocket). Duplicates merge their roles.
    """
    from domaincheck.core.model import ProbeKind, ProbeTarget  # lazy: `whitelist` probes nothing

    platform = Platform(platform)
    rules = rules_for(platform)
    merged: dict[tuple[str, ProbeKind, int, str], list[str]] = {}

    def add(host: str, kind: ProbeKind, port: int, path: str, role: str) -> None:
        roles = merged.setdefault((host, kind, port, path), [])
        if role not in roles:
            roles.append(role)

    for host, region in select_hosts(registry, platform, regions):
        if host.role is HostRole.SOCKET:
            path = region.socket_path if region else "/websocket"
            add(host.host, ProbeKind.WEBSOCKET, 443, path, host.role.value)
        else:
            add(host.host, ProbeKind.HTTPS, 443, "/", host.role.value)

    for extra in (e if isinstance(e, ExtraDomain) else parse_extra(e) for e in extras):
        parsed = extra.parsed
        if extra_problem(parsed, rules):
            continue
        if parsed.scheme in _NOT_PROBED or (
            extra.console_lists and all(c.value in _NOT_PROBED for c in extra.console_lists)
        ):
            continue  # a raw UDP or TCP server: neither HTTPS nor a WebSocket answers there
        kind = ProbeKind.WEBSOCKET if parsed.scheme == "wss" else ProbeKind.HTTPS
        path = parsed.path if parsed.has_path else "/"
        add(parsed.host, kind, parsed.port or 443, path, extra.source)

    return tuple(
        ProbeTarget(host=host, kind=kind, port=port, path=path, roles=tuple(roles))
        for (host, kind, port, path), roles in merged.items()
    )

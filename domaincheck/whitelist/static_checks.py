"""Offline checks of whitelist entries against a platform's rules: the entry points, and the rules
on whole lists (duplicates, entries covered by a registrable domain, the count, compactable hosts).

The rules of a single entry are in `whitelist.entry_checks` (`check_entry`, re-exported here). Entries come from the registry, from the user's extra domains or from a list pasted out of a console
(`EntryOrigin`). Every finding is a `CheckResult` whose `check` is a `CheckId` of the `whitelist`
family (titles and help text are in the check catalog), with a status, a one-line message and a
one-line fix. Nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domaincheck.core.catalog import CheckId
from domaincheck.core.domains import ParsedEntry, is_subdomain_or_same, parse_entry
from domaincheck.core.guard import guarded
from domaincheck.core.model import CheckResult, ConsoleList, Status, Whitelist
from domaincheck.registry.model import Region
from domaincheck.whitelist.build import EXTRA_SOURCE, ExtraDomain, parse_extra
from domaincheck.whitelist.entry_checks import EntryOrigin, check_entry, finding
from domaincheck.whitelist.rules import Matching, PlatformRules, entry_text

__all__ = [
    "EntryOrigin",
    "check_console_list",
    "check_entries",
    "check_entry",
    "check_extras",
    "check_regions",
    "check_whitelist",
]


def check_entries(
    rules: PlatformRules,
    entries: Iterable[tuple[ConsoleList | None, ParsedEntry | str]],
    *,
    origin: EntryOrigin,
    count: bool = True,
) -> tuple[CheckResult, ...]:
    """Checks each entry, then the lists they form: duplicates, Alipay hidden duplicates, the count.

    `entries` pairs each entry with its console list (None: decided by scheme). With `count`, the
    number of entries per list (or in all, on Alipay) is checked against the limit.
    """
    pairs: list[tuple[ConsoleList, ParsedEntry]] = []
    found: list[CheckResult] = []
    for console_list, entry in entries:
        parsed = parse_entry(entry) if isinstance(entry, str) else entry
        found.extend(check_entry(rules, parsed, origin=origin, console_list=console_list))
        pairs.append((console_list or _list_by_scheme(rules, parsed), parsed))
    where = _list_target(rules)
    found.extend(
        guarded(CheckId.WHITELIST_DUPLICATE, where, lambda: _check_duplicates(rules, pairs, origin))
    )
    if rules.matching is Matching.REGISTRABLE_DOMAIN:
        found.extend(
            guarded(CheckId.WHITELIST_COVERED, where, lambda: _check_covered(rules, pairs, origin))
        )
    if count:
        lists = [c for c, _ in pairs]
        found.extend(
            guarded(CheckId.WHITELIST_COUNT, where, lambda: _check_count(rules, lists, origin))
        )
    return tuple(found)


def _list_target(rules: PlatformRules) -> str:
    """The target of a finding on a whole list (a crash of a list-wide rule names it)."""
    return f"{rules.platform.value}:{rules.lists[0].console_list.value}"


def _list_by_scheme(rules: PlatformRules, parsed: ParsedEntry) -> ConsoleList:
    found = rules.list_for_scheme(parsed.scheme if parsed.scheme in rules.allowed_schemes else None)
    return (found or rules.lists[0]).console_list


def _normal_key(rules: PlatformRules, console_list: ConsoleList, parsed: ParsedEntry) -> str:
    if not rules.has_list(console_list):
        return parsed.origin()
    if parsed.scheme is not None and parsed.scheme not in rules.list_rules(console_list).schemes:
        return parsed.origin()
    return entry_text(rules, console_list, parsed.host, parsed.port)


def _check_duplicates(
    rules: PlatformRules, pairs: Sequence[tuple[ConsoleList, ParsedEntry]], origin: EntryOrigin
) -> list[CheckResult]:
    first: dict[tuple[ConsoleList, str], ParsedEntry] = {}
    found: list[CheckResult] = []
    for console_list, parsed in pairs:
        if not parsed.host:
            continue
        key = (console_list, _normal_key(rules, console_list, parsed))
        if key in first:
            earlier = first[key].original.strip()
            found.append(
                finding(
                    CheckId.WHITELIST_DUPLICATE,
                    parsed.original.strip(),
                    Status.WARN,
                    f"{parsed.original.strip()} repeats {earlier} in the {console_list} list",
                    "Remove the second one.",
                    entry=parsed.original,
                    duplicate_of=first[key].original,
                    console_list=console_list.value,
                    origin=origin.value,
                )
            )
        else:
            first[key] = parsed
    return found


def _check_covered(
    rules: PlatformRules, pairs: Sequence[tuple[ConsoleList, ParsedEntry]], origin: EntryOrigin
) -> list[CheckResult]:
    from domaincheck.core.psl import registrable_domain  # lazy: reads the Public Suffix List

    found: list[CheckResult] = []
    for console_list in dict.fromkeys(c for c, _ in pairs):
        names = [p for c, p in pairs if c is console_list and p.is_name]
        domains = {p.host for p in names if registrable_domain(p.host) == p.host}
        for parsed in names:
            if parsed.host in domains:
                continue
            parent = next((d for d in domains if is_subdomain_or_same(parsed.host, d)), None)
            if parent is None:
                continue
            found.append(
                finding(
                    CheckId.WHITELIST_COVERED,
                    parsed.original.strip(),
                    Status.WARN,
                    f"{parsed.host} is already covered by {parent}: {rules.label} matches by registrable domain (一级域名)",
                    f"Remove {parsed.host} to free a slot.",
                    entry=parsed.original,
                    covered_by=parent,
                    console_list=console_list.value,
                    origin=origin.value,
                )
            )
    return found


def _check_count(
    rules: PlatformRules,
    lists: Sequence[ConsoleList],
    origin: EntryOrigin,
    whitelist: Whitelist | None = None,
) -> list[CheckResult]:
    limit = rules.count_limit
    groups: dict[ConsoleList, int] = {}
    for console_list in (r.console_list for r in rules.lists):
        own = rules.list_rules(console_list).max_entries is not None
        if limit.per_list or own:
            n = sum(1 for c in lists if c is console_list)
            if n:
                groups[console_list] = n
    if not limit.per_list:
        shared = [c for c in lists if rules.list_rules(c).max_entries is None]
        groups[rules.lists[0].console_list] = len(shared)
    found: list[CheckResult] = []
    for console_list, n in groups.items():
        name = console_list.value
        most = rules.limit_of(console_list)
        target = f"{rules.platform.value}:{name}"
        details: dict[str, Any] = {
            "entries": n,
            "limit": most,
            "source": limit.source,
            "origin": origin.value,
        }
        per_list = limit.per_list or most != limit.limit
        scope = f"the {name} list" if per_list else f"the {rules.label} whitelist"
        if n > most:
            fix = (
                "Use --compact (or compact: true in domaincheck.yaml) to list registrable "
                "domains, or drop unused regions."
                if rules.matching is Matching.REGISTRABLE_DOMAIN
                else f"Drop unused regions or hosts; each list holds at most {most}."
            )
            message = f"{n} entries in {scope}, over the limit of {most}"
            if whitelist is not None:
                advice = _over_limit_advice(whitelist, console_list, rules, most, n)
                if advice is not None:
                    message, fix, more = advice
                    details.update(more)
            if rules.edit_note:
                fix = f"{fix} {rules.edit_note}"
            found.append(
                finding(CheckId.WHITELIST_COUNT, target, Status.FAIL, message, fix, **details)
            )
        elif limit.legacy_limit is not None and n > limit.legacy_limit:
            found.append(
                finding(
                    CheckId.WHITELIST_COUNT,
                    target,
                    Status.WARN,
                    f"{n} entries in {scope}: within {most}, but over the {limit.legacy_limit} older docs give",
                    "If the console refuses them, drop unused regions or hosts.",
                    legacy_limit=limit.legacy_limit,
                    legacy_source=limit.legacy_source,
                    **details,
                )
            )
        else:
            found.append(
                finding(
                    CheckId.WHITELIST_COUNT,
                    target,
                    Status.PASS,
                    f"{n} of at most {most} entries in {scope}",
                    None,
                    **details,
                )
            )
    return found


def _over_limit_advice(
    whitelist: Whitelist, console_list: ConsoleList, rules: PlatformRules, most: int, n: int
) -> tuple[str, str, dict[str, Any]] | None:
    """What to do about a list over its limit: which entries are region alternatives (easecdn.com
    twins), how many each region alone needs, and what dropping the alternatives costs."""
    entries = [e for e in whitelist.entries if e.console_list is console_list]
    alternatives = [e.entry for e in entries if e.alternative_of]
    every_region = sum(1 for e in entries if not e.regions)
    alone = {
        region: every_region + sum(1 for e in entries if region in e.regions)
        for region in whitelist.regions
    }
    scope = f"the {console_list} list" if len(rules.lists) > 1 else f"the {rules.label} whitelist"
    message = f"{n} entries in {scope}, over the limit of {most}"
    if alternatives:
        message += (
            f"; {len(alternatives)} of them are easecdn.com alternatives of other entries "
            f"({', '.join(alternatives)})"
        )
    steps: list[str] = []
    if len(alone) > 1:
        over = [r for r, need in alone.items() if need > most]
        needs = ", ".join(f"{r} {need}" for r, need in alone.items())
        also = f"; over the limit even alone: {', '.join(over)}" if over else ""
        steps.append(
            "Build one list per region, or fewer regions per build "
            f"(each region alone needs: {needs}{also})."
        )
    if alternatives and n - len(alternatives) <= most:
        steps.append(
            f"Or leave out the {len(alternatives)} easecdn.com alternatives ({n - len(alternatives)} "
            "entries): the cost is that the app can then only use the easemob.com hosts, so an SDK "
            "config or an HTTP-DNS answer that names an easecdn.com host fails, and there is no "
            "fallback when the easemob.com host is unreachable."
        )
    elif alternatives:
        steps.append(
            f"Leaving out the {len(alternatives)} easecdn.com alternatives is not enough "
            f"({n - len(alternatives)} entries)."
        )
    if rules.matching is Matching.REGISTRABLE_DOMAIN:
        steps.insert(
            0, "Use --compact (or compact: true in domaincheck.yaml) to list registrable domains."
        )
    if not steps:
        return None
    more: dict[str, Any] = {"alternatives": alternatives, "entries_per_region": alone}
    return message, " ".join(steps), more


def check_whitelist(rules: PlatformRules, whitelist: Whitelist) -> tuple[CheckResult, ...]:
    """Checks a built whitelist as it will be pasted: its entries, duplicates and counts.

    Entries that stem only from extra domains are checked on their original text by
    `check_extras`, so they are not checked twice here. On Alipay without `--compact`, hosts that
    one registrable-domain entry could cover are noted.
    """
    found: list[CheckResult] = []
    for entry in whitelist.entries:
        if tuple(entry.sources) != (EXTRA_SOURCE,):
            found.extend(
                check_entry(
                    rules, entry.entry, origin=EntryOrigin.REGISTRY, console_list=entry.console_list
                )
            )
    pairs = [(e.console_list, parse_entry(e.entry)) for e in whitelist.entries]
    where, registry = _list_target(rules), EntryOrigin.REGISTRY
    found.extend(
        guarded(
            CheckId.WHITELIST_DUPLICATE, where, lambda: _check_duplicates(rules, pairs, registry)
        )
    )
    if rules.matching is Matching.REGISTRABLE_DOMAIN:
        found.extend(
            guarded(
                CheckId.WHITELIST_COVERED, where, lambda: _check_covered(rules, pairs, registry)
            )
        )
        if not whitelist.compact:
            found.extend(
                guarded(
                    CheckId.WHITELIST_COMPACTABLE,
                    where,
                    lambda: _check_compactable(rules, whitelist),
                )
            )
    lists = [c for c, _ in pairs]
    found.extend(
        guarded(
            CheckId.WHITELIST_COUNT,
            where,
            lambda: _check_count(rules, lists, registry, whitelist),
        )
    )
    return tuple(found)


def _check_compactable(rules: PlatformRules, whitelist: Whitelist) -> list[CheckResult]:
    from domaincheck.core.psl import registrable_domain  # lazy: reads the Public Suffix List

    groups: dict[str, list[str]] = {}
    for entry in whitelist.entries:
        parsed = parse_entry(entry.entry)
        if parsed.is_name:
            domain = registrable_domain(parsed.host)
            if domain:
                groups.setdefault(domain, []).append(parsed.host)
    shared = {d: hosts for d, hosts in groups.items() if len(hosts) > 1}
    if not shared:
        return []
    saved = sum(len(h) - 1 for h in shared.values())
    summary = ", ".join(f"{d} ({len(h)})" for d, h in shared.items())
    return [
        finding(
            CheckId.WHITELIST_COMPACTABLE,
            f"{rules.platform.value}:{rules.lists[0].console_list.value}",
            Status.INFO,
            f"{saved} entr{'ies' if saved != 1 else 'y'} could be saved: hosts share {summary}",
            "Run `domaincheck whitelist --compact` for one entry per registrable domain.",
            groups={d: list(h) for d, h in shared.items()},
        )
    ]


def check_extras(
    rules: PlatformRules, extras: Iterable[ExtraDomain | str]
) -> tuple[CheckResult, ...]:
    """Checks the app's own extra domains as the user wrote them, plus one ICP-filing reminder."""
    items = [e if isinstance(e, ExtraDomain) else parse_extra(e) for e in extras]
    found: list[CheckResult] = []
    for extra in items:
        lists = extra.console_lists or (None,)
        for console_list in lists:
            found.extend(
                check_entry(rules, extra.text, origin=EntryOrigin.EXTRA, console_list=console_list)
            )
    hosts = list(dict.fromkeys(e.parsed.host for e in items if e.parsed.is_name))
    if hosts:
        names = ", ".join(hosts)
        found.extend(
            guarded(CheckId.WHITELIST_ICP_FILING, names, lambda: [_icp_reminder(rules, hosts)])
        )
    return tuple(found)


def _icp_reminder(rules: PlatformRules, hosts: list[str]) -> CheckResult:
    names = ", ".join(hosts)
    return finding(
        CheckId.WHITELIST_ICP_FILING,
        names,
        Status.INFO,
        f"{rules.label} requires ICP filing (备案) of {names}; not checked offline",
        "Check the filing at beian.miit.gov.cn before uploading a build.",
        hosts=hosts,
    )


def check_regions(
    regions: Sequence[Region], extras: Sequence[ExtraDomain | str] = ()
) -> tuple[CheckResult, ...]:
    """A region without public hosts is never a silent success: fail without extras, info with them."""
    where = ", ".join(r.id for r in regions)
    return guarded(CheckId.WHITELIST_REGION_HOSTS, where, lambda: _region_results(regions, extras))


def _region_results(
    regions: Sequence[Region], extras: Sequence[ExtraDomain | str]
) -> list[CheckResult]:
    found: list[CheckResult] = []
    for region in regions:
        if region.public:
            continue
        status = Status.INFO if extras else Status.FAIL
        name = f"{region.name_zh} ({region.id})"
        message = (
            f"{name} has no public hosts; check that your extra domains include its REST and socket hosts"
            if extras
            else f"{name} has no public hosts, so the whitelist lacks its REST and socket hosts"
        )
        found.append(
            finding(
                CheckId.WHITELIST_REGION_HOSTS,
                region.id,
                status,
                message,
                "Ask your Easemob account manager (商务经理) for the hosts and add them with --extra or in the project file.",
                region=region.id,
                note=region.note or None,
            )
        )
    return found


def check_console_list(
    rules: PlatformRules, lists: Mapping[ConsoleList, Iterable[str]] | Iterable[str]
) -> tuple[CheckResult, ...]:
    """Checks a list as copied from the console: one entry per line, blank lines and `#` comments skipped.

    Give a mapping per console list for WeChat-style consoles; a plain iterable of lines is taken as
    Alipay's single list (or, elsewhere, sorted into lists by scheme).
    """
    if isinstance(lists, Mapping):
        pairs = [(c, line) for c, lines in lists.items() for line in _lines(lines)]
    else:
        single = rules.lists[0].console_list if len(rules.lists) == 1 else None
        pairs = [(single, line) for line in _lines(lists)]
    return check_entries(rules, pairs, origin=EntryOrigin.CONSOLE)


def _lines(lines: Iterable[str]) -> list[str]:
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]

"""A source scan held against a whitelist: which of the app's hosts the lists cover, what would
break on a phone, what cannot be checked statically, and which entries nothing uses.

The check ids, titles and help are in the check catalog (`CheckId.SCAN_*`); the fix lines are
here. Coverage uses the platform's one matching
function (`whitelist.rules.why_not_covered`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, Status
from domaincheck.core.whitelist_model import ConsoleList, WhitelistEntry
from domaincheck.scan.model import (
    DynamicUrl,
    HostUse,
    NetworkApi,
    NoteKind,
    ScannedHost,
    SourceScan,
)
from domaincheck.whitelist.rules import EntryForm, PlatformRules, PortRule, why_not_covered

# The fix line of each finding (titles and help are in the check catalog).
_FIX: dict[CheckId, str] = {
    CheckId.SCAN_HOST_UNCOVERED: "add it to extra_domains in domaincheck.yaml (domaincheck init "
    "writes them), then to the console",
    CheckId.SCAN_LEFTOVER: "use an https:// or wss:// URL on a whitelisted domain name (port 443)",
    CheckId.SCAN_DYNAMIC: "make sure the hosts it can reach are in the whitelist (extra_domains)",
    CheckId.SCAN_URLCHECK_OFF: "set setting.urlCheck to true, so the developer tools test the "
    "whitelist as a phone does",
    CheckId.SCAN_UNUSED_ENTRY: "remove it from extra_domains and the console, unless a URL the "
    "scan cannot see needs it",
    CheckId.SCAN_WEB_VIEW: "add its domain to the business-domain list (业务域名) with its "
    "verification file",
    CheckId.SCAN_PARSE_ERROR: "fix the syntax error, or exclude the file",
    CheckId.SCAN_SKIPPED: "scan the bundle's sources instead, or exclude it",
}

_LIST_OF_API = {
    NetworkApi.REQUEST: ConsoleList.REQUEST,
    NetworkApi.UPLOAD: ConsoleList.UPLOAD_FILE,
    NetworkApi.DOWNLOAD: ConsoleList.DOWNLOAD_FILE,
    NetworkApi.SOCKET: ConsoleList.SOCKET,
}


def console_list_for(rules: PlatformRules, api: NetworkApi) -> ConsoleList | None:
    """The console list a call of `api` is checked against on this platform (None: none)."""
    if rules.entry_form is EntryForm.BARE_HOST:
        return rules.lists[0].console_list
    found = _LIST_OF_API.get(api)
    return found if found is not None and rules.has_list(found) else None


def secure_scheme(api: NetworkApi) -> str:
    return "wss" if api is NetworkApi.SOCKET else "https"


def leftover_problem(rules: PlatformRules, use: HostUse) -> str | None:
    """Why `use`'s URL breaks on a phone whatever the whitelist says, or None."""
    from domaincheck.core.domains import HostKind, classify_host

    if use.scheme in ("http", "ws"):
        return f"{use.scheme}:// is refused on a phone; use {secure_scheme(use.api)}://"
    _, kind, _ = classify_host(use.host)
    if kind in (HostKind.IPV4, HostKind.IPV6):
        return "an IP address cannot be whitelisted"
    if kind is HostKind.LOCALHOST or use.host == "localhost" or use.host.endswith(".localhost"):
        return "localhost cannot be whitelisted"
    console_list = console_list_for(rules, use.api)
    forbidden = (
        console_list is not None and rules.list_rules(console_list).port_rule is PortRule.FORBIDDEN
    )
    if use.port is not None and forbidden:
        return f"{rules.label} allows no port in URLs (:{use.port})"
    return None


def _use_details(use: HostUse) -> dict[str, Any]:
    details: dict[str, Any] = {
        "url": use.url,
        "origin": str(use.origin),
        "call": str(use.call),
        "via": use.via,
    }
    if use.reached_from:
        details["reached_from"] = [str(p) for p in use.reached_from]
    if use.condition:
        details["condition"] = use.condition
    if use.dev_only:
        details["dev_only"] = True
    if use.in_package:
        details["package"] = use.in_package
    return details


def _where(use: HostUse) -> str:
    """`wx.request at utils/request.js:7 (URL from config.js:5)`."""
    reached = ""
    if use.reached_from:
        reached = ", reached from " + ", ".join(str(p) for p in use.reached_from[:3])
    if use.origin == use.call:
        return f"{use.via} at {use.call}{reached}"
    return f"{use.via} at {use.call}{reached} (URL from {use.origin})"


def covering_entries(
    rules: PlatformRules, host: ScannedHost, entries: Sequence[WhitelistEntry]
) -> tuple[list[WhitelistEntry], str | None]:
    """The entries that cover `host` for its API, and the reason of the first that does not."""
    console_list = console_list_for(rules, host.api)
    scheme = secure_scheme(host.api)
    port = host.first.port if host.first.scheme == scheme else None
    covering: list[WhitelistEntry] = []
    first_reason: str | None = None
    for entry in entries:
        if entry.console_list is not console_list:
            continue
        reason = why_not_covered(rules, entry.entry, host.host, scheme, port)
        if reason is None:
            covering.append(entry)
        elif first_reason is None and _related(entry.entry, host.host):
            first_reason = reason
    return covering, first_reason


def _related(entry: str, host: str) -> bool:
    """True when `entry` names `host` or a domain of it: its reason is worth showing."""
    bare = entry.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return bool(bare) and (host == bare or host.endswith("." + bare) or bare.endswith("." + host))


def scan_results(
    scan: SourceScan,
    rules: PlatformRules,
    entries: Sequence[WhitelistEntry],
    *,
    own_entries: Iterable[WhitelistEntry] = (),
) -> tuple[CheckResult, ...]:
    """The findings of `scan` on `rules`'s platform against the whitelist `entries`.

    `own_entries` are the entries the app's own configuration adds (extra_domains): one that no
    scanned host needs is reported as unused (info).
    """
    results: list[CheckResult] = []
    used: set[str] = set()
    for host in scan.hosts():
        results.extend(_host_results(rules, host, entries, used))
    for web_view in scan.web_views():
        fix = _FIX[CheckId.SCAN_WEB_VIEW]
        results.append(
            CheckResult(
                web_view.host,
                CheckId.SCAN_WEB_VIEW,
                Status.INFO,
                f"<web-view> opens {web_view.first.url} at {web_view.first.call}: "
                "a business domain (业务域名), not a server domain",
                {"uses": [_use_details(u) for u in web_view.uses]},
                fix,
            )
        )
    for dynamic in scan.dynamic:
        results.append(_dynamic_result(dynamic))
    for setting in scan.url_check_off:
        fix = _FIX[CheckId.SCAN_URLCHECK_OFF]
        results.append(
            CheckResult(
                str(setting.place),
                CheckId.SCAN_URLCHECK_OFF,
                Status.WARN,
                f"{setting.setting} at {setting.place}: the developer tools never tested the "
                "whitelist; a host missing from it fails only on a phone",
                {"file": setting.place.path, "line": setting.place.line},
                fix,
            )
        )
    for note in scan.notes:
        check = (
            CheckId.SCAN_PARSE_ERROR if note.kind is NoteKind.PARSE_ERROR else CheckId.SCAN_SKIPPED
        )
        parse_error = note.kind is NoteKind.PARSE_ERROR
        results.append(
            CheckResult(
                str(note.place),
                check,
                Status.WARN if parse_error else Status.INFO,
                f"{note.place}: {note.message}",
                {"file": note.place.path, "line": note.place.line, "kind": note.kind.value},
                _FIX[check],
            )
        )
    for entry in own_entries:
        if entry.entry in used:
            continue
        fix = _FIX[CheckId.SCAN_UNUSED_ENTRY]
        results.append(
            CheckResult(
                entry.entry,
                CheckId.SCAN_UNUSED_ENTRY,
                Status.INFO,
                f"{entry.entry} ({rules.title_of(entry.console_list)}) is used by no call the "
                "scan found, nor by the SDK",
                {"console_list": entry.console_list.value},
                fix,
            )
        )
    return tuple(results)


def _host_results(
    rules: PlatformRules,
    host: ScannedHost,
    entries: Sequence[WhitelistEntry],
    used: set[str],
) -> list[CheckResult]:
    results: list[CheckResult] = []
    uses = [_use_details(u) for u in host.uses]
    first = host.first
    dev = host.dev_only
    bad = [(u, p) for u in host.uses if (p := leftover_problem(rules, u)) is not None]
    for use, problem in bad[:1]:
        fix = _FIX[CheckId.SCAN_LEFTOVER]
        branch = f" (only when {use.condition})" if use.dev_only and use.condition else ""
        results.append(
            CheckResult(
                host.host,
                CheckId.SCAN_LEFTOVER,
                Status.WARN if all(u.dev_only for u, _ in bad) else Status.FAIL,
                f"{use.url}: {problem}; {_where(use)}{branch}",
                {"uses": uses, "problem": problem},
                fix,
            )
        )
    if bad and len(bad) == len(host.uses):
        return results
    console_list = console_list_for(rules, host.api)
    if console_list is None:
        return results
    covering, reason = covering_entries(rules, host, entries)
    used.update(e.entry for e in covering)
    title = rules.title_of(console_list)
    if dev:
        results.append(
            CheckResult(
                host.host,
                CheckId.SCAN_HOST,
                Status.PASS,
                f"{host.host} is used only on a development branch ({first.condition}) by "
                f"{_where(first)}: not required in {title}",
                {"uses": uses, "console_list": console_list.value, "dev_only": True},
            )
        )
        return results
    if covering:
        results.append(
            CheckResult(
                host.host,
                CheckId.SCAN_HOST,
                Status.PASS,
                f"{host.host} ({_where(first)}) is covered by {covering[0].entry} in {title}",
                {"uses": uses, "console_list": console_list.value, "entry": covering[0].entry},
            )
        )
        return results
    fix = _FIX[CheckId.SCAN_HOST_UNCOVERED]
    because = f" ({reason})" if reason else ""
    results.append(
        CheckResult(
            host.host,
            CheckId.SCAN_HOST_UNCOVERED,
            Status.FAIL,
            f"{host.host} is contacted by {_where(first)} but no entry of {title} covers "
            f"it{because}",
            {"uses": uses, "console_list": console_list.value},
            fix,
        )
    )
    return results


def _dynamic_result(dynamic: DynamicUrl) -> CheckResult:
    fix = _FIX[CheckId.SCAN_DYNAMIC]
    return CheckResult(
        str(dynamic.call),
        CheckId.SCAN_DYNAMIC,
        Status.WARN,
        f"{dynamic.via} at {dynamic.call}: the URL `{dynamic.source}` {dynamic.reason.removeprefix('cannot be checked statically: ').join(('(', ')'))} cannot be checked statically"
        if dynamic.reason.startswith("cannot be checked statically")
        else f"{dynamic.via} at {dynamic.call}: {dynamic.reason}; cannot be checked statically",
        {
            "call": str(dynamic.call),
            "api": dynamic.api.value,
            "source": dynamic.source,
            "reason": dynamic.reason,
        },
        fix,
    )

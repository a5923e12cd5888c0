"""The rules one whitelist entry must meet on its own: a valid name (no IP, localhost, wildcard),
the console list's scheme, the platform's port rule, no path, neither reserved nor a public suffix.

Each rule is a function of the parsed entry; `check_entry` runs them in order, each inside the
crash guard under its id. The rules on whole lists (duplicates, covered, count) and the public
entry points are in `whitelist.static_checks`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from domaincheck.core.catalog import CheckId
from domaincheck.core.domains import HostKind, ParsedEntry, parse_entry
from domaincheck.core.guard import guarded
from domaincheck.core.model import CheckResult, ConsoleList, Status
from domaincheck.whitelist.rules import EntryForm, Matching, PlatformRules, PortRule


class EntryOrigin(StrEnum):
    """Where an entry comes from; decides how loud some findings are (a console entry is live)."""

    REGISTRY = "registry"
    EXTRA = "extra"
    CONSOLE = "console"


# Records one finding on the entry being checked: rule, status, message, fix.
_Add = Callable[[CheckId, Status, str, str | None], None]


def finding(
    rule: CheckId,
    target: str,
    status: Status,
    message: str,
    fix: str | None = None,
    **details: Any,
) -> CheckResult:
    return CheckResult(
        target=target,
        check=rule,
        status=status,
        message=message,
        details={k: v for k, v in details.items() if v is not None},
        fix=fix,
    )


def _suggest_host(parsed: ParsedEntry) -> str:
    return parsed.origin(keep_port=False) if parsed.scheme else parsed.host


def check_entry(
    rules: PlatformRules,
    entry: ParsedEntry | str,
    *,
    origin: EntryOrigin,
    console_list: ConsoleList | None = None,
) -> tuple[CheckResult, ...]:
    """The findings on one entry: scheme, IP, localhost, wildcard, hostname, port, path, reserved.

    `console_list` is the list the entry sits in (or goes to); None lets the scheme decide.
    An entry with no finding returns an empty tuple. Each rule runs inside the crash guard, so a
    rule that raises gives its own `error` result and the other rules still run.
    """
    parsed = parse_entry(entry) if isinstance(entry, str) else entry
    target = parsed.original.strip() or "(empty entry)"
    details: dict[str, Any] = {
        "entry": parsed.original,
        "host": parsed.host or None,
        "origin": origin.value,
        "console_list": console_list.value if console_list else None,
    }
    found: list[CheckResult] = []
    for check, rule in _ENTRY_RULES:

        def run(rule: _EntryRule = rule) -> list[CheckResult]:
            step: list[CheckResult] = []

            def add(rule_id: CheckId, status: Status, message: str, fix: str | None) -> None:
                step.append(finding(rule_id, target, status, message, fix, **details))

            rule(rules, parsed, origin, console_list, add)
            return step

        found.extend(guarded(check, target, run))
    return tuple(found)


def _check_host(
    rules: PlatformRules,
    parsed: ParsedEntry,
    origin: EntryOrigin,
    console_list: ConsoleList | None,
    add: _Add,
) -> None:
    """Only a valid name can be whitelisted: no IP, localhost, wildcard or malformed name."""
    if parsed.kind is HostKind.IPV4 or parsed.kind is HostKind.IPV6:
        add(
            CheckId.WHITELIST_IP_LITERAL,
            Status.FAIL,
            f"{parsed.host} is an IP address; {rules.label} accepts only domain names",
            "Serve the API on a domain name with a valid certificate and list that name.",
        )
    elif parsed.kind is HostKind.LOCALHOST:
        add(
            CheckId.WHITELIST_LOCALHOST,
            Status.FAIL,
            f"{parsed.host} is the phone itself, never your server",
            "Replace it with the public domain of your server.",
        )
    elif parsed.kind is HostKind.WILDCARD:
        base = parsed.wildcard_base
        hint = (
            f"list {base} (a registrable domain covers its subdomains on Alipay)"
            if base and rules.matching is Matching.REGISTRABLE_DOMAIN
            else "list each host you call on its own"
        )
        add(
            CheckId.WHITELIST_WILDCARD,
            Status.FAIL,
            f"{parsed.host} is a wildcard; {rules.label} accepts no wildcards",
            hint[0].upper() + hint[1:] + ".",
        )
    elif parsed.kind is HostKind.INVALID:
        add(
            CheckId.WHITELIST_HOSTNAME,
            Status.FAIL,
            parsed.problems[0]
            if parsed.problems
            else f"{parsed.original.strip()} is not a valid hostname",
            "Write a fully qualified domain name (letters, digits, hyphens; IDNA for Unicode names).",
        )

    for problem in parsed.problems[1:] if parsed.kind is HostKind.INVALID else parsed.problems:
        if problem.startswith("port "):
            add(
                CheckId.WHITELIST_PORT,
                Status.FAIL,
                problem,
                "Remove the port or write a number from 1 to 65535.",
            )
        else:
            add(
                CheckId.WHITELIST_HOSTNAME,
                Status.FAIL,
                problem,
                "Write the host only, as host or scheme://host.",
            )


def _check_path(
    rules: PlatformRules,
    parsed: ParsedEntry,
    origin: EntryOrigin,
    console_list: ConsoleList | None,
    add: _Add,
) -> None:
    if parsed.has_path:
        dropped = origin is not EntryOrigin.CONSOLE
        add(
            CheckId.WHITELIST_PATH,
            Status.INFO if dropped else Status.WARN,
            f"{parsed.path} is a path; the console takes the host only"
            + (" (dropped from the whitelist)" if dropped else ""),
            f"Write {_suggest_host(parsed)} without the path.",
        )


def _check_name(
    rules: PlatformRules,
    parsed: ParsedEntry,
    origin: EntryOrigin,
    console_list: ConsoleList | None,
    add: _Add,
) -> None:
    """A valid name must be neither the platform's own (reserved) nor a public suffix."""
    if parsed.kind is not HostKind.NAME or parsed.problems:
        return
    if parsed.host in rules.reserved_domains:
        add(
            CheckId.WHITELIST_RESERVED,
            Status.FAIL,
            f"{parsed.host} is reserved by {rules.label} and cannot be configured",
            f"Call {parsed.host} from your own server, not from the mini program.",
        )
        return
    from domaincheck.core.psl import registrable_domain  # lazy: reads the Public Suffix List

    if registrable_domain(parsed.host) is None:
        add(
            CheckId.WHITELIST_PUBLIC_SUFFIX,
            Status.FAIL,
            f"{parsed.host} is a public suffix, not a domain anyone owns",
            "List your own domain or host under it.",
        )


def _check_scheme(
    rules: PlatformRules,
    parsed: ParsedEntry,
    origin: EntryOrigin,
    console_list: ConsoleList | None,
    add: _Add,
) -> None:
    scheme = parsed.scheme
    if scheme is None:
        return
    allowed = rules.allowed_schemes
    if scheme not in allowed:
        better = {"http": "https", "ws": "wss"}.get(scheme, "https")
        add(
            CheckId.WHITELIST_SCHEME,
            Status.FAIL,
            f"{scheme}:// is not allowed on {rules.label}; only {' and '.join(s + '://' for s in allowed)}",
            f"Serve it over {better} and write {better}://{parsed.host}.",
        )
        return
    if console_list is not None and rules.has_list(console_list):
        list_rules = rules.list_rules(console_list)
        if not list_rules.schemes:  # a list of hosts only (WeChat's DNS预解析域名)
            add(
                CheckId.WHITELIST_ENTRY_FORM,
                Status.INFO,
                f"the {list_rules.title} list takes hosts without a scheme",
                f"Write {parsed.host}.",
            )
            return
        if scheme not in list_rules.schemes:
            want = list_rules.entry_scheme or list_rules.schemes[0]
            add(
                CheckId.WHITELIST_SCHEME,
                Status.FAIL,
                f"the {console_list} list takes {want}:// entries, not {scheme}://",
                f"Move it to the list for {scheme}:// URLs or write {want}://{parsed.host}.",
            )
            return
    if rules.entry_form is EntryForm.BARE_HOST and origin is EntryOrigin.CONSOLE:
        add(
            CheckId.WHITELIST_ENTRY_FORM,
            Status.INFO,
            f"{rules.label} takes bare hosts; whether it accepts {scheme}:// in an entry is unconfirmed",
            f"Write {parsed.host}.",
        )


def _check_port(
    rules: PlatformRules,
    parsed: ParsedEntry,
    origin: EntryOrigin,
    console_list: ConsoleList | None,
    add: _Add,
) -> None:
    port = parsed.port
    if port is None:
        return
    if console_list is not None and rules.has_list(console_list):
        list_rules = rules.list_rules(console_list)
    else:
        found = rules.list_for_scheme(parsed.scheme or "https")
        if found is None:  # pragma: no cover - every platform has an https list
            return
        list_rules = found
    bare = _suggest_host(parsed)
    rule = list_rules.port_rule
    if rule is PortRule.FORBIDDEN:
        add(
            CheckId.WHITELIST_PORT,
            Status.FAIL,
            f"{rules.label} allows no port in entries or URLs (:{port})",
            f"Serve it on 443 and write {bare}.",
        )
    elif rule is PortRule.UNSPECIFIED:
        add(
            CheckId.WHITELIST_PORT,
            Status.WARN,
            f"{rules.label} takes a bare host; whether it honours port :{port} is unconfirmed",
            f"Serve it on 443 and write {parsed.host}.",
        )
    elif rule is PortRule.ANY:
        add(
            CheckId.WHITELIST_PORT,
            Status.INFO,
            f"{list_rules.console_list} entries need no port; every port is allowed (:{port})",
            f"Write {bare}.",
        )
    elif rule is PortRule.ANY_UNCONFIRMED:
        add(
            CheckId.WHITELIST_PORT,
            Status.INFO if port == 443 else Status.WARN,
            f"{list_rules.console_list} entries need no port; whether {rules.label} lets the app "
            f"use :{port} is unconfirmed (only WeChat says every port is allowed)",
            f"Write {bare}" + ("." if port == 443 else f" and serve {parsed.host} on 443."),
        )
    elif port == 443:
        add(
            CheckId.WHITELIST_PORT,
            Status.WARN,
            "with :443 in the entry, URLs without a port do not match (and without it, URLs naming :443 do not)",
            f"Write {bare} and keep ports out of the app's URLs, unless every URL names :443.",
        )
    else:
        add(
            CheckId.WHITELIST_PORT,
            Status.INFO,
            f"only URLs naming :{port} exactly will match this entry",
            f"Make sure every URL the app uses for {parsed.host} names :{port}.",
        )


# The rules of one entry, in the order their findings are listed; each runs inside the crash
# guard under the id named here (its first or main id).
_EntryRule = Callable[[PlatformRules, ParsedEntry, EntryOrigin, ConsoleList | None, _Add], None]


_ENTRY_RULES: tuple[tuple[CheckId, _EntryRule], ...] = (
    (CheckId.WHITELIST_HOSTNAME, _check_host),
    (CheckId.WHITELIST_SCHEME, _check_scheme),
    (CheckId.WHITELIST_PORT, _check_port),
    (CheckId.WHITELIST_PATH, _check_path),
    (CheckId.WHITELIST_PUBLIC_SUFFIX, _check_name),
)

"""The console's current list against what the app needs: missing entries, extra ones, broken ones.

The user copies the list out of the platform console (or writes it in the project file); this module
reads that text, sorts the entries into the console's lists, and compares them with the whitelist
domaincheck builds, using the platform's own matching (`rules.why_not_covered`). Entries that break
the platform's rules, duplicates, Alipay entries hidden by a registrable domain and the count limit
come from `static_checks.check_entries`, so the console is judged exactly as the built list is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from domaincheck.core.catalog import CheckId
from domaincheck.core.domains import parse_entry
from domaincheck.core.model import CheckResult, ConsoleList, Status, Whitelist
from domaincheck.files.inputfiles import read_text_file
from domaincheck.files.project import ConsoleItem, ConsoleSource
from domaincheck.registry.model import HostRole, Region, Registry
from domaincheck.whitelist.build import select_hosts
from domaincheck.whitelist.rules import PlatformRules, why_not_covered
from domaincheck.whitelist.static_checks import EntryOrigin, check_entries

# A heading that names a console list, as the consoles print them ("request合法域名",
# "socket 合法域名：") or as a user writes them ("[socket]", "uploadFile:"). Entries may follow on
# the same line.
_HEADING_RE = re.compile(
    r"^\s*\[?\s*(request|socket|uploadfile|downloadfile|udp|tcp|服务器域名白名单|whitelist)"
    r"(?:\s*合法域名)?\s*\]?\s*[:：]?(?=\s|$)(.*)$",
    re.IGNORECASE,
)
_SEPARATORS_RE = re.compile(r"[\s,;，；、|]+")
# A row number in front of an entry, as people number pasted rows: "1. ", "2、", "(3)", "4) ".
_ROW_NUMBER_RE = re.compile(r"^(?:[(\[]\d{1,4}[)\]]|\d{1,4}[、)]|\d{1,4}\.?(?=\s))\s*")
_ROW_NUMBER_TOKEN_RE = re.compile(r"^[(\[]?\d{1,4}[.、)\]]?$")
_CJK_RE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_LISTS_BY_NAME = {c.value.casefold(): c for c in ConsoleList} | {
    "服务器域名白名单": ConsoleList.WHITELIST
}


@dataclass(frozen=True)
class ConsoleEntry:
    """One entry of the console's list, in the list it belongs to, and where it was read."""

    text: str
    console_list: ConsoleList
    origin: str
    host: str = ""  # the entry's host, normalised (lower case, A-label)


def read_console_text(text: str, origin: str) -> tuple[ConsoleItem, ...]:
    """Entries out of text copied from a console: headings switch lists, everything else is entries.

    Words without a dot (the console's "删除", "修改"), row numbers ("1.", "(2)") and `#` comments
    are skipped, so a whole copied page can be pasted as it is. Full-width characters typed with a
    Chinese input method (ａ１．ｅａｓｅｍｏｂ．ｃｏｍ) are read as their ASCII forms. Lists other than
    the four the SDK needs (udp, tcp) are skipped too.
    """
    items: list[ConsoleItem] = []
    current: ConsoleList | None = None
    skipping = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            name = heading.group(1).casefold()
            skipping = name in ("udp", "tcp")
            current = (
                None if skipping else _LISTS_BY_NAME.get(name, _LISTS_BY_NAME.get(heading.group(1)))
            )
            line = heading.group(2)
        if skipping:
            continue
        line = _ROW_NUMBER_RE.sub("", line.strip())
        for token in _SEPARATORS_RE.split(line):
            token = token.strip().strip("\"'`")
            if _looks_like_entry(token):
                items.append(ConsoleItem(token, current, f"{origin}:{number}"))
    return tuple(items)


def _looks_like_entry(token: str) -> bool:
    if not token or _CJK_RE.search(token) or _ROW_NUMBER_TOKEN_RE.match(token):
        return False
    return "." in token or "://" in token


def load_console(source: ConsoleSource) -> tuple[ConsoleItem, ...]:
    """The items of a project's `console:` section: the file's entries, then the inline ones."""
    items: list[ConsoleItem] = []
    if source.file is not None:
        items.extend(read_console_file(source.file))
    items.extend(source.items)
    return tuple(items)


def read_console_file(path: Path) -> tuple[ConsoleItem, ...]:
    """Reads a file of text copied from the console (see `read_console_text`)."""
    return read_console_text(read_text_file(path, "console list"), str(path))


def assign_lists(rules: PlatformRules, items: Iterable[ConsoleItem]) -> tuple[ConsoleEntry, ...]:
    """Puts each item in a list of this platform: Alipay's single list, the heading's, or by scheme.

    An item whose heading names a list the platform does not have is sorted by its scheme too.
    """
    entries: list[ConsoleEntry] = []
    for item in items:
        if len(rules.lists) == 1:
            console_list = rules.lists[0].console_list
        elif item.console_list is not None and rules.has_list(item.console_list):
            console_list = item.console_list
        else:
            scheme = item.text.split("://", 1)[0].lower() if "://" in item.text else None
            found = rules.list_for_scheme(scheme if scheme in rules.allowed_schemes else None)
            console_list = (found or rules.lists[0]).console_list
        host = parse_entry(item.text).host
        entries.append(ConsoleEntry(item.text, console_list, item.origin, host))
    return tuple(entries)


def diff_console(
    rules: PlatformRules,
    required: Whitelist,
    items: Sequence[ConsoleItem],
    regions: Sequence[Region] = (),
    label: str = "the console's current list",
    registry: Registry | None = None,
) -> tuple[CheckResult, ...]:
    """Compares the console's entries with the whitelist the app needs.

    A required host that no entry lets through fails (`console.missing`): the whitelist domaincheck
    prints is what it asks the user to paste, so any host of it missing from the console fails,
    with a word on why it is listed when it is an easecdn.com twin, one side of a documented
    dispute or an Alipay download host. An entry that lets no required host through is
    `console.extra` (info). The entries themselves get the static checks (`whitelist.*` ids),
    count limit included.
    """
    entries = assign_lists(rules, items)
    why_listed = _why_listed(regions)
    if registry is not None and len(rules.lists) == 1:
        why_listed.update(_download_only(registry, regions, rules))
    results: list[CheckResult] = []
    used: set[int] = set()
    absent: list[tuple[str, ConsoleList, str, str | None]] = []
    checked = 0
    for wanted in required.entries:
        schemes = rules.list_rules(wanted.console_list).schemes
        for host in wanted.covers:
            checked += 1
            hits, reason = _covering(rules, entries, wanted.console_list, host, schemes)
            if not hits:
                absent.append((wanted.entry, wanted.console_list, host, reason))
            else:
                used.update(hits)
    for entry_text, console_list, host, reason in absent:
        results.append(
            _missing(rules, entry_text, console_list, host, reason, why_listed.get(host), label)
        )
    missing = len(absent)
    for index, entry in enumerate(entries):
        if index not in used:
            results.append(
                CheckResult(
                    entry.text,
                    CheckId.CONSOLE_EXTRA,
                    Status.INFO,
                    f"{entry.text}{'' if len(rules.lists) == 1 else f' in the {entry.console_list} list'} "
                    "is not needed by the Easemob SDK for the chosen regions (fine if it is one of "
                    "your own domains)",
                    {"origin": entry.origin, "console_list": entry.console_list.value},
                    "Keep it if your app calls it; list it in extra_domains to say so.",
                )
            )
    if missing == 0:
        results.insert(
            0,
            CheckResult(
                f"{rules.platform.value}:console",
                CheckId.CONSOLE_MISSING,
                Status.PASS,
                f"{label} lets through all {checked} host(s) the app needs",
                {"hosts": checked, "entries": len(entries)},
            ),
        )
    results.extend(
        check_entries(
            rules, [(e.console_list, e.text) for e in entries], origin=EntryOrigin.CONSOLE
        )
    )
    return tuple(results)


def _covering(
    rules: PlatformRules,
    entries: Sequence[ConsoleEntry],
    console_list: ConsoleList,
    host: str,
    schemes: Sequence[str],
) -> tuple[list[int], str | None]:
    """The indexes of the entries of `console_list` that cover `host`; else why the nearest does not."""
    hits: list[int] = []
    nearest: str | None = None
    for index, entry in enumerate(entries):
        if entry.console_list is not console_list:
            continue
        # Every platform's matching needs the host to be the entry's host or under it: a cheap
        # test first, since the registrable-domain rule reads the Public Suffix List.
        under = host == entry.host or host.endswith("." + entry.host)
        if not under:
            continue
        reasons = [why_not_covered(rules, entry.text, host, scheme) for scheme in schemes]
        if any(reason is None for reason in reasons):
            hits.append(index)
        elif nearest is None:
            nearest = f"{entry.text} ({entry.origin}) does not match: {reasons[0]}"
    return hits, nearest


def _missing(
    rules: PlatformRules,
    entry: str,
    console_list: ConsoleList,
    host: str,
    reason: str | None,
    why_listed: str | None,
    label: str,
) -> CheckResult:
    where = label if len(rules.lists) == 1 else f"the {console_list} list of {label}"
    message = f"{host} is missing from {where}"
    if reason:
        message += f": {reason}"
    if why_listed:
        message += f" ({why_listed})"
    title = rules.list_rules(console_list).title
    return CheckResult(
        entry,
        CheckId.CONSOLE_MISSING,
        Status.FAIL,
        message,
        {"host": host, "console_list": console_list.value, "entry": entry},
        f"Add {entry} to {title} ({rules.console_path}).{' ' + rules.edit_note if rules.edit_note else ''}",
    )


def _download_only(
    registry: Registry, regions: Sequence[Region], rules: PlatformRules
) -> dict[str, str]:
    """On a single-list console (Alipay), hosts only needed for downloads, and why they are listed:
    whether the platform checks its download API against the whitelist is unconfirmed."""
    roles: dict[str, set[HostRole]] = {}
    for host, _ in select_hosts(registry, rules.platform, regions):
        roles.setdefault(host.host, set()).add(host.role)
    return {
        host: f"a download host: listed in case {rules.label} checks downloads against the "
        "whitelist, which is unconfirmed"
        for host, found in roles.items()
        if found == {HostRole.DOWNLOAD}
    }


def _why_listed(regions: Sequence[Region]) -> dict[str, str]:
    """Why hosts a reader might think optional are in the whitelist: easecdn.com twins and the
    hosts of a documented dispute between sources (国内2区), whichever side the app uses."""
    why: dict[str, str] = {}
    for region in regions:
        for host in region.hosts:
            if host.alternative_of:
                why.setdefault(
                    host.host,
                    f"the data-centre table's easecdn.com twin of {host.alternative_of}; "
                    "the app or an HTTP-DNS answer may use it",
                )
            elif host.disputed:
                why.setdefault(
                    host.host,
                    f"the Easemob documents disagree on {region.name_zh}'s hosts, so both sides "
                    "are listed",
                )
    return why

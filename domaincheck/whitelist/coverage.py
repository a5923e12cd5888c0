"""Is a URL the app uses let through by a whitelist? One answer for the SDK config, HTTP-DNS and diff.

The whitelist is either what the console holds now (copied by the user) or, without that, the list
domaincheck builds; `CoverageList` says which, so messages can name it. The platforms' matching
itself lives in `domaincheck.whitelist.rules.why_not_covered`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domaincheck.core.model import ConsoleList, Whitelist
from domaincheck.whitelist.rules import PlatformRules, why_not_covered


@dataclass(frozen=True)
class CoverageList:
    """Whitelist entries per console list, and what they are ("the console's current list")."""

    label: str
    entries: tuple[tuple[ConsoleList, str], ...]

    @staticmethod
    def from_whitelist(
        whitelist: Whitelist, label: str = "the whitelist domaincheck builds"
    ) -> CoverageList:
        return CoverageList(label, tuple((e.console_list, e.entry) for e in whitelist.entries))

    @staticmethod
    def from_entries(
        entries: Iterable[tuple[ConsoleList, str]], label: str = "the console's current list"
    ) -> CoverageList:
        return CoverageList(label, tuple(entries))


def console_list_for(rules: PlatformRules, scheme: str, wanted: ConsoleList) -> ConsoleList:
    """The list that governs `wanted` on this platform: Alipay's single list stands for all of them."""
    if rules.has_list(wanted):
        return wanted
    found = rules.list_for_scheme(scheme)
    return found.console_list if found is not None else rules.lists[0].console_list


def uncovered(
    rules: PlatformRules,
    coverage: CoverageList,
    console_list: ConsoleList,
    host: str,
    scheme: str,
    port: int | None = None,
) -> str | None:
    """Why no entry of `console_list` lets the app reach `scheme://host[:port]`; None when one does.

    When no entry matches, the reason given is that of an entry for the same host (a port or
    scheme mismatch says more than "not listed"), else "not in <list>".
    """
    console_list = console_list_for(rules, scheme, console_list)
    entries: Sequence[str] = [text for c, text in coverage.entries if c is console_list]
    reasons: list[str] = []
    for entry in entries:
        reason = why_not_covered(rules, entry, host, scheme, port)
        if reason is None:
            return None
        if _same_host(entry, host):
            reasons.append(reason)
    where = (
        coverage.label if len(rules.lists) == 1 else f"the {console_list} list of {coverage.label}"
    )
    if reasons:
        return f"{host} is in {where}, but {reasons[0]}"
    return f"{host} is not in {where}"


def _same_host(entry: str, host: str) -> bool:
    from domaincheck.core.domains import parse_entry

    return parse_entry(entry).host == host

"""The pre-release checklist: every check of one run gathered into a `Report`.

For now the static checks only (regions, extra domains, the whitelist as it will be pasted, and a
list copied from the console when one is given); the live checks join here. Pure: the clock comes
in as `generated_at`, so the same input gives the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from domaincheck import __version__
from domaincheck.model import CheckResult, ConsoleList, Report, Whitelist
from domaincheck.platforms import Platform
from domaincheck.registry.model import Region, Registry
from domaincheck.rules import PlatformRules, rules_for
from domaincheck.static_checks import (
    check_console_list,
    check_extras,
    check_regions,
    check_whitelist,
)
from domaincheck.whitelist import ExtraDomain, build_whitelist, parse_extra


def static_results(
    rules: PlatformRules,
    whitelist: Whitelist,
    regions: Sequence[Region],
    extras: Sequence[ExtraDomain],
    console_entries: Mapping[ConsoleList, Iterable[str]] | Iterable[str] | None = None,
) -> tuple[CheckResult, ...]:
    """The offline findings: regions without public hosts, the extras, the whitelist, the console list."""
    results = [
        *check_regions(regions, extras),
        *check_extras(rules, extras),
        *check_whitelist(rules, whitelist),
    ]
    if console_entries is not None:
        results.extend(check_console_list(rules, console_entries))
    return tuple(results)


def build_report(
    registry: Registry,
    platform: Platform | str,
    regions: Sequence[Region],
    extras: Iterable[ExtraDomain | str] = (),
    *,
    compact: bool = False,
    strict: bool = False,
    rules: PlatformRules | None = None,
    console_entries: Mapping[ConsoleList, Iterable[str]] | Iterable[str] | None = None,
    command: Sequence[str] = (),
    generated_at: str | None = None,
) -> Report:
    """Builds the whitelist for `platform` and `regions` and runs the static checks on it.

    `rules` overrides the platform's rules (e.g. a count limit from the project file);
    `console_entries` is a list copied from the console, checked against the same rules.
    """
    platform = Platform(platform)
    rules = rules or rules_for(platform)
    extra_list = [e if isinstance(e, ExtraDomain) else parse_extra(e) for e in extras]
    whitelist = build_whitelist(registry, platform, regions, extra_list, compact, rules=rules)
    results = static_results(rules, whitelist, regions, extra_list, console_entries)
    return Report(
        tool_version=__version__,
        generated_at=generated_at or datetime.now(UTC).isoformat(timespec="seconds"),
        command=tuple(command),
        platform=platform.value,
        regions=tuple(r.id for r in regions),
        results=results,
        whitelist=whitelist,
        strict=strict,
    )

"""The pre-release checklist: every check of one run gathered into a `Report`.

`build_report` runs the static checks (regions, extra domains, the whitelist as it will be pasted,
a list copied from the console when one is given) and is pure: the clock comes in as
`generated_at`, so the same input gives the same report. `run_checklist` is `domaincheck check`
(its `RunPlan` built by `run.plan`): those, the app's own setup (SDK config, console diff, the HTTP-DNS answer) and, unless offline, the
live checks of every host, with the project file's ignores applied. `diff_report` is
`domaincheck diff`: the console's list against the whitelist.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from domaincheck import __version__
from domaincheck.core.catalog import CheckId
from domaincheck.core.guard import run_guarded
from domaincheck.core.model import CheckResult, ConsoleList, ProbeTarget, Report, Status, Whitelist
from domaincheck.core.platforms import Platform
from domaincheck.registry.model import Region, Registry
from domaincheck.whitelist.build import ExtraDomain, build_whitelist, parse_extra, probe_targets
from domaincheck.whitelist.profiles import rules_for
from domaincheck.whitelist.rules import PlatformRules
from domaincheck.whitelist.static_checks import (
    check_console_list,
    check_extras,
    check_regions,
    check_whitelist,
)

if TYPE_CHECKING:
    from domaincheck.files.project import ConsoleItem
    from domaincheck.run.plan import RunPlan
    from domaincheck.run.runner import ProgressObserver
    from domaincheck.run.selection import Selection


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
    return _new_report(
        platform, regions, results, whitelist, strict=strict, command=command, at=generated_at
    )


def _new_report(
    platform: Platform,
    regions: Sequence[Region],
    results: Iterable[CheckResult],
    whitelist: Whitelist,
    *,
    strict: bool,
    command: Sequence[str],
    at: str | None = None,
    ignored_rules: Mapping[str, str] | None = None,
) -> Report:
    return Report(
        tool_version=__version__,
        generated_at=at or datetime.now(UTC).isoformat(timespec="seconds"),
        command=tuple(command),
        platform=platform.value,
        regions=tuple(r.id for r in regions),
        results=tuple(results),
        whitelist=whitelist,
        strict=strict,
        ignored_rules=ignored_rules or {},
    )


def run_checklist(
    plan: RunPlan,
    *,
    observer: ProgressObserver | None = None,
    started: float | None = None,
) -> Report:
    """`domaincheck check`: the static checks, the app's setup and, online, the live checks.

    The live checks probe every whitelist host and the hosts of the HTTP-DNS answer; `observer`
    hears of each host as it finishes. `started` is the `time.monotonic()` the run began at, for
    the report's `duration_s`. Unusable input files raise a `DomaincheckError` before any check.
    """
    started = time.monotonic() if started is None else started
    selection = plan.selection
    report = build_report(
        selection.registry,
        selection.platform,
        selection.regions,
        selection.extras,
        compact=selection.compact,
        strict=plan.strict,
        rules=selection.rules,
        command=plan.command,
    )
    report = replace(report, vantage=plan.vantage)
    setup_results, httpdns_targets = _app_setup_results(plan, report)
    if selection.scan is not None:
        from domaincheck.run.scanning import source_results

        setup_results = (*setup_results, *source_results(selection, report.whitelist))
    if setup_results:
        report = replace(report, results=(*report.results, *setup_results))
    if plan.live is not None:
        from domaincheck.checks.settings import AppWhitelist
        from domaincheck.run.runner import add_live_results, run_live_checks
        from domaincheck.whitelist.coverage import CoverageList

        # A redirect to another host is judged against the whitelist the report builds.
        app_whitelist = AppWhitelist(selection.rules, CoverageList.from_whitelist(report.whitelist))
        live = replace(plan.live, whitelist=app_whitelist)
        targets = (
            *probe_targets(
                selection.registry, selection.platform, selection.regions, selection.extras
            ),
            *httpdns_targets,
        )
        from domaincheck.run.network_diagnosis import diagnose_no_network

        live_results = diagnose_no_network(run_live_checks(targets, live, observer))
        report = add_live_results(report, live_results)
    from domaincheck.run.origins import run_origins

    report = replace(report, origins=run_origins(selection), offline=plan.live is None)
    project = selection.project
    if project is not None and project.ignore:
        from domaincheck.files.project import apply_ignores

        report = replace(
            report,
            results=apply_ignores(report.results, project.ignore),
            ignored_rules={i.check: i.reason for i in project.ignore},
        )
    return replace(report, duration_s=round(time.monotonic() - started, 2))


def _app_setup_results(
    plan: RunPlan, report: Report
) -> tuple[tuple[CheckResult, ...], tuple[ProbeTarget, ...]]:
    """The app's own setup: SDK config, console diff and, online, the HTTP-DNS answer.

    Returns the results and the HTTP-DNS answer's hosts as probe targets for the live checks. Only
    reads the project file's sdk_config/console/app_key when there is a project or an option.
    """
    selection, settings = plan.selection, plan.setup
    project = selection.project
    if (
        project is None
        and settings.sdk_config is None
        and settings.console is None
        and not settings.httpdns
    ):
        return (), ()
    from domaincheck.appsetup.checks import AppSetupInputs, check_app_setup
    from domaincheck.files.project import EMPTY_PROJECT

    extra_hosts = tuple(
        dict.fromkeys(h for e in report.whitelist.entries if "extra" in e.sources for h in e.covers)
    )
    inputs = AppSetupInputs.from_project(
        project or EMPTY_PROJECT,
        sdk_config=settings.sdk_config,
        console_file=settings.console,
        app_key=settings.app_key,
        httpdns=settings.httpdns,
        extra_hosts=extra_hosts,
    )
    rules = selection.rules
    outcome = check_app_setup(
        inputs,
        registry=selection.registry,
        platform=selection.platform,
        regions=selection.regions,
        rules=rules,
        whitelist=report.whitelist,
    )
    if outcome.httpdns_skip is not None:
        return (*outcome.results, outcome.httpdns_skip), ()
    if not outcome.httpdns_app_key:
        return outcome.results, ()
    if plan.live is None:
        offline = CheckResult(
            "rs.easemob.com",
            CheckId.HTTPDNS_FETCH,
            Status.SKIP,
            "the HTTP-DNS answer was not fetched (--offline): its hosts are not checked",
            {},
        )
        return (*outcome.results, offline), ()
    from domaincheck.appsetup.httpdns import run_httpdns, vendor_domains
    from domaincheck.run.runner import run_coroutine

    app_key, live, coverage = outcome.httpdns_app_key, plan.live, outcome.coverage
    # Only names under the vendor's domains, as this registry knows them, are ever probed.
    vendor = vendor_domains(h.host for region in selection.registry.regions for h in region.hosts)
    crashes: list[CheckResult] = []
    answer = run_guarded(
        CheckId.HTTPDNS_FETCH,
        "rs.easemob.com",
        lambda: run_coroutine(run_httpdns(app_key, live, rules, coverage, allowed_domains=vendor)),
        crashes,
    )
    if answer is None:
        return (*outcome.results, *crashes), ()
    return (*outcome.results, *answer.results), answer.targets


def diff_report(
    selection: Selection,
    items: Sequence[ConsoleItem],
    *,
    strict: bool = False,
    command: Sequence[str] = (),
) -> Report:
    """`domaincheck diff`: the console's current list against the whitelist the app needs.

    Missing, extra and broken entries are results; the project file's ignores are applied.
    """
    from domaincheck.appsetup.console_diff import diff_console
    from domaincheck.files.project import apply_ignores

    rules = selection.rules
    required = build_whitelist(
        selection.registry,
        selection.platform,
        selection.regions,
        selection.extras,
        selection.compact,
        rules=rules,
    )
    results = diff_console(rules, required, items, selection.regions, registry=selection.registry)
    # 国内VIP区 / 客服专用: the console cannot be judged complete without the hosts only the account
    # manager knows, so a region without public hosts fails here as in `check` (never an empty pass).
    results = (*check_regions(selection.regions, selection.extras), *results)
    from domaincheck.run.origins import run_origins

    ignores = selection.project.ignore if selection.project is not None else ()
    report = _new_report(
        selection.platform,
        selection.regions,
        apply_ignores(results, ignores),
        required,
        strict=strict,
        command=command,
        ignored_rules={i.check: i.reason for i in ignores},
    )
    return replace(report, origins=run_origins(selection))

"""The app's own setup, checked alongside the whitelist: its SDK init options and the console's list.

`check` (through `checklist.run_checklist`) and `diff` use this module: it reads the SDK config and
the console's current list named by options or the project file, runs the Easemob vendor's option checks
(`vendors.easemob.validate`) and `console_diff` on them, and says whether (and with which appKey) the HTTP-DNS answer should be
fetched. Files that cannot be read raise `InputFileError` (exit 2) before any check runs; findings
are `CheckResult`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from domaincheck.core.catalog import CheckId
from domaincheck.core.guard import guarded, run_guarded
from domaincheck.core.model import CheckResult, Status, Whitelist
from domaincheck.core.platforms import Platform
from domaincheck.files.project import ConsoleItem, ConsoleSource, Project, parse_version
from domaincheck.registry.model import Region, Registry
from domaincheck.whitelist.coverage import CoverageList
from domaincheck.whitelist.rules import PlatformRules


@dataclass(frozen=True)
class AppSetupInputs:
    """What to check of the app's own setup: options first, then the project file.

    `httpdns` is True when `--httpdns` asks for the HTTP-DNS answer whatever the config says.
    """

    sdk_config: Path | None = None
    console: ConsoleSource | None = None
    app_key: str | None = None
    sdk_version: tuple[int, ...] | None = None
    httpdns: bool = False
    extra_hosts: tuple[str, ...] = ()
    heartbeat_min_ms: int | None = None
    heartbeat_max_ms: int | None = None

    @staticmethod
    def from_project(
        project: Project,
        *,
        sdk_config: Path | None = None,
        console_file: Path | None = None,
        app_key: str | None = None,
        httpdns: bool = False,
        extra_hosts: Sequence[str] = (),
    ) -> AppSetupInputs:
        """Options override the project file: `--sdk-config`, `--console`, `--app-key`."""
        console = project.console
        if console_file is not None:
            console = ConsoleSource(file=console_file)
        version = parse_version(project.sdk_version) if project.sdk_version else None
        return AppSetupInputs(
            sdk_config=sdk_config or project.sdk_config,
            console=console,
            app_key=app_key or project.app_key,
            sdk_version=version,
            httpdns=httpdns,
            extra_hosts=tuple(extra_hosts),
            heartbeat_min_ms=project.thresholds.heartbeat_min_ms,
            heartbeat_max_ms=project.thresholds.heartbeat_max_ms,
        )


@dataclass(frozen=True)
class AppSetupOutcome:
    """The offline findings, and whether the HTTP-DNS answer should be fetched with which appKey.

    `httpdns_app_key` is None when HTTP-DNS is not in use or no literal appKey is known; then
    `httpdns_skip` says why when HTTP-DNS is in use.
    """

    results: tuple[CheckResult, ...]
    coverage: CoverageList
    httpdns_wanted: bool
    httpdns_app_key: str | None
    httpdns_skip: CheckResult | None = None


def console_items(inputs: AppSetupInputs) -> tuple[ConsoleItem, ...] | None:
    """The console's current list, read now (the file may be missing: `InputFileError`)."""
    if inputs.console is None:
        return None
    from domaincheck.appsetup.console_diff import load_console

    return load_console(inputs.console)


def check_app_setup(
    inputs: AppSetupInputs,
    *,
    registry: Registry,
    platform: Platform,
    regions: Sequence[Region],
    rules: PlatformRules,
    whitelist: Whitelist,
) -> AppSetupOutcome:
    """Reads the SDK config and the console list, and checks both against the whitelist.

    Hosts of the SDK config are checked against the console's current list when there is one (that
    is what the phone will meet), else against the whitelist domaincheck builds.
    """
    results: list[CheckResult] = []
    items = console_items(inputs)
    if items is not None:
        from domaincheck.appsetup.console_diff import assign_lists, diff_console

        where = str(inputs.console.file) if inputs.console and inputs.console.file else "console"
        results.extend(
            guarded(
                CheckId.CONSOLE_MISSING,
                where,
                lambda: diff_console(rules, whitelist, items, regions, registry=registry),
            )
        )
        entries = [(e.console_list, e.text) for e in assign_lists(rules, items)]
        coverage = CoverageList.from_entries(entries)
    else:
        coverage = CoverageList.from_whitelist(whitelist)

    dns_wanted = inputs.httpdns
    app_key = inputs.app_key
    if inputs.sdk_config is not None:
        from domaincheck.vendors.easemob.locate import load_sdk_configs
        from domaincheck.vendors.easemob.options import (
            DEFAULT_HEARTBEAT_MAX_MS,
            DEFAULT_HEARTBEAT_MIN_MS,
            config_app_key,
            httpdns_in_use,
        )
        from domaincheck.vendors.easemob.validate import SdkCheckSettings, validate_sdk_config

        sdk_config = inputs.sdk_config
        configs = (
            run_guarded(
                CheckId.SDK_CONFIG_FOUND,
                str(sdk_config),
                lambda: load_sdk_configs(sdk_config, platform),
                results,
            )
            or ()
        )
        settings = SdkCheckSettings(
            platform=platform,
            regions=tuple(regions),
            registry=registry,
            coverage=coverage,
            app_key=inputs.app_key,
            sdk_version=inputs.sdk_version,
            extra_hosts=inputs.extra_hosts,
            heartbeat_min_ms=inputs.heartbeat_min_ms or DEFAULT_HEARTBEAT_MIN_MS,
            heartbeat_max_ms=inputs.heartbeat_max_ms or DEFAULT_HEARTBEAT_MAX_MS,
            rules=rules,
        )
        for config in configs:
            results.extend(validate_sdk_config(config, settings))
            dns_wanted = dns_wanted or httpdns_in_use(config, inputs.sdk_version) is not False
        app_key = next(filter(None, map(config_app_key, configs)), None) or app_key

    skip = None
    if dns_wanted and not app_key:
        skip = CheckResult(
            "rs.easemob.com",
            CheckId.HTTPDNS_FETCH,
            Status.SKIP,
            "the HTTP-DNS answer was not fetched: no literal appKey in the SDK config or project file",
            {},
            "Set app_key in domaincheck.yaml or give --app-key.",
        )
    return AppSetupOutcome(
        tuple(results),
        coverage,
        dns_wanted,
        app_key if dns_wanted else None,
        skip,
    )

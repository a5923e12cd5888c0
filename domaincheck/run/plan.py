"""The run plan of `domaincheck check`: one options object, resolved against the project file once.

The CLI fills `CheckOptions` with what the command line says (None where it says nothing);
`plan_check` reads the project file, applies the precedence (options, then the project file, then
the defaults) and validates every value before any check runs, giving a `RunPlan`: the selection,
the app-setup inputs, the live settings (None offline) and the report files. The plan is passed
whole to `checklist.run_checklist`; no layer relays single options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from domaincheck.core.model import Vantage
from domaincheck.core.platforms import Platform
from domaincheck.render import ReportFormat
from domaincheck.run.gate import ReportTarget, check_targets, parse_report_target
from domaincheck.run.selection import Selection, load_project_if_any, select

if TYPE_CHECKING:
    from domaincheck.checks.settings import LiveSettings
    from domaincheck.files.project import Project

DEFAULT_CONCURRENCY = 200
DEFAULT_EXPIRY_FAIL_DAYS = 7


@dataclass(frozen=True)
class LiveOptions:
    """The live checks' options as given (strings, None for "not said"), parsed by `settings`."""

    via: str | None = None
    resolvers: tuple[str, ...] = ()
    resolve: tuple[str, ...] = ()
    connect_to: tuple[str, ...] = ()
    ca_bundle: Path | None = None
    timeout: float | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    expiry_warn_days: int | None = None
    expiry_fail_days: int = DEFAULT_EXPIRY_FAIL_DAYS
    allow_private_dns: bool = False

    def settings(self, project: Project | None) -> LiveSettings:
        """The live settings: these options, else the project file's thresholds, else defaults.

        Bad values raise `UsageError` or `InputFileError` (`checks.settings.build_settings`).
        """
        from domaincheck.checks.settings import DEFAULT_TIMEOUT, build_settings

        thresholds = project.thresholds if project is not None else None
        timeout = self.timeout
        if timeout is None:
            timeout = (thresholds and thresholds.timeout) or DEFAULT_TIMEOUT
        warn_days = self.expiry_warn_days
        if warn_days is None:
            warn_days = (thresholds and thresholds.cert_expiry_warn_days) or 30
        return build_settings(
            via=self.via,
            resolvers=self.resolvers,
            resolve=self.resolve,
            connect_to=self.connect_to,
            ca_bundle=self.ca_bundle,
            timeout=timeout,
            concurrency=self.concurrency,
            expiry_warn_days=warn_days,
            expiry_fail_days=self.expiry_fail_days,
            allow_private_dns=self.allow_private_dns,
        )


@dataclass(frozen=True)
class SetupOptions:
    """The app's own setup to check; None falls back to the project file's `sdk_config`,
    `console` and `app_key`. `httpdns` fetches the HTTP-DNS answer whatever the SDK config says."""

    sdk_config: Path | None = None
    console: Path | None = None
    app_key: str | None = None
    httpdns: bool = False


@dataclass(frozen=True)
class CheckOptions:
    """Everything `domaincheck check` was told, before the project file is read."""

    project: Path | None = None
    platform: Platform | None = None
    regions: tuple[str, ...] | None = None
    extras: tuple[str, ...] | None = None
    registry: Path | None = None
    max_entries: int | None = None
    compact: bool | None = None
    strict: bool = False
    offline: bool = False
    output_format: ReportFormat = ReportFormat.TEXT
    output: Path | None = None
    reports: tuple[str, ...] = ()
    sarif_all: bool = False  # every result in SARIF reports, not only the findings
    setup: SetupOptions = field(default_factory=SetupOptions)
    live: LiveOptions = field(default_factory=LiveOptions)
    command: tuple[str, ...] = ()
    vantage: str | None = None  # --vantage NAME; default: this machine and its resolvers
    machine: str = "local"  # this machine's name, for the default vantage name


@dataclass(frozen=True)
class RunPlan:
    """A checked, complete description of one `check` run; `live` is None for an offline run."""

    selection: Selection
    setup: SetupOptions
    live: LiveSettings | None
    reports: tuple[ReportTarget, ...]  # stdout or --output first, then each --report
    strict: bool = False
    command: tuple[str, ...] = ()
    sarif_all: bool = False
    vantage: Vantage | None = None


def plan_check(options: CheckOptions) -> RunPlan:
    """Resolves `options` against the project file; bad values raise a `DomaincheckError`.

    The report targets are checked first (a bad `--report` ends the run before any other work),
    then the selection, then the live settings.
    """
    main = ReportTarget(options.output_format, options.output or Path("-"), "--output")
    reports = (main, *(parse_report_target(value) for value in options.reports))
    check_targets(list(reports))
    selection = select(
        load_project_if_any(options.project),
        platform=options.platform,
        regions=options.regions,
        extras=options.extras,
        registry=options.registry,
        max_entries=options.max_entries,
        compact=options.compact,
    )
    live = None if options.offline else options.live.settings(selection.project)
    vantage = _vantage(options, live) if live is not None else None
    if vantage is None and options.vantage:  # offline: the name only, nothing was asked
        vantage = Vantage(options.vantage)
    return RunPlan(
        selection,
        options.setup,
        live,
        reports,
        options.strict,
        options.command,
        options.sarif_all,
        vantage,
    )


def _vantage(options: CheckOptions, live: LiveSettings) -> Vantage:
    """The place the live checks look from: `--vantage`, else MACHINE@RESOLVERS[+PROXY]."""
    resolvers = tuple(r.label for r in live.resolvers)
    proxy = live.proxy.label if live.proxy is not None else None
    name = options.vantage
    if not name:
        asked = "+".join(r.preset or r.label for r in live.resolvers) or "system-dns"
        name = f"{options.machine}@{asked}" + (f" via {proxy}" if proxy else "")
    return Vantage(name, resolvers, proxy)

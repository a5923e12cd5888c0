"""`domaincheck check`: the pre-release checklist, static and live, and the CI gate."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from domaincheck.cli._common import (
    CompactOption,
    ExtraOption,
    MaxEntriesOption,
    OutputOption,
    PlatformOption,
    ProjectOption,
    QuietOption,
    RegionOption,
    RegistryOption,
    ReportFormatOption,
    StrictOption,
    VerboseOption,
    Verbosity,
    colour_wanted,
    command_line,
    guarded,
    say,
    verbosity,
)
from domaincheck.render import ReportFormat

if TYPE_CHECKING:
    from domaincheck.run.runner import ProgressObserver
    from domaincheck.run.selection import Selection


# Options of the live checks (`check` without --offline).
ResolverOption = Annotated[
    list[str] | None,
    typer.Option(
        "--resolver",
        metavar="RESOLVER",
        help="DNS resolver to ask: IP[:PORT], a DoH URL (https://dns.alidns.com/dns-query), "
        "tls://HOST[:PORT] (DoT) or a preset (alidns, dnspod, 114dns, google, cloudflare, quad9; "
        "NAME:doh or NAME:dot for its encrypted address). Repeatable: answers are compared. "
        "Default: the system's resolver.",
        show_default=False,
    ),
]
ViaOption = Annotated[
    str | None,
    typer.Option(
        "--via",
        metavar="PROXY",
        help="Carry every connection of the live checks and the HTTP-DNS fetch through a proxy: "
        "socks5h://HOST:PORT (names resolved at the proxy), socks5://HOST:PORT or "
        "http://HOST:PORT (CONNECT); USER:PASSWORD@ before HOST when it asks for them. "
        "Default: $DOMAINCHECK_VIA (keeps a password off the command line).",
        envvar="DOMAINCHECK_VIA",
        show_default=False,
    ),
]
ResolveOption = Annotated[
    list[str] | None,
    typer.Option(
        "--resolve",
        metavar="HOST:PORT:ADDR",
        help="Connect to ADDR for HOST:PORT instead of its DNS addresses, as curl does (repeatable).",
        show_default=False,
    ),
]
ConnectToOption = Annotated[
    list[str] | None,
    typer.Option(
        "--connect-to",
        metavar="HOST:PORT:CONNECT_HOST:CONNECT_PORT",
        help="Reach HOST:PORT at CONNECT_HOST:CONNECT_PORT, as curl does; TLS still checks HOST "
        "(repeatable; an empty field matches any host or port, or keeps the original).",
        show_default=False,
    ),
]
CaBundleOption = Annotated[
    Path | None,
    typer.Option(
        "--ca-bundle",
        metavar="FILE",
        help="Trust the CA certificates in FILE (PEM) instead of Mozilla's roots (certifi).",
        show_default=False,
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Limit for each network operation (a DNS query, a connect, a handshake, a request). "
        "Default: thresholds.timeout of the project file, else 5.",
        show_default=False,
    ),
]
ConcurrencyOption = Annotated[
    int, typer.Option("--concurrency", metavar="N", help="Hosts probed at the same time.")
]
ExpiryWarnOption = Annotated[
    int | None,
    typer.Option(
        "--expiry-warn-days",
        metavar="DAYS",
        help="Warn when a certificate expires within DAYS. Default: "
        "thresholds.cert_expiry_warn_days of the project file, else 30.",
        show_default=False,
    ),
]
ExpiryFailOption = Annotated[
    int,
    typer.Option(
        "--expiry-fail-days", metavar="DAYS", help="Fail when a certificate expires within DAYS."
    ),
]


def _progress(level: Verbosity, wanted: bool) -> "ProgressObserver | None":
    """The live checks' progress display: a status line on a terminal, a line per host with
    --verbose elsewhere, nothing with --quiet or --no-progress."""
    from domaincheck.cli.progress import LineProgress, TerminalProgress

    if level is Verbosity.QUIET or not wanted:
        return None
    if sys.stderr.isatty():
        return TerminalProgress(sys.stderr, level)
    return LineProgress() if level is Verbosity.VERBOSE else None


def _say_inputs(level: Verbosity, selection: "Selection") -> None:
    """--verbose: the files and the selection the run reads."""
    if level < Verbosity.VERBOSE:
        return
    project = selection.project
    shown = project.path if project is not None and project.path is not None else "none"
    regions = ", ".join(r.id for r in selection.regions)
    say(
        level,
        f"domaincheck: project file {shown}; registry {selection.registry.path}",
        Verbosity.VERBOSE,
    )
    say(level, f"domaincheck: {selection.platform.value}, regions {regions}", Verbosity.VERBOSE)


def _raise_open_file_limit() -> None:
    """Lets many hosts be probed at once: the soft limit on open files (often 1024) up to the hard."""
    try:
        import resource
    except ImportError:  # not on this platform
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(hard, 8192)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        import contextlib

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _without_password(command: tuple[str, ...]) -> tuple[str, ...]:
    """The command as reports show it: a --via password is replaced by ***."""
    import re

    shown = list(command)
    for index, word in enumerate(shown[:-1]):
        if word == "--via":
            shown[index + 1] = re.sub(r"(//[^:@/]*:)[^@/]*@", r"\1***@", shown[index + 1])
    return tuple(shown)


def check(
    ctx: typer.Context,
    platform: PlatformOption = None,
    region: RegionOption = None,
    extra: ExtraOption = None,
    compact: CompactOption = None,
    output_format: ReportFormatOption = ReportFormat.TEXT,
    offline: Annotated[
        bool, typer.Option("--offline", help="Run the static checks only, no network.")
    ] = False,
    strict: StrictOption = False,
    registry: RegistryOption = None,
    project: ProjectOption = None,
    output: OutputOption = None,
    report_files: Annotated[
        list[str] | None,
        typer.Option(
            "--report",
            metavar="FMT:FILE",
            help="Also write the report in FMT (text, json, junit, markdown, sarif, html) to FILE, "
            "atomically; repeatable.",
            show_default=False,
        ),
    ] = None,
    sarif_all: Annotated[
        bool,
        typer.Option(
            "--sarif-all",
            help="Put every result in SARIF reports, passes and skips included (default: the "
            "findings only, as code scanning raises each result as an alert).",
        ),
    ] = False,
    max_entries: MaxEntriesOption = None,
    sdk_config: Annotated[
        Path | None,
        typer.Option(
            "--sdk-config",
            help="The app's SDK init source (new WebIM.connection({...}), a config module, JSON or "
            "YAML) to check; default: sdk_config of the project file.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    console: Annotated[
        Path | None,
        typer.Option(
            "--console",
            help="Text copied from the console's whitelist page, to diff; default: console: of the project file.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    app_key: Annotated[
        str | None,
        typer.Option(
            "--app-key",
            help="The app's appKey (orgname#appname); default: app_key of the project file.",
            show_default=False,
        ),
    ] = None,
    httpdns: Annotated[
        bool,
        typer.Option(
            "--httpdns",
            help="Fetch the HTTP-DNS answer for the appKey and check its hosts, even if the SDK "
            "config turns HTTP-DNS off.",
        ),
    ] = False,
    resolver: ResolverOption = None,
    via: ViaOption = None,
    vantage: Annotated[
        str | None,
        typer.Option(
            "--vantage",
            metavar="NAME",
            help="Name of the place this run looks from, recorded in the report with its "
            "resolvers and proxy (for `domaincheck merge`). Default: MACHINE@RESOLVERS.",
            show_default=False,
        ),
    ] = None,
    resolve: ResolveOption = None,
    connect_to: ConnectToOption = None,
    ca_bundle: CaBundleOption = None,
    timeout: TimeoutOption = None,
    concurrency: ConcurrencyOption = 200,
    expiry_warn_days: ExpiryWarnOption = None,
    expiry_fail_days: ExpiryFailOption = 7,
    allow_private_dns: Annotated[
        bool,
        typer.Option(
            "--allow-private-dns",
            help="Accept DNS answers in private or reserved ranges (10/8, 192.168/16, 198.18/15, "
            "...): for a test lab or an intranet mirror on purpose. Otherwise such an answer for a "
            "public host fails the dns check and is not probed.",
        ),
    ] = False,
    progress: Annotated[
        bool,
        typer.Option(
            "--progress/--no-progress",
            help="Show the live checks' progress (hosts done, time) on stderr when it is a "
            "terminal.",
        ),
    ] = True,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the pre-release checklist and print it with the whitelist to paste.

    Exits 0 when every check passed (warnings allowed unless --strict), 1 when one failed or
    could not run, 2 on bad input.
    """
    import socket
    import time

    from domaincheck.render import summary_line
    from domaincheck.run.checklist import run_checklist
    from domaincheck.run.gate import exit_code, write_reports
    from domaincheck.run.plan import CheckOptions, LiveOptions, SetupOptions, plan_check

    started = time.monotonic()
    level = verbosity(quiet, verbose)
    options = CheckOptions(
        project=project,
        platform=platform,
        regions=tuple(region) if region is not None else None,
        extras=tuple(extra) if extra is not None else None,
        registry=registry,
        max_entries=max_entries,
        compact=compact,
        strict=strict,
        offline=offline,
        output_format=output_format,
        output=output,
        reports=tuple(report_files or ()),
        sarif_all=sarif_all,
        setup=SetupOptions(
            sdk_config=sdk_config, console=console, app_key=app_key, httpdns=httpdns
        ),
        live=LiveOptions(
            via=via,
            resolvers=tuple(resolver or ()),
            resolve=tuple(resolve or ()),
            connect_to=tuple(connect_to or ()),
            ca_bundle=ca_bundle,
            timeout=timeout,
            concurrency=concurrency,
            expiry_warn_days=expiry_warn_days,
            expiry_fail_days=expiry_fail_days,
            allow_private_dns=allow_private_dns,
        ),
        command=_without_password(command_line(ctx)),
        vantage=vantage,
        machine=socket.gethostname() or "local",
    )
    # Bad values (a --report or --output destination first) end the run with exit 2 before any
    # check runs, so a typo in a path never costs a live run.
    plan = guarded(lambda: plan_check(options))
    if plan.live is not None:
        _raise_open_file_limit()
    _say_inputs(level, plan.selection)
    observer = _progress(level, progress and plan.live is not None)
    try:
        report = guarded(lambda: run_checklist(plan, observer=observer, started=started))
    finally:
        if observer is not None:
            observer.finished()
    colour = colour_wanted(sys.stdout)
    guarded(
        lambda: write_reports(
            report, list(plan.reports), sarif_all=plan.sarif_all, colour_stdout=colour
        )
    )
    say(level, f"domaincheck: {summary_line(report)}")
    raise typer.Exit(int(exit_code(report)))

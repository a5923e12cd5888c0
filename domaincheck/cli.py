"""The command line: options in, a report out, an exit code.

The only module that imports typer. It turns options into settings, calls the core, renders and
exits. Commands import their core modules inside the function, so the offline commands never
import the network libraries and start fast.

Unlike the rest of the package, this module does not use `from __future__ import annotations`:
typer reads the commands' annotations on every run, and postponed (string) annotations make it
eval and compile each one, every time, for every command: about 50 million instructions, a fifth of
`import typer`, before any work. Annotations that name types imported only for type checking are
written as strings instead.
"""

import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from domaincheck import __version__
from domaincheck.alipay.formats import SyncFormat
from domaincheck.core.errors import DomaincheckError, RegistryError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.platforms import DEFAULT_PLATFORM, DEFAULT_REGION, Platform
from domaincheck.registry.render import RegionsFormat
from domaincheck.render import ReportFormat
from domaincheck.render.whitelist_formats import WhitelistFormat

if TYPE_CHECKING:
    from domaincheck.core.model import CheckResult

app = typer.Typer(
    name="domaincheck",
    help="Check the server-domain whitelist of a mini program that embeds the Easemob IM SDK.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")


def fail(message: str, code: ExitCode = ExitCode.BAD_INPUT) -> NoReturn:
    """Ends the run with a clear message on stderr, never a traceback."""
    typer.echo(f"domaincheck: {message}", err=True)
    raise typer.Exit(int(code))


def guarded(action: Callable[[], T]) -> T:
    """Runs a core call and turns a fatal `DomaincheckError` into one line and exit code 2.

    A broken registry prints every problem on its own `FILE:LINE: what is wrong` line.
    """
    try:
        return action()
    except RegistryError as exc:
        if len(exc.problems) > 1:
            typer.echo(
                f"domaincheck: the region registry has {len(exc.problems)} problems:", err=True
            )
            for problem in exc.problems:
                typer.echo(problem, err=True)
            raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
        fail(str(exc))
    except DomaincheckError as exc:
        fail(str(exc))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"domaincheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Check the server-domain whitelist of a mini program that embeds the Easemob IM SDK."""


# Options that several commands share.
RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="Region registry file to use instead of the built-in regions.yaml.",
        dir_okay=False,
        show_default=False,
    ),
]
ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        help="Project file to use instead of ./domaincheck.yaml.",
        show_default=False,
    ),
]
PlatformOption = Annotated[
    Platform | None,
    typer.Option(
        "--platform",
        "-p",
        help=f"Mini-program platform whose console gets the list. Default: {DEFAULT_PLATFORM.value}, or the project file's.",
        show_default=False,
    ),
]
RegionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--region",
        "-r",
        help=f"Easemob data centre: id (cn1, sgp1, ...), Chinese or English name; repeatable. Default: {DEFAULT_REGION}, or the project file's.",
        metavar="REGION",
        show_default=False,
    ),
]
ExtraOption = Annotated[
    list[str] | None,
    typer.Option(
        "--extra",
        "-e",
        help="A domain of your own app, e.g. https://api.myapp.com; prefix LIST= to choose the "
        "console list (uploadFile=https://files.myapp.com). Repeatable; adds to the project file's.",
        metavar="URL",
        show_default=False,
    ),
]
CompactOption = Annotated[
    bool | None,
    typer.Option(
        "--compact/--no-compact",
        help="Alipay: cover the same hosts with the fewest registrable-domain (一级域名) entries. "
        "Default: compact of the project file, else off.",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the output to this file instead of stdout.",
        metavar="FILE",
        dir_okay=False,
        show_default=False,
    ),
]
MaxEntriesOption = Annotated[
    int | None,
    typer.Option(
        "--max-entries",
        min=1,
        metavar="N",
        help="The console's entry limit, when it differs from the platform default "
        "(Alipay 30, or 50 for ISV templates; WeChat 200 per list; Douyin, Baidu, QQ 20).",
        show_default=False,
    ),
]
ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")]


@app.command()
def regions(
    output_format: Annotated[
        RegionsFormat, typer.Option("--format", help="Output format.")
    ] = RegionsFormat.TEXT,
    registry: RegistryOption = None,
) -> None:
    """List the Easemob data centres: ids and names for --region, REST and socket hosts, notes."""
    from domaincheck.registry.loader import load_registry
    from domaincheck.registry.render import REGIONS_RENDERERS

    loaded = guarded(lambda: load_registry(registry))
    typer.echo(REGIONS_RENDERERS[output_format](loaded), nl=False)


@app.command()
def sync(
    platform: Annotated[
        Platform | None,
        typer.Option(
            "--platform", help="Platform whose console to sync (alipay only).", show_default=False
        ),
    ] = None,
    region: RegionOption = None,
    extra: ExtraOption = None,
    compact: CompactOption = None,
    registry: RegistryOption = None,
    project: ProjectOption = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Make the changes; without it nothing is changed.")
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Also delete console entries that are not required (the app's own domains too, unless given with --extra or in the project file).",
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit 1 when the console is not in step (for CI); changes nothing."
        ),
    ] = False,
    isv: Annotated[
        bool,
        typer.Option(
            "--isv", help="A third-party (ISV) app: the console takes 50 entries, not 30."
        ),
    ] = False,
    max_entries: Annotated[
        int | None,
        typer.Option(
            "--max-entries",
            min=1,
            help="The console's entry limit, if not 30 (or 50 with --isv).",
            show_default=False,
        ),
    ] = None,
    app_id: Annotated[
        str | None,
        typer.Option(
            "--app-id", help="Alipay app id (env DOMAINCHECK_ALIPAY_APP_ID).", show_default=False
        ),
    ] = None,
    private_key_file: Annotated[
        Path | None,
        typer.Option(
            "--private-key-file",
            help="App private key, PKCS#1 or PKCS#8 PEM (env DOMAINCHECK_ALIPAY_PRIVATE_KEY_FILE).",
            show_default=False,
        ),
    ] = None,
    alipay_public_key_file: Annotated[
        Path | None,
        typer.Option(
            "--alipay-public-key-file",
            help="Alipay public key (支付宝公钥) (env DOMAINCHECK_ALIPAY_ALIPAY_PUBLIC_KEY_FILE).",
            show_default=False,
        ),
    ] = None,
    app_auth_token: Annotated[
        str | None,
        typer.Option(
            "--app-auth-token",
            help="ISV app_auth_token; prefer the env DOMAINCHECK_ALIPAY_APP_AUTH_TOKEN.",
            show_default=False,
        ),
    ] = None,
    gateway: Annotated[
        str | None,
        typer.Option(
            "--gateway",
            help="Gateway URL, or 'production' / 'sandbox' (env DOMAINCHECK_ALIPAY_GATEWAY).",
            show_default=False,
        ),
    ] = None,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="Use Alipay's sandbox gateway.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Seconds to wait for each gateway answer.")
    ] = 15.0,
    attempts: Annotated[
        int,
        typer.Option(
            "--attempts",
            min=1,
            help="Tries per call for transient failures (20000, timeouts, 5xx).",
        ),
    ] = 4,
    backoff: Annotated[
        float,
        typer.Option(
            "--backoff", min=0.0, help="Seconds before the first retry; doubles each retry."
        ),
    ] = 0.5,
    output_format: Annotated[
        SyncFormat, typer.Option("--format", help="Output format.")
    ] = SyncFormat.TEXT,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log each gateway call on stderr.")
    ] = False,
) -> None:
    """Sync the Alipay console's whitelist through the Open API: plan, and with --apply, change it."""
    from domaincheck.alipay.errors import AlipayCredentialsError, AlipayError
    from domaincheck.alipay.gateway import GatewayObserver, GatewaySettings
    from domaincheck.alipay.keys import private_key_file_warnings
    from domaincheck.alipay.render import SYNC_RENDERERS
    from domaincheck.alipay.settings import sync_credentials, sync_entry_limit
    from domaincheck.alipay.sync import AppliedChange, SyncObserver, sync_whitelist
    from domaincheck.run.selection import (
        effective_platform,
        load_project_if_any,
        regions_without_hosts,
        select,
    )
    from domaincheck.whitelist.build import build_whitelist

    if gateway and sandbox:
        fail("give --gateway or --sandbox, not both", ExitCode.BAD_INPUT)
    loaded_project = guarded(lambda: load_project_if_any(project))
    chosen = effective_platform(platform, loaded_project)
    if chosen is not Platform.ALIPAY:
        fail(
            f"sync supports --platform alipay only; {chosen.value}'s console API is not implemented",
            ExitCode.BAD_INPUT,
        )
    selection = guarded(
        lambda: select(
            loaded_project,
            platform=chosen,
            regions=region,
            extras=extra,
            registry=registry,
            compact=compact,
        )
    )
    whitelist = guarded(
        lambda: build_whitelist(
            selection.registry, chosen, selection.regions, selection.extras, selection.compact
        )
    )
    # 国内VIP区 / 客服专用 without their hosts: syncing would leave them out, and --prune would
    # delete them from the console, so nothing is done (as `whitelist`, never an empty success).
    missing = regions_without_hosts(selection)
    for finding in missing:
        typer.echo(f"domaincheck: {finding.message}. {finding.fix} Nothing was changed.", err=True)
    if missing:
        raise typer.Exit(int(ExitCode.FAILED))
    limit = sync_entry_limit(max_entries=max_entries, isv=isv, project=loaded_project)
    options = {
        "app_id": app_id,
        "private_key_file": str(private_key_file) if private_key_file else None,
        "alipay_public_key_file": str(alipay_public_key_file) if alipay_public_key_file else None,
        "app_auth_token": app_auth_token,
        "gateway": gateway,
    }
    credentials = guarded(
        lambda: sync_credentials(options, os.environ, loaded_project, sandbox=sandbox)
    )
    for warning in private_key_file_warnings(credentials.private_key_file):
        typer.echo(f"domaincheck: warning: {warning}", err=True)

    class _GatewayLog(GatewayObserver):
        def request(self, method: str, attempt: int) -> None:
            typer.echo(f"sync: {method} (attempt {attempt})", err=True)

        def answered(self, method: str, code: str, sub_code: str) -> None:
            typer.echo(
                f"sync: {method} answered {code}{'/' + sub_code if sub_code else ''}", err=True
            )

        def retrying(self, method: str, attempt: int, reason: str, delay: float) -> None:
            typer.echo(f"sync: {method} failed ({reason}); retrying in {delay:.2f} s", err=True)

    class _ChangeLog(SyncObserver):
        def change_finished(self, change: AppliedChange) -> None:
            typer.echo(
                f"sync: {change.action.value} {change.domain}: {change.status.value}", err=True
            )

    try:
        outcome = sync_whitelist(
            whitelist,
            credentials,
            limit=limit,
            prune=prune,
            apply=apply and not check,
            settings=GatewaySettings(timeout=timeout, attempts=attempts, backoff=backoff),
            gateway_observer=_GatewayLog() if verbose else None,
            observer=_ChangeLog() if verbose else None,
        )
    except AlipayCredentialsError as exc:
        fail(str(exc), ExitCode.BAD_INPUT)
    except AlipayError as exc:
        fail(str(exc), ExitCode.FAILED)
    typer.echo(SYNC_RENDERERS[output_format](outcome), nl=False)
    if not outcome.succeeded or (check and outcome.plan.changes):
        raise typer.Exit(int(ExitCode.FAILED))


# --- the app's own setup: init, diff ------------------------------------------------------------


@app.command()
def init(
    platform: Annotated[
        Platform,
        typer.Option("--platform", "-p", help="Mini-program platform of the app."),
    ] = Platform.ALIPAY,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            "-r",
            help="Easemob data centre of the app (id, Chinese or English name); repeatable. Default: cn1.",
            metavar="REGION",
            show_default=False,
        ),
    ] = None,
    path: Annotated[
        Path,
        typer.Option("--project", help="Where to write the project file.", dir_okay=False),
    ] = Path("domaincheck.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    registry: RegistryOption = None,
) -> None:
    """Write a commented domaincheck.yaml for the app, so the other commands need no options.

    Never overwrites an existing file without --force. Exits 2 on an unknown region.
    """
    from domaincheck.files.project import render_project_template, write_project_file
    from domaincheck.run.selection import compact_reason, select

    # No project file is read: init writes one.
    selection = guarded(lambda: select(None, platform=platform, regions=region, registry=registry))
    ids = [r.id for r in selection.regions]
    because = compact_reason(selection)
    text = render_project_template(platform, ids, compact_because=because)
    guarded(lambda: write_project_file(path, text, force))
    shown = ", ".join([platform.value, *ids, *(["compact"] if because else [])])
    typer.echo(f"domaincheck: wrote {path} ({shown})", err=True)


@app.command()
def diff(
    ctx: typer.Context,
    console_file: Annotated[
        Path | None,
        typer.Argument(
            help="Text copied from the console's whitelist page; default: console: of the project file.",
            show_default=False,
        ),
    ] = None,
    platform: PlatformOption = None,
    region: RegionOption = None,
    extra: ExtraOption = None,
    compact: CompactOption = None,
    project: ProjectOption = None,
    registry: RegistryOption = None,
    output_format: ReportFormatOption = ReportFormat.TEXT,
    output: OutputOption = None,
    strict: StrictOption = False,
    max_entries: MaxEntriesOption = None,
) -> None:
    """Compare the console's current list with what the app needs: missing, extra, broken entries.

    Exits 0 when nothing is missing or broken (warnings allowed unless --strict), 1 otherwise,
    2 on bad input.
    """
    from domaincheck.appsetup.checks import AppSetupInputs, console_items
    from domaincheck.files.project import EMPTY_PROJECT
    from domaincheck.render import render
    from domaincheck.run.checklist import diff_report
    from domaincheck.run.selection import load_project_if_any, select

    loaded_project = guarded(lambda: load_project_if_any(project))
    inputs = AppSetupInputs.from_project(loaded_project or EMPTY_PROJECT, console_file=console_file)
    if inputs.console is None:
        fail(
            "no console list to compare: give the file copied from the console, or console: in domaincheck.yaml"
        )
    selection = guarded(
        lambda: select(
            loaded_project,
            platform=platform,
            regions=region,
            extras=extra,
            registry=registry,
            max_entries=max_entries,
            compact=compact,
        )
    )
    items = guarded(lambda: console_items(inputs)) or ()
    report = diff_report(selection, items, strict=strict, command=_command_line(ctx))
    _write_output(render(report, output_format), output)
    raise typer.Exit(int(ExitCode.PASSED if report.passed else ExitCode.FAILED))


def _command_line(ctx: typer.Context) -> tuple[str, ...]:
    """The running command as the user gave it (long options), for reports to show how to reproduce it.

    Rebuilt from the parsed parameters rather than sys.argv, which is not the command when the app
    is invoked in-process; parameters that came from defaults or the environment are left out.
    """
    import enum

    def text(value: object) -> str:
        return str(value.value) if isinstance(value, enum.Enum) else str(value)

    argv = ["domaincheck", ctx.info_name or ""]
    positional: list[str] = []
    for param in ctx.command.params:
        name = param.name
        source = ctx.get_parameter_source(name) if name else None
        if name is None or source is None or source.name != "COMMANDLINE":
            continue
        value = ctx.params.get(name)
        values = list(value) if param.multiple and isinstance(value, list | tuple) else [value]
        if param.param_type_name == "argument":
            positional += [text(v) for v in values]
            continue
        flag = max(param.opts, key=len)
        if getattr(param, "is_flag", False):
            if value:
                argv.append(flag)
            elif param.secondary_opts:
                argv.append(max(param.secondary_opts, key=len))
            continue
        for item in values:
            argv += [flag, text(item)]
    return (*argv, *positional)


def _write_output(text: str, output: Path | None) -> None:
    """Report data to stdout, or atomically to `--output`."""
    if output is None:
        typer.echo(text, nl=False)
        return
    from domaincheck.files.atomic import atomic_write

    guarded(lambda: atomic_write(output, text))


# --- the whitelist and the checklist: whitelist, check ------------------------------------------


@app.command()
def whitelist(
    platform: PlatformOption = None,
    region: RegionOption = None,
    extra: ExtraOption = None,
    compact: CompactOption = None,
    output_format: Annotated[
        WhitelistFormat, typer.Option("--format", "-f", help="Output format.")
    ] = WhitelistFormat.TEXT,
    registry: RegistryOption = None,
    project: ProjectOption = None,
    output: OutputOption = None,
    max_entries: MaxEntriesOption = None,
) -> None:
    """Print the entries to paste into the platform console, per console list, one per line.

    Exits 1 when a chosen region has no public hosts and no --extra gives them, 2 on bad input.
    """
    from domaincheck.render.whitelist_formats import render_whitelist
    from domaincheck.run.selection import (
        bad_extras,
        load_project_if_any,
        regions_without_hosts,
        select,
    )
    from domaincheck.whitelist.build import build_whitelist

    selection = guarded(
        lambda: select(
            load_project_if_any(project),
            platform=platform,
            regions=region,
            extras=extra,
            registry=registry,
            max_entries=max_entries,
            compact=compact,
        )
    )
    bad = bad_extras(selection)
    for result in bad:
        typer.echo(
            f"domaincheck: --extra {result.target}: {result.message}. {result.fix or ''}".rstrip(),
            err=True,
        )
    if bad:
        raise typer.Exit(int(ExitCode.BAD_INPUT))
    built = build_whitelist(
        selection.registry,
        selection.platform,
        selection.regions,
        selection.extras,
        selection.compact,
        rules=selection.rules,
    )
    _write_output(render_whitelist(built, output_format), output)
    missing = regions_without_hosts(selection)
    for finding in missing:
        typer.echo(f"domaincheck: {finding.message}. {finding.fix}", err=True)
    if missing:
        raise typer.Exit(int(ExitCode.FAILED))


# Options of the live checks (`check` without --offline).
ResolverOption = Annotated[
    list[str] | None,
    typer.Option(
        "--resolver",
        metavar="IP[:PORT]",
        help="DNS resolver to ask, e.g. 223.5.5.5 (repeatable: answers are compared). "
        "Default: the system's resolver.",
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


class _StderrProgress:
    """Prints one line per host on stderr as the live checks finish (only used on a terminal)."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def started(self, hosts: int) -> None:
        self.total = hosts
        typer.echo(f"domaincheck: probing {hosts} host{'s' if hosts != 1 else ''}...", err=True)

    def host_done(self, host: str, results: Sequence["CheckResult"]) -> None:
        from domaincheck.core.model import STATUS_ORDER

        self.done += 1
        worst = min((r.status for r in results), key=STATUS_ORDER.index, default=None)
        bad = sorted({r.check for r in results if r.status is worst})
        shown = f"{worst.value} ({', '.join(bad)})" if worst and worst.value != "pass" else "pass"
        typer.echo(f"  [{self.done}/{self.total}] {host}: {shown}", err=True)

    def finished(self) -> None:
        pass


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


@app.command()
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
    resolve: ResolveOption = None,
    connect_to: ConnectToOption = None,
    ca_bundle: CaBundleOption = None,
    timeout: TimeoutOption = None,
    concurrency: ConcurrencyOption = 200,
    expiry_warn_days: ExpiryWarnOption = None,
    expiry_fail_days: ExpiryFailOption = 7,
) -> None:
    """Run the pre-release checklist and print it with the whitelist to paste.

    Exits 0 when every check passed (warnings allowed unless --strict), 1 when one failed or
    could not run, 2 on bad input.
    """
    import time

    from domaincheck.render import render, summary_line
    from domaincheck.run.checklist import ChecklistSettings, live_settings, run_checklist
    from domaincheck.run.gate import (
        ReportTarget,
        check_targets,
        exit_code,
        parse_report_target,
        write_reports,
    )
    from domaincheck.run.selection import load_project_if_any, select

    started = time.monotonic()
    # Bad --report values end the run before any check does (exit 2).
    targets = guarded(lambda: [parse_report_target(value) for value in report_files or ()])
    stdout_target = [ReportTarget(output_format, output)] if output is not None else []
    guarded(lambda: check_targets([*stdout_target, *targets]))
    selection = guarded(
        lambda: select(
            load_project_if_any(project),
            platform=platform,
            regions=region,
            extras=extra,
            registry=registry,
            max_entries=max_entries,
            compact=compact,
        )
    )
    live = None
    if not offline:
        live = guarded(
            lambda: live_settings(
                selection.project,
                resolvers=resolver or (),
                resolve=resolve or (),
                connect_to=connect_to or (),
                ca_bundle=ca_bundle,
                timeout=timeout,
                concurrency=concurrency,
                expiry_warn_days=expiry_warn_days,
                expiry_fail_days=expiry_fail_days,
            )
        )
        _raise_open_file_limit()
    settings = ChecklistSettings(
        strict=strict,
        command=_command_line(ctx),
        sdk_config=sdk_config,
        console=console,
        app_key=app_key,
        httpdns=httpdns,
        live=live,
    )
    # Progress of the live checks on stderr, only on a terminal.
    observer = _StderrProgress() if sys.stderr.isatty() else None
    try:
        report = guarded(
            lambda: run_checklist(selection, settings, observer=observer, started=started)
        )
    except KeyboardInterrupt:
        fail("interrupted", ExitCode.FAILED)
    _write_output(render(report, output_format), output)
    guarded(lambda: write_reports(report, targets))
    typer.echo(f"domaincheck: {summary_line(report)}", err=True)
    raise typer.Exit(int(exit_code(report)))


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command `args` name, or the whole app when they name none.

    Typer turns every registered command's signature into options on every run, whichever command
    runs; with `sync` alone at two dozen options that costs the offline commands a good part of
    their start-up budget. A run names one command, so only that one is built; `--help` without a
    command, or an unknown command, gets the whole app and its usual listing.
    """
    name = next((a for a in args if not a.startswith("-")), None)
    for info in app.registered_commands:
        callback_name = info.callback.__name__ if info.callback else ""
        if name is not None and name == (info.name or callback_name.replace("_", "-")):
            single = typer.Typer(
                name=app.info.name,
                help=app.info.help,
                no_args_is_help=True,
                add_completion=False,
                pretty_exceptions_enable=False,
            )
            single.registered_callback = app.registered_callback
            single.registered_commands = [info]
            return single
    return app


def main() -> None:
    """Console-script entry point."""
    # What the imports built (typer, click, the commands) lives until the process exits, so the
    # cyclic garbage collector is told to leave it alone: its passes over those objects, above all
    # the full one at exit, would cost about 8 ms a run, more than `whitelist` does itself.
    gc.freeze()
    sys.exit(_app_for(sys.argv[1:])())

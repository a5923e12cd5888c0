"""`domaincheck sync`: the Alipay console's whitelist through the Open API."""

import os
from pathlib import Path
from typing import Annotated

import typer

from domaincheck.alipay.formats import SyncFormat
from domaincheck.cli._common import (
    CompactOption,
    ExtraOption,
    ProjectOption,
    QuietOption,
    RegionOption,
    RegistryOption,
    emit,
    fail,
    guarded,
    say,
    say_line,
    verbosity,
)
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.platforms import Platform


def sync(
    platform: Annotated[
        Platform | None,
        typer.Option(
            "--platform",
            "-p",
            help="Platform whose console to sync (alipay only).",
            case_sensitive=False,
            show_default=False,
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
            metavar="N",
            help="The console's entry limit, if not 30 (or 50 with --isv).",
            show_default=False,
        ),
    ] = None,
    app_id: Annotated[
        str | None,
        typer.Option(
            "--app-id",
            metavar="ID",
            help="Alipay app id (env DOMAINCHECK_ALIPAY_APP_ID).",
            show_default=False,
        ),
    ] = None,
    private_key_file: Annotated[
        Path | None,
        typer.Option(
            "--private-key-file",
            metavar="FILE",
            help="App private key, PKCS#1 or PKCS#8 PEM (env DOMAINCHECK_ALIPAY_PRIVATE_KEY_FILE).",
            show_default=False,
        ),
    ] = None,
    alipay_public_key_file: Annotated[
        Path | None,
        typer.Option(
            "--alipay-public-key-file",
            metavar="FILE",
            help="Alipay's public key, PEM (env DOMAINCHECK_ALIPAY_ALIPAY_PUBLIC_KEY_FILE).",
            show_default=False,
        ),
    ] = None,
    app_auth_token: Annotated[
        str | None,
        typer.Option(
            "--app-auth-token",
            metavar="TOKEN",
            help="ISV app_auth_token; prefer the env DOMAINCHECK_ALIPAY_APP_AUTH_TOKEN.",
            show_default=False,
        ),
    ] = None,
    gateway: Annotated[
        str | None,
        typer.Option(
            "--gateway",
            metavar="URL",
            help="Gateway URL, or 'production' / 'sandbox' (env DOMAINCHECK_ALIPAY_GATEWAY).",
            show_default=False,
        ),
    ] = None,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="Use Alipay's sandbox gateway.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.001,
            metavar="SECONDS",
            help="Seconds to wait for each gateway answer.",
        ),
    ] = 15.0,
    attempts: Annotated[
        int,
        typer.Option(
            "--attempts",
            min=1,
            metavar="N",
            help="Tries per call for transient failures (20000, timeouts, 5xx).",
        ),
    ] = 4,
    backoff: Annotated[
        float,
        typer.Option(
            "--backoff",
            min=0.0,
            metavar="SECONDS",
            help="Seconds before the first retry; doubles each retry.",
        ),
    ] = 0.5,
    output_format: Annotated[
        SyncFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = SyncFormat.TEXT,
    quiet: QuietOption = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Say more on stderr: each gateway call and change."),
    ] = False,
) -> None:
    """Sync the Alipay console's whitelist through the Open API: plan, and with --apply, change it."""
    from domaincheck.alipay.errors import AlipayError
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
    from domaincheck.whitelist.profiles import ConsoleApi, platforms_with_console_api, profile_for

    level = verbosity(quiet, verbose)
    if gateway and sandbox:
        fail("give --gateway or --sandbox, not both", ExitCode.BAD_INPUT)
    loaded_project = guarded(lambda: load_project_if_any(project))
    chosen = effective_platform(platform, loaded_project)
    # The console API comes with the platform's profile; Alipay's Open API is the one implemented.
    # An unsupported platform (DingTalk) is refused here with its reason.
    if guarded(lambda: profile_for(chosen)).console_api is not ConsoleApi.ALIPAY_OPEN_API:
        able = ", ".join(p.value for p in platforms_with_console_api())
        fail(
            f"sync supports --platform {able} only; {chosen.value}'s console API is not implemented",
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
        say_line(f"domaincheck: {finding.message}. {finding.fix} Nothing was changed.")
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
        say(level, f"domaincheck: warning: {warning}")

    class _GatewayLog(GatewayObserver):
        def request(self, method: str, attempt: int) -> None:
            say_line(f"sync: {method} (attempt {attempt})")

        def answered(self, method: str, code: str, sub_code: str) -> None:
            say_line(f"sync: {method} answered {code}{'/' + sub_code if sub_code else ''}")

        def retrying(self, method: str, attempt: int, reason: str, delay: float) -> None:
            say_line(f"sync: {method} failed ({reason}); retrying in {delay:.2f} s")

    class _ChangeLog(SyncObserver):
        def change_finished(self, change: AppliedChange) -> None:
            say_line(f"sync: {change.action.value} {change.domain}: {change.status.value}")

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
            protected=selection.scan.server_hosts() if selection.scan is not None else (),
        )
    except AlipayError as exc:
        fail(str(exc), exc.exit_code)
    emit(SYNC_RENDERERS[output_format](outcome))
    if not outcome.succeeded or (check and outcome.plan.changes):
        raise typer.Exit(int(ExitCode.FAILED))

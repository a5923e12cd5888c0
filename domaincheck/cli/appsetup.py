"""`domaincheck init` and `domaincheck diff`: the app's own setup, its project file and console list."""

from pathlib import Path
from typing import Annotated

import typer

from domaincheck.cli._common import (
    CompactOption,
    ExtraOption,
    MaxEntriesOption,
    OutputOption,
    PlatformOption,
    ProjectOption,
    RegionOption,
    RegistryOption,
    ReportFormatOption,
    StrictOption,
    check_output,
    command_line,
    fail,
    guarded,
    write_output,
)
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.platforms import DEFAULT_PLATFORM, Platform
from domaincheck.render import ReportFormat


def init(
    platform: Annotated[
        Platform,
        typer.Option("--platform", "-p", help="Mini-program platform of the app."),
    ] = DEFAULT_PLATFORM,
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
    from domaincheck.files.project_template import render_project_template, write_project_file
    from domaincheck.run.scanning import init_scan
    from domaincheck.run.selection import compact_reason, select

    # No project file is read: init writes one.
    selection = guarded(lambda: select(None, platform=platform, regions=region, registry=registry))
    ids = [r.id for r in selection.regions]
    # The app's own hosts, when the project file's folder holds a mini program's source.
    scanned, selection, summary = guarded(lambda: init_scan(selection, path.parent))
    because = compact_reason(selection)
    text = render_project_template(platform, ids, compact_because=because, scanned=scanned)
    guarded(lambda: write_project_file(path, text, force))
    if summary:
        typer.echo(f"domaincheck: {summary}", err=True)
    shown = ", ".join([platform.value, *ids, *(["compact"] if because else [])])
    typer.echo(f"domaincheck: wrote {path} ({shown})", err=True)


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

    check_output(output)
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
    report = diff_report(selection, items, strict=strict, command=command_line(ctx))
    write_output(render(report, output_format), output)
    raise typer.Exit(int(ExitCode.PASSED if report.passed else ExitCode.FAILED))

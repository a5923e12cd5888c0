"""`domaincheck init` and `domaincheck diff`: the app's own setup, its project file and console list."""

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
    check_output,
    colour_wanted,
    command_line,
    fail,
    guarded,
    say,
    verbosity,
    write_output,
)
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.platforms import DEFAULT_PLATFORM, Platform
from domaincheck.render import ReportFormat

if TYPE_CHECKING:
    from domaincheck.files.project import ConsoleItem


def init(
    platform: Annotated[
        Platform,
        typer.Option(
            "--platform", "-p", help="Mini-program platform of the app.", case_sensitive=False
        ),
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
        typer.Option(
            "--project", help="Where to write the project file.", metavar="FILE", dir_okay=False
        ),
    ] = Path("domaincheck.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    compact: Annotated[
        bool | None,
        typer.Option(
            "--compact/--no-compact",
            help="Write compact: true or false. Default: true when the regions' hosts are over "
            "the platform's entry limit (Alipay), else false.",
            show_default=False,
        ),
    ] = None,
    registry: RegistryOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Write a commented domaincheck.yaml for the app, so the other commands need no options.

    Never overwrites an existing file without --force. Exits 2 on an unknown region.
    """
    from domaincheck.files.project_template import render_project_template, write_project_file
    from domaincheck.run.scanning import init_scan
    from domaincheck.run.selection import compact_reason, select

    level = verbosity(quiet, verbose)
    # No project file is read: init writes one.
    selection = guarded(lambda: select(None, platform=platform, regions=region, registry=registry))
    ids = [r.id for r in selection.regions]
    # The app's own hosts, when the project file's folder holds a mini program's source.
    scanned, selection, summary = guarded(lambda: init_scan(selection, path.parent))
    because = compact_reason(selection)
    text = render_project_template(
        platform, ids, compact_because=because, compact=compact, scanned=scanned
    )
    guarded(lambda: write_project_file(path, text, force))
    if summary:
        say(level, f"domaincheck: {summary}")
    written_compact = compact if compact is not None else because is not None
    shown = ", ".join([platform.value, *ids, *(["compact"] if written_compact else [])])
    say(level, f"domaincheck: wrote {path} ({shown})")
    if because and compact is False:
        say(level, f"domaincheck: warning: {because}; check will fail on the entry count")
    say(
        level, "domaincheck: next, edit it and run `domaincheck check --offline`", Verbosity.VERBOSE
    )


def _stdin_console() -> "tuple[ConsoleItem, ...]":
    """The console list piped in on stdin (`diff -`), read as a console file is."""
    from domaincheck.appsetup.console_diff import read_console_text
    from domaincheck.files.inputfiles import read_text_stream

    stdin = sys.stdin
    if stdin is None:  # the program was started with its stdin closed (`<&-`)
        fail("<stdin>: cannot read console list: it is closed")
    text = guarded(lambda: read_text_stream(stdin.buffer, "<stdin>", "console list"))
    return read_console_text(text, "<stdin>")


def diff(
    ctx: typer.Context,
    console_file: Annotated[
        Path | None,
        typer.Argument(
            help="Text copied from the console's whitelist page, or - to read it from stdin; "
            "default: console: of the project file.",
            metavar="[FILE]",
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
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Compare the console's current list with what the app needs: missing, extra, broken entries.

    Exits 0 when nothing is missing or broken (warnings allowed unless --strict), 1 otherwise,
    2 on bad input.
    """
    from domaincheck.appsetup.checks import AppSetupInputs, console_items
    from domaincheck.files.project import EMPTY_PROJECT
    from domaincheck.render import render, summary_line
    from domaincheck.run.checklist import diff_report
    from domaincheck.run.selection import load_project_if_any, select

    level = verbosity(quiet, verbose)
    check_output(output)
    loaded_project = guarded(lambda: load_project_if_any(project))
    from_stdin = console_file is not None and str(console_file) == "-"
    inputs = AppSetupInputs.from_project(
        loaded_project or EMPTY_PROJECT, console_file=None if from_stdin else console_file
    )
    if inputs.console is None and not from_stdin:
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
    read = _stdin_console() if from_stdin else guarded(lambda: console_items(inputs))
    items = read or ()
    say(level, f"domaincheck: {len(items)} console entries read", Verbosity.VERBOSE)
    report = diff_report(selection, items, strict=strict, command=command_line(ctx))
    to_stdout = output is None or str(output) == "-"
    colour = to_stdout and output_format is ReportFormat.TEXT and colour_wanted(sys.stdout)
    write_output(render(report, output_format, colour=colour), output)
    say(level, f"domaincheck: {summary_line(report)}")
    raise typer.Exit(int(ExitCode.PASSED if report.passed else ExitCode.FAILED))

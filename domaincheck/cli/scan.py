"""`domaincheck scan [PATH]`: every host the mini program's source contacts, held to the whitelist."""

from pathlib import Path
from typing import Annotated

import typer

from domaincheck.cli._common import (
    CompactOption,
    ExtraOption,
    OutputOption,
    PlatformOption,
    ProjectOption,
    QuietOption,
    RegionOption,
    RegistryOption,
    VerboseOption,
    Verbosity,
    guarded,
    say,
    verbosity,
    write_output,
)
from domaincheck.core.exitcodes import ExitCode
from domaincheck.render import ScanFormat

IncludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        metavar="GLOB",
        help="Scan only files matching GLOB (relative to PATH; repeatable). Default: the project "
        "file's source.include, else every script and template.",
        show_default=False,
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        metavar="GLOB",
        help="Skip files matching GLOB; `dir/` skips a folder (repeatable). node_modules, "
        "miniprogram_npm, unpackage and dist are never scanned as app code.",
        show_default=False,
    ),
]


def scan(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The mini program's folder. Default: the project file's source, else the current folder.",
            show_default=False,
        ),
    ] = None,
    platform: PlatformOption = None,
    region: RegionOption = None,
    extra: ExtraOption = None,
    compact: CompactOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    output_format: Annotated[
        ScanFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ScanFormat.TEXT,
    registry: RegistryOption = None,
    project: ProjectOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Scan the app's source for every host it contacts, and hold the whitelist to it.

    Exits 1 when a host is not covered or a URL breaks on a phone, 2 on bad input.
    """
    from domaincheck.render.scan_report import render_scan
    from domaincheck.run.scanning import run_scan, scan_settings
    from domaincheck.run.selection import load_project_if_any, select

    level = verbosity(quiet, verbose)
    loaded = guarded(lambda: load_project_if_any(project))
    settings = scan_settings(loaded, path, include, exclude)
    chosen = platform or (loaded.platform if loaded is not None else None)
    if chosen is None:
        detected = settings.detected_platforms()
        if len(detected) == 1:
            chosen = detected[0]
        elif detected:
            names = ", ".join(p.value for p in detected)
            say(
                level,
                f"domaincheck: the project targets {names}; checking {detected[0].value} "
                "(choose with --platform)",
            )
            chosen = detected[0]
    selection = guarded(
        lambda: select(
            loaded,
            platform=chosen,
            regions=region,
            extras=extra,
            registry=registry,
            compact=compact,
            scan_source=False,
        )
    )
    outcome = guarded(
        lambda: run_scan(settings.root, selection, settings.include, settings.exclude)
    )
    say(level, f"domaincheck: scanned {settings.root}", Verbosity.VERBOSE)
    write_output(render_scan(outcome, output_format), output)
    raise typer.Exit(int(ExitCode.PASSED if outcome.passed else ExitCode.FAILED))

"""`domaincheck whitelist`: the entries to paste into the platform console."""

from typing import Annotated

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
    VerboseOption,
    Verbosity,
    check_output,
    guarded,
    say,
    say_line,
    verbosity,
    write_output,
)
from domaincheck.core.exitcodes import ExitCode
from domaincheck.render.whitelist_formats import WhitelistFormat


def whitelist(
    platform: PlatformOption = None,
    region: RegionOption = None,
    extra: ExtraOption = None,
    compact: CompactOption = None,
    output_format: Annotated[
        WhitelistFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = WhitelistFormat.TEXT,
    registry: RegistryOption = None,
    project: ProjectOption = None,
    output: OutputOption = None,
    max_entries: MaxEntriesOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
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

    level = verbosity(quiet, verbose)
    check_output(output)
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
        say_line(
            f"domaincheck: --extra {result.target}: {result.message}. {result.fix or ''}".rstrip()
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
    write_output(render_whitelist(built, output_format), output)
    project_file = selection.project.path if selection.project is not None else None
    say(
        level,
        f"domaincheck: {len(built.entries)} entries for {selection.platform.value} "
        f"({', '.join(r.id for r in selection.regions)}); project file {project_file or 'none'}; "
        f"registry {selection.registry.path}",
        Verbosity.VERBOSE,
    )
    missing = regions_without_hosts(selection)
    for finding in missing:
        say_line(f"domaincheck: {finding.message}. {finding.fix}")
    if missing:
        raise typer.Exit(int(ExitCode.FAILED))

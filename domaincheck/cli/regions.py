"""`domaincheck regions`: the Easemob data centres of the registry."""

from typing import Annotated

import typer

from domaincheck.cli._common import (
    QuietOption,
    RegistryOption,
    VerboseOption,
    Verbosity,
    emit,
    guarded,
    say,
    say_line,
    verbosity,
)
from domaincheck.core.exitcodes import ExitCode
from domaincheck.registry.render import RegionsFormat


def regions(
    output_format: Annotated[
        RegionsFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = RegionsFormat.TEXT,
    registry: RegistryOption = None,
    check_sources: Annotated[
        bool,
        typer.Option(
            "--check-sources",
            help="Check the registry's provenance instead: exit 1 when a source is used by no host "
            "or a host is listed by no document of its own (2 when a host names an undeclared source).",
        ),
    ] = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """List the Easemob data centres: ids and names for --region, REST and socket hosts, notes."""
    from domaincheck.registry.loader import load_registry
    from domaincheck.registry.render import REGIONS_RENDERERS

    level = verbosity(quiet, verbose)
    loaded = guarded(lambda: load_registry(registry))
    say(level, f"domaincheck: registry {loaded.path}", Verbosity.VERBOSE)
    if check_sources:
        from domaincheck.registry.drift import source_drift

        problems = source_drift(loaded)
        for problem in problems:
            say_line(problem)
        if problems:
            say_line(f"domaincheck: {len(problems)} source problem(s) in the registry")
            raise typer.Exit(int(ExitCode.FAILED))
        hosts = len(loaded.common) + sum(len(r.hosts) for r in loaded.regions)
        emit(
            f"{loaded.path}: {len(loaded.sources)} sources, {hosts} hosts: every source is used "
            "and every host is listed by a document of its own\n"
        )
        return
    emit(REGIONS_RENDERERS[output_format](loaded))

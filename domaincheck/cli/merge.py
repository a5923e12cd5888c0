"""`domaincheck merge`: JSON reports of one app from several vantages joined into one report and gate."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from domaincheck.cli._common import (
    OutputOption,
    ReportFormatOption,
    command_line,
    guarded,
    write_output,
)
from domaincheck.render import ReportFormat


class Require(StrEnum):
    """`--require`: every vantage must pass, or each check must pass at one vantage."""

    ALL = "all"
    ANY = "any"


def merge(
    ctx: typer.Context,
    reports: Annotated[
        list[Path],
        typer.Argument(
            metavar="REPORT.json...",
            help="JSON reports of `domaincheck check --format json`, one per vantage.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    require: Annotated[
        Require,
        typer.Option(
            "--require",
            help="all: every vantage must pass (the default); any: a check passes when it "
            "passes at one vantage (the failures stay listed, ignored).",
        ),
    ] = Require.ALL,
    output_format: ReportFormatOption = ReportFormat.TEXT,
    output: OutputOption = None,
    report_files: Annotated[
        list[str] | None,
        typer.Option(
            "--report",
            metavar="FMT:FILE",
            help="Also write the merged report in FMT to FILE, atomically; repeatable.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Join the JSON reports of several vantages into one report: a host x vantage matrix, each
    finding with the vantages where it happened, and one exit code.

    Exits 0 when the merged gate passes, 1 when it fails, 2 when a report cannot be read or the
    reports are of different platforms or whitelists.
    """
    from functools import partial

    from domaincheck.render import render, summary_line
    from domaincheck.run.gate import (
        ReportTarget,
        check_targets,
        exit_code,
        parse_report_target,
        write_reports,
    )
    from domaincheck.run.merge import merge_reports, read_report

    targets = guarded(lambda: [parse_report_target(value) for value in report_files or ()])
    stdout_target = [ReportTarget(output_format, output)] if output is not None else []
    guarded(lambda: check_targets([*stdout_target, *targets]))
    loaded = []
    for path in reports:  # the first unreadable report ends the run, naming it (exit 2)
        loaded.append((str(path), guarded(partial(read_report, path))))
    merged = guarded(
        lambda: merge_reports(loaded, require_any=require is Require.ANY, command=command_line(ctx))
    )
    write_output(render(merged, output_format), output)
    guarded(lambda: write_reports(merged, targets))
    typer.echo(f"domaincheck: {summary_line(merged)}", err=True)
    raise typer.Exit(int(exit_code(merged)))

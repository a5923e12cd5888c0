"""The CI gate around a finished report: which report files to write, and the exit code.

`--report FMT:FILE` may be given several times (`-` for stdout); every destination is checked
before the run, every report rendered before any is written, and the files are then written all
or none, so a failing renderer or Ctrl-C never leaves a half-written set. The exit code follows
the report's verdict: warnings pass unless the run is strict, ignored results never fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domaincheck.core.errors import UsageError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.model import Report
from domaincheck.files.output import Destination, check_destination, write_destinations
from domaincheck.render import ReportFormat, render, summary_line

__all__ = ["ReportTarget", "exit_code", "parse_report_target", "summary_line", "write_reports"]


@dataclass(frozen=True)
class ReportTarget:
    """One `--report FMT:FILE`: a format and the file to write it to."""

    format: ReportFormat
    path: Path
    option: str = "--report"  # the option that named it, for messages


def parse_report_target(value: str) -> ReportTarget:
    """Parses `FMT:FILE` (for example `junit:reports/domaincheck.xml`); a bad value is a UsageError."""
    formats = ", ".join(f.value for f in ReportFormat)
    name, sep, path = value.partition(":")
    if not sep or not path:
        raise UsageError(f"--report {value!r}: expected FORMAT:FILE, with FORMAT one of {formats}")
    try:
        fmt = ReportFormat(name.strip().lower())
    except ValueError:
        raise UsageError(
            f"--report {value!r}: unknown format {name!r}; use one of {formats}"
        ) from None
    return ReportTarget(fmt, Path(path))


def check_targets(targets: list[ReportTarget]) -> list[Destination]:
    """Refuses two reports aimed at the same place, and a destination that cannot be written
    (missing folder, a folder, no permission), before any work is done."""
    seen: dict[str, ReportTarget] = {}
    destinations = []
    for target in targets:
        destination = check_destination(target.path, target.option)
        key = destination.given if destination.path is None else str(destination.path)
        if key in seen:
            where = "stdout" if destination.is_stdout else str(target.path)
            raise UsageError(
                f"{target.option}: {where} is given twice ({seen[key].format} and {target.format})"
            )
        seen[key] = target
        destinations.append(destination)
    return destinations


def write_reports(
    report: Report,
    targets: list[ReportTarget],
    *,
    sarif_all: bool = False,
    colour_stdout: bool = False,
) -> None:
    """Renders every requested report, then writes them all (OutputFileError on failure).

    `sarif_all` puts every result in SARIF reports, not only the findings; `colour_stdout` colours
    the text checklist when it goes to stdout (a terminal, or FORCE_COLOR)."""
    destinations = check_targets(targets)
    rendered = [
        render(
            report,
            target.format,
            sarif_all=sarif_all,
            colour=colour_stdout and str(target.path) == "-",
        )
        for target in targets
    ]
    write_destinations(list(zip(destinations, rendered, strict=True)))


def exit_code(report: Report) -> ExitCode:
    """0 when the gate passes (warnings allowed unless strict), 1 when a check failed or errored."""
    return ExitCode.PASSED if report.passed else ExitCode.FAILED

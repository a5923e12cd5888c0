"""The CI gate around a finished report: which report files to write, and the exit code.

`--report FMT:FILE` may be given several times; every file is rendered first and then each is
written atomically, so a failing renderer never leaves a half-written set. The exit code follows
the report's verdict: warnings pass unless the run is strict, ignored results never fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domaincheck.core.errors import UsageError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.model import Report
from domaincheck.files.atomic import atomic_write
from domaincheck.render import ReportFormat, render, summary_line

__all__ = ["ReportTarget", "exit_code", "parse_report_target", "summary_line", "write_reports"]


@dataclass(frozen=True)
class ReportTarget:
    """One `--report FMT:FILE`: a format and the file to write it to."""

    format: ReportFormat
    path: Path


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


def check_targets(targets: list[ReportTarget]) -> None:
    """Refuses two reports aimed at the same file, before any work is done."""
    seen: dict[Path, ReportTarget] = {}
    for target in targets:
        key = target.path.expanduser().resolve()
        if key in seen:
            raise UsageError(
                f"--report: {target.path} is given twice ({seen[key].format} and {target.format})"
            )
        seen[key] = target


def write_reports(report: Report, targets: list[ReportTarget], *, sarif_all: bool = False) -> None:
    """Renders every requested report, then writes each atomically (OutputFileError on failure).

    `sarif_all` puts every result in SARIF reports, not only the findings."""
    check_targets(targets)
    rendered = [
        (target.path, render(report, target.format, sarif_all=sarif_all)) for target in targets
    ]
    for path, text in rendered:
        atomic_write(path, text)


def exit_code(report: Report) -> ExitCode:
    """0 when the gate passes (warnings allowed unless strict), 1 when a check failed or errored."""
    return ExitCode.PASSED if report.passed else ExitCode.FAILED

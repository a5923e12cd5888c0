"""`domaincheck merge`: reports of one app from several vantages joined into one report and one gate.

The CI system's job matrix runs `check --vantage NAME --format json` on several runners (a hosted
one, a self-hosted runner in Hangzhou, one behind a proxy); the last job merges their JSON reports.
Each (target, check) becomes one result per distinct outcome, naming the vantages where it happened
(`details.vantages`), so every renderer shows the findings with their vantages and the host x
vantage matrix. `--require all` (the default) fails when any vantage fails; `--require any` lets a
finding pass when another vantage passes the same check (the failing ones stay listed, ignored with
that reason). Reports of different platforms or whitelists (another registry, other regions or
extra domains) are refused: they do not describe the same app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from domaincheck import __version__
from domaincheck.core.errors import InputFileError
from domaincheck.core.model import CheckResult, Report, Status, Vantage

MAX_REPORT_BYTES = 64 * 1024 * 1024


def read_report(path: Path) -> Report:
    """A JSON report from `path`; an unreadable, truncated or foreign file is an `InputFileError`
    naming it (exit 2)."""
    import json

    from domaincheck.files.inputfiles import FileTooLargeError, read_capped
    from domaincheck.render.json_report import NotAReport, report_from_dict

    try:
        data = json.loads(read_capped(path, MAX_REPORT_BYTES).decode("utf-8"))
    except FileTooLargeError:
        raise InputFileError(f"{path}: larger than {MAX_REPORT_BYTES // 2**20} MB") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not a domaincheck JSON report (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"{path}: not a domaincheck JSON report (truncated or not JSON: {exc.msg} at line "
            f"{exc.lineno})"
        ) from None
    except RecursionError:  # [[[[... nested past the parser's stack
        raise InputFileError(f"{path}: not a domaincheck JSON report (nested too deeply)") from None
    try:
        return report_from_dict(data)
    except NotAReport as exc:
        raise InputFileError(f"{path}: not a domaincheck JSON report ({exc})") from None


def merge_reports(
    reports: Sequence[tuple[str, Report]],
    *,
    require_any: bool = False,
    command: Sequence[str] = (),
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Report:
    """Joins `reports` (each with the name of its file) into one report; mismatches raise
    `InputFileError` naming both files. `require_any` is `--require any`: a failure is ignored
    where another vantage passes the same check."""
    if not reports:
        raise InputFileError("merge: give at least one JSON report")
    first_name, first = reports[0]
    from domaincheck.render.json_report import whitelist_to_dict

    for name, report in reports[1:]:
        if report.platform != first.platform:
            raise InputFileError(
                f"{name}: platform {report.platform}, but {first_name} is {first.platform}: "
                "reports of different platforms cannot be merged"
            )
        if whitelist_to_dict(report.whitelist) != whitelist_to_dict(first.whitelist):
            raise InputFileError(
                f"{name}: another whitelist than {first_name} (another registry, other regions or "
                "extra domains): reports of different apps cannot be merged"
            )
    vantages = _vantages(reports)
    grouped: dict[tuple[str, str], list[tuple[Vantage, CheckResult]]] = {}
    for vantage, (_, report) in zip(vantages, reports, strict=True):
        for result in report.results:
            grouped.setdefault((result.target, result.check), []).append((vantage, result))
    results: list[CheckResult] = []
    for seen in grouped.values():
        results.extend(_joined(seen, len(vantages), require_any))
    ignored: dict[str, str] = {}
    for _, report in reports:
        ignored.update(report.ignored_rules)
    return Report(
        tool_version=__version__,
        generated_at=clock().isoformat(timespec="seconds"),
        command=tuple(command),
        platform=first.platform,
        regions=first.regions,
        results=tuple(results),
        whitelist=first.whitelist,
        strict=any(report.strict for _, report in reports),
        ignored_rules=ignored,
        vantages=vantages,
    )


def _vantages(reports: Sequence[tuple[str, Report]]) -> tuple[Vantage, ...]:
    """Each report's vantage (an offline report is named after its file), names made unique."""
    found: list[Vantage] = []
    for name, report in reports:
        vantage = report.vantage or Vantage(Path(name).stem)
        taken = {v.name for v in found}
        if vantage.name in taken:
            number = 2
            while f"{vantage.name}#{number}" in taken:
                number += 1
            vantage = replace(vantage, name=f"{vantage.name}#{number}")
        found.append(vantage)
    return tuple(found)


def _joined(
    seen: list[tuple[Vantage, CheckResult]], total: int, require_any: bool
) -> list[CheckResult]:
    """One result per distinct outcome of a (target, check), naming its vantages."""
    outcomes: dict[tuple[Status, str], list[tuple[Vantage, CheckResult]]] = {}
    for vantage, result in seen:
        outcomes.setdefault((result.status, result.message), []).append((vantage, result))
    passing = [v.name for v, r in seen if not r.fails_gate and r.status is not Status.SKIP]
    joined: list[CheckResult] = []
    for (_, message), where in outcomes.items():
        names = [v.name for v, _ in where]
        result = where[0][1]
        if len(outcomes) > 1 or len(names) < total:
            message = f"{message} [at {', '.join(names)}]"
        ignored = result.ignored_reason
        if require_any and result.fails_gate and passing:
            ignored = f"passes at {', '.join(passing)} (--require any)"
        joined.append(
            replace(
                result,
                message=message,
                details={**result.details, "vantages": names},
                ignored_reason=ignored,
            )
        )
    return joined

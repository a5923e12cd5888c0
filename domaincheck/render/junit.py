"""JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): one test case per host and check.

`fail` becomes <failure>, `error` (the check could not run) <error>, `skip` and ignored results
<skipped>, so the reporters show them apart; warnings and notes pass with their message in
<system-out>, except that under --strict a warning is a <failure>. Valid against Jenkins' junit-10.xsd.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from domaincheck.model import CheckResult, Report, Status
from domaincheck.render._common import (
    STATUS_LABEL,
    TOOL_NAME,
    by_host,
    latency_ms,
    sort_results,
    worst,
)

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _INVALID_XML.sub("\ufffd", value)


@dataclass(frozen=True)
class _Case:
    host: str
    check: str
    results: tuple[CheckResult, ...]

    @property
    def active(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.ignored_reason is None)

    def outcome(self, strict: bool) -> str:
        """failure, error, skipped or passed."""
        if not self.active:
            return "skipped"
        status = worst(r.status for r in self.active)
        if status is Status.FAIL or (strict and status is Status.WARN):
            return "failure"
        if status is Status.ERROR:
            return "error"
        if status is Status.SKIP:
            return "skipped"
        return "passed"

    def seconds(self) -> float | None:
        times = [t for t in (latency_ms(r) for r in self.results) if t is not None]
        return sum(times) / 1000 if times else None


def _cases(report: Report) -> list[tuple[str, list[_Case]]]:
    suites = []
    for host, results in by_host(report):
        grouped: dict[str, list[CheckResult]] = {}
        for result in results:
            grouped.setdefault(result.check, []).append(result)
        cases = [_Case(host, check, tuple(group)) for check, group in grouped.items()]
        suites.append((host, cases))
    return suites


def _describe(result: CheckResult) -> str:
    label = STATUS_LABEL[result.status]
    lines = [f"{label}: {result.message}"]
    if result.ignored_reason is not None:
        lines[0] = f"IGNORED ({label.lower()}): {result.message}"
        lines.append(f"ignored: {result.ignored_reason}")
    if result.fix:
        lines.append(f"fix: {result.fix}")
    if result.details:
        lines.append(
            "details: "
            + json.dumps(result.details, ensure_ascii=False, sort_keys=True, default=str)
        )
    return "\n".join(lines)


def _headline(case: _Case) -> str:
    results = sort_results(case.active or case.results)
    first = results[0]
    if first.ignored_reason is not None:
        return f"ignored: {first.ignored_reason} ({first.message})"
    return first.message


def _time(seconds: float) -> str:
    return f"{seconds:.3f}"


def render_junit(report: Report) -> str:
    """Renders the report as JUnit XML: <testsuites>, one <testsuite> per host, one case per check."""
    root = ET.Element(
        "testsuites", {"name": f"{TOOL_NAME} {report.platform} {', '.join(report.regions)}"}
    )
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for host, cases in _cases(report):
        suite = ET.SubElement(root, "testsuite", {"name": _xml_text(host)})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        suite_seconds = 0.0
        for case in cases:
            element = ET.SubElement(
                suite, "testcase", {"name": _xml_text(case.check), "classname": _xml_text(host)}
            )
            seconds = case.seconds()
            if seconds is not None:
                element.set("time", _time(seconds))
                suite_seconds += seconds
            outcome = case.outcome(report.strict)
            body = "\n\n".join(_describe(r) for r in sort_results(case.results))
            counts["tests"] += 1
            if outcome == "passed":
                if any(r.status is not Status.PASS or r.ignored_reason for r in case.results):
                    ET.SubElement(element, "system-out").text = _xml_text(body)
                continue
            status = worst(r.status for r in case.active) if case.active else None
            kind = status.value if status is not None else "ignored"
            child = ET.SubElement(
                element, outcome, {"type": kind, "message": _xml_text(_headline(case))}
            )
            child.text = _xml_text(body)
            key = {"failure": "failures", "error": "errors", "skipped": "skipped"}[outcome]
            counts[key] += 1
        for key in ("tests", "failures", "errors", "skipped"):
            suite.set(key, str(counts[key]))
        suite.set("time", _time(suite_seconds))
        suite.set("timestamp", report.generated_at)
        for key in totals:
            totals[key] += counts[key]
    for key, value in totals.items():
        root.set(key, str(value))
    if report.duration_s is not None:
        root.set("time", _time(report.duration_s))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): one test case per host and check.

`fail` becomes <failure>, `error` (the check could not run) <error>, `skip` and ignored results
<skipped>, so the reporters show them apart; warnings and notes pass with their message in the
suite's <system-out>, except that under --strict a warning is a <failure>. Valid against the Ant
schema (windyroad JUnit.xsd) and Jenkins' junit-10.xsd; see tests/schemas/README.md.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from domaincheck.core.model import CheckResult, Report, Status
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


def _timestamp(generated_at: str) -> str:
    """The run's time in UTC without a zone, as the Ant schema wants (`2025-06-01T08:30:00`)."""
    try:
        when = datetime.fromisoformat(generated_at)
    except ValueError:
        return generated_at[:19]
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat()


def _properties(report: Report) -> list[tuple[str, str]]:
    """The run's settings, repeated in each suite's <properties> (the Ant schema allows no
    attributes on <testsuites>, so the run's own facts live here)."""
    props = [
        ("tool", f"{TOOL_NAME} {report.tool_version}"),
        ("platform", report.platform),
        ("regions", ", ".join(report.regions)),
        ("strict", "true" if report.strict else "false"),
        ("generated_at", report.generated_at),
    ]
    if report.duration_s is not None:
        props.append(("run_time_s", _time(report.duration_s)))
    if report.command:
        props.append(("command", " ".join(report.command)))
    return [(name, _xml_text(value)) for name, value in props]


def render_junit(report: Report) -> str:
    """Renders the report as JUnit XML: <testsuites>, one <testsuite> per host, one case per check.

    Valid at once against the strict Ant schema (windyroad JUnit.xsd: every suite has properties,
    timestamp, hostname, id, package, system-out and system-err; a case has at most one child and
    always a time) and Jenkins' junit-10.xsd; each case is also valid for Maven Surefire's schema.
    """
    root = ET.Element("testsuites")
    stamp = _timestamp(report.generated_at)
    props = _properties(report)
    for index, (host, cases) in enumerate(_cases(report)):
        suite = ET.SubElement(root, "testsuite", {"name": _xml_text(host)})
        properties = ET.SubElement(suite, "properties")
        for name, value in props:
            ET.SubElement(properties, "property", {"name": name, "value": value})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        suite_seconds = 0.0
        passed_output: list[str] = []
        for case in cases:
            seconds = case.seconds() or 0.0
            suite_seconds += seconds
            element = ET.SubElement(
                suite,
                "testcase",
                {
                    "name": _xml_text(case.check),
                    "classname": _xml_text(host),
                    "time": _time(seconds),
                },
            )
            outcome = case.outcome(report.strict)
            body = "\n\n".join(_describe(r) for r in sort_results(case.results))
            counts["tests"] += 1
            if outcome == "passed":
                # Warnings and notes pass; their text goes to the suite's <system-out>, as the Ant
                # schema allows no <system-out> inside a <testcase>.
                if any(r.status is not Status.PASS or r.ignored_reason for r in case.results):
                    passed_output.append(f"[{case.check}] {body}")
                continue
            attributes = {"message": _xml_text(_headline(case))}
            if outcome != "skipped":  # Surefire's <skipped> takes no type
                status = worst(r.status for r in case.active)
                attributes = {"type": status.value, **attributes}
            child = ET.SubElement(element, outcome, attributes)
            child.text = _xml_text(body)
            key = {"failure": "failures", "error": "errors", "skipped": "skipped"}[outcome]
            counts[key] += 1
        ET.SubElement(suite, "system-out").text = _xml_text("\n\n".join(passed_output)) or None
        ET.SubElement(suite, "system-err")
        for key in ("tests", "failures", "errors", "skipped"):
            suite.set(key, str(counts[key]))
        suite.set("time", _time(suite_seconds))
        suite.set("timestamp", stamp)
        # The machine that ran the checks is not recorded (a report is pure data and often
        # published); the Ant schema's own fallback is "localhost".
        suite.set("hostname", "localhost")
        suite.set("id", str(index))
        suite.set("package", _xml_text(f"{TOOL_NAME}.{report.platform}"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

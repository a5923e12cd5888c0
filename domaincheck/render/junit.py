"""JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): one test case per host and check.

What the reporters show decides the shape. GitLab shows a case's text only for <failure>, <error>
and <skipped> (never a <system-out>), Jenkins the same elements' messages; so `fail` becomes
<failure>, `error` (the check could not run) <error>, and a warning, a skip, an ignored result and
a fault another check already failed on become <skipped> whose message says which it is
(`WARN: certificate expires in 12 days`): visible in both test views, never failing the build.
Under --strict a warning is a <failure>. Notes pass, their text in the suite's <system-out>.

Jenkins splits a classname at its last dot into package and class, so a case's classname is
`PLATFORM.HOST` with the host's dots written as `_` (`alipay.a1_easemob_com`); the suite keeps the
host's real name. The run's settings and command line are written once, in the first suite's
<properties>. Valid against the Ant schema (windyroad JUnit.xsd), Jenkins' junit-10.xsd and, case
by case, Maven Surefire's schema; see tests/schemas/README.md.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from domaincheck.core.model import CheckResult, Report, Status
from domaincheck.core.untrusted import json_safe
from domaincheck.render._common import (
    STATUS_LABEL,
    TOOL_NAME,
    by_host,
    latency_ms,
    reproduce_command,
    restates,
    sort_results,
    worst,
)

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _INVALID_XML.sub("\ufffd", value)


class Outcome(StrEnum):
    """How a JUnit case ends; WARNING and RESTATED are written as <skipped> with their own words."""

    PASSED = "passed"
    FAILURE = "failure"
    ERROR = "error"
    SKIPPED = "skipped"
    WARNING = "warning"
    RESTATED = "restated"


# The element each outcome is written as, and the suite attribute that counts it.
_ELEMENT: dict[Outcome, tuple[str, str]] = {
    Outcome.FAILURE: ("failure", "failures"),
    Outcome.ERROR: ("error", "errors"),
    Outcome.SKIPPED: ("skipped", "skipped"),
    Outcome.WARNING: ("skipped", "skipped"),
    Outcome.RESTATED: ("skipped", "skipped"),
}


@dataclass(frozen=True)
class _Case:
    host: str
    check: str
    results: tuple[CheckResult, ...]
    # The failing result of another check on the host that this case's failure repeats.
    restated: CheckResult | None = None

    @property
    def active(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.ignored_reason is None)

    def outcome(self, strict: bool) -> Outcome:
        if not self.active:
            return Outcome.SKIPPED
        status = worst(r.status for r in self.active)
        if status is Status.FAIL and self.restated is not None:
            return Outcome.RESTATED
        if status is Status.FAIL or (strict and status is Status.WARN):
            return Outcome.FAILURE
        if status is Status.ERROR:
            return Outcome.ERROR
        if status is Status.WARN:
            return Outcome.WARNING
        if status is Status.SKIP:
            return Outcome.SKIPPED
        return Outcome.PASSED

    def seconds(self) -> float | None:
        times = [t for t in (latency_ms(r) for r in self.results) if t is not None]
        return sum(times) / 1000 if times else None


def _cases(report: Report) -> list[tuple[str, list[_Case]]]:
    suites = []
    for host, results in by_host(report):
        grouped: dict[str, list[CheckResult]] = {}
        for result in results:
            grouped.setdefault(result.check, []).append(result)
        cases = []
        for check, group in grouped.items():
            repeated = [r for r in (restates(g, results) for g in group) if r is not None]
            cases.append(_Case(host, check, tuple(group), repeated[0] if repeated else None))
        suites.append((host, cases))
    return suites


def classname(platform: str, host: str) -> str:
    """`alipay.a1_easemob_com`: Jenkins takes the part after the last dot as the class, so the
    host's own dots become `_` and the platform is the package."""
    return f"{platform}.{host.replace('.', '_')}"


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
            + json.dumps(json_safe(result.details), ensure_ascii=False, sort_keys=True, default=str)
        )
    return "\n".join(lines)


def _headline(case: _Case, outcome: Outcome) -> str:
    results = sort_results(case.active or case.results)
    first = results[0]
    if first.ignored_reason is not None:
        return f"ignored: {first.ignored_reason} ({first.message})"
    if outcome is Outcome.WARNING:
        return f"WARN: {first.message}"
    if outcome is Outcome.RESTATED and case.restated is not None:
        return f"same fault as {case.restated.check}, counted there: {first.message}"
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
    """The run's settings and command line, written once, in the first suite's <properties> (the
    Ant schema allows no attributes on <testsuites> and wants a <properties> in every suite)."""
    props = [
        ("tool", f"{TOOL_NAME} {report.tool_version}"),
        ("platform", report.platform),
        ("regions", ", ".join(report.regions)),
        ("strict", "true" if report.strict else "false"),
        ("generated_at", report.generated_at),
    ]
    for vantage in (report.vantage,) if report.vantage else report.vantages:
        props.append(("vantage", vantage.summary))
    if report.offline:
        props.append(("live_checks", "not run (--offline)"))
    if report.duration_s is not None:
        props.append(("run_time_s", _time(report.duration_s)))
    if report.command:
        props.append(("command", reproduce_command(report)))
    return [(name, _xml_text(value)) for name, value in props]


def render_junit(report: Report) -> str:
    """Renders the report as JUnit XML: <testsuites>, one <testsuite> per host, one case per check.

    Valid at once against the strict Ant schema (windyroad JUnit.xsd: every suite has properties,
    timestamp, hostname, id, package, system-out and system-err; a case has at most one child and
    always a time) and Jenkins' junit-10.xsd; each case is also valid for Maven Surefire's schema.
    """
    root = ET.Element("testsuites")
    stamp = _timestamp(report.generated_at)
    for index, (host, cases) in enumerate(_cases(report)):
        suite = ET.SubElement(root, "testsuite", {"name": _xml_text(host)})
        properties = ET.SubElement(suite, "properties")
        for name, value in _properties(report) if index == 0 else ():
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
                    "classname": _xml_text(classname(report.platform, host)),
                    "time": _time(seconds),
                },
            )
            outcome = case.outcome(report.strict)
            body = "\n\n".join(_describe(r) for r in sort_results(case.results))
            counts["tests"] += 1
            if outcome is Outcome.PASSED:
                # Notes pass; their text goes to the suite's <system-out>, as the Ant schema
                # allows no <system-out> inside a <testcase>.
                if any(r.status is not Status.PASS or r.ignored_reason for r in case.results):
                    passed_output.append(f"[{case.check}] {body}")
                continue
            tag, counter = _ELEMENT[outcome]
            attributes = {"message": _xml_text(_headline(case, outcome))}
            if tag != "skipped":  # Surefire's <skipped> takes no type
                status = worst(r.status for r in case.active)
                attributes = {"type": status.value, **attributes}
            child = ET.SubElement(element, tag, attributes)
            child.text = _xml_text(body)
            counts[counter] += 1
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

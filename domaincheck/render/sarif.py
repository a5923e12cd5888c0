"""SARIF 2.1.0 for code scanning (GitHub, GitLab, SARIF viewers): the run's findings, located where
the fix goes.

Code scanning raises every result as an alert, whatever its `kind`, and ignores suppressions, so
by default the log holds findings only: fail, error, warn and info results that the project file
does not ignore and that do not repeat another check's fault. `render_sarif(report,
everything=True)` (`check --sarif-all`) adds passes, skips, ignored results (with an external
suppression and the project file's reason) and repeated faults.

Status maps to `kind` and `level`: fail and error → fail/error (`properties.status` tells them
apart), warn → fail/warning (error under --strict), info → informational/note, skip →
notApplicable, pass → pass. Each result's physical location is where its subject was written: the
SDK config or scanned source file and line in its details, the console text's line, the project
file's `extra_domains` line of an app's own domain, the registry's line of a built-in host
(`Report.origins`), else the project file's line for the run's settings. A result with none of
these (a report built without origins) keeps only its logical location, the host.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from domaincheck import HOMEPAGE
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import RUN_ORIGIN, CheckResult, Origin, Report, Status
from domaincheck.render._common import TOOL_NAME, json_document, reproduce_command, restates

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

# The check catalog as a page, relative to the project's home (`domaincheck.HOMEPAGE`).
CHECKS_DOC = "blob/main/docs/checks.md"

# The key of partialFingerprints: code scanning matches a result across runs by it.
FINGERPRINT_KEY = "domaincheck/v1"

_KIND = {
    Status.PASS: "pass",
    Status.INFO: "informational",
    Status.WARN: "fail",
    Status.FAIL: "fail",
    Status.ERROR: "fail",
    Status.SKIP: "notApplicable",
}

_FINDINGS = (Status.FAIL, Status.ERROR, Status.WARN, Status.INFO)


def _level(status: Status, strict: bool) -> str:
    if status in (Status.FAIL, Status.ERROR) or (strict and status is Status.WARN):
        return "error"
    if status is Status.WARN:
        return "warning"
    if status is Status.INFO:
        return "note"
    return "none"


def _rule(check_id: CheckId) -> dict[str, Any]:
    """The rule's metadata, all from the check catalog: name, title, help, default level."""
    info = check_id.info
    rule: dict[str, Any] = {
        "id": check_id.value,
        "name": "".join(
            part.capitalize() for part in check_id.replace("-", ".").replace("_", ".").split(".")
        ),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.help},
        "help": {
            "text": info.help,
            "markdown": f"**{info.title}**\n\n{info.help}\n\n"
            f"`domaincheck explain {check_id.value}` prints this entry.",
        },
        "defaultConfiguration": {"level": info.severity.sarif_level},
        "properties": {"family": info.family.value, "severity": info.severity.value},
    }
    if HOMEPAGE is not None:
        rule["helpUri"] = f"{HOMEPAGE}/{CHECKS_DOC}#{info.family.value}"
    return rule


def _positive_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return None


def _detail_origin(details: Mapping[str, Any]) -> Origin | None:
    """The file and line a result's details name: `file` + `line` (SDK config, scanned sources) or
    `origin` as `FILE:LINE` (a console entry)."""
    file = details.get("file")
    if isinstance(file, str) and file:
        return Origin(file, _positive_int(details.get("line")) or 1)
    origin = details.get("origin")
    if isinstance(origin, str):
        path, sep, line = origin.rpartition(":")
        if sep and path and line.isdigit() and int(line) >= 1:
            return Origin(path, int(line))
    return None


def _host_keys(target: str) -> list[str]:
    """The names a target may be known by in `Report.origins`: itself, without a `:port`, and each
    host of a comma-separated list."""
    keys = [target]
    for part in target.split(","):
        name = part.strip().lower()
        keys.append(name)
        host, sep, port = name.rpartition(":")
        if sep and port.isdigit() and "/" not in name:
            keys.append(host)
    return keys


def origin_of(result: CheckResult, origins: Mapping[str, Origin]) -> Origin | None:
    """Where the fix of a result goes, as far as the report knows (see the module docstring)."""
    found = _detail_origin(result.details)
    if found is not None:
        return found
    entry = result.details.get("entry")
    keys = [entry] if isinstance(entry, str) else []
    for key in [*keys, *_host_keys(result.target)]:
        if key in origins:
            return origins[key]
    return origins.get(RUN_ORIGIN)


def _physical_location(origin: Origin) -> dict[str, Any]:
    path = PurePath(origin.file.replace("\\", "/"))
    artifact: dict[str, Any] = {"uri": path.as_posix()}
    if path.is_absolute():
        artifact = {"uri": path.as_uri()}
    else:
        artifact["uriBaseId"] = "%SRCROOT%"
    return {"artifactLocation": artifact, "region": {"startLine": origin.line}}


def _result(
    result: CheckResult, rule_index: int, report: Report, repeats: CheckResult | None
) -> dict[str, Any]:
    text = result.message if not result.fix else f"{result.message} Fix: {result.fix}"
    location: dict[str, Any] = {
        "logicalLocations": [
            {"name": result.target, "fullyQualifiedName": result.target, "kind": "resource"}
        ]
    }
    origin = origin_of(result, report.origins)
    if origin is not None:
        location = {"physicalLocation": _physical_location(origin), **location}
    entry: dict[str, Any] = {
        "ruleId": result.check,
        "ruleIndex": rule_index,
        "kind": _KIND[result.status],
        "level": _level(result.status, report.strict),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f"{result.check}:{result.target}"},
        "properties": {
            "status": result.status.value,
            "details": json.loads(json.dumps(result.details, default=str)),
        },
    }
    if result.fix:
        entry["properties"]["fix"] = result.fix
    if repeats is not None:
        entry["properties"]["sameFaultAs"] = repeats.check
    if result.ignored_reason is not None:
        entry["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": result.ignored_reason}
        ]
    return entry


def _selected(report: Report, everything: bool) -> list[tuple[CheckResult, CheckResult | None]]:
    """The results to write, each with the result whose fault it repeats (if any)."""
    by_target: dict[str, list[CheckResult]] = {}
    for result in report.results:
        by_target.setdefault(result.target, []).append(result)
    chosen = []
    for result in report.results:
        repeats = restates(result, by_target[result.target])
        finding = result.status in _FINDINGS and result.ignored_reason is None and repeats is None
        if everything or finding:
            chosen.append((result, repeats))
    return chosen


def render_sarif(report: Report, *, everything: bool = False) -> str:
    """Renders the report as one SARIF 2.1.0 log with one run: its findings, or with `everything`
    every result."""
    selected = _selected(report, everything)
    ids = list(dict.fromkeys(result.check for result, _ in selected))
    index = {check_id: i for i, check_id in enumerate(ids)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                **({"informationUri": HOMEPAGE} if HOMEPAGE is not None else {}),
                "rules": [_rule(check_id) for check_id in ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "commandLine": reproduce_command(report),
                "arguments": list(report.command),
                "endTimeUtc": report.generated_at,
                "properties": {
                    "passed": report.passed,
                    "strict": report.strict,
                    "offline": report.offline,
                },
            }
        ],
        "properties": {
            "platform": report.platform,
            "regions": list(report.regions),
            "ignoredRules": dict(report.ignored_rules),
            "resultsIncluded": "all" if everything else "findings",
            **(
                {"vantages": [v.summary for v in (report.vantage,)]}
                if report.vantage
                else {"vantages": [v.summary for v in report.vantages]}
                if report.vantages
                else {}
            ),
        },
        "results": [
            _result(result, index[result.check], report, repeats) for result, repeats in selected
        ],
    }
    log = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json_document(log)


def render_sarif_all(report: Report) -> str:
    """Renders every result, passes and skips included (`check --sarif-all`)."""
    return render_sarif(report, everything=True)

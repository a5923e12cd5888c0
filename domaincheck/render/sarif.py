"""SARIF 2.1.0 for code-scanning tools: every result with its rule id, rules with help text.

Status maps to SARIF's `kind` and `level`: fail → fail/error, error → fail/error (with
`properties.status` "error": the check could not run), warn → fail/warning (error under --strict),
info → informational/note, skip → notApplicable, pass → pass. Ignored results carry an external
suppression with the project file's reason. Hosts are logical locations; each result also has the
physical location GitHub code scanning requires (the SDK source file and line, else domaincheck.yaml).
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from domaincheck.core.model import CheckResult, Report, Status
from domaincheck.render._common import TOOL_NAME, check_ids, reproduce_command
from domaincheck.render._help import rule_help

# Where results that name no file of their own are located (see `_physical_location`); the
# project file's default name, as in `domaincheck.files.project.PROJECT_FILE_NAME`.
PROJECT_FILE = "domaincheck.yaml"

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

_KIND = {
    Status.PASS: "pass",
    Status.INFO: "informational",
    Status.WARN: "fail",
    Status.FAIL: "fail",
    Status.ERROR: "fail",
    Status.SKIP: "notApplicable",
}


def _level(status: Status, strict: bool) -> str:
    if status in (Status.FAIL, Status.ERROR) or (strict and status is Status.WARN):
        return "error"
    if status is Status.WARN:
        return "warning"
    if status is Status.INFO:
        return "note"
    return "none"


def _rule(check_id: str) -> dict[str, Any]:
    help_ = rule_help(check_id)
    return {
        "id": check_id,
        "name": "".join(
            part.capitalize() for part in check_id.replace("-", ".").replace("_", ".").split(".")
        ),
        "shortDescription": {"text": help_.title},
        "fullDescription": {"text": help_.help},
        "help": {"text": help_.help, "markdown": f"**{help_.title}**\n\n{help_.help}"},
        "defaultConfiguration": {"level": "error"},
    }


def _physical_location(result: CheckResult) -> dict[str, Any]:
    """The file a result belongs to: GitHub code scanning rejects a whole upload when a result has
    no `physicalLocation.artifactLocation.uri`. SDK config findings name their source file and
    line; every other result is about a host the project file (`domaincheck.yaml`) asks for."""
    file, line = result.details.get("file"), result.details.get("line")
    uri, start = PROJECT_FILE, 1
    if isinstance(file, str) and file:
        path = PurePath(file.replace("\\", "/"))
        uri = path.as_uri() if path.is_absolute() else path.as_posix()
        if isinstance(line, int) and not isinstance(line, bool) and line >= 1:
            start = line
    artifact: dict[str, Any] = {"uri": uri}
    if not uri.startswith("file:"):
        artifact["uriBaseId"] = "%SRCROOT%"
    return {"artifactLocation": artifact, "region": {"startLine": start}}


def _result(result: CheckResult, rule_index: int, strict: bool) -> dict[str, Any]:
    text = result.message if not result.fix else f"{result.message} Fix: {result.fix}"
    entry: dict[str, Any] = {
        "ruleId": result.check,
        "ruleIndex": rule_index,
        "kind": _KIND[result.status],
        "level": _level(result.status, strict),
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": _physical_location(result),
                "logicalLocations": [
                    {"name": result.target, "fullyQualifiedName": result.target, "kind": "resource"}
                ],
            }
        ],
        "partialFingerprints": {"domaincheck/v1": f"{result.check}:{result.target}"},
        "properties": {
            "status": result.status.value,
            "details": json.loads(json.dumps(result.details, default=str)),
        },
    }
    if result.fix:
        entry["properties"]["fix"] = result.fix
    if result.ignored_reason is not None:
        entry["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": result.ignored_reason}
        ]
    return entry


def render_sarif(report: Report) -> str:
    """Renders the report as one SARIF 2.1.0 log with one run."""
    ids = check_ids(report)
    index = {check_id: i for i, check_id in enumerate(ids)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": [_rule(check_id) for check_id in ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "commandLine": reproduce_command(report),
                "arguments": list(report.command),
                "endTimeUtc": report.generated_at,
                "properties": {"passed": report.passed, "strict": report.strict},
            }
        ],
        "properties": {
            "platform": report.platform,
            "regions": list(report.regions),
            "ignoredRules": dict(report.ignored_rules),
        },
        "results": [_result(r, index[r.check], report.strict) for r in report.results],
    }
    log = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"

"""The machine-readable report: versioned JSON that `report.schema.json` (shipped here) describes.

`version` is the report format's version (REPORT_SCHEMA_VERSION), MAJOR.MINOR: MINOR goes up when a
field is added (always optional in the schema, so older reports still validate), MAJOR when a field
is renamed or removed or changes meaning. The tool's own version is `tool.version`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from domaincheck.core.model import STATUS_ORDER, CheckResult, Report, Vantage, Whitelist
from domaincheck.core.untrusted import json_safe
from domaincheck.render._common import TOOL_NAME, count

SCHEMA_FILE = "report.schema.json"


def schema_text() -> str:
    """The JSON Schema of this format, as shipped inside the package."""
    return resources.files("domaincheck.render").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def schema_with_details(text: str) -> str:
    """The schema `text` with its generated part, `$defs/result_details`, rebuilt from the details
    each check family declares (`core.details`); the rest of the text is kept as written."""
    from domaincheck.core.details import results_details_schema

    marker = ',\n    "result_details": '
    head = text[: text.index(marker)] if marker in text else text.rstrip()[: -len("}\n  }")]
    head = head.rstrip()
    block = json.dumps(results_details_schema(), indent=2, ensure_ascii=False)
    block = block.replace("\n", "\n    ")
    return f"{head}{marker}{block}\n  }}\n}}\n"


def _json_safe(value: Any) -> Any:
    """Details are meant to be JSON data; anything else (a tuple, a datetime) is made so, not lost."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def result_to_dict(result: CheckResult) -> dict[str, Any]:
    """One result as the JSON report shows it."""
    return {
        "target": result.target,
        "check": result.check,
        "status": result.status.value,
        "message": result.message,
        "details": _json_safe(result.details),
        "fix": result.fix,
        "ignored_reason": result.ignored_reason,
    }


def whitelist_to_dict(whitelist: Whitelist) -> dict[str, Any]:
    """The whitelist as the JSON report shows it: per console list, the entries in paste order."""
    return {
        "platform": whitelist.platform,
        "regions": list(whitelist.regions),
        "compact": whitelist.compact,
        "notes": list(whitelist.notes),
        "lists": [
            {
                "console_list": console_list.value,
                "entries": [
                    {
                        "entry": e.entry,
                        "covers": list(e.covers),
                        "sources": list(e.sources),
                        "disputed": e.disputed,
                        "note": e.note,
                    }
                    for e in whitelist.entries_for(console_list)
                ],
            }
            for console_list in whitelist.console_lists
        ],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON data, in the documented order of keys."""
    counts = count(report)
    summary: dict[str, Any] = {status.value: counts.by_status[status] for status in STATUS_ORDER}
    summary["ignored"] = counts.ignored
    summary["total"] = counts.total
    return {
        "version": report.schema_version,
        "tool": {"name": TOOL_NAME, "version": report.tool_version},
        "generated_at": report.generated_at,
        "command": list(report.command),
        "platform": report.platform,
        "regions": list(report.regions),
        "strict": report.strict,
        "passed": report.passed,
        "duration_s": report.duration_s,
        "summary": summary,
        "ignored_rules": [
            {"id": rule, "reason": reason} for rule, reason in report.ignored_rules.items()
        ],
        **({"vantage": vantage_to_dict(report.vantage)} if report.vantage else {}),
        **({"vantages": [vantage_to_dict(v) for v in report.vantages]} if report.vantages else {}),
        "results": [result_to_dict(r) for r in report.results],
        "whitelist": whitelist_to_dict(report.whitelist),
    }


def vantage_to_dict(vantage: Vantage) -> dict[str, Any]:
    """Where a run looked from, as the JSON report shows it."""
    return {"name": vantage.name, "resolvers": list(vantage.resolvers), "proxy": vantage.proxy}


def render_json(report: Report) -> str:
    """Renders the report as indented JSON (UTF-8 text, non-ASCII kept readable)."""
    document = json_safe(
        report_to_dict(report), limit=None, keep_newlines=True
    )  # valid JSON, escaped text
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"

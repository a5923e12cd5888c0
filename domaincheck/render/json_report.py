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
from domaincheck.render._common import TOOL_NAME, count, json_document, vantage_matrix

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
        **(
            {
                "vantages": [vantage_to_dict(v) for v in report.vantages],
                "matrix": [
                    {
                        "host": host,
                        "statuses": {
                            v.name: c.value if c else None
                            for v, c in zip(report.vantages, cells, strict=True)
                        },
                    }
                    for host, cells in vantage_matrix(report)
                ],
            }
            if report.vantages
            else {}
        ),
        "results": [result_to_dict(r) for r in report.results],
        "whitelist": whitelist_to_dict(report.whitelist),
    }


def vantage_to_dict(vantage: Vantage) -> dict[str, Any]:
    """Where a run looked from, as the JSON report shows it."""
    return {"name": vantage.name, "resolvers": list(vantage.resolvers), "proxy": vantage.proxy}


def render_json(report: Report) -> str:
    """Renders the report as indented JSON (UTF-8 text, non-ASCII kept readable, text from outside
    escaped, no NaN)."""
    return json_document(report_to_dict(report))


class NotAReport(ValueError):
    """The data is not a domaincheck JSON report this version can read; the message says why."""


def report_from_dict(data: Any) -> Report:
    """Reads a JSON report back (for `domaincheck merge`); raises `NotAReport` naming what is wrong.

    Only what a report needs to be rendered and judged again is read: the run's fields, the
    results, the whitelist and the vantage. Origins are not in JSON and come back empty.
    """
    from domaincheck.core.model import ConsoleList, Status, WhitelistEntry

    def need(mapping: Any, key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise NotAReport(f"no {where}{key!r}")
        value = mapping[key]
        if not isinstance(value, kind):
            raise NotAReport(f"{where}{key!r} is not a {getattr(kind, '__name__', 'value')}")
        return value

    if not isinstance(data, dict) or data.get("tool", {}).get("name") != TOOL_NAME:
        raise NotAReport("not a domaincheck report (no tool.name 'domaincheck')")
    version = need(data, "version", str)
    if not version.startswith("1."):
        raise NotAReport(f"report format {version} is not 1.x")
    try:
        results = tuple(
            CheckResult(
                need(r, "target", str, "result "),
                need(r, "check", str, "result "),
                Status(need(r, "status", str, "result ")),
                need(r, "message", str, "result "),
                need(r, "details", dict, "result "),
                r.get("fix") if isinstance(r.get("fix"), str) else None,
                r.get("ignored_reason") if isinstance(r.get("ignored_reason"), str) else None,
            )
            for r in need(data, "results", list)
        )
        whitelist_data = need(data, "whitelist", dict)
        entries = tuple(
            WhitelistEntry(
                need(e, "entry", str, "whitelist entry "),
                ConsoleList(need(block, "console_list", str, "whitelist list ")),
                tuple(e.get("covers") or ()),
                tuple(e.get("sources") or ()),
                note=e.get("note"),
                disputed=bool(e.get("disputed")),
            )
            for block in need(whitelist_data, "lists", list, "whitelist ")
            for e in need(block, "entries", list, "whitelist list ")
        )
    except ValueError as exc:  # a status or console list this version does not know
        raise NotAReport(str(exc)) from None
    whitelist = Whitelist(
        need(whitelist_data, "platform", str, "whitelist "),
        tuple(need(whitelist_data, "regions", list, "whitelist ")),
        entries,
        compact=bool(whitelist_data.get("compact")),
        notes=tuple(whitelist_data.get("notes") or ()),
    )
    vantage = data.get("vantage")
    return Report(
        tool_version=str(data["tool"].get("version", "?")),
        generated_at=need(data, "generated_at", str),
        command=tuple(str(a) for a in need(data, "command", list)),
        platform=need(data, "platform", str),
        regions=tuple(str(r) for r in need(data, "regions", list)),
        results=results,
        whitelist=whitelist,
        strict=bool(data.get("strict")),
        ignored_rules={
            str(i.get("id")): str(i.get("reason"))
            for i in data.get("ignored_rules") or ()
            if isinstance(i, dict)
        },
        duration_s=data.get("duration_s")
        if isinstance(data.get("duration_s"), int | float)
        else None,
        vantage=_vantage_from(vantage) if isinstance(vantage, dict) else None,
        vantages=tuple(_vantage_from(v) for v in data.get("vantages") or () if isinstance(v, dict)),
    )


def _vantage_from(data: dict[str, Any]) -> Vantage:
    proxy = data.get("proxy")
    return Vantage(
        str(data.get("name") or "?"),
        tuple(str(r) for r in data.get("resolvers") or ()),
        proxy if isinstance(proxy, str) else None,
    )

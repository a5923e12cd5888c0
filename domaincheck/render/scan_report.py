"""The source scan's own report, `render_scan(outcome, format) -> str`: text for people, JSON that
lists every host with its sources, the web-view pages, the dynamic URLs and the findings.

Pure: no I/O. Every string from the app's source was escaped and capped by the scan.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from domaincheck import __version__
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import STATUS_ORDER, Status
from domaincheck.render import ScanFormat
from domaincheck.render._common import STATUS_LABEL, TOOL_NAME
from domaincheck.render.json_report import result_to_dict
from domaincheck.scan.model import Framework

if TYPE_CHECKING:
    from domaincheck.scan.model import HostUse, ScannedHost, ScanOutcome, SourceScan

SCAN_REPORT_VERSION = "1.0"


def render_scan(outcome: ScanOutcome, output_format: ScanFormat) -> str:
    """The report of `outcome` in `output_format`."""
    renderers = {ScanFormat.TEXT: render_scan_text, ScanFormat.JSON: render_scan_json}
    return renderers[output_format](outcome)


def _use_line(use: HostUse) -> str:
    where = str(use.origin) if use.origin == use.call else f"{use.origin} -> {use.call}"
    branch = f" [when {use.condition}]" if use.condition else ""
    dev = " (development only)" if use.dev_only else ""
    package = f" (in package {use.in_package})" if use.in_package else ""
    reached = (
        f", reached from {', '.join(str(p) for p in use.reached_from[:3])}"
        if use.reached_from
        else ""
    )
    return f"{where}: {use.via}{reached}{branch}{dev}{package}"


def _describe(scan: SourceScan) -> str:
    platforms = ", ".join(p.value for p in scan.platforms) or "platform not said"
    evidence = ", ".join(scan.evidence) or "no project files"
    kilobytes = scan.bytes / 1024
    what = (
        "no mini-program project files found"
        if scan.framework is Framework.UNKNOWN and not scan.evidence
        else f"{scan.framework.value} mini program ({platforms}; from {evidence})"
    )
    return f"{what}; {scan.files} file{'s' if scan.files != 1 else ''}, {kilobytes:.1f} kB"


def _status_of(host: ScannedHost, outcome: ScanOutcome) -> Status:
    statuses = [
        r.status
        for r in outcome.results
        if r.target == host.host
        and r.check in (CheckId.SCAN_HOST, CheckId.SCAN_HOST_UNCOVERED, CheckId.SCAN_LEFTOVER)
    ]
    return min(statuses, key=STATUS_ORDER.index, default=Status.PASS)


def render_scan_text(outcome: ScanOutcome) -> str:
    scan = outcome.scan
    lines = [f"Scanned {scan.root}: {_describe(scan)}", ""]
    hosts = scan.hosts()
    lines.append(f"Hosts the app contacts ({outcome.whitelist.platform}):")
    if not hosts:
        lines.append("  (none found)")
    for host in hosts:
        status = STATUS_LABEL[_status_of(host, outcome)]
        lines.append(f"  {status:<5} {host.host}  {host.api.value}")
        lines.extend(f"          {_use_line(u)}" for u in host.uses[:5])
        if len(host.uses) > 5:
            lines.append(f"          ... and {len(host.uses) - 5} more")
    web_views = scan.web_views()
    if web_views:
        lines += ["", "Business domains (业务域名, <web-view src>), not server domains:"]
        for host in web_views:
            lines.append(f"  {host.host}  {host.first.call}")
    findings = [
        r
        for r in outcome.results
        if r.status is not Status.PASS and r.check is not CheckId.SCAN_WEB_VIEW
    ]
    findings.sort(key=lambda r: STATUS_ORDER.index(r.status))
    if findings:
        lines += ["", "Findings:"]
        for result in findings:
            lines.append(f"  {STATUS_LABEL[result.status]:<5} {result.check}: {result.message}")
            if result.fix and result.status in (Status.FAIL, Status.WARN):
                lines.append(f"        fix: {result.fix}")
    counts = {status: 0 for status in STATUS_ORDER}
    for result in outcome.results:
        counts[result.status] += 1
    summary = ", ".join(f"{counts[s]} {s.value}" for s in STATUS_ORDER if counts[s])
    lines += ["", f"{len(hosts)} host{'s' if len(hosts) != 1 else ''}; {summary or 'no findings'}"]
    return "\n".join(lines) + "\n"


def _use_dict(use: HostUse) -> dict[str, Any]:
    found: dict[str, Any] = {
        "url": use.url,
        "scheme": use.scheme,
        "port": use.port,
        "origin": {"file": use.origin.path, "line": use.origin.line},
        "call": {"file": use.call.path, "line": use.call.line},
        "via": use.via,
        "condition": use.condition or None,
        "dev_only": use.dev_only,
        "package": use.in_package or None,
        "reached_from": [{"file": p.path, "line": p.line} for p in use.reached_from],
    }
    return found


def render_scan_json(outcome: ScanOutcome) -> str:
    from domaincheck.core.platforms import Platform
    from domaincheck.scan.findings import console_list_for
    from domaincheck.whitelist.profiles import rules_for

    scan = outcome.scan
    rules = rules_for(Platform(outcome.whitelist.platform))
    hosts = []
    for host in scan.hosts():
        console_list = console_list_for(rules, host.api)
        hosts.append(
            {
                "host": host.host,
                "api": host.api.value,
                "console_list": console_list.value if console_list is not None else None,
                "status": _status_of(host, outcome).value,
                "dev_only": host.dev_only,
                "sources": [_use_dict(u) for u in host.uses],
            }
        )
    document = {
        "version": SCAN_REPORT_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "root": scan.root,
        "framework": scan.framework.value,
        "platforms": [p.value for p in scan.platforms],
        "evidence": list(scan.evidence),
        "platform": outcome.whitelist.platform,
        "files": scan.files,
        "bytes": scan.bytes,
        "hosts": hosts,
        "web_views": [
            {"host": h.host, "sources": [_use_dict(u) for u in h.uses]} for h in scan.web_views()
        ],
        "dynamic": [
            {
                "call": {"file": d.call.path, "line": d.call.line},
                "api": d.api.value,
                "via": d.via,
                "source": d.source,
                "reason": d.reason,
            }
            for d in scan.dynamic
        ],
        "notes": [
            {"file": n.place.path, "line": n.place.line, "kind": n.kind.value, "message": n.message}
            for n in scan.notes
        ],
        "results": [result_to_dict(r) for r in outcome.results],
        "passed": outcome.passed,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

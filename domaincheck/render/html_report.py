"""One self-contained HTML file: summary, host-by-check matrix, certificate and latency charts,
the whitelist with copy buttons and the command that reproduces the run.

No external asset of any kind: styles and the tiny copy script are inline, charts are inline SVG,
and a Content-Security-Policy forbids every fetch (the script is allowed by its hash). Every string
from the report is escaped, since hosts and messages can come from user input or from servers.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from html import escape

from domaincheck.core.model import CheckResult, Report, Status
from domaincheck.render._common import (
    STATUS_LABEL,
    CertExpiry,
    by_host,
    cert_expiry,
    check_family,
    count,
    host_status,
    latency_ms,
    report_time,
    reproduce_command,
    sort_results,
    summary_line,
    unmatched_ignores,
    whitelist_heading,
    whitelist_lists,
)

_COPY_SCRIPT = """\
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) { return; }
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) { return; }
  var text = source.textContent;
  function done(ok) {
    button.textContent = ok ? "Copied" : "Press Ctrl+C";
    window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
  }
  function selectAndCopy() {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    done(ok);
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(function () { done(true); }, selectAndCopy);
  } else {
    selectAndCopy();
  }
});
"""

# The CSP allows exactly this script: the hash is over the element's whole text, newline included.
_SCRIPT_ELEMENT_TEXT = "\n" + _COPY_SCRIPT
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT_ELEMENT_TEXT.encode()).digest()).decode()
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)

_STYLE = """\
:root { --pass: #1a7f37; --pass-bg: #dafbe1; --info: #0969da; --info-bg: #ddf4ff;
  --warn: #9a6700; --warn-bg: #fff8c5; --fail: #cf222e; --fail-bg: #ffebe9;
  --error: #8250df; --error-bg: #fbefff; --skip: #57606a; --skip-bg: #eaeef2;
  --ignored: #6e7781; --ignored-bg: #f6f8fa; --line: #d0d7de; --fg: #1f2328; --muted: #656d76; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", sans-serif;
  color: var(--fg); margin: 0 auto; max-width: 1180px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 32px 0 10px;
  border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.verdict { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 12px; margin-right: 8px; }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
.tile { min-width: 92px; padding: 8px 12px; border-radius: 6px; border: 1px solid var(--line); }
.tile b { display: block; font-size: 22px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
table.matrix td.cell { text-align: center; font-weight: 600; font-size: 12px; white-space: nowrap; }
table.matrix td.host, td.mono, code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
td.none { color: var(--line); text-align: center; }
.s-pass { background: var(--pass-bg); color: var(--pass); } .s-info { background: var(--info-bg); color: var(--info); }
.s-warn { background: var(--warn-bg); color: var(--warn); } .s-fail { background: var(--fail-bg); color: var(--fail); }
.s-error { background: var(--error-bg); color: var(--error); } .s-skip { background: var(--skip-bg); color: var(--skip); }
.s-ignored { background: repeating-linear-gradient(45deg, var(--ignored-bg), var(--ignored-bg) 4px, #eaeef2 4px, #eaeef2 8px);
  color: var(--ignored); }
.fix { color: var(--muted); } .small { font-size: 12px; color: var(--muted); }
svg { display: block; max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg text { fill: var(--fg); } svg .axis { stroke: var(--line); } svg .now { stroke: #1f2328; stroke-width: 1.5; }
svg .thr { stroke: var(--muted); stroke-dasharray: 4 3; } svg .val { font-size: 9px; }
.lists { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.list { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.list h3 { font-size: 14px; margin: 0 0 6px; display: flex; justify-content: space-between; align-items: center; gap: 8px; }
pre { background: #f6f8fa; border-radius: 6px; padding: 8px 10px; margin: 0; overflow-x: auto; white-space: pre; }
button { font: inherit; font-size: 12px; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px;
  background: #f6f8fa; cursor: pointer; }
button:hover { background: #eaeef2; }
details summary { cursor: pointer; }
"""

_TILE_ORDER = (Status.PASS, Status.INFO, Status.WARN, Status.FAIL, Status.ERROR, Status.SKIP)
_CHART_COLOURS = ("#0969da", "#8250df", "#1a7f37", "#bc4c00", "#bf3989", "#6e7781")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _status_class(result_status: Status | None, ignored: bool = False) -> str:
    if ignored:
        return "s-ignored"
    return f"s-{result_status.value}" if result_status is not None else ""


def _date(value: datetime) -> str:
    return value.strftime("%Y-%m-%d")


def render_html(report: Report) -> str:
    """Renders the report as one self-contained HTML page."""
    failed = not report.passed
    verdict = "FAILED" if failed else "PASSED"
    regions = ", ".join(report.regions) or "-"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">',
        f"<title>domaincheck {_e(report.platform)} {_e(regions)}: {verdict}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>domaincheck report</h1>",
        f'<p class="meta">Platform <b>{_e(report.platform)}</b> · regions <b>{_e(regions)}</b> · '
        f"{_e(report.generated_at)} · domaincheck {_e(report.tool_version)}"
        + (f" · {report.duration_s:.1f} s" if report.duration_s is not None else "")
        + (" · strict: warnings fail" if report.strict else "")
        + "</p>",
        f'<p><span class="verdict {"s-fail" if failed else "s-pass"}" id="verdict">{verdict}</span>'
        f"{_e(summary_line(report))}</p>",
        "</header>",
        *_tiles(report),
        *_matrix(report),
        *_attention(report),
        *_cert_timeline(report),
        *_latency_chart(report),
        *_whitelist(report),
        *_all_results(report),
        *_ignored(report),
        '<section id="reproduce">',
        "<h2>Reproduce this run</h2>",
        '<div class="list"><h3>Command <button type="button" data-copy="cmd">Copy</button></h3>',
        f'<pre id="cmd">{_e(reproduce_command(report))}</pre></div>',
        "</section>",
        f"<script>{_SCRIPT_ELEMENT_TEXT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _tiles(report: Report) -> list[str]:
    counts = count(report)
    tiles = [
        f'<div class="tile s-{s.value}"><b>{counts.by_status[s]}</b>{STATUS_LABEL[s].lower()}</div>'
        for s in _TILE_ORDER
    ]
    tiles.append(f'<div class="tile s-ignored"><b>{counts.ignored}</b>ignored</div>')
    return ['<section id="summary" class="tiles">', *tiles, "</section>"]


def _matrix(report: Report) -> list[str]:
    groups = by_host(report)
    families = list(dict.fromkeys(check_family(r.check) for r in report.results))
    if not groups:
        return ['<section id="matrix"><h2>Hosts and checks</h2><p>No checks ran.</p></section>']
    head = "".join(f"<th>{_e(f)}</th>" for f in families)
    rows = []
    for host, results in groups:
        overall = host_status(results)
        all_ignored = all(r.ignored_reason is not None for r in results)
        cells = [
            f'<td class="host">{_e(host)}</td>',
            f'<td class="cell {_status_class(overall, all_ignored)}">'
            f"{'IGNORED' if all_ignored else STATUS_LABEL[overall]}</td>",
        ]
        for family in families:
            cell = [r for r in results if check_family(r.check) == family]
            if not cell:
                cells.append('<td class="none">·</td>')
                continue
            active = [r for r in cell if r.ignored_reason is None]
            tooltip = "\n".join(
                f"{r.check}: {STATUS_LABEL[r.status]}"
                + (" (ignored)" if r.ignored_reason is not None else "")
                + f" — {r.message}"
                for r in cell
            )
            if active:
                status = host_status(active)
                cells.append(
                    f'<td class="cell {_status_class(status)}" title="{_e(tooltip)}">{STATUS_LABEL[status]}</td>'
                )
            else:
                cells.append(f'<td class="cell s-ignored" title="{_e(tooltip)}">IGNORED</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return [
        '<section id="matrix">',
        "<h2>Hosts and checks</h2>",
        '<p class="small">Worst first. Hover a cell for the messages.</p>',
        '<table class="matrix">',
        f"<thead><tr><th>Host</th><th>Overall</th>{head}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody></table>",
        "</section>",
    ]


def _result_rows(results: Iterable[CheckResult], *, with_target: bool) -> list[str]:
    rows = []
    for r in results:
        ignored = r.ignored_reason is not None
        label = f"{STATUS_LABEL[r.status]} (ignored)" if ignored else STATUS_LABEL[r.status]
        message = _e(r.message)
        if r.fix and r.status is not Status.PASS:
            message += f'<br><span class="fix">Fix: {_e(r.fix)}</span>'
        if ignored:
            message += f'<br><span class="fix">Ignored: {_e(r.ignored_reason)}</span>'
        target = f'<td class="mono">{_e(r.target)}</td>' if with_target else ""
        help_text = r.check.info.title
        rows.append(
            f'<tr><td class="cell {_status_class(r.status, ignored)}">{_e(label)}</td>{target}'
            f'<td class="mono" title="{_e(help_text)}">{_e(r.check)}</td><td>{message}</td>'
            f'<td class="small">{_e(_details_summary(r))}</td></tr>'
        )
    return rows


def _details_summary(result: CheckResult) -> str:
    items = []
    for key, value in result.details.items():
        if isinstance(value, str | int | float | bool):
            items.append(f"{key}={value}")
        if len(items) == 6:
            break
    return ", ".join(items)


def _attention(report: Report) -> list[str]:
    problems = [
        r
        for r in sort_results(report.results)
        if r.ignored_reason is None and r.status in (Status.FAIL, Status.ERROR, Status.WARN)
    ]
    if not problems:
        return [
            '<section id="attention"><h2>Needs attention</h2><p>Nothing: every check passed.</p></section>'
        ]
    return [
        '<section id="attention">',
        "<h2>Needs attention</h2>",
        "<table><thead><tr><th>Status</th><th>Target</th><th>Check</th><th>Message</th><th>Details</th></tr></thead><tbody>",
        *_result_rows(problems, with_target=True),
        "</tbody></table>",
        "</section>",
    ]


def _expiry_colour(days: float) -> str:
    if days < 7:
        return "#cf222e"
    if days < 30:
        return "#bf8700"
    return "#2da44e"


def _month_ticks(start: datetime, end: datetime) -> list[datetime]:
    months = (end.year - start.year) * 12 + end.month - start.month
    step = max(1, -(-months // 7))  # at most about 7 labels: they must not overlap
    tick = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    ticks = []
    while tick <= end:
        if tick >= start:
            ticks.append(tick)
        month = tick.month - 1 + step
        tick = tick.replace(year=tick.year + month // 12, month=month % 12 + 1)
    return ticks


def _cert_timeline(report: Report) -> list[str]:
    now = report_time(report)
    certs: dict[str, CertExpiry] = {}
    for result in report.results:
        expiry = cert_expiry(result)
        if expiry is not None and expiry.host not in certs:
            certs[expiry.host] = expiry
    header = ['<section id="certificates">', "<h2>Certificate expiry</h2>"]
    if not certs or now is None:
        return [*header, "<p>No certificate data in this report.</p>", "</section>"]
    rows = sorted(certs.values(), key=lambda c: (c.earliest_not_after, c.host))
    start = min(
        [now - timedelta(days=14), *(c.earliest_not_after - timedelta(days=7) for c in rows)]
    )
    # Certificates live at most about 13 months; a far-off date (a test CA's year 3000) must not
    # squash the ones that matter, so the axis stops two years out and longer bars run to its edge.
    horizon = now + timedelta(days=730)
    end = min(max([now + timedelta(days=90), *(c.leaf_not_after for c in rows)]), horizon)
    end += (end - start) * 0.12
    label_w, plot_w, row_h, top = 250, 600, 24, 34
    width = label_w + plot_w + 150
    height = top + row_h * len(rows) + 16
    span = (end - start).total_seconds()

    def x(when: datetime) -> float:
        return round(label_w + plot_w * (when - start).total_seconds() / span, 1)

    out = [
        f'<svg id="cert-timeline" role="img" aria-label="Certificate expiry timeline" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in _month_ticks(start, end):
        out.append(
            f'<line class="axis" x1="{x(tick)}" y1="{top - 6}" x2="{x(tick)}" y2="{height - 12}"/>'
        )
        out.append(
            f'<text x="{x(tick)}" y="{top - 10}" text-anchor="middle">{tick.strftime("%Y-%m")}</text>'
        )
    # Threshold labels point away from each other (7 d to the left, 30 d to the right) so they
    # stay apart even on a two-year axis; the report time is named at the bottom left of its line.
    for threshold, label, anchor, dx in ((7, "7 d", "end", -2), (30, "30 d", "start", 2)):
        at = x(now + timedelta(days=threshold))
        out.append(f'<line class="thr" x1="{at}" y1="{top - 4}" x2="{at}" y2="{height - 12}"/>')
        out.append(
            f'<text x="{at + dx:.1f}" y="{height - 2}" text-anchor="{anchor}" class="val">{label}</text>'
        )
    out.append(f'<line class="now" x1="{x(now)}" y1="{top - 6}" x2="{x(now)}" y2="{height - 12}"/>')
    out.append(
        f'<text x="{x(now) - 24:.1f}" y="{height - 2}" text-anchor="end">report {_date(now)}</text>'
    )
    for i, cert in enumerate(rows):
        y = top + i * row_h
        days = (cert.leaf_not_after - now).total_seconds() / 86400
        colour = _expiry_colour(days)
        x0, x1 = sorted((x(now), x(min(cert.leaf_not_after, end))))
        state = "expired" if days < 0 else f"{int(days)} d"
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(cert.host)}</text>')
        out.append(
            f'<rect x="{x0}" y="{y + 5}" width="{max(x1 - x0, 2):.1f}" height="13" rx="3" fill="{colour}">'
            f"<title>{_e(cert.host)}: leaf expires {_date(cert.leaf_not_after)} ({state})</title></rect>"
        )
        out.append(
            f'<text x="{max(x1, x(now)) + 6:.1f}" y="{y + 15}">{_date(cert.leaf_not_after)} ({state})</text>'
        )
        if cert.earliest_not_after < min(cert.leaf_not_after, end):
            ex = x(cert.earliest_not_after)
            chain_days = (cert.earliest_not_after - now).total_seconds() / 86400
            out.append(
                f'<path d="M{ex} {y + 3} l5 8 l-5 8 l-5 -8 z" fill="{_expiry_colour(chain_days)}" stroke="#1f2328">'
                f"<title>{_e(cert.host)}: chain certificate {_e(cert.earliest_subject or '')} expires "
                f"{_date(cert.earliest_not_after)}, before the leaf</title></path>"
            )
    out.append("</svg>")
    legend = (
        '<p class="small">Bars run from the report time to the leaf certificate\'s expiry: green 30 days or '
        "more, amber under 30, red under 7 or expired. A diamond marks a chain certificate that expires "
        "before the leaf.</p>"
    )
    return [*header, *out, legend, "</section>"]


def _latency_chart(report: Report) -> list[str]:
    per_host: dict[str, dict[str, float]] = {}
    for result in report.results:
        value = (
            latency_ms(result) if "." not in result.check else None
        )  # the probes, not sub-checks
        if value is not None:
            timings = per_host.setdefault(result.target, {})
            timings[result.check] = max(
                value, timings.get(result.check, 0.0)
            )  # the slowest resolver
    header = ['<section id="latency">', "<h2>Latency per host</h2>"]
    if not per_host:
        return [*header, "<p>No timings in this report.</p>", "</section>"]
    checks = list(dict.fromkeys(check for timings in per_host.values() for check in timings))
    colours = {check: _CHART_COLOURS[i % len(_CHART_COLOURS)] for i, check in enumerate(checks)}
    peak = max(v for timings in per_host.values() for v in timings.values()) or 1.0
    label_w, plot_w, bar_h = 250, 600, 11
    row_h = bar_h * len(checks) + 10
    top = 30
    width = label_w + plot_w + 90
    height = top + row_h * len(per_host) + 8
    out = [
        f'<svg id="latency-chart" role="img" aria-label="Latency per host and check" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    lx = label_w
    for check in checks:
        out.append(f'<rect x="{lx}" y="6" width="10" height="10" fill="{colours[check]}"/>')
        out.append(f'<text x="{lx + 14}" y="15">{_e(check)}</text>')
        lx += 24 + 7 * len(check)
    for i, (host, timings) in enumerate(per_host.items()):
        y = top + i * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 3:.1f}" text-anchor="end">{_e(host)}</text>'
        )
        out.append(
            f'<line class="axis" x1="{label_w}" y1="{y}" x2="{label_w}" y2="{y + row_h - 4}"/>'
        )
        for j, check in enumerate(checks):
            if check not in timings:
                continue
            value = timings[check]
            bar_w = max(plot_w * value / peak, 1.0)
            by = y + 2 + j * bar_h
            out.append(
                f'<rect x="{label_w}" y="{by}" width="{bar_w:.1f}" height="{bar_h - 1}" fill="{colours[check]}">'
                f"<title>{_e(host)} {_e(check)}: {value:.0f} ms</title></rect>"
            )
            out.append(
                f'<text x="{label_w + bar_w + 4:.1f}" y="{by + bar_h - 2}" class="val">{value:.0f} ms</text>'
            )
    out.append("</svg>")
    return [*header, *out, "</section>"]


def _whitelist(report: Report) -> list[str]:
    whitelist = report.whitelist
    out = [
        '<section id="whitelist">',
        f"<h2>{_e(whitelist_heading(whitelist))}</h2>",
    ]
    if whitelist.compact:
        out.append("<p>Compact: registrable domains that cover the same hosts.</p>")
    if not whitelist.entries:
        out.append("<p>No entries.</p>")
    out.append('<div class="lists">')
    for i, (console_list, title, entries) in enumerate(whitelist_lists(whitelist)):
        body = "\n".join(_e(e.entry) for e in entries)
        out.append(f'<div class="list" id="list-{_e(console_list.value)}">')
        out.append(
            f'<h3><span>{_e(title)} <span class="small">({len(entries)})</span></span>'
            f'<button type="button" data-copy="wl-{i}">Copy</button></h3>'
        )
        out.append(f'<pre id="wl-{i}">{body}</pre>')
        notes = [e for e in entries if e.note]
        if notes:
            out.append(
                '<ul class="small">'
                + "".join(f"<li><code>{_e(e.entry)}</code>: {_e(e.note)}</li>" for e in notes)
                + "</ul>"
            )
        out.append("</div>")
    out.append("</div>")
    out.extend(f'<p class="small">{_e(note)}</p>' for note in whitelist.notes)
    out.append("</section>")
    return out


def _all_results(report: Report) -> list[str]:
    out = ['<section id="results">', "<h2>All results by host</h2>"]
    for host, results in by_host(report):
        status = host_status(results)
        all_ignored = all(r.ignored_reason is not None for r in results)
        is_open = " open" if status in (Status.FAIL, Status.ERROR, Status.WARN) else ""
        label = "IGNORED" if all_ignored else STATUS_LABEL[status]
        out.append(
            f'<details{is_open}><summary><b class="mono">{_e(host)}</b> '
            f'<span class="verdict {_status_class(status, all_ignored)}">{label}</span></summary>'
        )
        out.append(
            "<table><thead><tr><th>Status</th><th>Check</th><th>Message</th><th>Details</th></tr></thead><tbody>"
        )
        out.extend(_result_rows(results, with_target=False))
        out.append("</tbody></table></details>")
    out.append("</section>")
    return out


def _ignored(report: Report) -> list[str]:
    if not report.ignored_rules:
        return []
    unmatched = unmatched_ignores(report)
    rows = "".join(
        f'<tr><td class="mono">{_e(rule)}</td><td>{_e(reason)}</td>'
        f"<td>{'matched nothing in this run' if rule in unmatched else 'yes'}</td></tr>"
        for rule, reason in report.ignored_rules.items()
    )
    return [
        '<section id="ignored">',
        "<h2>Ignored by the project file</h2>",
        f"<table><thead><tr><th>Rule id</th><th>Reason</th><th>Matched</th></tr></thead><tbody>{rows}</tbody></table>",
        "</section>",
    ]

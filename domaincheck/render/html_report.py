"""One self-contained HTML file: summary, host-by-check matrix, certificate and latency charts,
the whitelist with copy buttons and the command that reproduces the run.

No external asset of any kind: styles and the tiny script are inline, charts are HTML bars placed
in percentages, and a Content-Security-Policy forbids every fetch (the script is allowed by its
hash). Every string from the report is escaped, since hosts and messages can come from user input
or from servers. The page works on every screen: at a phone's width tables become cards and the
charts keep their text size instead of shrinking as a whole; the matrix opens a cell's messages on
a tap (or click), not on hover; colours follow the system's light or dark scheme.

Over 600 lines on purpose: the page is one document (styles, script, sections) that must stay
self-contained under one Content-Security-Policy hash; its parts are read top to bottom.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from html import escape

from domaincheck.core.model import CheckResult, Report, Status
from domaincheck.core.untrusted import escape as escape_untrusted
from domaincheck.core.untrusted import json_safe
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
    vantage_matrix,
    whitelist_heading,
    whitelist_lists,
)

_SCRIPT = """\
function showCell(cell) {
  var panel = document.getElementById("cell-info");
  var open = document.querySelector("button[data-info][aria-expanded=true]");
  if (open) { open.setAttribute("aria-expanded", "false"); }
  if (open === cell) { panel.hidden = true; return; }
  var row = cell.closest("tr");
  row.parentNode.insertBefore(panel, row.nextSibling);
  panel.querySelector("td").textContent = cell.getAttribute("data-info");
  panel.hidden = false;
  cell.setAttribute("aria-expanded", "true");
}
document.addEventListener("click", function (event) {
  var cell = event.target.closest("button[data-info]");
  if (cell) { showCell(cell); return; }
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
_SCRIPT_ELEMENT_TEXT = "\n" + _SCRIPT
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT_ELEMENT_TEXT.encode()).digest()).decode()
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)

_STYLE = """\
:root { color-scheme: light dark;
  --pass: #1a7f37; --pass-bg: #dafbe1; --info: #0969da; --info-bg: #ddf4ff;
  --warn: #9a6700; --warn-bg: #fff8c5; --fail: #cf222e; --fail-bg: #ffebe9;
  --error: #8250df; --error-bg: #fbefff; --skip: #57606a; --skip-bg: #eaeef2;
  --ignored: #6e7781; --ignored-bg: #f6f8fa; --ignored-bg2: #eaeef2;
  --line: #d0d7de; --fg: #1f2328; --muted: #656d76; --bg: #ffffff; --raised: #f6f8fa; --hover: #eaeef2;
  --bar-ok: #2da44e; --bar-soon: #bf8700; --bar-bad: #cf222e; --bar-notyet: #8c959f;
  --c0: #0969da; --c1: #8250df; --c2: #1a7f37; --c3: #bc4c00; --c4: #bf3989; --c5: #6e7781; }
@media (prefers-color-scheme: dark) {
  :root { --pass: #3fb950; --pass-bg: #12261e; --info: #58a6ff; --info-bg: #121d2f;
    --warn: #d29922; --warn-bg: #272115; --fail: #f85149; --fail-bg: #2d1517;
    --error: #bc8cff; --error-bg: #221a33; --skip: #9198a1; --skip-bg: #1f242c;
    --ignored: #9198a1; --ignored-bg: #161b22; --ignored-bg2: #1f242c;
    --line: #3d444d; --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --raised: #151b23; --hover: #262c36;
    --bar-ok: #3fb950; --bar-soon: #d29922; --bar-bad: #f85149; --bar-notyet: #9198a1;
    --c0: #58a6ff; --c1: #bc8cff; --c2: #3fb950; --c3: #f0883e; --c4: #f778ba; --c5: #9198a1; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", sans-serif;
  color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1180px; padding: 24px;
  overflow-wrap: break-word; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 32px 0 10px;
  border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.verdict { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 12px; margin-right: 8px; }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
.tile { min-width: 92px; padding: 8px 12px; border-radius: 6px; border: 1px solid var(--line); }
.tile b { display: block; font-size: 22px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--raised); font-weight: 600; }
table.matrix td.cell { text-align: center; font-weight: 600; font-size: 12px; white-space: nowrap; padding: 0; }
table.matrix td.cell button { all: unset; box-sizing: border-box; display: block; width: 100%;
  padding: 4px 6px; cursor: pointer; text-align: center; }
table.matrix td.cell button:focus-visible { outline: 2px solid var(--info); outline-offset: -2px; }
table.matrix td.cell button[aria-expanded=true] { outline: 2px solid currentColor; outline-offset: -3px; }
table.matrix td.overall { padding: 4px 6px; }
tr.cell-info td { white-space: pre-line; background: var(--raised); font-size: 13px; }
.mono, td.host, code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
td.none { color: var(--line); text-align: center; }
td.small, td.host, td.target, td.message { overflow-wrap: anywhere; }
.s-pass { background: var(--pass-bg); color: var(--pass); } .s-info { background: var(--info-bg); color: var(--info); }
.s-warn { background: var(--warn-bg); color: var(--warn); } .s-fail { background: var(--fail-bg); color: var(--fail); }
.s-error { background: var(--error-bg); color: var(--error); } .s-skip { background: var(--skip-bg); color: var(--skip); }
.s-ignored { background: repeating-linear-gradient(45deg, var(--ignored-bg), var(--ignored-bg) 4px, var(--ignored-bg2) 4px, var(--ignored-bg2) 8px);
  color: var(--ignored); }
.fix { color: var(--muted); } .small { font-size: 12px; color: var(--muted); }
.chart { font-size: 12px; margin: 8px 0; overflow: hidden; }
.crow { display: grid; grid-template-columns: minmax(0, 15rem) minmax(0, 1fr) 13rem; gap: 2px 10px;
  align-items: center; padding: 3px 0; }
.clabel { text-align: right; } .cval { min-width: 0; }
.track { position: relative; height: 16px; }
.track .bar { position: absolute; top: 2px; height: 12px; border-radius: 3px; min-width: 2px; }
.ticks { position: relative; height: 16px; color: var(--muted); }
.ticks span { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
.ticks span.first { transform: none; } .ticks span.last { transform: translateX(-100%); }
.track .line { position: absolute; top: -3px; bottom: -3px; border-left: 1px solid var(--line); }
.track .line.now { border-left: 2px solid var(--fg); } .track .line.thr { border-left: 1px dashed var(--muted); }
.track .diamond { position: absolute; top: 1px; width: 10px; height: 10px; margin-left: -5px;
  transform: rotate(45deg); border: 1px solid var(--fg); }
.exp-ok { background: var(--bar-ok); } .exp-soon { background: var(--bar-soon); } .exp-bad { background: var(--bar-bad); }
.exp-notyet { background: repeating-linear-gradient(135deg, var(--bar-notyet), var(--bar-notyet) 3px, transparent 3px, transparent 6px);
  border: 1px solid var(--bar-notyet); }
.lrow { display: grid; grid-template-columns: minmax(0, 15rem) minmax(0, 1fr); gap: 2px 10px; padding: 4px 0;
  border-top: 1px solid var(--line); }
.lbars { display: grid; gap: 2px; }
.lbar { display: grid; grid-template-columns: minmax(0, 1fr) 13rem; gap: 10px; align-items: center; }
.lbar .track { height: 12px; } .lbar .track .bar { top: 1px; height: 10px; }
.bar.off-scale { border-right: 3px double var(--bg); }
.bar.failed { background: repeating-linear-gradient(135deg, var(--fail), var(--fail) 3px, transparent 3px, transparent 6px) !important;
  border: 1px solid var(--fail); }
.c0 { background: var(--c0); } .c1 { background: var(--c1); } .c2 { background: var(--c2); }
.c3 { background: var(--c3); } .c4 { background: var(--c4); } .c5 { background: var(--c5); }
.lists { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(320px, 100%), 1fr)); gap: 12px; }
.list { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 0; }
.list h3 { font-size: 14px; margin: 0 0 6px; display: flex; justify-content: space-between; align-items: center; gap: 8px; }
pre { background: var(--raised); border-radius: 6px; padding: 8px 10px; margin: 0; overflow-x: auto; white-space: pre;
  overflow-wrap: normal; }
pre.wrap { white-space: pre-wrap; overflow-wrap: anywhere; }
button { font: inherit; font-size: 12px; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--raised); color: var(--fg); cursor: pointer; }
button:hover { background: var(--hover); }
details summary { cursor: pointer; }
@media (max-width: 720px) {
  body { padding: 12px; }
  .tile { min-width: 0; flex: 1 1 28%; }
  table.matrix, table.matrix thead, table.matrix tbody { display: block; }
  table.matrix tr { display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); }
  table.matrix th, table.matrix td { min-width: 0; overflow: hidden; text-overflow: ellipsis; }
  table.matrix th { font-size: 10px; padding: 4px 1px; text-align: center; overflow-wrap: normal; }
  table.matrix th.host { display: none; }
  table.matrix td.host, table.matrix tr.cell-info td { grid-column: 1 / -1; border-bottom: 0; }
  table.matrix td.cell { font-size: 11px; } table.matrix td.cell button { padding: 6px 1px; }
  table.matrix td.overall { padding: 6px 1px; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; }
  table.cards thead { display: none; }
  table.cards tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; overflow: hidden; }
  table.cards td { border: 0; border-top: 1px solid var(--line); }
  table.cards td:first-child { border-top: 0; } table.cards td:empty { display: none; }
  table.cards td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted);
    font-family: system-ui, sans-serif; }
  table.cards td.cell { text-align: left; }
  .crow { grid-template-columns: minmax(0, 1.4fr) minmax(0, 1fr); grid-template-areas: "label value" "track track"; }
  .crow .clabel { grid-area: label; text-align: left; }
  .crow .cval { grid-area: value; text-align: right; }
  .crow .track, .crow .ticks { grid-area: track; }
  .crow.axis .clabel, .crow.axis .cval { display: none; }
  .ticks span.odd { display: none; }
  .lrow { grid-template-columns: minmax(0, 1fr); } .lrow .clabel { text-align: left; }
  .lbar { grid-template-columns: minmax(0, 1fr) 8.5rem; }
}
"""

_TILE_ORDER = (Status.PASS, Status.INFO, Status.WARN, Status.FAIL, Status.ERROR, Status.SKIP)
_CHART_COLOURS = 6  # classes c0 to c5, one per probe


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
        '<meta name="color-scheme" content="light dark">',
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
        *(
            f'<p class="meta">Vantage <b>{_e(v.name)}</b> · resolvers '
            f"{_e(', '.join(v.resolvers) or 'the system’s')}"
            + (f" · via {_e(v.proxy)}" if v.proxy else "")
            + "</p>"
            for v in ((report.vantage,) if report.vantage else report.vantages)
        ),
        f'<p><span class="verdict {"s-fail" if failed else "s-pass"}" id="verdict">{verdict}</span>'
        f"{_e(summary_line(report))}</p>",
        "</header>",
        *_tiles(report),
        *_vantage_matrix(report),
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
        f'<pre id="cmd" class="wrap">{_e(reproduce_command(report))}</pre></div>',
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


def _vantage_matrix(report: Report) -> list[str]:
    """A merged report's host x vantage table (nothing for a single run)."""
    if not report.vantages:
        return []
    head = "".join(f"<th>{_e(v.name)}</th>" for v in report.vantages)
    rows = []
    for host, cells in vantage_matrix(report):
        shown = "".join(
            f'<td class="cell {_status_class(c, False)}">{STATUS_LABEL[c]}</td>'
            if c
            else '<td class="none">·</td>'
            for c in cells
        )
        rows.append(f'<tr><td class="host">{_e(host)}</td>{shown}</tr>')
    return [
        '<section id="vantages"><h2>Hosts by vantage</h2>',
        f"<table><thead><tr><th>host</th>{head}</tr></thead><tbody>",
        *rows,
        "</tbody></table></section>",
    ]


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
            f'<td class="cell overall {_status_class(overall, all_ignored)}">'
            f"{'IGNORED' if all_ignored else STATUS_LABEL[overall]}</td>",
        ]
        for family in families:
            cell = [r for r in results if check_family(r.check) == family]
            if not cell:
                cells.append('<td class="none">·</td>')
                continue
            active = [r for r in cell if r.ignored_reason is None]
            info = f"{host} · {family}\n" + "\n".join(
                f"{r.check}: {STATUS_LABEL[r.status]}"
                + (" (ignored)" if r.ignored_reason is not None else "")
                + f" — {r.message}"
                for r in cell
            )
            status = host_status(active) if active else None
            label = STATUS_LABEL[status] if status is not None else "IGNORED"
            cells.append(
                f'<td class="cell {_status_class(status, status is None)}">'
                f'<button type="button" aria-controls="cell-info" aria-expanded="false" data-info="{_e(info)}">{label}</button></td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    columns = len(families) + 2
    return [
        '<section id="matrix">',
        "<h2>Hosts and checks</h2>",
        '<p class="small">Worst first. Tap or click a cell for its messages.</p>',
        f'<table class="matrix" style="--cols: {columns - 1}">',
        f'<thead><tr><th class="host">Host</th><th>Overall</th>{head}</tr></thead>',
        "<tbody>",
        *rows,
        f'<tr id="cell-info" class="cell-info" hidden><td colspan="{columns}"></td></tr>',
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
        target = (
            f'<td class="mono target" data-label="Target">{_e(r.target)}</td>'
            if with_target
            else ""
        )
        help_text = r.check.info.title
        summary = _details_summary(r)
        details = (
            f'<td class="small" data-label="Details">{_e(summary)}</td>' if summary else "<td></td>"
        )
        rows.append(
            f'<tr><td class="cell {_status_class(r.status, ignored)}">{_e(label)}</td>{target}'
            f'<td class="mono" data-label="Check" title="{_e(help_text)}">{_e(r.check)}</td>'
            f'<td class="message">{message}</td>{details}</tr>'
        )
    return rows


def _details_summary(result: CheckResult) -> str:
    items = []
    for key, value in result.details.items():
        if isinstance(value, str | int | float | bool):
            items.append(f"{escape_untrusted(str(key))}={json_safe(value)}")
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
        '<table class="cards"><thead><tr><th>Status</th><th>Target</th><th>Check</th><th>Message</th>'
        "<th>Details</th></tr></thead><tbody>",
        *_result_rows(problems, with_target=True),
        "</tbody></table>",
        "</section>",
    ]


def _expiry_class(days: float) -> str:
    if days < 7:
        return "exp-bad"
    if days < 30:
        return "exp-soon"
    return "exp-ok"


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


def _pct(value: float) -> str:
    return f"{min(max(value, 0.0), 100.0):.2f}%"


def _cert_timeline(report: Report) -> list[str]:
    now = report_time(report)
    certs: dict[str, CertExpiry] = {}
    for result in report.results:
        expiry = cert_expiry(result)
        if expiry is None:
            continue
        known = certs.get(expiry.host)
        if known is None:
            certs[expiry.host] = expiry
        elif known.leaf_not_before is None and expiry.leaf_not_before is not None:
            certs[expiry.host] = replace(known, leaf_not_before=expiry.leaf_not_before)
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
    end += (end - start) * 0.05
    span = (end - start).total_seconds()

    def x(when: datetime) -> float:
        return 100 * (when - start).total_seconds() / span

    # Everything is placed in percentages of the track, so the chart keeps its text size and
    # narrows with the screen; month labels thin out on a phone (.odd) instead of overlapping.
    ticks = _month_ticks(start, end)
    tick_spans = []
    for k, tick in enumerate(ticks):
        edge = " first" if x(tick) < 6 else " last" if x(tick) > 94 else ""
        odd = " odd" if k % 2 else ""
        tick_spans.append(
            f'<span class="tick{edge}{odd}" style="left:{_pct(x(tick))}">{tick.strftime("%Y-%m")}</span>'
        )
    lines = "".join(
        f'<span class="line {kind}" style="left:{_pct(x(now + timedelta(days=days)))}"></span>'
        for kind, days in (("now", 0), ("thr", 7), ("thr", 30))
    )
    out = [
        '<div id="cert-timeline" class="chart" role="group" aria-label="Certificate expiry timeline">',
        '<div class="crow axis"><span class="clabel"></span>'
        f'<span class="ticks">{"".join(tick_spans)}</span><span class="cval"></span></div>',
    ]
    for cert in rows:
        days = (cert.leaf_not_after - now).total_seconds() / 86400
        not_yet = cert.leaf_not_before is not None and cert.leaf_not_before > now
        if not_yet and cert.leaf_not_before is not None:
            begin, kind = cert.leaf_not_before, "exp-notyet"
            state = f"not yet valid: from {_date(cert.leaf_not_before)}"
        else:
            begin, kind = now, _expiry_class(days)
            state = "expired" if days < 0 else f"{int(days)} d"
        x0, x1 = sorted((x(begin), x(min(cert.leaf_not_after, end))))
        marks = ""
        if cert.earliest_not_after < min(cert.leaf_not_after, end):
            chain_days = (cert.earliest_not_after - now).total_seconds() / 86400
            marks = (
                f'<span class="diamond {_expiry_class(chain_days)}" '
                f'style="left:{_pct(x(cert.earliest_not_after))}" '
                f'title="{_e(cert.host)}: chain certificate {_e(cert.earliest_subject or "")} '
                f'expires {_date(cert.earliest_not_after)}, before the leaf"></span>'
            )
        title = (
            f"{cert.host}: leaf valid from {_date(cert.leaf_not_before)}, not yet valid"
            if not_yet and cert.leaf_not_before is not None
            else f"{cert.host}: leaf expires {_date(cert.leaf_not_after)} ({state})"
        )
        value = state if not_yet else f"{_date(cert.leaf_not_after)} ({state})"
        out.append(
            f'<div class="crow"><span class="clabel mono">{_e(cert.host)}</span>'
            f'<span class="track">{lines}<span class="bar {kind}" '
            f'style="left:{_pct(x0)};width:{_pct(x1 - x0)}" title="{_e(title)}"></span>{marks}</span>'
            f'<span class="cval">{_e(value)}</span></div>'
        )
    out.append("</div>")
    legend = (
        '<p class="small">Bars run from the report time (solid line, '
        f"{_date(now)}) to the leaf certificate's expiry: green 30 days or more, amber under 30, "
        "red under 7 or expired; the dashed lines are 7 and 30 days out. A hatched grey bar is a "
        "certificate that is not valid yet, from the day it becomes valid. A diamond marks a chain "
        "certificate that expires before the leaf.</p>"
    )
    return [*header, *out, legend, "</section>"]


# A probe whose result failed took that long to fail (often a timeout), not to answer: it is drawn
# apart, hatched and off the scale, so one dead host does not flatten every other bar.
_FAILED = (Status.FAIL, Status.ERROR)


def _latency_scale(values: list[float]) -> float:
    """The top of the latency axis: the slowest answer, but at most 10 times the median one, so
    one slow outlier is drawn off the scale instead of flattening the rest."""
    if not values:
        return 1.0
    ordered = sorted(values)
    median = ordered[len(ordered) // 2]
    return max(min(ordered[-1], 10 * median), 1.0)


def _latency_chart(report: Report) -> list[str]:
    per_host: dict[str, dict[str, tuple[float, CheckResult]]] = {}
    for result in report.results:
        value = latency_ms(result) if "." not in result.check else None  # probes, not sub-checks
        if value is not None:
            timings = per_host.setdefault(result.target, {})
            known = timings.get(result.check)
            if known is None or value > known[0]:  # the slowest resolver
                timings[result.check] = (value, result)
    header = ['<section id="latency">', "<h2>Latency per host</h2>"]
    if not per_host:
        return [*header, "<p>No timings in this report.</p>", "</section>"]
    checks = list(dict.fromkeys(check for timings in per_host.values() for check in timings))
    colour = {check: f"c{i % _CHART_COLOURS}" for i, check in enumerate(checks)}
    answered = [
        v for timings in per_host.values() for v, r in timings.values() if r.status not in _FAILED
    ]
    scale = _latency_scale(answered)
    out = [
        '<div id="latency-chart" class="chart" role="group" aria-label="Latency per host and check">'
    ]
    off_scale = failed = False
    for host, timings in per_host.items():
        bars = []
        for check in checks:
            if check not in timings:
                continue
            value, result = timings[check]
            if result.status in _FAILED:
                failed = True
                timed_out = result.details.get("kind") == "timeout" or "timeout" in result.message
                what = "timed out after" if timed_out else "failed after"
                css, width, text = "failed", 100.0, f"{check} {what} {value:.0f} ms"
            elif value > scale:
                off_scale = True
                css, width, text = f"{colour[check]} off-scale", 100.0, f"{check} {value:.0f} ms ›"
            else:
                css, width, text = colour[check], 100 * value / scale, f"{check} {value:.0f} ms"
            bars.append(
                f'<span class="lbar"><span class="track"><span class="bar {css}" '
                f'style="left:0;width:{_pct(width)}" title="{_e(host)} {_e(text)}"></span></span>'
                f'<span class="cval">{_e(text)}</span></span>'
            )
        out.append(
            f'<div class="lrow"><span class="clabel mono">{_e(host)}</span>'
            f'<span class="lbars">{"".join(bars)}</span></div>'
        )
    out.append("</div>")
    notes = [f"The bars run from 0 to {scale:.0f} ms."]
    if off_scale:
        notes.append("A bar ending in a double line (›) is slower than that: its time is given.")
    if failed:
        notes.append(
            "A hatched red bar is a probe that failed or timed out: its time is how long it "
            "took to fail, not to answer, and it is not drawn to scale."
        )
    return [*header, *out, f'<p class="small">{" ".join(notes)}</p>', "</section>"]


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
            '<table class="cards"><thead><tr><th>Status</th><th>Check</th><th>Message</th>'
            "<th>Details</th></tr></thead><tbody>"
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
        f'<td data-label="Matched">{"matched nothing in this run" if rule in unmatched else "yes"}</td></tr>'
        for rule, reason in report.ignored_rules.items()
    )
    return [
        '<section id="ignored">',
        "<h2>Ignored by the project file</h2>",
        '<table class="cards"><thead><tr><th>Rule id</th><th>Reason</th><th>Matched</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>",
        "</section>",
    ]

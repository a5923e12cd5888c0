"""Markdown for pull-request comments and `$GITHUB_STEP_SUMMARY`.

A verdict and summary line first, then what needs attention (failures and errors, then warnings),
ignored findings with their reasons, the passing checks folded away, and the whitelist per console
list in code blocks ready to copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from domaincheck.core.model import CheckResult, Report, Status
from domaincheck.render._common import (
    STATUS_LABEL,
    cite_failure,
    fold_skips,
    reproduce_command,
    scope_note,
    sort_results,
    summary_line,
    unmatched_ignores,
    vantage_matrix,
    whitelist_heading,
    whitelist_lists,
)

_ICON = {
    Status.PASS: "✅",
    Status.INFO: "ℹ️",
    Status.WARN: "⚠️",
    Status.FAIL: "❌",
    Status.ERROR: "🛑",
    Status.SKIP: "⏭️",
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _cell(value: str) -> str:
    """Text safe inside a table cell: HTML and Markdown specials escaped, one line."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return " ".join(value.split())


def _code_span(value: str, *, in_table: bool = True) -> str:
    """Inline code that survives backticks in the value (and pipes, inside a table)."""
    value = " ".join(value.split())
    if in_table:
        value = value.replace("|", "\\|")
    ticks = "`"
    while ticks in value:
        ticks += "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


def _table(
    results: list[CheckResult],
    *,
    with_fix: bool,
    ignored: bool = False,
    above: Sequence[CheckResult] = (),
) -> list[str]:
    """A table of results; skips of one target with one reason share a row, citing `above`."""
    if ignored:
        lines = ["| | Target | Check | Message | Reason |", "|---|---|---|---|---|"]
    elif with_fix:
        lines = ["| | Target | Check | Message | Fix |", "|---|---|---|---|---|"]
    else:
        lines = ["| | Target | Check | Message |", "|---|---|---|---|"]
    for row in fold_skips(results):
        r = row.result
        message = r.message
        if r.status is Status.SKIP:
            cited = [(o.message, f"{o.check} above") for o in above if o.target == r.target]
            message = cite_failure(message, cited)
        cells = [
            f"{_ICON[r.status]} {STATUS_LABEL[r.status]}",
            _code_span(r.target),
            ", ".join(_code_span(check) for check in row.checks),
            _cell(message),
        ]
        if ignored:
            cells.append(_cell(r.ignored_reason or ""))
        elif with_fix:
            cells.append(_cell(r.fix or ""))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_markdown(report: Report) -> str:
    """Renders the report as GitHub-flavoured Markdown."""
    verdict = "✅ **domaincheck passed**" if report.passed else "❌ **domaincheck failed**"
    regions = ", ".join(report.regions) or "-"
    lines = [
        f"{verdict}: {summary_line(report)}{scope_note(report)}",
        "",
        f"Platform `{report.platform}`, regions `{regions}`, domaincheck {report.tool_version}, "
        f"{report.generated_at}{', strict' if report.strict else ''}.",
    ]
    for vantage in (report.vantage,) if report.vantage else report.vantages:
        lines.extend(["", f"Vantage {_cell(vantage.summary)}."])
    if report.vantages:  # a merged report: the host x vantage matrix
        names = [v.name for v in report.vantages]
        lines += ["", "### Hosts by vantage", ""]
        lines.append("| host | " + " | ".join(_cell(n) for n in names) + " |")
        lines.append("|---|" + "---|" * len(names))
        for host, cells in vantage_matrix(report):
            shown = [STATUS_LABEL[c] if c else "-" for c in cells]
            lines.append(f"| {_cell(host)} | " + " | ".join(shown) + " |")

    ordered = sort_results(r for r in report.results if r.ignored_reason is None)
    problems = [r for r in ordered if r.status in (Status.FAIL, Status.ERROR, Status.WARN)]
    notes = [r for r in ordered if r.status in (Status.INFO, Status.SKIP)]
    passed = [r for r in ordered if r.status is Status.PASS]
    ignored = [r for r in report.results if r.ignored_reason is not None]

    if problems:
        lines += ["", "### Needs attention", "", *_table(problems, with_fix=True)]
    if notes:
        lines += [
            "",
            "### Notes and skipped checks",
            "",
            *_table(notes, with_fix=False, above=problems),
        ]
    if ignored or report.ignored_rules:
        lines += ["", "### Ignored by the project file", ""]
        if ignored:
            lines += _table(ignored, with_fix=False, ignored=True)
        unused = unmatched_ignores(report)
        if unused:
            lines.append("")
            lines += [
                f"- {_code_span(rule, in_table=False)} matched nothing in this run: {_cell(report.ignored_rules[rule])}"
                for rule in unused
            ]
    if passed:
        hosts = len({r.target for r in passed})
        lines += [
            "",
            f"<details><summary>{len(passed)} passed checks on {hosts} "
            f"{'target' if hosts == 1 else 'targets'}</summary>",
            "",
            *_table(passed, with_fix=False),
            "",
            "</details>",
        ]

    lines += _whitelist(report)
    lines += [
        "",
        "<details><summary>Reproduce this run</summary>",
        "",
        "```sh",
        reproduce_command(report),
        "```",
        "",
        "</details>",
    ]
    return "\n".join(lines) + "\n"


def _fence(body: str) -> str:
    fence = "```"
    while fence in body:
        fence += "`"
    return fence


def _whitelist(report: Report) -> list[str]:
    whitelist = report.whitelist
    lines = [
        "",
        f"### {whitelist_heading(whitelist)}",
    ]
    if whitelist.compact:
        lines += ["", "Compact: registrable domains that cover the same hosts."]
    if not whitelist.entries:
        lines += ["", "No entries."]
    for _, title, entries in whitelist_lists(whitelist):
        body = "\n".join(e.entry for e in entries)
        fence = _fence(body)
        lines += ["", f"**{_cell(title)}** ({len(entries)})", "", f"{fence}text", body, fence]
        lines += [
            f"- {_code_span(e.entry, in_table=False)}: {_cell(e.note)}" for e in entries if e.note
        ]
    for note in whitelist.notes:
        lines += ["", f"> {_cell(note)}"]
    return lines

"""The checklist for people: results grouped by host, the worst first, then the whitelist to paste."""

from __future__ import annotations

from domaincheck.core.model import Report, Status
from domaincheck.render._common import (
    STATUS_LABEL,
    FoldedResult,
    by_host,
    cite_failure,
    fold_skips,
    host_status,
    scope_note,
    summary_line,
    unmatched_ignores,
    vantage_matrix,
    whitelist_heading,
    whitelist_lists,
)

_IGNORED = "IGNORED"


# ANSI SGR codes of each label when the checklist goes to a colour terminal.
_COLOUR: dict[str, str] = {
    "PASS": "32",  # green
    "PASSED": "1;32",
    "INFO": "36",  # cyan
    "WARN": "33",  # yellow
    "FAIL": "31",  # red
    "FAILED": "1;31",
    "ERROR": "35",  # magenta: could not run, apart from a failure
    "SKIP": "2",  # dim
    _IGNORED: "2",
}


def _verdict(report: Report) -> str:
    return "PASSED" if report.passed else "FAILED"


def _matrix(report: Report) -> list[str]:
    """The host x vantage matrix of a merged report."""
    rows = vantage_matrix(report)
    names = [v.name for v in report.vantages]
    first = max([len("host"), *(len(h) for h, _ in rows)])
    widths = [max(len(n), 5) for n in names]
    lines = [
        "",
        "  ".join(["host".ljust(first), *(n.ljust(w) for n, w in zip(names, widths, strict=True))]),
    ]
    for host, cells in rows:
        shown = [
            (STATUS_LABEL[c] if c else "-").ljust(w) for c, w in zip(cells, widths, strict=True)
        ]
        lines.append("  ".join([host.ljust(first), *shown]).rstrip())
    return lines


def render_text(report: Report, *, colour: bool = False) -> str:
    """Renders the report as the plain-text checklist `check` prints by default; with `colour`,
    status labels and the verdict carry ANSI colours (the CLI asks for them on a terminal)."""

    def paint(label: str, width: int = 0) -> str:
        padded = f"{label:<{width}}"
        if not colour or label not in _COLOUR:
            return padded
        return f"\x1b[{_COLOUR[label]}m{label}\x1b[0m{padded[len(label) :]}"

    lines: list[str] = []
    regions = ", ".join(report.regions) or "-"
    lines.append(
        f"domaincheck {report.tool_version} · {report.platform} · {regions} · {report.generated_at}"
    )
    if report.vantage is not None:
        lines.append(f"vantage: {report.vantage.summary}")
    for vantage in report.vantages:
        lines.append(f"vantage: {vantage.summary}")
    strict = " (strict: warnings fail)" if report.strict else ""
    verdict = paint(_verdict(report))
    lines.append(f"{verdict}{strict}: {summary_line(report)}{scope_note(report)}")

    if report.vantages:
        lines.extend(_matrix(report))
    groups = by_host(report)
    width = max((len(r.check) for _, results in groups for r in results), default=0)
    width = min(max(width, 9), 28)
    label_width = max(len(label) for label in (*STATUS_LABEL.values(), _IGNORED))
    indent = " " * (2 + label_width + 2 + width + 2)
    for host, results in groups:
        lines.append("")
        all_ignored = all(r.ignored_reason is not None for r in results)
        host_label = _IGNORED if all_ignored else STATUS_LABEL[host_status(results)]
        lines.append(f"{host}  [{paint(host_label)}]")
        for index, line in enumerate(folded := fold_skips(results)):
            result = line.result
            label = _IGNORED if result.ignored_reason is not None else STATUS_LABEL[result.status]
            message = result.message
            if result.status is Status.SKIP:
                message = cite_failure(message, _references(folded, index))
            checks = ", ".join(line.checks)
            lines.append(f"  {paint(label, label_width)}  {checks:<{width}}  {message}")
            if result.ignored_reason is not None:
                lines.append(
                    f"{indent}ignored ({STATUS_LABEL[result.status].lower()}): {result.ignored_reason}"
                )
            if result.fix and result.status is not Status.PASS:
                lines.append(f"{indent}fix: {result.fix}")

    if report.ignored_rules:
        unmatched = unmatched_ignores(report)
        lines.append("")
        lines.append("Ignored by the project file:")
        id_width = max(len(rule) for rule in report.ignored_rules)
        for rule, reason in report.ignored_rules.items():
            unused = "  (matched nothing in this run)" if rule in unmatched else ""
            lines.append(f"  {rule:<{id_width}}  {reason}{unused}")

    lines.extend(_whitelist_lines(report))
    return "\n".join(lines) + "\n"


def _references(folded: list[FoldedResult], index: int) -> list[tuple[str, str]]:
    """The other lines of a host a skip message may quote: (message, `dns above`) pairs."""
    return [
        (other.result.message, f"{other.result.check} {'above' if i < index else 'below'}")
        for i, other in enumerate(folded)
        if i != index and other.result.status is not Status.SKIP
    ]


def _whitelist_lines(report: Report) -> list[str]:
    whitelist = report.whitelist
    lines = [
        "",
        whitelist_heading(whitelist),
    ]
    if whitelist.compact:
        lines.append("  compact: registrable domains that cover the same hosts")
    if not whitelist.entries:
        lines.append("  (no entries)")
    for _, title, entries in whitelist_lists(whitelist):
        count = f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}"
        lines.append("")
        lines.append(f"  {title}, {count}:")
        lines.extend(f"    {entry.entry}" for entry in entries)
        for entry in entries:
            if entry.note:
                lines.append(f"    note on {entry.entry}: {entry.note}")
    for note in whitelist.notes:
        lines.append("")
        lines.append(f"  note: {note}")
    return lines

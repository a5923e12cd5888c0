"""Report renderers: one pure function `render(report) -> str` per output format.

`ReportFormat` names the formats; `RENDERERS` maps each to its function, and a test proves the map
is complete. Renderers never print, never read the clock and never touch files: the CLI writes
their text to stdout or, atomically, to report files.

The renderer modules are imported on first use, not with this package: every command imports the
package for its format enums, and the renderers (the HTML one above all) take longer to import than
the start-up budget of the offline commands allows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domaincheck.core.model import Report

__all__ = ["RENDERERS", "ReportFormat", "render", "summary_line"]


class ReportFormat(StrEnum):
    """An output format of `check`: for `--format` (stdout) and `--report FMT:FILE`."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    HTML = "html"


class ScanFormat(StrEnum):
    """An output format of `scan` (its renderers are in `render.scan_report`)."""

    TEXT = "text"
    JSON = "json"


Renderer = Callable[["Report"], str]

_renderers: dict[ReportFormat, Renderer] = {}


def _load_renderers() -> Mapping[ReportFormat, Renderer]:
    if not _renderers:
        from domaincheck.render import html_report, json_report, junit, markdown, sarif, text

        _renderers.update(
            {
                ReportFormat.TEXT: text.render_text,
                ReportFormat.JSON: json_report.render_json,
                ReportFormat.JUNIT: junit.render_junit,
                ReportFormat.MARKDOWN: markdown.render_markdown,
                ReportFormat.SARIF: sarif.render_sarif,
                ReportFormat.HTML: html_report.render_html,
            }
        )
    return _renderers


def __getattr__(name: str) -> Mapping[ReportFormat, Renderer]:
    """`RENDERERS`, the format → renderer map, built when first asked for."""
    if name == "RENDERERS":
        return _load_renderers()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(
    report: Report, fmt: ReportFormat, *, sarif_all: bool = False, colour: bool = False
) -> str:
    """Renders the report in the given format; `sarif_all` puts every result in SARIF, passes and
    skips included, instead of the findings only; `colour` colours the text checklist's labels."""
    if fmt is ReportFormat.TEXT and colour:
        from domaincheck.render.text import render_text

        return render_text(report, colour=True)
    if fmt is ReportFormat.SARIF and sarif_all:
        from domaincheck.render.sarif import render_sarif_all

        return render_sarif_all(report)
    return _load_renderers()[fmt](report)


def summary_line(report: Report) -> str:
    """One line for stderr: `12 passed, 1 warning, 2 failed`, and for an offline run that the live
    checks were not run."""
    from domaincheck.render._common import scope_note
    from domaincheck.render._common import summary_line as line

    return line(report) + scope_note(report)

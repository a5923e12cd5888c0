"""Report renderers: one pure function `render(report) -> str` per output format.

`ReportFormat` names the formats; `RENDERERS` maps each to its function, and a test proves the map
is complete. Renderers never print, never read the clock and never touch files: the CLI writes
their text to stdout or, atomically, to report files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum

from domaincheck.model import Report
from domaincheck.render import html_report, json_report, junit, markdown, sarif, text
from domaincheck.render._common import summary_line

__all__ = ["RENDERERS", "ReportFormat", "render", "summary_line"]


class ReportFormat(StrEnum):
    """An output format of `check`: for `--format` (stdout) and `--report FMT:FILE`."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    HTML = "html"


Renderer = Callable[[Report], str]

RENDERERS: Mapping[ReportFormat, Renderer] = {
    ReportFormat.TEXT: text.render_text,
    ReportFormat.JSON: json_report.render_json,
    ReportFormat.JUNIT: junit.render_junit,
    ReportFormat.MARKDOWN: markdown.render_markdown,
    ReportFormat.SARIF: sarif.render_sarif,
    ReportFormat.HTML: html_report.render_html,
}


def render(report: Report, fmt: ReportFormat) -> str:
    """Renders the report in the given format."""
    return RENDERERS[fmt](report)

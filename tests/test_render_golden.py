"""Every renderer against its golden file, for the Alipay and the WeChat fixture reports.

To regenerate the golden files after an intended change of output, run

    DOMAINCHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_render_golden.py

and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from domaincheck.model import Report
from domaincheck.render import RENDERERS, ReportFormat, render
from tests.report_fixtures import alipay_report, wechat_report

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("DOMAINCHECK_UPDATE_GOLDEN") == "1"

EXTENSION = {
    ReportFormat.TEXT: "txt",
    ReportFormat.JSON: "json",
    ReportFormat.JUNIT: "xml",
    ReportFormat.MARKDOWN: "md",
    ReportFormat.SARIF: "sarif",
    ReportFormat.HTML: "html",
}

FIXTURES: dict[str, Callable[[], Report]] = {"alipay": alipay_report, "wechat": wechat_report}


def test_every_format_has_a_renderer_and_a_golden_extension() -> None:
    assert set(RENDERERS) == set(ReportFormat)
    assert set(EXTENSION) == set(ReportFormat)


@pytest.mark.parametrize("fmt", list(ReportFormat), ids=str)
@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_render_matches_golden(fixture: str, fmt: ReportFormat) -> None:
    output = render(FIXTURES[fixture](), fmt)
    golden = GOLDEN / f"{fixture}.{EXTENSION[fmt]}"
    if UPDATE:
        golden.write_text(output, encoding="utf-8", newline="")
    assert golden.exists(), f"{golden} is missing; regenerate with DOMAINCHECK_UPDATE_GOLDEN=1"
    assert output == golden.read_text(encoding="utf-8"), (
        f"{fmt} output differs from {golden.name}; if intended, regenerate with DOMAINCHECK_UPDATE_GOLDEN=1"
    )


@pytest.mark.parametrize("fmt", list(ReportFormat), ids=str)
def test_renderers_are_pure(fmt: ReportFormat) -> None:
    report = alipay_report()
    assert render(report, fmt) == render(report, fmt)
    assert report == alipay_report()

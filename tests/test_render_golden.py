"""Every renderer against its golden file, for the Alipay and the WeChat fixture reports.

To regenerate the golden files after an intended change of output, run

    DOMAINCHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_render_golden.py

and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domaincheck.core.model import Report
from domaincheck.render import RENDERERS, ReportFormat, render
from tests.golden_files import GOLDEN, assert_matches_golden
from tests.report_fixtures import alipay_report, wechat_report

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
    assert_matches_golden(output, GOLDEN / f"{fixture}.{EXTENSION[fmt]}")


@pytest.mark.parametrize("fmt", list(ReportFormat), ids=str)
def test_renderers_are_pure(fmt: ReportFormat) -> None:
    report = alipay_report()
    assert render(report, fmt) == render(report, fmt)
    assert report == alipay_report()

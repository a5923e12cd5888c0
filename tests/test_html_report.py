"""The HTML report's charts and matrix as markup: what a phone screen and a timed-out host need.

The browser test (test_html_browser.py) checks the layout in Chromium; these check the data the
page carries, without a browser.
"""

from __future__ import annotations

import re

from domaincheck.core.model import CheckResult, Status
from domaincheck.render import ReportFormat, render
from domaincheck.render.html_report import _latency_scale
from tests.report_fixtures import alipay_report, alipay_results, html_edge_results

NOT_YET = "cert-not-yet.example.com"
SLOW = "im-api-alipay-very-long-cluster-name-31.eu-west.easemob.com"


def _edge_html() -> str:
    return render(
        alipay_report(results=(*alipay_results(), *html_edge_results())), ReportFormat.HTML
    )


def _section(html: str, section: str) -> str:
    start = html.index(f'<section id="{section}"')
    return html[start : html.index("</section>", start)]


def _rows(chart: str) -> dict[str, str]:
    """Each chart row's markup by its host label."""
    found = re.findall(r'<span class="clabel mono">([^<]+)</span>(.*?)</div>', chart)
    return dict(found)


def test_a_certificate_not_valid_yet_is_not_a_healthy_bar() -> None:
    row = _rows(_section(_edge_html(), "certificates"))[NOT_YET]
    assert 'class="bar exp-notyet"' in row and "exp-ok" not in row
    assert "not yet valid: from 2025-06-20" in row
    assert f"{NOT_YET}: leaf valid from 2025-06-20, not yet valid" in row
    # the bar starts where the certificate becomes valid, after the report time's line
    now = float(re.search(r'class="line now" style="left:([\d.]+)%', row)[1])  # type: ignore[index]
    begin = float(re.search(r'class="bar exp-notyet" style="left:([\d.]+)%', row)[1])  # type: ignore[index]
    assert begin > now


def test_a_timeout_does_not_flatten_the_other_latency_bars() -> None:
    chart = _section(_edge_html(), "latency")
    rows = _rows(chart)
    assert 'class="bar failed"' in rows[SLOW] and "https timed out after 2004 ms" in rows[SLOW]
    assert "The bars run from 0 to 212 ms." in chart  # the scale ignores the 2 s timeout
    widths = {
        text: float(width)
        for width, text in re.findall(r'width:([\d.]+)%" title="a1\.easemob\.com ([^"]+)"', chart)
    }
    assert widths["https 118 ms"] == round(100 * 118 / 212, 2)
    assert widths["dns 12 ms"] > 5  # readable, not the 1 px it was next to a 2 s bar


def test_latency_scale_draws_one_slow_outlier_off_the_scale() -> None:
    assert _latency_scale([10.0, 12.0, 11.0, 40.0]) == 40.0
    assert _latency_scale([10.0, 12.0, 11.0, 1800.0]) == 120.0  # 10 times the median
    assert _latency_scale([]) == 1.0
    slow = CheckResult("slow.example.com", "https", Status.PASS, "HTTP 200", {"elapsed_ms": 1800.0})
    fast = [
        CheckResult(f"h{i}.example.com", "https", Status.PASS, "HTTP 200", {"elapsed_ms": 10.0 + i})
        for i in range(3)
    ]
    chart = _section(render(alipay_report(results=(slow, *fast)), ReportFormat.HTML), "latency")
    assert "https 1800 ms ›" in chart and "off-scale" in chart
    assert "slower than that" in chart


def test_matrix_cells_open_by_tap_not_hover() -> None:
    matrix = _section(_edge_html(), "matrix")
    assert "title=" not in matrix  # nothing hides behind a hover
    buttons = re.findall(
        r'<button type="button" aria-controls="cell-info" aria-expanded="false" data-info="([^"]*)">',
        matrix,
    )
    assert len(buttons) == matrix.count('<td class="cell ') - matrix.count("cell overall")
    timed_out = next(b for b in buttons if b.startswith(f"{SLOW} · https"))
    assert "https: FAIL — HTTPS request failed: TLS up, but no HTTP answer within 2 s" in timed_out
    assert 'id="cell-info" class="cell-info" hidden' in matrix


def test_dark_mode_follows_the_system() -> None:
    html = _edge_html()
    assert '<meta name="color-scheme" content="light dark">' in html
    assert "@media (prefers-color-scheme: dark)" in html
    # colours come from variables that the dark scheme redefines, not fixed in the markup
    assert not re.search(r'fill="#|style="[^"]*(?:color|background):\s*#', html)

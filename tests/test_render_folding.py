"""Skipped checks that say the same thing share one line in the text and Markdown listings.

A host whose DNS failed skips every TLS and HTTP check with the same reason; the listings print that
reason once and point at the failing check instead of repeating its message. Machine formats keep
one result per check, and the summary still counts results, not lines.
"""

from __future__ import annotations

import json

from domaincheck.core.model import CheckResult, Report, Status
from domaincheck.render import ReportFormat, render
from domaincheck.render._common import fold_skips
from tests.report_fixtures import alipay_report

NXDOMAIN = "a1.example.com does not exist (NXDOMAIN) at system (10.0.0.53)"
HANDSHAKE = "handshake failed: certificate has expired"


def _result(target: str, check: str, status: Status, message: str, **kw: str) -> CheckResult:
    return CheckResult(target, check, status, message, **kw)  # type: ignore[arg-type]


def _report() -> Report:
    results = (
        # DNS failed: five skips with one reason, quoting the DNS message.
        _result("a1.example.com", "dns", Status.FAIL, NXDOMAIN, fix="fix the DNS records"),
        *(
            _result("a1.example.com", check, Status.SKIP, f"skipped: DNS failed ({NXDOMAIN})")
            for check in ("tls", "tls.protocol", "tls.expiry", "tls.ats", "https")
        ),
        # TLS failed: the skips have different reasons and must stay apart.
        _result("a2.example.com", "dns", Status.PASS, "resolves to 192.0.2.2"),
        _result("a2.example.com", "tls", Status.FAIL, HANDSHAKE),
        _result("a2.example.com", "https", Status.SKIP, f"skipped: TLS failed ({HANDSHAKE})"),
        _result("a2.example.com", "websocket", Status.SKIP, "skipped: no WebSocket path"),
        # Same message on another host, and a skip the project file ignores.
        _result("a3.example.com", "dns", Status.ERROR, "DNS timeout"),
        _result("a3.example.com", "tls", Status.SKIP, "skipped: DNS failed"),
        _result(
            "a3.example.com", "tls.ats", Status.SKIP, "skipped: DNS failed", ignored_reason="no iOS"
        ),
        _result("a3.example.com", "https", Status.SKIP, "skipped: DNS failed"),
        _result("a4.example.com", "tls", Status.SKIP, "skipped: DNS failed"),
    )
    return alipay_report(results=results, ignored_rules={"tls.ats": "no iOS"})


def _host_block(text: str, host: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"{host}  [")))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start + 1 : end]


def test_text_folds_one_hosts_skips_with_one_reason_and_cites_the_failed_check() -> None:
    text = render(_report(), ReportFormat.TEXT)
    block = _host_block(text, "a1.example.com")
    skips = [line for line in block if line.lstrip().startswith("SKIP")]
    assert skips == [
        "  SKIP     tls, tls.protocol, tls.expiry, tls.ats, https  skipped: DNS failed (see dns above)"
    ]
    assert text.count(NXDOMAIN) == 1


def test_text_keeps_skips_with_different_reasons_apart() -> None:
    block = _host_block(render(_report(), ReportFormat.TEXT), "a2.example.com")
    assert [line.split()[:2] for line in block if line.lstrip().startswith("SKIP")] == [
        ["SKIP", "https"],
        ["SKIP", "websocket"],
    ]
    assert any(line.endswith("skipped: TLS failed (see tls above)") for line in block)
    assert any(line.endswith("skipped: no WebSocket path") for line in block)


def test_text_folds_neither_ignored_skips_nor_across_hosts() -> None:
    text = render(_report(), ReportFormat.TEXT)
    block = _host_block(text, "a3.example.com")
    assert any(line.startswith("  SKIP     tls, https ") for line in block)
    assert any(line.startswith("  IGNORED  tls.ats ") for line in block)
    assert any(line.startswith("  SKIP     tls ") for line in _host_block(text, "a4.example.com"))


def test_summary_counts_results_not_lines() -> None:
    text = render(_report(), ReportFormat.TEXT)
    assert text.splitlines()[1] == "FAILED: 1 passed, 2 failed, 1 error, 10 skipped, 1 ignored"


def test_markdown_folds_like_text_per_target() -> None:
    rows = [
        line for line in render(_report(), ReportFormat.MARKDOWN).splitlines() if "SKIP |" in line
    ]
    assert rows == [
        "| ⏭️ SKIP | `a1.example.com` | `tls`, `tls.protocol`, `tls.expiry`, `tls.ats`, `https` "
        "| skipped: DNS failed (see dns above) |",
        "| ⏭️ SKIP | `a2.example.com` | `https` | skipped: TLS failed (see tls above) |",
        "| ⏭️ SKIP | `a2.example.com` | `websocket` | skipped: no WebSocket path |",
        "| ⏭️ SKIP | `a3.example.com` | `tls`, `https` | skipped: DNS failed |",
        "| ⏭️ SKIP | `a4.example.com` | `tls` | skipped: DNS failed |",
        "| ⏭️ SKIP | `a3.example.com` | `tls.ats` | skipped: DNS failed | no iOS |",
    ]


def test_json_keeps_one_result_per_check() -> None:
    document = json.loads(render(_report(), ReportFormat.JSON))
    text = json.dumps(document)
    assert text.count(f"skipped: DNS failed ({NXDOMAIN})") == 5


def test_fold_skips_only_folds_consecutive_unignored_skips_of_one_target() -> None:
    report = _report()
    folded = fold_skips(report.results)
    assert [row.checks for row in folded] == [
        ("dns",),
        ("tls", "tls.protocol", "tls.expiry", "tls.ats", "https"),
        ("dns",),
        ("tls",),
        ("https",),
        ("websocket",),
        ("dns",),
        ("tls",),
        ("tls.ats",),
        ("https",),
        ("tls",),
    ]
    assert sum(len(row.checks) for row in folded) == len(report.results)

"""Reports over real live-check results: the loopback lab's good and faulty hosts, through the runner,
rendered in every format, validated against the schemas, and the HTML opened in Chromium.

The golden tests pin the output over hand-built reports; this one proves the renderers read what the
live checks really write (timings, the sent chain, expiry, failures) and stay valid.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from domaincheck.core.model import ProbeKind, ProbeTarget, Report
from domaincheck.render import ReportFormat, render
from domaincheck.render._common import cert_expiry, latency_ms
from domaincheck.render.json_report import schema_text
from domaincheck.run.runner import run_live_checks
from tests.junit_schemas import assert_valid_junit, gitlab_view
from tests.lab.lab import FAULT_TIMEOUT, Lab, host
from tests.report_fixtures import alipay_report
from tests.test_html_browser import CHROMIUM, _evaluate, _open

SCHEMAS = Path(__file__).parent / "schemas"
HTTPS_HOSTS = (
    "good",
    "expiring",
    "dying",
    "expired",
    "notyet",
    "leafonly",
    "nosuch",
    "silent",
    "legacy",
    "nofs",
)
WSS_HOSTS = ("good", "ws403")


@pytest.fixture(scope="module")
def lab_report(lab: Lab) -> Report:
    targets = [ProbeTarget(host(n), ProbeKind.HTTPS, roles=("rest",)) for n in HTTPS_HOSTS]
    targets += [
        ProbeTarget(host(n), ProbeKind.WEBSOCKET, path="/websocket", roles=("socket",))
        for n in WSS_HOSTS
    ]
    results = run_live_checks(targets, lab.settings(timeout=FAULT_TIMEOUT))
    now = datetime.now(UTC).isoformat(
        timespec="seconds"
    )  # the lab's certificates are relative to now
    return replace(
        alipay_report(), results=results, ignored_rules={}, duration_s=None, generated_at=now
    )


def test_renderers_read_the_live_checks_details(lab_report: Report) -> None:
    expiries = {e.host: e for e in (cert_expiry(r) for r in lab_report.results) if e is not None}
    assert {host("good"), host("expiring"), host("dying"), host("expired")} <= set(expiries)
    timed = {(r.target, r.check) for r in lab_report.results if latency_ms(r) is not None}
    assert {(host("good"), c) for c in ("dns", "tls", "https", "websocket")} <= timed


def test_every_format_renders_and_validates(lab_report: Report) -> None:
    document = json.loads(render(lab_report, ReportFormat.JSON))
    jsonschema.Draft202012Validator(json.loads(schema_text())).validate(document)
    sarif = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(sarif).validate(json.loads(render(lab_report, ReportFormat.SARIF)))
    assert_valid_junit(render(lab_report, ReportFormat.JUNIT))
    text = render(lab_report, ReportFormat.TEXT)
    assert text.index(host("nosuch")) < text.index(host("good"))  # failures before passes
    html = render(lab_report, ReportFormat.HTML)
    for name in ("good", "expiring", "dying", "expired"):
        assert f"{host(name)}: leaf expires" in html  # a bar on the certificate timeline
    # a certificate that is not valid yet is drawn as such, not as a healthy bar
    assert f"{host('notyet')}: leaf valid from" in html and "bar exp-notyet" in html


def test_junit_of_live_results_as_gitlab_shows_it(lab_report: Report) -> None:
    shown = gitlab_view(render(lab_report, ReportFormat.JUNIT))
    status, output = shown[(host("expiring"), "tls.expiry")]  # 12 days left: a warning
    assert status == "skipped" and "WARN: certificate expires in 12" in output
    # The expired certificate fails the handshake; the expiry check's failure is not a second one.
    assert shown[(host("expired"), "tls")][0] == "failed"
    status, output = shown[(host("expired"), "tls.expiry")]
    assert status == "skipped" and "certificate expired on" in output
    assert shown[(host("dying"), "tls.expiry")][0] == "failed"  # 3 days left: its own fault


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not found (.ci/run installs chromium)"
)
def test_lab_report_loads_in_chromium_without_console_errors(
    lab_report: Report, tmp_path: Path
) -> None:
    from tests.cdp import Browser, console_problems

    page = tmp_path / "lab.html"
    page.write_text(render(lab_report, ReportFormat.HTML), encoding="utf-8")
    browser = Browser(CHROMIUM, tmp_path / "profile")
    try:
        session = _open(browser, page)
        bars = _evaluate(
            browser, session, "document.querySelectorAll('#cert-timeline .bar').length"
        )
        assert bars >= 4
        if os.environ.get("DOMAINCHECK_SCREENSHOT_DIR"):
            import base64

            height = _evaluate(browser, session, "document.documentElement.scrollHeight")
            shot = browser.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1},
                },
                session=session,
            )
            (tmp_path / "lab.png").write_bytes(base64.b64decode(shot["data"]))
            for name in ("lab.png", "lab.html"):
                shutil.copy(tmp_path / name, Path(os.environ["DOMAINCHECK_SCREENSHOT_DIR"]) / name)
        browser.drain(0.5)
    finally:
        stderr = browser.close()
    assert console_problems(browser.events) == [], stderr[-2000:]

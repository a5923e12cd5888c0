"""The HTML report in a real headless Chromium: it loads with no console error, CSP violation or
uncaught exception, the copy button works, and the screenshot holds the matrix and both charts.

Needs /usr/bin/chromium (Debian's `chromium`, which .ci/run installs); skipped with a reason
without it. Set DOMAINCHECK_SCREENSHOT_DIR to keep the screenshots for a look.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import struct
from pathlib import Path
from typing import Any

import pytest

from domaincheck.render import ReportFormat, render
from tests.cdp import Browser, console_problems
from tests.report_fixtures import alipay_report, wechat_report

CHROMIUM = os.environ.get("DOMAINCHECK_CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"{CHROMIUM} not found: install Debian's chromium package (.ci/run does) to run the browser test",
)

WIDTH = 1280


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _open(browser: Browser, page: Path) -> str:
    """Attaches to the browser's page, turns on console and log events, loads the file; the session id."""
    target = next(
        t for t in browser.send("Target.getTargets")["targetInfos"] if t["type"] == "page"
    )
    session: str = browser.send(
        "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
    )["sessionId"]
    for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
        browser.send(domain, session=session)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        session=session,
    )
    browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
    browser.wait_for_event("Page.loadEventFired")
    return session


def _evaluate(browser: Browser, session: str, expression: str) -> Any:
    reply = browser.send(
        "Runtime.evaluate",
        {
            "expression": expression,
            "returnByValue": True,
            "awaitPromise": True,
            "userGesture": True,
        },
        session=session,
    )
    assert "exceptionDetails" not in reply, reply
    return reply["result"].get("value")


@pytest.mark.parametrize("name", ["alipay", "wechat"])
def test_html_report_in_headless_chromium(name: str, tmp_path: Path) -> None:
    report = alipay_report() if name == "alipay" else wechat_report()
    page = tmp_path / f"{name}.html"
    page.write_text(render(report, ReportFormat.HTML), encoding="utf-8")

    browser = Browser(CHROMIUM, tmp_path / "profile")
    try:
        session = _open(browser, page)
        boxes = _evaluate(
            browser,
            session,
            """JSON.stringify(["#matrix table", "#cert-timeline", "#latency-chart", "#whitelist pre"].map(
                 function (s) { var r = document.querySelector(s).getBoundingClientRect();
                                return [s, r.width, r.height, r.top + window.scrollY]; }))""",
        )
        for selector, width, height, top in json.loads(boxes):
            assert width > 100 and height > 20, f"{selector} is not visible: {width}x{height}"
            assert top >= 0, selector
        cells = _evaluate(browser, session, "document.querySelectorAll('#matrix td.cell').length")
        assert cells >= len({r.target for r in report.results})

        label = _evaluate(
            browser,
            session,
            """new Promise(function (resolve) {
                 var b = document.querySelector("button[data-copy]"); b.click();
                 setTimeout(function () { resolve(b.textContent); }, 200); })""",
        )
        assert label in ("Copied", "Press Ctrl+C")

        height = _evaluate(browser, session, "document.documentElement.scrollHeight")
        shot = browser.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1},
            },
            session=session,
        )
        png = base64.b64decode(shot["data"])
        assert _png_size(png) == (WIDTH, height)
        assert len(png) > 20_000  # a page of coloured tables and charts, not a blank image
        browser.drain(0.5)
        problems = console_problems(browser.events)
    finally:
        stderr = browser.close()

    keep = os.environ.get("DOMAINCHECK_SCREENSHOT_DIR")
    shot_path = tmp_path / f"{name}.png"
    shot_path.write_bytes(png)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot_path, Path(keep) / shot_path.name)
    assert problems == [], f"browser reported problems: {problems}\n{stderr[-2000:]}"


def test_the_harness_sees_console_errors_and_blocked_fetches(tmp_path: Path) -> None:
    """Proves the check above can fail: a console.error and a CSP-blocked image are both caught."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; script-src 'unsafe-inline'\"></head><body>"
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">'
        '<script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    browser = Browser(CHROMIUM, tmp_path / "profile")
    try:
        _open(browser, page)
        browser.drain(0.5)
    finally:
        browser.close()
    problems = console_problems(browser.events)
    assert any("boom" in p for p in problems), problems
    assert any("Content Security Policy" in p for p in problems), problems

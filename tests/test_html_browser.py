"""The HTML report in a real headless Chromium: it loads with no console error, CSP violation or
uncaught exception, the copy button works, and the screenshot holds the matrix and both charts. At
a 390 px phone viewport the page is no wider than the screen, chart text keeps a readable size, a
tap on a matrix cell shows its messages, and dark mode follows the system.

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

from domaincheck.core.model import Report
from domaincheck.render import ReportFormat, render
from tests.cdp import Browser, console_problems
from tests.report_fixtures import alipay_report, alipay_results, html_edge_results, wechat_report

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


def _open(
    browser: Browser,
    page: Path,
    width: int = WIDTH,
    *,
    mobile: bool = False,
    scheme: str = "light",
) -> str:
    """Attaches to the browser's page, turns on console and log events, sets the viewport (a phone's
    with touch when `mobile`) and colour scheme, loads the file; the session id."""
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
        {
            "width": width,
            "height": 844 if mobile else 900,
            "deviceScaleFactor": 1,
            "mobile": mobile,
        },
        session=session,
    )
    if mobile:
        browser.send("Emulation.setTouchEmulationEnabled", {"enabled": True}, session=session)
    browser.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
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


PHONE = 390  # an iPhone 12 to 15's CSS width


def edge_report() -> Report:
    """The Alipay fixture plus a certificate not valid yet, a 2 s timeout and a long host name."""
    return alipay_report(results=(*alipay_results(), *html_edge_results()))


def _screenshot(browser: Browser, session: str, width: int) -> bytes:
    height = _evaluate(browser, session, "document.documentElement.scrollHeight")
    shot = browser.send(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
        session=session,
    )
    return base64.b64decode(shot["data"])


def _keep(path: Path) -> None:
    keep = os.environ.get("DOMAINCHECK_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


# Every element's right edge and the chart text's smallest font size, as the browser laid them out.
_LAYOUT = """JSON.stringify({
  scrollWidth: document.documentElement.scrollWidth,
  widest: Array.from(document.querySelectorAll("body *")).reduce(function (acc, e) {
    var r = e.getBoundingClientRect();
    if (r.width === 0 || e.closest("pre, [hidden]")) { return acc; }
    return r.right > acc[0] ? [r.right, e.tagName + "." + e.className] : acc; }, [0, ""]),
  chartFont: Math.min.apply(null, Array.from(
    document.querySelectorAll("#cert-timeline *, #latency-chart *, #matrix td, #matrix th")).filter(
    function (e) { return e.textContent.trim() && !e.children.length; }).map(
    function (e) { return parseFloat(getComputedStyle(e).fontSize); })),
  background: getComputedStyle(document.body).backgroundColor
})"""


@pytest.mark.parametrize("name", ["alipay", "wechat", "edge"])
def test_html_report_fits_a_phone_screen(name: str, tmp_path: Path) -> None:
    report = {"alipay": alipay_report, "wechat": wechat_report, "edge": edge_report}[name]()
    page = tmp_path / f"{name}.html"
    page.write_text(render(report, ReportFormat.HTML), encoding="utf-8")

    browser = Browser(CHROMIUM, tmp_path / "profile")
    try:
        session = _open(browser, page, PHONE, mobile=True)
        layout = json.loads(_evaluate(browser, session, _LAYOUT))
        png = _screenshot(browser, session, PHONE)
        browser.drain(0.3)
        problems = console_problems(browser.events)
    finally:
        stderr = browser.close()
    shot_path = tmp_path / f"{name}-phone.png"
    shot_path.write_bytes(png)
    _keep(shot_path)

    assert layout["scrollWidth"] <= PHONE, layout  # no sideways scrolling
    assert layout["widest"][0] <= PHONE + 0.5, layout
    assert layout["chartFont"] >= 10, layout  # not scaled down with a wide chart
    assert _png_size(png)[0] == PHONE
    assert problems == [], f"browser reported problems: {problems}\n{stderr[-2000:]}"


def test_matrix_cell_opens_its_messages_on_a_tap(tmp_path: Path) -> None:
    report = edge_report()
    page = tmp_path / "edge.html"
    page.write_text(render(report, ReportFormat.HTML), encoding="utf-8")
    timed_out = next(r for r in report.results if r.check == "https" and r.details.get("kind"))

    browser = Browser(CHROMIUM, tmp_path / "profile")
    try:
        session = _open(browser, page, PHONE, mobile=True)
        find = (
            "Array.from(document.querySelectorAll('#matrix button[data-info]')).find("
            f"function (b) {{ return b.getAttribute('data-info').indexOf({json.dumps(timed_out.message)}) >= 0; }})"
        )
        _evaluate(browser, session, f"({find}).scrollIntoView({{block: 'center'}})")
        box = json.loads(
            _evaluate(
                browser,
                session,
                f"JSON.stringify((function (r) {{ return [r.x + r.width / 2, r.y + r.height / 2]; }})"
                f"(({find}).getBoundingClientRect()))",
            )
        )

        def tap() -> None:  # a finger down and up on the cell: the browser makes it a click
            point = {"x": box[0], "y": box[1]}
            browser.send(
                "Input.dispatchTouchEvent",
                {"type": "touchStart", "touchPoints": [point]},
                session=session,
            )
            browser.send(
                "Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []}, session=session
            )
            browser.drain(0.3)

        state = (
            "JSON.stringify([document.getElementById('cell-info').hidden, "
            "document.getElementById('cell-info').textContent, "
            f"({find}).closest('tr').nextElementSibling === document.getElementById('cell-info'), "
            f"({find}).getAttribute('aria-expanded')])"
        )
        tap()
        hidden, text, below, expanded = json.loads(_evaluate(browser, session, state))
        assert not hidden and below and expanded == "true"
        assert timed_out.target in text and timed_out.message in text
        tap()  # a second tap closes it
        hidden, _, _, expanded = json.loads(_evaluate(browser, session, state))
        assert hidden and expanded == "false"
        problems = console_problems(browser.events)
    finally:
        browser.close()
    assert problems == []


@pytest.mark.parametrize(("scheme", "dark"), [("light", False), ("dark", True)])
def test_colours_follow_the_system_scheme(scheme: str, dark: bool, tmp_path: Path) -> None:
    page = tmp_path / "alipay.html"
    page.write_text(render(alipay_report(), ReportFormat.HTML), encoding="utf-8")
    browser = Browser(CHROMIUM, tmp_path / "profile")
    try:
        session = _open(browser, page, PHONE, mobile=True, scheme=scheme)
        layout = json.loads(_evaluate(browser, session, _LAYOUT))
        shot_path = tmp_path / f"alipay-phone-{scheme}.png"
        shot_path.write_bytes(_screenshot(browser, session, PHONE))
    finally:
        browser.close()
    _keep(shot_path)
    red, green, blue = (int(v) for v in layout["background"][4:-1].split(",")[:3])
    assert (red + green + blue < 120) is dark, layout["background"]

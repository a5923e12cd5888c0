"""Each format's own promises: JSON and SARIF valid against their schemas, JUnit against the JUnit XSDs,
statuses kept apart, ignored results listed, escaping, ordering."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, ConsoleList, Origin, Report, Status
from domaincheck.render import ReportFormat, render, summary_line
from domaincheck.render.json_report import schema_text
from tests.junit_schemas import assert_valid_junit, gitlab_view
from tests.report_fixtures import alipay_report, large_report, wechat_report

SCHEMAS = Path(__file__).parent / "schemas"


@cache
def report_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


REPORTS = {"alipay": alipay_report, "wechat": wechat_report, "large": large_report}


def _errors(validator: Any, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


# --- summary line ------------------------------------------------------------------------------


def test_summary_line_counts_ignored_results_apart() -> None:
    assert summary_line(alipay_report()) == (
        "12 passed, 1 note, 2 warnings, 3 failed, 1 error, 3 skipped, 3 ignored"
    )
    assert summary_line(wechat_report()) == "12 passed"
    assert summary_line(alipay_report(results=())) == "no checks ran"


# --- JSON --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_json_report_is_valid_against_the_shipped_schema(name: str) -> None:
    document = json.loads(render(REPORTS[name](), ReportFormat.JSON))
    assert _errors(report_validator(), document) == []


def test_json_schema_rejects_what_it_should() -> None:
    document = json.loads(render(alipay_report(), ReportFormat.JSON))
    broken: list[dict[str, Any]] = []
    for mutate in (
        lambda d: d.pop("version"),
        lambda d: d["results"][0].update(status="passed"),
        lambda d: d["results"][0].pop("details"),
        lambda d: d["summary"].update(fail=-1),
        lambda d: d["whitelist"]["lists"][0].update(console_list="ftp"),
        lambda d: d.update(unknown=True),
    ):
        copy = json.loads(json.dumps(document))
        mutate(copy)
        broken.append(copy)
    for copy in broken:
        assert _errors(report_validator(), copy), copy


def test_json_schema_enums_match_the_model() -> None:
    schema = json.loads(schema_text())
    assert schema["$defs"]["status"]["enum"] == [s.value for s in Status]
    console = schema["$defs"]["whitelist"]["properties"]["lists"]["items"]["properties"][
        "console_list"
    ]
    assert console["enum"] == [c.value for c in ConsoleList]
    assert sorted(schema["properties"]["summary"]["required"]) == sorted(
        [*(s.value for s in Status), "ignored", "total"]
    )


def test_json_report_content() -> None:
    report = alipay_report()
    document = json.loads(render(report, ReportFormat.JSON))
    assert document["version"] == report.schema_version
    assert document["tool"] == {"name": "domaincheck", "version": "0.1.0"}
    assert document["passed"] is False
    assert document["summary"] == {
        "pass": 12, "info": 1, "warn": 2, "fail": 3, "error": 1, "skip": 3, "ignored": 3, "total": 25,
    }  # fmt: skip
    assert len(document["results"]) == len(report.results)
    ignored = {r["check"]: r["ignored_reason"] for r in document["results"] if r["ignored_reason"]}
    assert ignored == {
        "whitelist.localhost": "only used by the local mock server",
        "whitelist.count": "ISV account: the limit is 50",
        "tls.ats": "no iOS users yet",
    }
    assert {
        "id": "whitelist.icp-filing",
        "reason": "filing checked by hand before each release",
    } in (document["ignored_rules"])
    assert [lst["console_list"] for lst in document["whitelist"]["lists"]] == ["whitelist"]


def test_json_details_that_are_not_json_data_become_strings() -> None:
    odd = CheckResult(
        "h.example.com", "tls", Status.PASS, "ok", {"chain": ({"n": 1},), "openssl": object}
    )
    document = json.loads(render(alipay_report(results=(odd,)), ReportFormat.JSON))
    assert document["results"][0]["details"]["chain"] == [{"n": 1}]
    assert isinstance(document["results"][0]["details"]["openssl"], str)
    assert _errors(report_validator(), document) == []


# --- JUnit -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_junit_is_valid_against_the_ant_jenkins_and_surefire_schemas(name: str) -> None:
    assert_valid_junit(render(REPORTS[name](), ReportFormat.JUNIT))


def _cases(xml_text: str) -> dict[tuple[str, str], str]:
    """(suite, case) → failure, error, skipped or passed."""
    outcome = {}
    for suite in ET.fromstring(xml_text).iter("testsuite"):
        for case in suite.iter("testcase"):
            kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
            outcome[(suite.get("name", ""), case.get("name", ""))] = kinds[0] if kinds else "passed"
    return outcome


def test_junit_keeps_failure_error_and_skipped_apart() -> None:
    report = alipay_report()
    xml_text = render(report, ReportFormat.JUNIT)
    cases = _cases(xml_text)
    assert len(cases) == len({(r.target, r.check) for r in report.results})
    assert cases[("im-api-alipay.easecdn.com", "tls")] == "failure"
    assert cases[("a31.easemob.com", "dns")] == "error"
    assert cases[("a31.easemob.com", "tls")] == "skipped"
    assert cases[("whitelist", "whitelist.count")] == "skipped"  # ignored: listed, never a failure
    assert cases[("rs.easemob.com", "tls.protocol")] == "passed"  # a note passes
    suites = ET.fromstring(xml_text).findall("testsuite")
    totals = [sum(int(s.get(key, "0")) for s in suites) for key in ("tests", "failures", "errors")]
    assert totals == [25, 3, 1]
    strict = _cases(render(replace(report, strict=True), ReportFormat.JUNIT))
    assert strict[("im-api-alipay.easemob.com", "tls.expiry")] == "failure"  # a warning, --strict


def test_junit_warning_is_its_own_case_that_gitlab_and_jenkins_show() -> None:
    report = alipay_report()
    xml_text = render(report, ReportFormat.JUNIT)
    warning = next(r for r in report.results if r.check == "tls.expiry")
    status, output = gitlab_view(xml_text)[(warning.target, "tls.expiry")]
    assert status == "skipped" and f"WARN: {warning.message}" in output
    assert warning.fix and f"fix: {warning.fix}" in output
    # Jenkins shows a skipped case's message attribute.
    case = next(
        c
        for s in ET.fromstring(xml_text).iter("testsuite")
        if s.get("name") == warning.target
        for c in s.iter("testcase")
        if c.get("name") == "tls.expiry"
    )
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message") == f"WARN: {warning.message}"
    # Not a failure: the warning does not fail the build in either view.
    assert all(s != "failed" for (host, _), (s, _) in gitlab_view(xml_text).items()
               if host == warning.target)  # fmt: skip


def test_junit_classnames_keep_each_host_whole_in_jenkins() -> None:
    xml_text = render(alipay_report(), ReportFormat.JUNIT)
    for suite in ET.fromstring(xml_text).iter("testsuite"):
        for case in suite.iter("testcase"):
            # Jenkins: package before the last dot, class after it.
            package, _, cls = case.get("classname", "").rpartition(".")
            assert package == "alipay"
            assert cls == suite.get("name", "").replace(".", "_")


def test_junit_writes_the_command_line_once() -> None:
    report = large_report()
    xml_text = render(report, ReportFormat.JUNIT)
    assert xml_text.count('name="command"') == 1
    suites = ET.fromstring(xml_text).findall("testsuite")
    assert [len(s.findall("properties/property")) > 0 for s in suites[:2]] == [True, False]
    assert all(s.find("properties") is not None for s in suites)  # the Ant schema wants one


def test_junit_counts_an_expired_certificate_once() -> None:
    host = "old.example.com"
    expired = "certificate 'CN=old.example.com' expired on 2025-05-30 (2 days ago)"
    results = (
        CheckResult(host, "tls", Status.FAIL, expired, {"kind": "expired"}, "renew it now"),
        CheckResult(host, "tls.expiry", Status.FAIL, "certificate expired on 2025-05-30"),
        CheckResult("late.example.com", "tls.expiry", Status.FAIL, "expires in 2 days"),
    )
    xml_text = render(alipay_report(results=results), ReportFormat.JUNIT)
    assert_valid_junit(xml_text)
    shown = gitlab_view(xml_text)
    assert shown[(host, "tls")][0] == "failed"
    status, _ = shown[(host, "tls.expiry")]
    assert status == "skipped"
    assert shown[("late.example.com", "tls.expiry")][0] == "failed"  # no tls failure to repeat
    suites = ET.fromstring(xml_text).findall("testsuite")
    assert sum(int(s.get("failures", "0")) for s in suites) == 2
    message = ET.fromstring(xml_text).find(".//testcase[@name='tls.expiry']/skipped")
    assert message is not None
    assert message.get("message", "").startswith("same fault as tls, counted there:")


def test_junit_suites_carry_what_the_ant_schema_requires() -> None:
    report = alipay_report()
    root = ET.fromstring(render(report, ReportFormat.JUNIT))
    assert root.attrib == {}  # the Ant schema allows no attribute on <testsuites>
    suites = root.findall("testsuite")
    assert [s.get("id") for s in suites] == [str(i) for i in range(len(suites))]
    for suite in suites:
        assert suite.get("timestamp") == "2025-06-01T08:30:00"  # UTC, no zone
        assert suite.get("hostname") == "localhost" and suite.get("package") == "domaincheck.alipay"
        tags = [c.tag for c in suite]
        assert tags[0] == "properties" and tags[-2:] == ["system-out", "system-err"]
        for case in suite.iter("testcase"):
            assert case.get("time") is not None and len(case) <= 1
    props = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
    assert props["platform"] == "alipay" and props["run_time_s"] == "5.420"
    assert props["command"] == (
        "domaincheck check --platform alipay --region cn1 --region cn2 "
        "--extra 'http://localhost:8080/<api>'"
    )
    # A note passes; its message goes to its suite's <system-out>, named by its check.
    suite = next(s for s in suites if s.get("name") == "rs.easemob.com")
    note = next(r for r in report.results if r.check == "tls.protocol")
    assert f"[tls.protocol] INFO: {note.message}" in (suite.findtext("system-out") or "")


def test_junit_merges_several_results_of_one_check_into_one_case() -> None:
    results = (
        CheckResult("a1.easemob.com", "dns", Status.PASS, "223.5.5.5: 203.0.113.1"),
        CheckResult("a1.easemob.com", "dns", Status.FAIL, "8.8.8.8: NXDOMAIN"),
    )
    xml_text = render(alipay_report(results=results), ReportFormat.JUNIT)
    assert_valid_junit(xml_text)
    case = ET.fromstring(xml_text).find("testsuite/testcase")
    assert case is not None and case.get("name") == "dns"
    failure = case.find("failure")
    assert failure is not None and failure.get("message") == "8.8.8.8: NXDOMAIN"
    assert "223.5.5.5" in (failure.text or "")


def test_junit_survives_control_characters() -> None:
    result = CheckResult("bad\x00host", "https", Status.FAIL, "server sent \x1b[31m garbage \x07")
    xml_text = render(alipay_report(results=(result,)), ReportFormat.JUNIT)
    assert_valid_junit(xml_text)
    assert "\x1b" not in xml_text and "\x00" not in xml_text


# --- SARIF -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_sarif_is_valid_against_the_2_1_0_schema(name: str) -> None:
    document = json.loads(render(REPORTS[name](), ReportFormat.SARIF))
    assert _errors(sarif_validator(), document) == []


def test_sarif_schema_catches_a_broken_log() -> None:
    document = json.loads(render(alipay_report(), ReportFormat.SARIF))
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert _errors(sarif_validator(), document)


def test_sarif_holds_findings_only_by_default() -> None:
    report = alipay_report()
    results = json.loads(render(report, ReportFormat.SARIF))["runs"][0]["results"]
    shown = {(r["locations"][0]["logicalLocations"][0]["name"], r["ruleId"]) for r in results}
    findings = {
        (r.target, r.check)
        for r in report.results
        if r.status not in (Status.PASS, Status.SKIP) and r.ignored_reason is None
    }
    assert shown == findings and len(results) == len(findings) == 7
    assert {r["kind"] for r in results} == {"fail", "informational"}
    assert all("suppressions" not in r for r in results)
    every = json.loads(render(report, ReportFormat.SARIF, sarif_all=True))["runs"][0]
    assert len(every["results"]) == len(report.results)
    assert every["properties"]["resultsIncluded"] == "all"


def test_sarif_rules_levels_and_suppressions() -> None:
    document = json.loads(render(alipay_report(), ReportFormat.SARIF, sarif_all=True))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    assert {"dns", "tls", "https", "websocket", "whitelist.scheme"} <= set(ids)
    for rule in rules:
        assert rule["help"]["text"] and rule["shortDescription"]["text"]
    scheme = rules[ids.index("whitelist.scheme")]
    assert (
        scheme["shortDescription"]["text"] == CheckId.WHITELIST_SCHEME.info.title
    )  # one text per rule id
    assert scheme["help"]["text"] == CheckId.WHITELIST_SCHEME.info.help
    by_key = {
        (r["locations"][0]["logicalLocations"][0]["name"], r["ruleId"]): r for r in run["results"]
    }
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert by_key[("im-api-alipay.easecdn.com", "tls")]["level"] == "error"
    assert by_key[("a31.easemob.com", "dns")]["properties"]["status"] == "error"
    assert by_key[("im-api-alipay.easemob.com", "tls.expiry")]["level"] == "warning"
    assert by_key[("rs.easemob.com", "tls.protocol")]["kind"] == "informational"
    assert by_key[("a31.easemob.com", "tls")]["kind"] == "notApplicable"
    assert by_key[("a1.easemob.com", "dns")]["kind"] == "pass"
    suppressed = by_key[("whitelist", "whitelist.count")]["suppressions"]
    assert suppressed == [
        {"kind": "external", "status": "accepted", "justification": "ISV account: the limit is 50"}
    ]


def test_sarif_rule_metadata_comes_from_the_check_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    from domaincheck.core.catalog import CATALOG
    from domaincheck.render import sarif

    run = json.loads(render(alipay_report(), ReportFormat.SARIF, sarif_all=True))["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        info = CATALOG[CheckId(rule["id"])]
        assert rule["shortDescription"]["text"] == info.title
        assert rule["fullDescription"]["text"] == rule["help"]["text"] == info.help
        assert rule["defaultConfiguration"]["level"] == info.severity.sarif_level
        assert rule["name"][0].isupper() and "." not in rule["name"]
        assert f"domaincheck explain {rule['id']}" in rule["help"]["markdown"]
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in run["tool"]["driver"]["rules"]}
    assert levels["whitelist.scheme"] == "error" and levels["whitelist.duplicate"] == "warning"
    assert "informationUri" not in run["tool"]["driver"]  # no public home to point at yet
    monkeypatch.setattr(sarif, "HOMEPAGE", "https://example.org/domaincheck")
    document = json.loads(render(alipay_report(), ReportFormat.SARIF))
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/domaincheck"
    assert driver["rules"][0]["helpUri"].startswith(
        "https://example.org/domaincheck/blob/main/docs/checks.md#"
    )
    assert _errors(sarif_validator(), document) == []


def test_sarif_counts_an_expired_certificate_once() -> None:
    host = "old.example.com"
    results = (
        CheckResult(host, "tls", Status.FAIL, "certificate expired", {"kind": "expired"}),
        CheckResult(host, "tls.expiry", Status.FAIL, "certificate expired on 2025-05-30"),
    )
    report = alipay_report(results=results)
    run = json.loads(render(report, ReportFormat.SARIF))["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["tls"]
    every = json.loads(render(report, ReportFormat.SARIF, sarif_all=True))["runs"][0]
    assert every["results"][1]["properties"]["sameFaultAs"] == "tls"


def test_sarif_locations_point_where_the_fix_goes() -> None:
    """GitHub rejects an upload whose results lack physicalLocation.artifactLocation.uri; each
    location is the line the result's subject was written on."""
    sdk = CheckResult(
        "src/utils/WebIMConfig.js:7",
        "sdk.url.host",
        Status.FAIL,
        "url is not a socket host of cn1",
        {"file": "src/utils/WebIMConfig.js", "line": 7, "option": "url"},
    )
    console = CheckResult(
        "https://old.myapp.com",
        "console.extra",
        Status.WARN,
        "not needed",
        {"origin": "console.txt:12", "console_list": "whitelist"},
    )
    origins = {
        "": Origin("domaincheck.yaml", 3),
        "http://localhost:8080/<api>": Origin("domaincheck.yaml", 9),
        "a31.easemob.com": Origin("/opt/venv/domaincheck/regions.yaml", 120),
        "api.myapp.com": Origin("domaincheck.yaml", 10),
    }
    report = alipay_report()
    report = replace(report, results=(*report.results, sdk, console), origins=origins)
    run = json.loads(render(report, ReportFormat.SARIF))["runs"][0]
    assert run["tool"]["driver"]["name"] and run["results"]
    located = {}
    for result in run["results"]:
        assert result["ruleId"] and result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] and physical["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["domaincheck/v1"]
        host = result["locations"][0]["logicalLocations"][0]["name"]
        uri = physical["artifactLocation"]["uri"]
        located[(host, result["ruleId"])] = (uri, physical["region"]["startLine"])
    assert located[("src/utils/WebIMConfig.js:7", "sdk.url.host")] == (
        "src/utils/WebIMConfig.js",
        7,
    )
    assert located[("https://old.myapp.com", "console.extra")] == ("console.txt", 12)
    assert located[("http://localhost:8080/<api>", "whitelist.scheme")] == ("domaincheck.yaml", 9)
    assert located[("api.myapp.com", "whitelist.duplicate")] == ("domaincheck.yaml", 10)
    assert located[("a31.easemob.com", "dns")] == ("file:///opt/venv/domaincheck/regions.yaml", 120)
    # A host with no line of its own: the project file's line for the run's settings.
    assert located[("im-api-alipay.easecdn.com", "tls")] == ("domaincheck.yaml", 3)
    sdk_location = run["results"][-2]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert sdk_location == {"uri": "src/utils/WebIMConfig.js", "uriBaseId": "%SRCROOT%"}


def test_sarif_without_origins_names_no_file() -> None:
    """A report that does not say where its hosts were written names no file (never a guessed
    domaincheck.yaml), only the host."""
    run = json.loads(render(alipay_report(), ReportFormat.SARIF))["runs"][0]
    for result in run["results"]:
        assert "physicalLocation" not in result["locations"][0]
        assert result["locations"][0]["logicalLocations"][0]["name"]


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_puts_failures_first_and_the_whitelist_in_code_blocks() -> None:
    md = render(alipay_report(), ReportFormat.MARKDOWN)
    first_line = md.splitlines()[0]
    assert first_line.startswith("❌") and summary_line(alipay_report()) in first_line
    assert md.index("im-api-alipay.easecdn.com` | `tls` | incomplete chain") < md.index(
        "certificate expires in 21.1 days"
    )
    assert md.index("DNS timeout") < md.index("certificate expires in 21.1 days")
    assert "```text\na1.easemob.com\na1.easecdn.com\n" in md
    assert (
        "only used by the local mock server" in md
        and "`whitelist.icp-filing` matched nothing" in md
    )
    wechat = render(wechat_report(), ReportFormat.MARKDOWN)
    assert wechat.startswith("✅") and wechat.count("```text") == 4


def test_markdown_table_cells_cannot_break_the_table() -> None:
    result = CheckResult(
        "x|y.example.com", "https", Status.FAIL, "HTTP 500 | <b>oops</b> *bold* `tick`"
    )
    md = render(alipay_report(results=(result,)), ReportFormat.MARKDOWN)
    row = next(line for line in md.splitlines() if "HTTP 500" in line)
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 5  # status, target, check, message, fix: the pipes inside stay escaped
    assert "<b>" not in row and "&lt;b&gt;" in row
    assert re.search(r"`x\\\|y\.example\.com`", row)


# --- text --------------------------------------------------------------------------------------


def test_text_groups_by_host_worst_first_and_lists_ignored() -> None:
    text = render(alipay_report(), ReportFormat.TEXT)
    hosts = [
        line.split("  [")[0] for line in text.splitlines() if line.endswith("]") and "  [" in line
    ]
    assert hosts[0] == "im-api-alipay.easecdn.com"
    assert (
        hosts.index("a31.easemob.com")
        < hosts.index("im-api-alipay.easemob.com")
        < hosts.index("a1.easemob.com")
    )
    assert "whitelist  [IGNORED]" in text
    assert (
        "whitelist.icp-filing  filing checked by hand before each release  (matched nothing in this run)"
        in text
    )
    assert "tls.ats               no iOS users yet\n" in text
    assert text.index("Whitelist to paste") > text.index("a1.easemob.com  [PASS]")


# --- HTML --------------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script += data


def _parse(html_text: str) -> _Collector:
    collector = _Collector()
    collector.feed(html_text)
    return collector


def test_html_is_self_contained() -> None:
    page = _parse(render(alipay_report(), ReportFormat.HTML))
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        for name in ("src", "href", "action", "srcset"):
            assert name not in attrs, (tag, attrs)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts == [{}]  # one inline script, nothing loaded


def test_html_csp_allows_exactly_its_own_script() -> None:
    import base64
    import hashlib

    page = _parse(render(alipay_report(), ReportFormat.HTML))
    csp = next(
        a["content"]
        for t, a in page.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp
    digest = base64.b64encode(hashlib.sha256(page.script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp


def test_html_escapes_everything_from_the_report() -> None:
    evil = "<script>alert(1)</script>"
    result = CheckResult(
        f"{evil}.example.com", "tls", Status.FAIL, f'said "{evil}"', {"x": evil}, fix=evil
    )
    report = alipay_report(results=(result,), command=("domaincheck", "check", "--extra", evil))
    html_text = render(report, ReportFormat.HTML)
    assert evil not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert len([t for t, _ in _parse(html_text).tags if t == "script"]) == 1


def test_html_has_matrix_charts_copy_buttons_and_command() -> None:
    report = wechat_report()
    page = _parse(render(report, ReportFormat.HTML))
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert {"matrix", "cert-timeline", "latency-chart", "whitelist", "cmd"} <= ids
    buttons = [attrs["data-copy"] for tag, attrs in page.tags if "data-copy" in attrs]
    assert len(buttons) == len(report.whitelist.console_lists) + 1
    assert all(target in ids for target in buttons)


def test_html_without_timings_or_certificates_says_so() -> None:
    result = CheckResult("api.myapp.com", "whitelist.scheme", Status.PASS, "https")
    html_text = render(alipay_report(results=(result,)), ReportFormat.HTML)
    assert "No certificate data in this report." in html_text
    assert "No timings in this report." in html_text


def test_reports_render_for_an_empty_run() -> None:
    report: Report = alipay_report(results=(), ignored_rules={})
    for fmt in ReportFormat:
        assert render(report, fmt)
    assert_valid_junit(render(report, ReportFormat.JUNIT))
    assert _errors(sarif_validator(), json.loads(render(report, ReportFormat.SARIF))) == []
    assert _errors(report_validator(), json.loads(render(report, ReportFormat.JSON))) == []


def test_ignore_patterns_count_as_matched() -> None:
    result = CheckResult(
        "x.example.com", "whitelist.port", Status.WARN, "port", ignored_reason="by design"
    )
    report = alipay_report(
        results=(result,), ignored_rules={"whitelist.*": "by design", "tls.ats": "no iOS"}
    )
    text = render(report, ReportFormat.TEXT)
    assert "whitelist.*  by design\n" in text
    assert "tls.ats      no iOS  (matched nothing in this run)" in text
    md = render(report, ReportFormat.MARKDOWN)
    assert "`tls.ats` matched nothing" in md and "`whitelist.*` matched nothing" not in md

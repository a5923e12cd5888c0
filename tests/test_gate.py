"""The gate: --report FMT:FILE parsing, several reports from one run, exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from domaincheck.core.errors import OutputFileError, UsageError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.model import CheckResult, Status
from domaincheck.render import ReportFormat
from domaincheck.run.gate import ReportTarget, exit_code, parse_report_target, write_reports
from tests.report_fixtures import alipay_report, wechat_report


@pytest.mark.parametrize(
    ("value", "fmt", "path"),
    [
        ("json:r.json", ReportFormat.JSON, "r.json"),
        ("JUNIT:reports/r.xml", ReportFormat.JUNIT, "reports/r.xml"),
        ("html:C:/out/r.html", ReportFormat.HTML, "C:/out/r.html"),
    ],
)
def test_parse_report_target(value: str, fmt: ReportFormat, path: str) -> None:
    assert parse_report_target(value) == ReportTarget(fmt, Path(path))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("r.json", "expected FORMAT:FILE"),
        ("json:", "expected FORMAT:FILE"),
        ("pdf:r.pdf", "unknown format 'pdf'; use one of text, json, junit, markdown, sarif, html"),
    ],
)
def test_parse_report_target_refuses(value: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_report_target(value)


def test_several_reports_from_one_run(tmp_path: Path) -> None:
    targets = [
        parse_report_target(f"json:{tmp_path}/r.json"),
        parse_report_target(f"junit:{tmp_path}/r.xml"),
        parse_report_target(f"html:{tmp_path}/r.html"),
    ]
    write_reports(alipay_report(), targets)
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["fail"] == 3
    suites = ET.parse(tmp_path / "r.xml").getroot().findall("testsuite")
    assert sum(int(s.get("failures", "0")) for s in suites) == 3
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json", "r.xml"]


def test_the_same_file_twice_is_refused_before_writing(tmp_path: Path) -> None:
    targets = [
        parse_report_target(f"json:{tmp_path}/r"),
        parse_report_target(f"sarif:{tmp_path}/./r"),
    ]
    with pytest.raises(UsageError, match="given twice"):
        write_reports(alipay_report(), targets)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_report_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError):
        write_reports(alipay_report(), [parse_report_target(f"json:{tmp_path}/missing/r.json")])


def test_exit_codes() -> None:
    assert exit_code(alipay_report()) is ExitCode.FAILED
    assert exit_code(wechat_report()) is ExitCode.PASSED
    warn = CheckResult("a1.easemob.com", "tls", Status.WARN, "expires in 20 days")
    ignored_fail = CheckResult("x", "whitelist.port", Status.FAIL, "port", ignored_reason="known")
    relaxed = alipay_report(results=(warn, ignored_fail))
    assert exit_code(relaxed) is ExitCode.PASSED
    assert exit_code(replace(relaxed, strict=True)) is ExitCode.FAILED
    error = CheckResult("a1.easemob.com", "dns", Status.ERROR, "timeout")
    assert exit_code(alipay_report(results=(error,))) is ExitCode.FAILED


def test_every_fatal_error_class_carries_its_exit_code() -> None:
    """One table: bad input exits 2, a sync that could not run exits 1 (the CLI reads exit_code)."""
    import domaincheck.alipay.errors as alipay
    from domaincheck.core import errors
    from domaincheck.core.exitcodes import ExitCode

    def family(cls: type[errors.DomaincheckError]) -> list[type[errors.DomaincheckError]]:
        return [cls, *(c for sub in cls.__subclasses__() for c in family(sub))]

    codes = {cls.__name__: cls.exit_code for cls in family(errors.DomaincheckError)}
    assert codes["UsageError"] is ExitCode.BAD_INPUT
    assert codes["RegistryError"] is ExitCode.BAD_INPUT
    assert codes["AlipayCredentialsError"] is ExitCode.BAD_INPUT
    assert codes["AlipayTransportError"] is ExitCode.FAILED
    assert alipay.SyncLimitError.exit_code is ExitCode.FAILED
    assert ExitCode.PASSED not in codes.values()  # a fatal error never passes the gate

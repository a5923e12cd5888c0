"""`domaincheck merge`: reports from several vantages joined into one report, matrix and gate."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domaincheck.core.errors import InputFileError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.model import Report, Status, Vantage
from domaincheck.render import ReportFormat, render
from domaincheck.render.json_report import render_json
from domaincheck.run.merge import merge_reports, read_report
from tests.golden_files import GOLDEN, assert_matches_golden
from tests.report_fixtures import alipay_report, wechat_report

EXTENSIONS = {
    ReportFormat.TEXT: "txt",
    ReportFormat.JSON: "json",
    ReportFormat.MARKDOWN: "md",
    ReportFormat.HTML: "html",
    ReportFormat.JUNIT: "xml",
    ReportFormat.SARIF: "sarif",
}
FIXED = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def _changed(report: Report, host: str, check: str, status: Status, message: str) -> Report:
    results = tuple(
        replace(r, status=status, message=message) if (r.target, r.check) == (host, check) else r
        for r in report.results
    )
    return replace(report, results=results)


def two_vantages() -> tuple[Report, Report]:
    """Hangzhou (through a proxy) cannot reach a2's HTTPS; Virginia sees rs.chat.agora.io's DNS fail."""
    base = wechat_report()
    hangzhou = _changed(
        base,
        "a2.easemob.com",
        "https",
        Status.ERROR,
        "HTTPS request failed: connection reset by the server during the request",
    )
    virginia = _changed(
        replace(base, vantage=Vantage("virginia", ("8.8.8.8",), None)),
        "rs.chat.agora.io",
        "dns",
        Status.FAIL,
        "NXDOMAIN: rs.chat.agora.io does not exist at 8.8.8.8",
    )
    return hangzhou, virginia


def write(tmp_path: Path, name: str, report: Report) -> Path:
    path = tmp_path / name
    path.write_text(render_json(report), "utf-8")
    return path


def merged(require_any: bool = False) -> Report:
    hangzhou, virginia = two_vantages()
    report = merge_reports(
        [("hangzhou.json", hangzhou), ("virginia.json", virginia)],
        require_any=require_any,
        command=("domaincheck", "merge", "hangzhou.json", "virginia.json"),
        clock=lambda: FIXED,
    )
    return replace(report, tool_version="0.1.0")


@pytest.mark.parametrize("fmt", list(ReportFormat), ids=lambda f: f.value)
def test_merge_of_two_vantages_matches_golden(fmt: ReportFormat) -> None:
    assert_matches_golden(render(merged(), fmt), GOLDEN / "merge" / f"two.{EXTENSIONS[fmt]}")


def test_merge_names_the_vantages_of_each_finding_and_builds_the_matrix() -> None:
    report = merged()
    assert [v.name for v in report.vantages] == ["hangzhou", "virginia"]
    a2 = [r for r in report.results if (r.target, r.check) == ("a2.easemob.com", "https")]
    assert [(r.status, r.details["vantages"]) for r in a2] == [
        (Status.ERROR, ["hangzhou"]),
        (Status.PASS, ["virginia"]),
    ]
    assert a2[0].message.endswith("[at hangzhou]")
    same = [r for r in report.results if (r.target, r.check) == ("a1.easemob.com", "https")]
    assert [r.details["vantages"] for r in same] == [["hangzhou", "virginia"]]
    assert "[at" not in same[0].message  # the same everywhere: no vantage list in the words
    data = json.loads(render_json(report))
    rows = {row["host"]: row["statuses"] for row in data["matrix"]}
    assert rows["a2.easemob.com"] == {"hangzhou": "error", "virginia": "pass"}
    assert rows["rs.chat.agora.io"] == {"hangzhou": "pass", "virginia": "fail"}
    assert not report.passed


def test_require_any_passes_when_each_check_passes_somewhere() -> None:
    report = merged(require_any=True)
    assert report.passed
    failing = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    assert len(failing) == 2
    assert all(r.ignored_reason and "(--require any)" in r.ignored_reason for r in failing)
    # A failure at every vantage still fails under any.
    hangzhou, virginia = two_vantages()
    both = [
        _changed(r, "a1.easemob.com", "tls", Status.FAIL, "certificate expired")
        for r in (hangzhou, virginia)
    ]
    report = merge_reports([("h.json", both[0]), ("v.json", both[1])], require_any=True)
    assert not report.passed


def test_reports_of_different_apps_are_refused(tmp_path: Path) -> None:
    hangzhou, _ = two_vantages()
    with pytest.raises(InputFileError, match="different platforms"):
        merge_reports([("a.json", hangzhou), ("b.json", alipay_report())])
    other = replace(hangzhou, whitelist=replace(hangzhou.whitelist, entries=()))
    with pytest.raises(InputFileError, match=r"another whitelist than a\.json"):
        merge_reports([("a.json", hangzhou), ("b.json", other)])


def test_a_json_report_reads_back_as_it_was_written(tmp_path: Path) -> None:
    hangzhou, _ = two_vantages()
    again = read_report(write(tmp_path, "h.json", hangzhou))
    assert render_json(replace(again, duration_s=hangzhou.duration_s)) == render_json(hangzhou)


def run_merge(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "domaincheck", "merge", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_merge_through_the_real_program_exit_codes(tmp_path: Path) -> None:
    hangzhou, virginia = two_vantages()
    write(tmp_path, "hangzhou.json", hangzhou)
    write(tmp_path, "virginia.json", virginia)
    every = run_merge(tmp_path, "hangzhou.json", "virginia.json", "--format", "json")
    assert every.returncode == ExitCode.FAILED, every.stderr
    assert [v["name"] for v in json.loads(every.stdout)["vantages"]] == ["hangzhou", "virginia"]
    anywhere = run_merge(tmp_path, "hangzhou.json", "virginia.json", "--require", "any")
    assert anywhere.returncode == ExitCode.PASSED, anywhere.stderr
    assert "hangzhou" in anywhere.stdout and "virginia" in anywhere.stdout


def test_mismatched_truncated_and_foreign_reports_exit_2_naming_the_file(tmp_path: Path) -> None:
    hangzhou, _ = two_vantages()
    write(tmp_path, "hangzhou.json", hangzhou)
    write(tmp_path, "alipay.json", alipay_report())
    mismatched = run_merge(tmp_path, "hangzhou.json", "alipay.json")
    assert mismatched.returncode == ExitCode.BAD_INPUT
    assert mismatched.stdout == ""
    assert_matches_golden(mismatched.stderr, GOLDEN / "merge" / "mismatched.txt")
    (tmp_path / "cut.json").write_text(render_json(hangzhou)[:500], "utf-8")
    (tmp_path / "sarif.json").write_text('{"version": "2.1.0", "runs": []}', "utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    for name, words in (
        ("cut.json", "truncated or not JSON"),
        ("sarif.json", "not a domaincheck"),
        ("deep.json", "nested too deeply"),
    ):
        result = run_merge(tmp_path, "hangzhou.json", name)
        assert result.returncode == ExitCode.BAD_INPUT, result.stderr
        assert result.stderr.startswith(f"domaincheck: {name}: ") and words in result.stderr
        assert "Traceback" not in result.stderr


def test_a_vantage_name_from_a_report_file_is_shown_escaped(tmp_path: Path) -> None:
    hangzhou, virginia = two_vantages()
    write(tmp_path, "hangzhou.json", hangzhou)
    document = json.loads(render_json(virginia))
    document["vantage"]["name"] = "\x1b]0;owned\x07"  # a terminal title change, in a report
    (tmp_path / "evil.json").write_text(json.dumps(document), "utf-8")
    for fmt in ("text", "json", "markdown"):
        result = run_merge(tmp_path, "hangzhou.json", "evil.json", "--format", fmt)
        assert result.returncode == ExitCode.FAILED, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "owned" in result.stdout


def test_the_merged_json_report_is_valid_against_the_shipped_schema() -> None:
    import jsonschema

    from domaincheck.render.json_report import schema_text

    document = json.loads(render_json(merged()))
    jsonschema.validate(
        document, json.loads(schema_text()), format_checker=jsonschema.FormatChecker()
    )
    assert {row["host"] for row in document["matrix"]} == {r["target"] for r in document["results"]}

"""`domaincheck check` as a CI gate: several reports from one run, --strict, ignored ids, the
summary line on stderr, and clear exit-2 errors for bad --report values."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from domaincheck.cli import app
from domaincheck.render.json_report import schema_text
from tests.junit_schemas import assert_valid_junit

runner = CliRunner()
SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOMAINCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # no project file from the developer's directory


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_several_reports_from_one_run(tmp_path: Path) -> None:
    code, out, err = run(
        "check", "--offline",
        "--report", "json:r.json", "--report", "junit:r.xml", "--report", "sarif:r.sarif",
        "--report", "html:r.html", "--report", "markdown:r.md",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("domaincheck ")  # the text checklist still goes to stdout
    assert err.strip().splitlines()[-1] == (
        "domaincheck: 1 passed, 1 note; offline: DNS, TLS, HTTPS and WebSocket were not checked"
    )
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(schema_text())).validate(document)
    assert document["passed"] is True and document["platform"] == "alipay"
    assert document["command"][:3] == ["domaincheck", "check", "--offline"]
    assert_valid_junit((tmp_path / "r.xml").read_text(encoding="utf-8"))
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(
        json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    ).validate(sarif)
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("✅")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "r.html",
        "r.json",
        "r.md",
        "r.sarif",
        "r.xml",
    ]


def test_format_goes_to_stdout_and_reports_to_files(tmp_path: Path) -> None:
    code, out, _ = run("check", "--offline", "--format", "json", "--report", "junit:r.xml")
    assert code == 0
    assert json.loads(out)["summary"]["total"] >= 1
    assert ET.parse(tmp_path / "r.xml").getroot().tag == "testsuites"


def test_failure_and_strict_and_ignored(tmp_path: Path) -> None:
    extra = ("--extra", "https://api.myapp.com:8443")  # on Alipay: a whitelist.port warning
    code, _, err = run("check", "--offline", *extra, "--report", "json:r.json")
    assert code == 0
    assert "1 warning" in err
    code, _, _ = run("check", "--offline", "--strict", *extra, "--report", "json:strict.json")
    assert code == 1
    assert json.loads((tmp_path / "strict.json").read_text(encoding="utf-8"))["passed"] is False

    (tmp_path / "domaincheck.yaml").write_text(
        "platform: alipay\n"
        "regions: [cn1]\n"
        "ignore:\n"
        "  - check: whitelist.port\n"
        "    reason: the API gateway listens on 8443 by design\n"
        "  - check: tls.*\n"
        "    reason: not used here\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "check",
        "--offline",
        "--strict",
        *extra,
        "--report",
        "json:ignored.json",
        "--report",
        "junit:ignored.xml",
    )
    assert code == 0, err
    assert "1 ignored" in err and "warning" not in err
    document = json.loads((tmp_path / "ignored.json").read_text(encoding="utf-8"))
    port = [r for r in document["results"] if r["check"] == "whitelist.port"]
    assert [r["ignored_reason"] for r in port] == ["the API gateway listens on 8443 by design"]
    assert {"id": "tls.*", "reason": "not used here"} in document["ignored_rules"]
    assert "tls.*" in out and "matched nothing in this run" in out
    skipped = (
        ET.parse(tmp_path / "ignored.xml")
        .getroot()
        .find(".//testcase[@name='whitelist.port']/skipped")
    )
    assert skipped is not None and "8443 by design" in (skipped.get("message") or "")


def test_a_failing_check_exits_1_and_still_writes_the_reports(tmp_path: Path) -> None:
    code, _, err = run(
        "check", "--offline", "--extra", "http://x.example.com", "--report", "markdown:r.md"
    )
    assert code == 1
    assert "1 failed" in err.strip().splitlines()[-1]
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith("❌") and "whitelist.scheme" in md


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--report", "pdf:r.pdf"), "unknown format 'pdf'"),
        (("--report", "r.json"), "expected FORMAT:FILE"),
        (("--report", "json:r", "--report", "sarif:./r"), "given twice"),
        (("--output", "r", "--report", "json:r"), "given twice"),
        (("--report", "json:missing-dir/r.json"), "missing-dir/r.json: the folder"),
    ],
)
def test_bad_report_options_exit_2_with_one_line(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run("check", "--offline", *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not any(p.is_file() for p in tmp_path.iterdir())  # refused before anything ran


def test_reports_carry_the_runs_duration(tmp_path: Path) -> None:
    code, out, _ = run("check", "--offline", "--format", "json")
    assert code == 0
    duration = json.loads(out)["duration_s"]
    assert isinstance(duration, float) and duration >= 0


def test_an_offline_pass_says_the_live_checks_did_not_run(tmp_path: Path) -> None:
    code, out, err = run(
        "check", "--offline", "--report", "markdown:r.md", "--report", "junit:r.xml"
    )
    assert code == 0
    note = "offline: DNS, TLS, HTTPS and WebSocket were not checked"
    assert out.splitlines()[1] == f"PASSED: 1 passed, 1 note; {note}"
    assert note in err.splitlines()[-1]
    assert note in (tmp_path / "r.md").read_text(encoding="utf-8").splitlines()[0]
    props = ET.parse(tmp_path / "r.xml").getroot().findall("testsuite/properties/property")
    assert ("live_checks", "not run (--offline)") in [
        (p.get("name"), p.get("value")) for p in props
    ]

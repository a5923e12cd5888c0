"""`domaincheck check` with the live checks, end to end against the loopback lab."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from domaincheck.cli import app
from domaincheck.core.exitcodes import ExitCode
from tests.lab.lab import Lab, host
from tests.lab.servers import free_port

runner = CliRunner()


def invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback:\n{result.stdout}\n{result.stderr}") from result.exception
    return result


def lab_options(lab: Lab, *names: str) -> list[str]:
    options = [
        "--resolver",
        f"127.0.0.1:{lab.dns.port}",
        "--ca-bundle",
        str(lab.pki.ca_bundle),
        "--allow-private-dns",  # the lab's DNS answers loopback addresses
    ]
    for name in names:
        options += ["--connect-to", f"{host(name)}:443:127.0.0.1:{lab.servers[name].port}"]
    return options


def results_for(report: dict[str, Any], target: str) -> dict[str, dict[str, Any]]:
    return {r["check"]: r for r in report["results"] if r["target"] == target}


def test_check_runs_static_and_live_checks_and_reports_json(lab: Lab) -> None:
    result = invoke(
        "check",
        "--platform",
        "wechat",
        "--extra",
        f"https://{host('good')}",
        "--extra",
        f"wss://{host('ws403')}/websocket",
        *lab_options(lab, "good", "ws403"),
        "--timeout",
        "3",
        "--format",
        "json",
    )
    # The registry's real hosts do not resolve at the lab's DNS server: the run fails.
    assert result.exit_code == ExitCode.FAILED, result.stderr
    report = json.loads(result.stdout)
    assert {"version", "summary", "results", "whitelist"} <= set(report)
    good = results_for(report, host("good"))
    assert good["dns"]["status"] == "pass"
    assert good["tls"]["status"] == "pass"
    assert good["https"]["status"] == "pass"
    assert good["tls"]["details"]["via"] == "--connect-to"
    forbidden = results_for(report, host("ws403"))
    assert forbidden["websocket"]["status"] == "fail"
    assert "403 Forbidden" in forbidden["websocket"]["message"]
    real = results_for(report, "a1.easemob.com")
    assert real["dns"]["status"] == "fail" and "NXDOMAIN" in real["dns"]["message"]
    assert real["tls"]["status"] == "skip"
    assert report["summary"]["fail"] >= 2
    # Static checks are there too.
    assert any(r["check"].startswith("whitelist.") for r in report["results"])
    assert "summary" not in result.stdout.splitlines()[0]  # stdout is only the JSON


def test_live_results_render_in_every_format_and_json_validates(lab: Lab, tmp_path: Path) -> None:
    import jsonschema

    from domaincheck.render.json_report import schema_text

    reports = {fmt: tmp_path / f"report.{fmt}" for fmt in ("junit", "sarif", "html", "markdown")}
    result = invoke(
        "check",
        "--platform",
        "wechat",
        "--extra",
        f"https://{host('good')}",
        "--extra",
        f"https://{host('leafonly')}",
        "--extra",
        f"wss://{host('wsbadaccept')}/websocket",
        *lab_options(lab, "good", "leafonly", "wsbadaccept"),
        "--timeout",
        "3",
        "--format",
        "json",
        *[arg for fmt, path in reports.items() for arg in ("--report", f"{fmt}:{path}")],
    )
    assert result.exit_code == ExitCode.FAILED, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads(schema_text()))
    for fmt, path in reports.items():
        text = path.read_text()
        assert host("leafonly") in text, fmt
    assert "incomplete certificate chain" in reports["markdown"].read_text()


def test_check_output_file_text_grouped_by_host(lab: Lab, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = invoke(
        "check",
        "--platform",
        "wechat",
        "--extra",
        f"https://{host('expired')}",
        *lab_options(lab, "expired"),
        "--timeout",
        "3",
        "--output",
        str(out),
    )
    assert result.exit_code == ExitCode.FAILED
    assert result.stdout == ""
    text = out.read_text()
    assert host("expired") in text
    assert "expired on" in text
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_bad_live_options_exit_2_with_one_line() -> None:
    for args in (
        ["--resolve", "nonsense"],
        ["--connect-to", "a:443:b"],
        ["--resolver", "dns.example"],
        ["--ca-bundle", "/nonexistent/ca.pem"],
        ["--timeout", "0"],
    ):
        result = invoke("check", *args)
        assert result.exit_code == ExitCode.BAD_INPUT, args
        assert result.stderr.startswith("domaincheck: "), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_offline_runs_no_live_check(lab: Lab) -> None:
    result = invoke("check", "--offline", "--format", "json", *lab_options(lab))
    report = json.loads(result.stdout)
    assert not [r for r in report["results"] if r["check"] in ("dns", "tls", "https", "websocket")]


def test_no_network_ends_with_errors_and_exit_1(lab: Lab) -> None:
    # A resolver nobody answers for: every host ends in an error within the timeout, no traceback.
    result = invoke(
        "check", "--resolver", f"127.0.0.1:{free_port()}", "--timeout", "0.5", "--format", "json"
    )
    assert result.exit_code == ExitCode.FAILED
    report = json.loads(result.stdout)
    unreachable = [r for r in report["results"] if r["check"] == "dns.resolver"]
    assert [r["status"] for r in unreachable] == ["error"]  # one result, not one per host
    dns = [r for r in report["results"] if r["check"] == "dns"]
    assert dns and all(r["status"] == "skip" for r in dns)
    assert all(
        r["status"] == "skip"
        for r in report["results"]
        if r["check"] in ("tls", "https", "websocket")
    )
    assert "Traceback" not in result.stderr

"""The crash guard: a check that raises becomes an `error` result naming it, the run goes on, exit 1.

The CLI runs in a subprocess with one check patched to raise, so what a user would see (stdout,
stderr, the exit code) is what is asserted: no traceback, the other checks' results still there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from domaincheck.core.catalog import CheckId
from domaincheck.core.errors import UsageError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.guard import crash_results, guarded, run_guarded
from domaincheck.core.model import CheckResult, Status

SDK_CONFIG = """\
const conn = new WebIM.connection({
  appKey: "org#app",
  isHttpDNS: false,
  https: true,
  url: "wss://im-api-alipay.easemob.com/websocket",
  apiUrl: "https://a1.easemob.com",
});
"""


def run_patched(patch: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`domaincheck ARGS` in a fresh interpreter after running `patch` (Python) in it."""
    program = "\n".join(
        [
            "import sys",
            patch,
            "from domaincheck.cli.app import main",
            f"sys.argv = ['domaincheck', *{list(args)!r}]",
            "main()",
        ]
    )
    env = {**os.environ, "DOMAINCHECK_CACHE_DIR": str(cwd / "cache")}
    return subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def results_of(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    report = json.loads(done.stdout)
    results: list[dict[str, object]] = report["results"]
    return results


def test_a_static_check_that_raises_is_an_error_result_and_exit_1(tmp_path: Path) -> None:
    patch = (
        "import domaincheck.whitelist.static_checks as s\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('boom \\x1b[31m')\n"
        "s._check_duplicates = boom"
    )
    done = run_patched(patch, "check", "--offline", "--format", "json", cwd=tmp_path)
    assert done.returncode == ExitCode.FAILED, done.stderr
    results = results_of(done)
    errors = [r for r in results if r["status"] == "error"]
    assert [r["check"] for r in errors] == ["whitelist.duplicate"]
    assert errors[0]["message"] == (
        "internal error in the whitelist.duplicate check: RuntimeError: boom \\x1b[31m"
    )
    assert errors[0]["details"] == {"exception": "RuntimeError"}
    # The run went on: the checks after the crashed one still reported.
    assert {"whitelist.count", "whitelist.compactable"} <= {r["check"] for r in results}


def test_a_rule_of_one_entry_that_raises_leaves_the_other_rules_running(tmp_path: Path) -> None:
    patch = (
        "import domaincheck.whitelist.entry_checks as s\n"
        "def boom(*args, **kwargs):\n"
        "    raise KeyError('port')\n"
        "s._ENTRY_RULES = tuple((c, boom if c == 'whitelist.port' else r)"
        " for c, r in s._ENTRY_RULES)"
    )
    done = run_patched(
        patch,
        "check",
        "--offline",
        "--format",
        "json",
        "--extra",
        "http://localhost:8080/x",
        cwd=tmp_path,
    )
    assert done.returncode == ExitCode.FAILED
    results = [r for r in results_of(done) if r["target"] == "http://localhost:8080/x"]
    by_check = {r["check"]: r for r in results}
    assert by_check["whitelist.port"]["status"] == "error"
    assert "KeyError" in str(by_check["whitelist.port"]["message"])
    assert by_check["whitelist.localhost"]["status"] == "fail"
    assert by_check["whitelist.scheme"]["status"] == "fail"
    assert by_check["whitelist.path"]["status"] == "info"


def test_an_sdk_check_that_raises_is_an_error_result_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "im.js").write_text(SDK_CONFIG, encoding="utf-8")
    patch = (
        "import domaincheck.vendors.easemob.validate as v\n"
        "def boom(validator):\n"
        "    raise ZeroDivisionError('division by zero')\n"
        "v.CONCERNS = tuple((c, boom if c == 'sdk.url.host' else f) for c, f in v.CONCERNS)"
    )
    done = run_patched(
        patch, "check", "--offline", "--format", "json", "--sdk-config", "im.js", cwd=tmp_path
    )
    assert done.returncode == ExitCode.FAILED, done.stderr
    results = results_of(done)
    sdk = {r["check"]: r for r in results if str(r["check"]).startswith("sdk.")}
    assert sdk["sdk.url.host"]["status"] == "error"
    assert sdk["sdk.url.host"]["message"] == (
        "internal error in the sdk.url.host check: ZeroDivisionError: division by zero"
    )
    # The concerns before and after it still ran.
    assert sdk["sdk.appkey.format"]["status"] == "pass"
    assert sdk["sdk.apiurl.host"]["status"] == "pass"


def test_the_text_report_shows_the_crash_without_a_traceback(tmp_path: Path) -> None:
    patch = (
        "import domaincheck.whitelist.static_checks as s\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('count exploded')\n"
        "s._check_count = boom"
    )
    done = run_patched(patch, "check", "--offline", cwd=tmp_path)
    assert done.returncode == ExitCode.FAILED
    assert "Traceback" not in done.stdout + done.stderr
    assert "internal error in the whitelist.count check: RuntimeError: count exploded" in (
        done.stdout
    )


def test_a_console_diff_that_raises_is_an_error_result(tmp_path: Path) -> None:
    (tmp_path / "console.txt").write_text("a1.easemob.com\n", encoding="utf-8")
    patch = (
        "import domaincheck.appsetup.console_diff as c\n"
        "def boom(*args, **kwargs):\n"
        "    raise ValueError('diff broke')\n"
        "c.diff_console = boom"
    )
    done = run_patched(
        patch, "check", "--offline", "--format", "json", "--console", "console.txt", cwd=tmp_path
    )
    assert done.returncode == ExitCode.FAILED
    errors = [r for r in results_of(done) if r["status"] == "error"]
    assert [(r["check"], r["target"]) for r in errors] == [("console.missing", "console.txt")]


def test_guard_passes_fatal_input_errors_through_and_bounds_the_text() -> None:
    def bad_input() -> list[CheckResult]:
        raise UsageError("unknown region 'mars'")

    with pytest.raises(UsageError):
        guarded(CheckId.WHITELIST_COUNT, "alipay:whitelist", bad_input)

    crashes: list[CheckResult] = []
    value = run_guarded(CheckId.TLS, "h", lambda: 1 // 0, crashes)
    assert value is None
    assert [(c.check, c.status) for c in crashes] == [(CheckId.TLS, Status.ERROR)]
    assert run_guarded(CheckId.TLS, "h", lambda: 7, crashes) == 7

    long = crash_results("h", (CheckId.DNS, CheckId.DNS_CONSISTENCY), OSError("x" * 1000))
    assert [r.check for r in long] == [CheckId.DNS, CheckId.DNS_CONSISTENCY]
    assert long[0].message.endswith("x...")
    assert len(long[0].message) < 400

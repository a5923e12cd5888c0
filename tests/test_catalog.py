"""The check catalog: one entry per id, ids used only through `CheckId`, docs/checks.md generated."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from domaincheck.cli import app
from domaincheck.core.catalog import CATALOG, CheckFamily, CheckId, Severity, check_info
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.model import CheckResult, Status
from domaincheck.render.checks_reference import (
    close_ids,
    render_check,
    render_check_list,
    render_checks_markdown,
)
from tests.golden_files import assert_matches_golden

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "domaincheck"
CATALOG_MODULE = PACKAGE / "core" / "catalog.py"
runner = CliRunner()


def test_every_id_has_one_entry_with_title_and_help() -> None:
    assert list(CATALOG) == list(CheckId)
    titles = [info.title for info in CATALOG.values()]
    assert len(titles) == len(set(titles)), "two checks share a title"
    for check_id, info in CATALOG.items():
        assert info.id is check_id
        assert check_id.info is info
        assert info.title and info.help.endswith(".")
        assert isinstance(info.severity, Severity)
        assert check_id.value.split(".")[0] == info.family.value


def test_every_family_has_checks() -> None:
    assert {info.family for info in CATALOG.values()} == set(CheckFamily)
    assert all(family.description for family in CheckFamily)


def test_check_info_takes_text_and_refuses_unknown_ids() -> None:
    assert check_info("whitelist.scheme") is CATALOG[CheckId.WHITELIST_SCHEME]
    assert check_info("whitelist.nope") is None
    assert close_ids("sdk.apiurl.hots")[0] == "sdk.apiurl.host"
    assert close_ids("zzzz") == []


def test_a_result_holds_a_catalog_id_even_when_given_text() -> None:
    result = CheckResult("a1.easemob.com", "tls.expiry", Status.PASS, "valid")  # type: ignore[arg-type]
    assert result.check is CheckId.TLS_EXPIRY
    try:
        CheckResult("a1.easemob.com", "tls.nope", Status.PASS, "valid")  # type: ignore[arg-type]
    except ValueError as exc:
        assert "tls.nope" in str(exc)
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("an unknown check id was accepted")


def _string_literals(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def test_ids_are_written_only_in_the_catalog() -> None:
    """No copied table of ids: outside the catalog, code names a check by its `CheckId` member."""
    dotted = {c.value for c in CheckId if "." in c.value}
    offenders: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == CATALOG_MODULE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, text in _string_literals(tree):
            if text in dotted:
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
        for node in ast.walk(tree):
            # A result built with a literal id (also the bare live ones: "dns", "tls", ...).
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "CheckResult":
                check = node.args[1] if len(node.args) > 1 else None
                check = next((k.value for k in node.keywords if k.arg == "check"), check)
                if isinstance(check, ast.Constant):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {check.value!r}")
    assert offenders == []


def test_explain_entry_names_id_family_severity_and_help() -> None:
    text = render_check(CheckId.SDK_HTTPDNS_ENABLED.info)
    assert text.startswith("# sdk.httpdns.enabled: HTTP-DNS on a mini program\n")
    assert "Family: sdk (" in text
    assert "Default severity: warn" in text
    assert "set isHttpDNS: false on mini programs" in " ".join(text.split())
    assert "- check: sdk.httpdns.enabled" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_listing_has_every_id_once() -> None:
    text = render_check_list()
    for check_id in CheckId:
        assert sum(line.split()[0] == check_id.value for line in text.splitlines() if line) == 1


def test_docs_checks_md_is_generated_from_the_catalog() -> None:
    """docs/checks.md is the catalog's Markdown; after changing the catalog, regenerate it with
    DOMAINCHECK_UPDATE_GOLDEN=1 and review the diff."""
    markdown = render_checks_markdown()
    for check_id in CheckId:
        assert f"| `{check_id}` |" in markdown
    assert_matches_golden(markdown, ROOT / "docs" / "checks.md")


def _explain(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "domaincheck", "explain", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_explain_prints_the_entry_of_an_id() -> None:
    done = _explain("whitelist.covered")
    assert done.returncode == ExitCode.PASSED, done.stderr
    assert done.stdout == render_check(CheckId.WHITELIST_COVERED.info)
    assert done.stderr == ""


def test_explain_without_an_id_lists_every_id_and_a_glob_its_entries() -> None:
    listing = runner.invoke(app, ["explain"])
    assert listing.exit_code == ExitCode.PASSED
    assert listing.stdout == render_check_list()
    globbed = runner.invoke(app, ["explain", "sdk.url.*"])
    assert globbed.exit_code == ExitCode.PASSED
    headings = [line for line in globbed.stdout.splitlines() if line.startswith("# ")]
    assert [h.split(":")[0][2:] for h in headings] == [
        c.value for c in CheckId if c.value.startswith("sdk.url.")
    ]


def test_explain_an_unknown_id_is_one_line_with_close_matches_and_exit_2() -> None:
    done = _explain("sdk.apiurl.hots")
    assert done.returncode == ExitCode.BAD_INPUT
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "domaincheck: unknown check id 'sdk.apiurl.hots'; did you mean sdk.apiurl.host, "
        "sdk.url.host, sdk.apiurl.whitelist?"
    ]
    done = _explain("\x1b[31mnothing-like-it")
    assert done.returncode == ExitCode.BAD_INPUT
    assert done.stderr == (
        "domaincheck: unknown check id '\\x1b[31mnothing-like-it'; "
        "`domaincheck explain` lists every id\n"
    )
    nothing = runner.invoke(app, ["explain", "zzz.*"])
    assert nothing.exit_code == ExitCode.BAD_INPUT

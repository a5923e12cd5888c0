"""SARIF as code scanning reads it, from real runs: findings only, each located on the line of the
file its subject was written in (the project file's extra_domains, the registry's host line),
fingerprints present, valid against the OASIS schema. Offline runs with and without a project
file, and a live run against the loopback lab."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
from typer.testing import CliRunner

from domaincheck.cli import app
from tests.lab.lab import Lab, host

SCHEMAS = Path(__file__).parent / "schemas"
runner = CliRunner()

PROJECT = """\
version: 1
platform: alipay
regions:
  - cn1
extra_domains:
  - http://api.myapp.com
  - https://files.myapp.com/upload
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOMAINCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def _sarif(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["check", *args, "--format", "sarif"])
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    return document


def _located_lines(document: dict[str, Any], cwd: Path) -> list[tuple[str, str, str, int, str]]:
    """(rule, target, file, line, text of that line) of each result; every file must exist."""
    found = []
    for result in document["runs"][0]["results"]:
        location = result["locations"][0]
        artifact = location["physicalLocation"]["artifactLocation"]
        line = location["physicalLocation"]["region"]["startLine"]
        uri = artifact["uri"]
        path = Path(unquote(urlparse(uri).path)) if uri.startswith("file:") else cwd / uri
        assert path.is_file(), uri
        text = path.read_text(encoding="utf-8").splitlines()[line - 1]
        target = location["logicalLocations"][0]["name"]
        assert result["partialFingerprints"]["domaincheck/v1"] == f"{result['ruleId']}:{target}"
        found.append((result["ruleId"], target, uri, line, text))
    return found


def test_offline_findings_point_at_the_project_file_line(tmp_path: Path) -> None:
    (tmp_path / "domaincheck.yaml").write_text(PROJECT, encoding="utf-8")
    document = _sarif("--offline")
    results = document["runs"][0]["results"]
    assert results and all(r["kind"] in ("fail", "informational") for r in results)
    located = _located_lines(document, tmp_path)
    by_rule = {(rule, target): (uri, text) for rule, target, uri, _, text in located}
    uri, text = by_rule[("whitelist.scheme", "http://api.myapp.com")]
    assert uri == "domaincheck.yaml" and "http://api.myapp.com" in text
    uri, text = by_rule[("whitelist.path", "https://files.myapp.com/upload")]
    assert uri == "domaincheck.yaml" and "https://files.myapp.com/upload" in text


def test_offline_run_without_a_project_file_names_none(tmp_path: Path) -> None:
    document = _sarif("--offline", "--extra", "http://api.myapp.com")
    located = _located_lines(document, tmp_path)
    assert located
    assert all("domaincheck.yaml" not in uri for _, _, uri, _, _ in located)
    every = json.loads(
        runner.invoke(app, ["check", "--offline", "--format", "sarif", "--sarif-all"]).stdout
    )
    assert len(every["runs"][0]["results"]) > len(
        json.loads(runner.invoke(app, ["check", "--offline", "--format", "sarif"]).stdout)["runs"][
            0
        ]["results"]
    )


def test_live_findings_point_at_the_registry_and_project_lines(lab: Lab, tmp_path: Path) -> None:
    names = ("good", "expiring", "expired", "leafonly")
    lines = [f"  - https://{host(n)}" for n in names]
    (tmp_path / "domaincheck.yaml").write_text(
        "version: 1\nplatform: wechat\nregions:\n  - cn1\nextra_domains:\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    options = ["--resolver", f"127.0.0.1:{lab.dns.port}", "--ca-bundle", str(lab.pki.ca_bundle)]
    options.append("--allow-private-dns")  # the lab's DNS answers loopback addresses
    for name in names:
        options += ["--connect-to", f"{host(name)}:443:127.0.0.1:{lab.servers[name].port}"]
    document = _sarif(*options, "--timeout", "1")
    results = document["runs"][0]["results"]
    assert {r["kind"] for r in results} <= {"fail", "informational"}
    located = _located_lines(document, tmp_path)
    for rule, target, uri, _, text in located:
        if rule.startswith(("dns", "tls", "https", "websocket")):
            assert target.split(":")[0] in text, (rule, target, uri, text)
    rules = {(rule, target) for rule, target, *_ in located}
    assert ("tls.expiry", host("expiring")) in rules  # a warning is a finding
    assert ("tls", host("expired")) in rules
    assert ("tls.expiry", host("expired")) not in rules  # the same fault, counted once
    assert ("tls", host("good")) not in rules  # passes are not findings
    registry_hosts = [uri for rule, _, uri, _, _ in located if rule == "dns"]
    assert registry_hosts and all(uri.endswith("regions.yaml") for uri in registry_hosts)

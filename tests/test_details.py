"""Typed details: each check family declares its details, and the JSON schema follows from that."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import jsonschema
import pytest

from domaincheck.core.catalog import CheckFamily, CheckId
from domaincheck.core.details import DETAILS, check_pattern
from domaincheck.render import ReportFormat, render
from domaincheck.render.json_report import schema_text, schema_with_details
from tests.golden_files import UPDATE
from tests.report_fixtures import alipay_report

SCHEMA_FILE = (
    Path(__file__).resolve().parent.parent / "domaincheck" / "render" / "report.schema.json"
)


def test_every_family_declares_its_details() -> None:
    assert set(DETAILS) == set(CheckFamily)
    for details in DETAILS.values():
        assert typing.is_typeddict(details)
        assert not details.__required_keys__  # every key is optional: a check sets what applies


def test_the_shipped_schema_is_built_from_the_declared_details() -> None:
    """After changing core/details.py, regenerate with DOMAINCHECK_UPDATE_GOLDEN=1."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    built = schema_with_details(text)
    if UPDATE:
        SCHEMA_FILE.write_text(built, encoding="utf-8")
        text = built
    assert text == built, "report.schema.json differs from core/details.py: regenerate it"
    schema = json.loads(text)
    rules = schema["$defs"]["result_details"]["allOf"]
    assert len(rules) == len(CheckFamily)
    for family, rule in zip(CheckFamily, rules, strict=True):
        declared = typing.get_type_hints(DETAILS[family])
        assert set(rule["then"]["properties"]["details"]["properties"]) == set(declared)
    for check_id in CheckId:  # every id falls under exactly its own family's rule
        import re

        matching = [f for f in CheckFamily if re.match(check_pattern(f), check_id.value)]
        assert matching == [check_id.family]


def _document() -> dict[str, typing.Any]:
    document: dict[str, typing.Any] = json.loads(render(alipay_report(), ReportFormat.JSON))
    return document


@pytest.mark.parametrize(
    ("check", "details"),
    [
        ("tls", {"handshake_ms": "fast"}),  # a declared key of the wrong type
        ("whitelist.duplicate", {"no_such_key": 1}),  # a key the family does not declare
        ("sdk.url.host", {"line": True}),  # a boolean is not a line number
    ],
)
def test_details_off_the_declared_shape_do_not_validate(
    check: str, details: dict[str, object]
) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    document = _document()
    validator.validate(document)
    document["results"][0] = {**document["results"][0], "check": check, "details": details}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_what_the_renderers_read_from_details_is_declared() -> None:
    """A renderer that reads a detail key no family declares reads nothing: it must not exist."""
    import ast

    declared = set().union(*(typing.get_type_hints(d) for d in DETAILS.values()))
    package = SCHEMA_FILE.parent.parent
    read: dict[str, str] = {}
    for folder in ("render", "run", "cli"):
        for path in sorted((package / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                key = None
                if (  # details.get("key") and result.details.get("key")
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "get"
                    and isinstance(node.func.value, ast.Name | ast.Attribute)
                    and (getattr(node.func.value, "id", None) or node.func.value.attr) == "details"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    key = node.args[0].value
                elif (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in ("_LATENCY_KEYS", "_PHASE_KEYS")
                    and isinstance(node.value, ast.Tuple)
                ):
                    for element in node.value.elts:
                        assert isinstance(element, ast.Constant)
                        read[str(element.value)] = path.name
                if isinstance(key, str):
                    read[key] = path.name
    assert {"kind", "chain", "leaf", "elapsed_ms", "file"} <= set(read)
    assert {k: where for k, where in read.items() if k not in declared} == {}

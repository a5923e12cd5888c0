"""The generic static evaluator: literals, budgets, branches and prefixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from domaincheck.core.errors import InputFileError
from domaincheck.source.data import load_json
from domaincheck.source.evaluate import Budget, Evaluator, JsValue, Where
from domaincheck.source.jsparse import parse, unwrap, walk
from domaincheck.source.uniapp import keep_platform_branches
from domaincheck.source.vue import script_blocks, template_block


def value_of(expression: str, **options: object) -> JsValue:
    """The value of the initialiser of `const x = <expression>`."""
    root = parse(f"const x = {expression};\n", "javascript").root_node
    declarator = next(n for n in walk(root) if n.type == "variable_declarator")
    value = declarator.child_by_field_name("value")
    assert value is not None
    return Evaluator(**options).of(unwrap(value))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'a' + 'b' + 1", "ab1"),
        ("1 + 2 + 'x'", "3x"),
        ("`https://${'api'}.example.com`", "https://api.example.com"),
        ("[1, 'two', true, null]", [1, "two", True, None]),
        ("{ a: 1, 'b': { c: 'd' } }", {"a": 1, "b": {"c": "d"}}),
        ("-0x10", -16),
        ("!0", True),
        ("'\\u{1F600}'", "\U0001f600"),
    ],
)
def test_literals_fold(expression: str, expected: object) -> None:
    value = value_of(expression)
    assert value.static
    assert value.value == expected


def test_a_long_concatenation_chain_folds_without_recursion() -> None:
    value = value_of(" + ".join(['"a"'] * 5000))
    assert value.static
    assert value.value == "a" * 5000


def test_deep_nesting_is_not_static_past_the_depth_budget() -> None:
    value = value_of("[" * 400 + "1" + "]" * 400)
    assert not value.static
    assert value.reason == "a list with values that are not literals"
    assert value_of("[" * 90 + "1" + "]" * 90).static
    assert value_of("- - 1", budget=Budget(max_depth=3)).value == 1
    assert not value_of("- - - - 1", budget=Budget(max_depth=3)).static
    parenthesised = value_of("-" * 3000 + "1")
    assert not parenthesised.static


def test_an_escape_that_names_no_character_is_not_static() -> None:
    value = value_of('"\\u{110000}"')
    assert not value.static
    assert "escape" in value.reason


def test_a_folded_string_over_the_budget_is_not_static() -> None:
    value = value_of(" + ".join(['"abcdefghij"'] * 20), budget=Budget(max_text=100))
    assert not value.static
    assert "over 100 characters" in value.reason


def test_an_unknown_tail_keeps_the_known_prefix() -> None:
    value = value_of("'https://api.example.com/users/' + id + '/x'")
    assert not value.static
    assert value.prefix == "https://api.example.com/users/"
    template = value_of("`wss://chat.example.com/${room}`")
    assert template.reason == "a template string with ${...}"
    assert template.prefix == "wss://chat.example.com/"


def test_branches_keep_both_sides_with_their_conditions() -> None:
    expression = "(process.env.NODE_ENV === 'development' ? 'http://localhost:8080' : 'https://api.example.com') + '/v1'"
    literal_only = value_of(expression)
    assert not literal_only.static and not literal_only.choices
    value = value_of(expression, branches=True)
    assert [(c.condition, c.value.value) for c in value.choices] == [
        ("process.env.NODE_ENV === 'development'", "http://localhost:8080/v1"),
        ("not (process.env.NODE_ENV === 'development')", "https://api.example.com/v1"),
    ]
    default = value_of("process.env.BASE || 'https://fallback.example.com'", branches=True)
    assert [c.value.value for c in default.choices][1] == "https://fallback.example.com"


def test_locate_gives_the_origin_of_a_literal() -> None:
    value = value_of("'https://a.example.com' + path", locate=lambda n: Where("f.js", 7))
    assert value.origin == Where("f.js", 7)


def test_uni_app_branches_and_vue_blocks() -> None:
    text = "a\n// #ifdef MP-WEIXIN\nwx\n// #endif\n// #ifdef MP-ALIPAY\nmy\n// #endif\n"
    kept, notes = keep_platform_branches(text, "MP-WEIXIN")
    assert kept.split("\n")[2] == "wx" and kept.split("\n")[5] == ""
    assert notes == (
        "lines 5-7 (#ifdef MP-ALIPAY) are not in the MP-WEIXIN build, so they are not read",
    )
    component = (
        '<template>\n<view/>\n</template>\n<script lang="ts">\nexport default {}\n</script>\n'
    )
    (block,) = script_blocks(component)
    assert block.dialect == "typescript" and block.line_offset == 3
    template = template_block(component)
    assert template is not None and "<view/>" in template.text


def test_json_nesting_is_bounded_before_parsing() -> None:
    with pytest.raises(InputFileError, match=r"x.json:1: JSON nests more than 200 levels deep"):
        load_json("[" * 100_000 + "]" * 100_000, Path("x.json"))
    assert load_json('{"a": [1, {"b": "[[[["}]}', Path("x.json")) == {"a": [1, {"b": "[[[["}]}

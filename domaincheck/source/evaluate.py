"""The static value of a JavaScript expression, found without running the code, within budgets.

`Evaluator.of(node)` folds literals (strings, template strings, numbers, booleans, null, lists and
objects of those, `+` concatenation, `-`/`+`/`!` on numbers). Anything else is a `JsValue` with
`static=False`, its source text and what it is ("the variable", "the call"), never a guess.

Readers that know more plug it in: a `resolve` callback may give a value for an identifier, a
member expression or a call (the source scan follows constants, imports and `process.env`), and
`branches=True` keeps both sides of a conditional as `choices`, each with its condition (an
environment branch: `isDev ? 'http://localhost' : 'https://api.example.com'`). A value that is not
fully known keeps the text it certainly starts with in `prefix`: a URL's host is usually there.

Every evaluation is bounded by a `Budget`: expression depth (untrusted source may nest thousands
deep; past the budget a value is "nested too deeply", not a RecursionError), the length of a folded
string and the number of branches kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from domaincheck.source.jsparse import text_of, unwrap

if TYPE_CHECKING:
    from tree_sitter import Node

MAX_SOURCE_TEXT = 80


@dataclass(frozen=True)
class Budget:
    """Limits of one evaluation: nesting depth, characters of a folded string, branches kept."""

    max_depth: int = 100
    max_text: int = 100_000
    max_choices: int = 16


DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class Where:
    """Where a value was written: file and 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Choice:
    """One value a conditional picks, and the condition (source text) under which it does."""

    condition: str
    value: JsValue


@dataclass(frozen=True)
class JsValue:
    """The static value of an expression, or why it has none.

    `static` values have `value` (str, int, float, bool, None, lists and dicts of those);
    `undefined` marks JavaScript's `undefined`. A value that is not static has its `source` text and
    a `reason`; `prefix` is the text it certainly starts with (`BASE + '/x/' + id` with a known
    BASE), `choices` the values a conditional picks. `origin` says where the value, or its prefix,
    was written, when the evaluator was told how to locate nodes.
    """

    value: Any = None
    static: bool = True
    source: str = ""
    reason: str = ""
    undefined: bool = False
    prefix: str = ""
    choices: tuple[Choice, ...] = ()
    origin: Where | None = None

    @staticmethod
    def not_static(node: Node, reason: str, **more: Any) -> JsValue:
        source = " ".join(text_of(node).split())
        if len(source) > MAX_SOURCE_TEXT:
            source = source[: MAX_SOURCE_TEXT - 3] + "..."
        return JsValue(None, False, source, reason, **more)

    def outcomes(self) -> tuple[tuple[str, JsValue], ...]:
        """Each value this can take with its condition ("" when unconditional)."""
        if self.choices:
            return tuple((c.condition, c.value) for c in self.choices)
        return (("", self),)


class DepthCounter:
    """How deep the evaluation currently is; shared by evaluators that call into each other."""

    def __init__(self) -> None:
        self.depth = 0


Resolver = Callable[["Node", "Evaluator"], "JsValue | None"]
Locator = Callable[["Node"], Where]

_NOT_STATIC_REASONS = {
    "identifier": "the variable",
    "member_expression": "the member expression",
    "subscript_expression": "the member expression",
    "call_expression": "the call",
    "new_expression": "the call",
    "ternary_expression": "the conditional expression",
    "arrow_function": "a function",
    "function_expression": "a function",
    "function": "a function",
    "await_expression": "the await expression",
    "assignment_expression": "the assignment",
}


class Evaluator:
    """Folds expressions of one parsed file into `JsValue`s (see the module docstring)."""

    def __init__(
        self,
        *,
        budget: Budget = DEFAULT_BUDGET,
        resolve: Resolver | None = None,
        locate: Locator | None = None,
        branches: bool = False,
        counter: DepthCounter | None = None,
    ) -> None:
        self.budget = budget
        self.resolve = resolve
        self.locate = locate
        self.branches = branches
        self.counter = counter if counter is not None else DepthCounter()

    def of(self, node: Node) -> JsValue:
        """The value of `node` (see the module docstring)."""
        counter = self.counter
        if counter.depth >= self.budget.max_depth:
            return JsValue.not_static(
                node, f"an expression nested more than {self.budget.max_depth} deep"
            )
        counter.depth += 1
        try:
            return self._of(unwrap(node))
        finally:
            counter.depth -= 1

    def _here(self, node: Node) -> Where | None:
        return self.locate(node) if self.locate is not None else None

    def _of(self, node: Node) -> JsValue:
        kind = node.type
        if kind == "string":
            text = js_unescape(text_of(node)[1:-1])
            if text is None:
                return JsValue.not_static(node, "a string with an escape that is no character")
            return JsValue(text, origin=self._here(node))
        if kind == "template_string":
            return self._template(node)
        if kind == "number":
            number = js_number(text_of(node))
            if number is None:
                return JsValue.not_static(node, "a number literal domaincheck cannot read")
            return JsValue(number, origin=self._here(node))
        if kind in ("true", "false"):
            return JsValue(kind == "true")
        if kind == "null":
            return JsValue(None)
        if kind == "undefined" or (kind == "identifier" and text_of(node) == "undefined"):
            return JsValue(None, undefined=True)
        if kind == "unary_expression":
            return self._unary(node)
        if kind == "binary_expression":
            operator = node.child_by_field_name("operator")
            op = text_of(operator) if operator is not None else ""
            if op == "+":
                return self._sum(node)
            if self.branches and op in ("||", "??"):
                return self._default(node, op)
            if op in ("===", "!==", "==", "!="):
                compared = self._compare(node, op)
                if compared is not None:
                    return compared
        if kind == "array":
            return self._array(node)
        if kind == "object":
            return self._object(node)
        if kind == "ternary_expression" and self.branches:
            return self._ternary(node)
        if self.resolve is not None:
            resolved = self.resolve(node, self)
            if resolved is not None:
                return resolved
        if kind == "binary_expression":
            return JsValue.not_static(node, "the expression")
        return JsValue.not_static(
            node, _NOT_STATIC_REASONS.get(kind, f"the {kind.replace('_', ' ')}")
        )

    def _unary(self, node: Node) -> JsValue:
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if operator is None or argument is None:
            return JsValue.not_static(node, "the expression")
        inner = self.of(argument)
        op = text_of(operator)
        if inner.static and is_number(inner.value):
            if op == "-":
                return JsValue(-inner.value)
            if op == "+":
                return JsValue(inner.value)
            if op == "!":  # minified code writes true as !0 and false as !1
                return JsValue(not inner.value)
        if inner.static and op == "!" and isinstance(inner.value, bool):
            return JsValue(not inner.value)
        return JsValue.not_static(node, "the expression")

    def _compare(self, node: Node, op: str) -> JsValue | None:
        """`a === b` on two known strings, numbers, booleans or nulls; None otherwise."""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return None
        a, b = self.of(left), self.of(right)
        scalar = (str, int, float, bool, type(None))
        if not (
            a.static and b.static and isinstance(a.value, scalar) and isinstance(b.value, scalar)
        ):
            return None
        equal = a.value == b.value and type(a.value) is type(b.value) and a.undefined == b.undefined
        if op in ("==", "!=") and a.value is None and b.value is None:
            equal = True
        return JsValue(equal if op in ("===", "==") else not equal)

    def _sum(self, node: Node) -> JsValue:
        """`a + b + c ...`: a left-deep chain folded in a loop, not one call per operator."""
        operands: list[Node] = []
        current = node
        while current.type == "binary_expression":
            operator = current.child_by_field_name("operator")
            left = current.child_by_field_name("left")
            right = current.child_by_field_name("right")
            if operator is None or left is None or right is None or text_of(operator) != "+":
                break
            operands.append(right)
            current = unwrap(left)
        operands.append(current)
        operands.reverse()
        total = self.of(operands[0])
        last = len(operands) - 1
        for index, operand in enumerate(operands[1:], start=1):
            total = self.add(total, self.of(operand), node, outermost=index == last)
            if not (total.static or total.prefix or total.choices):
                break  # nothing more to learn, and the reason (a budget, say) stays
        return total

    def add(self, a: JsValue, b: JsValue, node: Node, outermost: bool = True) -> JsValue:
        """JavaScript's `a + b` on two values (strings and numbers only); `node` names the sum.

        The sum's origin is its first non-empty part's: where a URL's host was written."""
        if a.static and a.value == "" and b.origin is not None:
            a = replace(a, origin=None)
        if a.static and b.static:
            if is_number(a.value) and is_number(b.value):
                return JsValue(a.value + b.value, origin=a.origin or b.origin)
            textish = (isinstance(a.value, str) or isinstance(b.value, str)) and all(
                isinstance(v, str) or is_number(v) for v in (a.value, b.value)
            )
            if textish:
                if len(str(a.value)) + len(str(b.value)) > self.budget.max_text:
                    return JsValue.not_static(
                        node, f"a string over {self.budget.max_text} characters"
                    )
                return JsValue(f"{a.value}{b.value}", origin=a.origin or b.origin)
            reason = (
                "the expression" if outermost else "an expression with values that are not literals"
            )
            return JsValue.not_static(node, reason)
        if a.choices or b.choices:
            return self._cross(a, b, node, lambda x, y: self.add(x, y, node))
        prefix = ""
        if a.static and isinstance(a.value, str | int | float) and not isinstance(a.value, bool):
            prefix = f"{a.value}{b.prefix}"
        elif not a.static:
            prefix = a.prefix
        return JsValue.not_static(
            node,
            "an expression with values that are not literals",
            prefix=prefix[: self.budget.max_text],
            origin=a.origin or b.origin,
        )

    def _cross(
        self, a: JsValue, b: JsValue, node: Node, combine: Callable[[JsValue, JsValue], JsValue]
    ) -> JsValue:
        choices: list[Choice] = []
        for condition_a, value_a in a.outcomes():
            for condition_b, value_b in b.outcomes():
                condition = " && ".join(c for c in (condition_a, condition_b) if c)
                combined = combine(value_a, value_b)
                for inner_condition, inner in combined.outcomes():
                    joined = " && ".join(c for c in (condition, inner_condition) if c)
                    choices.append(Choice(joined, inner))
                if len(choices) > self.budget.max_choices:
                    return JsValue.not_static(
                        node, f"a value with more than {self.budget.max_choices} branches"
                    )
        return self._choose(node, choices)

    def _choose(self, node: Node, choices: list[Choice]) -> JsValue:
        return JsValue.not_static(
            node, "the conditional expression", choices=tuple(choices), origin=None
        )

    def _ternary(self, node: Node) -> JsValue:
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        if condition is None or consequence is None or alternative is None:
            return JsValue.not_static(node, "the conditional expression")
        test = self.of(condition)
        if test.static:
            return self.of(consequence if test.value else alternative)
        text = " ".join(text_of(unwrap(condition)).split())[:MAX_SOURCE_TEXT]
        yes, no = self.of(consequence), self.of(alternative)
        choices: list[Choice] = []
        for label, value in ((text, yes), (f"not ({text})", no)):
            for inner_condition, inner in value.outcomes():
                joined = " && ".join(c for c in (label, inner_condition) if c)
                choices.append(Choice(joined, inner))
        if len(choices) > self.budget.max_choices:
            return JsValue.not_static(
                node, f"a value with more than {self.budget.max_choices} branches"
            )
        return self._choose(node, choices)

    def _default(self, node: Node, op: str) -> JsValue:
        """`a || b`, `a ?? b`: `a` when it is known and set, else both, each with its condition."""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return JsValue.not_static(node, "the expression")
        first = self.of(left)
        if first.static:
            taken = first.value is not None and not first.undefined
            if op == "||":
                taken = bool(first.value)
            return first if taken else self.of(right)
        text = " ".join(text_of(unwrap(left)).split())[:MAX_SOURCE_TEXT]
        second = self.of(right)
        choices = [
            *(
                Choice(" && ".join(c for c in (f"{text} is set", inner) if c), value)
                for inner, value in first.outcomes()
            ),
            *(
                Choice(" && ".join(c for c in (f"{text} is not set", inner) if c), value)
                for inner, value in second.outcomes()
            ),
        ]
        if len(choices) > self.budget.max_choices:
            return JsValue.not_static(
                node, f"a value with more than {self.budget.max_choices} branches"
            )
        return self._choose(node, choices)

    def _template(self, node: Node) -> JsValue:
        body = text_of(node)
        substitutions = [c for c in node.children if c.type == "template_substitution"]
        if not substitutions:
            text = js_unescape(body[1:-1])
            if text is None:
                return JsValue.not_static(node, "a string with an escape that is no character")
            return JsValue(text, origin=self._here(node))
        # the literal stretches between substitutions, and the substitutions' values, in order
        start = node.start_byte + 1
        raw = node.text or b""
        total = JsValue("", origin=self._here(node))
        known = True
        for substitution in substitutions:
            chunk = js_unescape(
                raw[start - node.start_byte : substitution.start_byte - node.start_byte].decode(
                    "utf-8", errors="replace"
                )
            )
            expression = next((c for c in substitution.named_children if c.type != "comment"), None)
            value = self.of(expression) if expression is not None else JsValue(None, False)
            if chunk is None:
                return JsValue.not_static(node, "a string with an escape that is no character")
            total = self.add(total, JsValue(chunk), node)
            if not value.static:
                known = False
            elif not isinstance(value.value, str):
                value = JsValue(_js_string(value.value))
            total = self.add(total, value, node)
            start = substitution.end_byte
        tail = js_unescape(raw[start - node.start_byte : -1].decode("utf-8", errors="replace"))
        if tail is None:
            return JsValue.not_static(node, "a string with an escape that is no character")
        total = self.add(total, JsValue(tail), node)
        if known and total.static:
            return total
        if total.choices:
            return total
        return JsValue.not_static(
            node, "a template string with ${...}", prefix=total.prefix, origin=total.origin
        )

    def _array(self, node: Node) -> JsValue:
        items = [self.of(c) for c in node.named_children if c.type != "comment"]
        if all(i.static and not i.undefined for i in items):
            return JsValue([i.value for i in items])
        return JsValue.not_static(node, "a list with values that are not literals")

    def _object(self, node: Node) -> JsValue:
        result: dict[str, Any] = {}
        for child in node.named_children:
            if child.type == "comment":
                continue
            if child.type != "pair":
                return JsValue.not_static(node, "an object with entries that are not literals")
            key_node = child.child_by_field_name("key")
            value_node = child.child_by_field_name("value")
            key = property_key(key_node) if key_node is not None else None
            value = self.of(value_node) if value_node is not None else None
            if key is None or value is None or not value.static:
                return JsValue.not_static(node, "an object with entries that are not literals")
            result[key] = value.value
        return JsValue(result)


def with_origin(value: JsValue, origin: Where | None) -> JsValue:
    """`value` with `origin` when it has none yet."""
    if value.origin is not None or origin is None:
        return value
    return replace(value, origin=origin)


def property_key(node: Node) -> str | None:
    """The name an object key or member property stands for (`a`, `'a'`, `1`), or None (computed)."""
    if node.type in (
        "property_identifier",
        "identifier",
        "private_property_identifier",
        "shorthand_property_identifier",
    ):
        return text_of(node)
    if node.type == "string":
        return js_unescape(text_of(node)[1:-1])
    if node.type == "number":
        number = js_number(text_of(node))
        return None if number is None else js_number_key(number)
    return None


def object_pairs(node: Node) -> Iterator[tuple[str, Node]]:
    """The `key: value` entries of an object literal whose key is known, in order: (name, value).

    Computed keys, shorthand properties, spreads and methods are left out.
    """
    for child in node.named_children:
        if child.type != "pair":
            continue
        key = child.child_by_field_name("key")
        value = child.child_by_field_name("value")
        name = property_key(key) if key is not None else None
        if name is not None and value is not None:
            yield name, value


def object_entry(node: Node, name: str) -> Node | None:
    """The value node of the last entry `name` of an object literal (a later key wins)."""
    found: Node | None = None
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            if key is not None and property_key(key) == name:
                found = child.child_by_field_name("value")
        elif child.type == "shorthand_property_identifier" and text_of(child) == name:
            found = child
    return found


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")


class _BadEscape(Exception):
    pass


def js_unescape(body: str) -> str | None:
    """The value of a JavaScript string literal's body (between the quotes); None when an escape
    names no character (`\\u{110000}`)."""

    def one(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
            return ""  # line continuation
        if escape.startswith("u{"):
            digits = escape[2:-1].lstrip("0") or "0"
            if len(digits) > 6 or int(digits, 16) > 0x10FFFF:
                raise _BadEscape
            return chr(int(digits, 16))
        if escape.startswith(("u", "x")) and len(escape) > 1:
            return chr(int(escape[1:], 16))
        return _ESCAPES.get(escape, escape)

    if "\\" not in body:
        return body
    try:
        return _ESCAPE_RE.sub(one, body)
    except _BadEscape:
        return None


def js_number(text: str) -> int | float | None:
    """The value of a JavaScript number literal (separators, hex/octal/binary, exponents, BigInt)."""
    clean = text.replace("_", "").rstrip("n").lower()
    try:
        if clean.startswith(("0x", "0o", "0b")):
            return int(clean, 0)
        if clean.isdigit():
            return int(clean)
        number = float(clean)
    except ValueError:
        return None
    return int(number) if number.is_integer() else number  # JavaScript has one number type


def is_number(value: Any) -> bool:
    """True for an int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def js_number_key(number: int | float) -> str:
    """How JavaScript spells a number used as a key (`1.0` -> "1")."""
    try:
        return str(int(number)) if float(number).is_integer() else str(number)
    except OverflowError:  # a huge integer: float() overflows, and it is an integer anyway
        return str(number)


def _js_string(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return js_number_key(value) if float(value).is_integer() else str(value)
    return str(value)


__all__ = [
    "DEFAULT_BUDGET",
    "Budget",
    "Choice",
    "DepthCounter",
    "Evaluator",
    "JsValue",
    "Where",
]

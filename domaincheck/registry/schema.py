"""A small data-driven schema walker for YAML node trees.

It checks a composed YAML document (nodes keep their line marks) against a tree of specs, collects
every problem with its line instead of stopping at the first, and returns plain data (dict, list,
str, int, bool) that can be cached with `marshal`. Records carry the line they start on (`_line`)
and the line of each field (`_lines`), so later checks can point at the right place too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from domaincheck.core.domains import HostKind, classify_host
from domaincheck.files.yaml_lines import line_of

INVALID: Any = object()  # returned by a spec whose node is wrong; the problem is already recorded

_TAG = "tag:yaml.org,2002:"
_SCALAR_KINDS = {
    f"{_TAG}str": "a string",
    f"{_TAG}int": "a number",
    f"{_TAG}float": "a number",
    f"{_TAG}bool": "true/false",
    f"{_TAG}null": "nothing (null)",
    f"{_TAG}timestamp": "a date",
}


def describe(node: Node) -> str:
    """What a node is, in the words of a problem message."""
    if _is_map(node):
        return "a mapping"
    if _is_list(node):
        return "a list"
    return _SCALAR_KINDS.get(node.tag, f"a value tagged {node.tag}")


def _is_map(node: Node) -> TypeGuard[MappingNode]:
    return isinstance(node, MappingNode) and node.tag == f"{_TAG}map"


def _is_list(node: Node) -> TypeGuard[SequenceNode]:
    return isinstance(node, SequenceNode) and node.tag == f"{_TAG}seq"


@dataclass
class Walk:
    """The state of one walk: the problems found so far and the ids later specs may refer to."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    known: dict[str, set[str]] = field(default_factory=dict)

    def problem(self, line: int, path: str, message: str) -> None:
        self.problems.append((line, f"{path}: {message}" if path else message))


class Spec:
    """One kind of value the schema accepts; `expected` names it in "wrong type" messages."""

    expected = "a value"

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        raise NotImplementedError

    def wrong_type(self, node: Node, path: str, walk: Walk) -> Any:
        walk.problem(line_of(node), path, f"expected {self.expected}, got {describe(node)}")
        return INVALID


class Text(Spec):
    """Free text: any non-null scalar, taken as written (so `version: 2024-10` stays a string)."""

    expected = "text"

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        if node.tag not in _SCALAR_KINDS or node.tag == f"{_TAG}null":
            return self.wrong_type(node, path, walk)
        return str(node.value)


class String(Spec):
    """A string scalar, optionally matching a pattern that `what` describes."""

    expected = "a string"

    def __init__(self, pattern: str | None = None, what: str = "") -> None:
        self.pattern = re.compile(pattern) if pattern else None
        self.what = what

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        if not isinstance(node, ScalarNode) or node.tag != f"{_TAG}str":
            return self.wrong_type(node, path, walk)
        value = str(node.value)
        if not value.strip():
            walk.problem(line_of(node), path, "must not be empty")
            return INVALID
        if self.pattern and not self.pattern.fullmatch(value):
            walk.problem(line_of(node), path, f"{value!r} is not {self.what}")
            return INVALID
        return value


class Boolean(Spec):
    expected = "true or false"

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        if not isinstance(node, ScalarNode) or node.tag != f"{_TAG}bool":
            return self.wrong_type(node, path, walk)
        return str(node.value).lower() in ("true", "yes", "on")


class Integer(Spec):
    expected = "a whole number"

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        if not isinstance(node, ScalarNode) or node.tag != f"{_TAG}int":
            return self.wrong_type(node, path, walk)
        try:
            return int(str(node.value).replace("_", ""), 0)
        except ValueError:
            return self.wrong_type(node, path, walk)


class Hostname(String):
    """A bare public hostname in its canonical form: lower case, A-label, no trailing dot.

    Uses the same rules as the whitelist checks (`domaincheck.core.domains.classify_host`).
    """

    expected = "a hostname"

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        value = super().check(node, path, walk)
        if value is INVALID:
            return INVALID
        canonical, kind, why = classify_host(value)
        if "://" in value:
            why = "it has a scheme; write the bare host"
        if why is None and kind is not HostKind.NAME:
            why = _NOT_A_NAME.get(kind, f"it is a {kind.value} host")
        if why is None and canonical != value:
            why = f"write it as {canonical!r}"
        if why is not None:
            walk.problem(line_of(node), path, f"invalid hostname {value!r}: {why}")
            return INVALID
        return value


_NOT_A_NAME = {
    HostKind.IPV4: "it is an IP address, not a hostname",
    HostKind.IPV6: "it is an IP address, not a hostname",
    HostKind.LOCALHOST: "it is localhost or a loopback address",
    HostKind.WILDCARD: "it is a wildcard",
}


class Choice(String):
    """One of a fixed set of strings; `what` names the set ("role", "platform")."""

    def __init__(self, values: tuple[str, ...], what: str) -> None:
        super().__init__()
        self.values = values
        self.what = what

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        value = super().check(node, path, walk)
        if value is INVALID:
            return INVALID
        if value not in self.values:
            walk.problem(
                line_of(node),
                path,
                f"unknown {self.what} {value!r} (expected one of: {', '.join(self.values)})",
            )
            return INVALID
        return value


class Ref(String):
    """The id of something declared elsewhere in the document (a `MapOf(..., declares=kind)`)."""

    def __init__(self, kind: str, what: str) -> None:
        super().__init__()
        self.kind = kind
        self.what = what

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        value = super().check(node, path, walk)
        if value is INVALID:
            return INVALID
        known = walk.known.get(self.kind, set())
        if value not in known:
            listed = ", ".join(sorted(known)) or "none declared"
            walk.problem(line_of(node), path, f"unknown {self.what} {value!r} (known: {listed})")
            return INVALID
        return value


class ListOf(Spec):
    """A list whose items all match `item`; invalid items are left out of the result."""

    expected = "a list"

    def __init__(self, item: Spec, min_items: int = 0) -> None:
        self.item = item
        self.min_items = min_items

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        if not _is_list(node):
            return self.wrong_type(node, path, walk)
        if len(node.value) < self.min_items:
            walk.problem(line_of(node), path, f"needs at least {self.min_items} item(s)")
        items = (self.item.check(child, f"{path}[{i}]", walk) for i, child in enumerate(node.value))
        return [value for value in items if value is not INVALID]


def _pairs(node: MappingNode, path: str, walk: Walk) -> list[tuple[str, Node, Node]]:
    """A mapping's (key, key node, value node) with non-string and repeated keys reported."""
    pairs: list[tuple[str, Node, Node]] = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag != f"{_TAG}str":
            walk.problem(
                line_of(key_node), path, f"a key must be a string, not {describe(key_node)}"
            )
            continue
        key = str(key_node.value)
        if key in seen:
            walk.problem(
                line_of(key_node), path, f"duplicate key {key!r} (first at line {seen[key]})"
            )
            continue
        seen[key] = line_of(key_node)
        pairs.append((key, key_node, value_node))
    return pairs


class MapOf(Spec):
    """A mapping from ids to values; `declares` records its ids for `Ref(kind)` to check against."""

    expected = "a mapping"

    def __init__(self, key: String, value: Spec, declares: str = "") -> None:
        self.key = key
        self.value = value
        self.declares = declares

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        if not _is_map(node):
            return self.wrong_type(node, path, walk)
        result: dict[str, Any] = {}
        for key, key_node, value_node in _pairs(node, path, walk):
            if self.key.check(key_node, f"{path}.{key}", walk) is INVALID:
                continue
            value = self.value.check(value_node, f"{path}.{key}", walk)
            if value is not INVALID:
                result[key] = value
        if self.declares:
            # Ids whose value is broken still count as declared: one problem, not a cascade.
            walk.known.setdefault(self.declares, set()).update(
                key for key, _, _ in _pairs(node, path, Walk())
            )
        return result


@dataclass(frozen=True)
class Field:
    spec: Spec
    required: bool = False


class Record(Spec):
    """A mapping with a fixed set of keys, walked in the order the schema declares them.

    The result holds the valid fields, `_line` (where the mapping starts), `_lines` (where each
    field's value is) and `_sizes` (how many items each list field had as written, broken ones
    included). A record with a missing or broken required field is INVALID.
    """

    expected = "a mapping"

    def __init__(self, fields: Mapping[str, Field], name: str = "") -> None:
        self.fields = dict(fields)
        self.name = name

    def check(self, node: Node, path: str, walk: Walk) -> Any:
        if not _is_map(node):
            return self.wrong_type(node, path, walk)
        given = {
            key: (key_node, value_node) for key, key_node, value_node in _pairs(node, path, walk)
        }
        for key, (key_node, _) in given.items():
            if key not in self.fields:
                allowed = ", ".join(self.fields)
                walk.problem(line_of(key_node), path, f"unknown key {key!r} (allowed: {allowed})")
        result: dict[str, Any] = {"_line": line_of(node), "_lines": {}, "_sizes": {}}
        complete = True
        for key, spec in self.fields.items():
            where = f"{path}.{key}" if path else key
            if key not in given:
                if spec.required:
                    thing = f" of {self.name}" if self.name else ""
                    walk.problem(line_of(node), path, f"missing required field {key!r}{thing}")
                    complete = False
                continue
            value_node = given[key][1]
            if isinstance(value_node, SequenceNode):
                result["_sizes"][key] = len(value_node.value)
            value = spec.spec.check(value_node, where, walk)
            if value is INVALID:
                complete = complete and not spec.required
                continue
            result[key] = value
            result["_lines"][key] = line_of(value_node)
        return result if complete else INVALID


def walk_document(
    root: Node, schema: Spec, finish: Callable[[Any, Walk], None] | None = None
) -> tuple[Any, list[tuple[int, str]]]:
    """Checks `root` against `schema`; returns the plain data and the problems sorted by line."""
    walk = Walk()
    data = schema.check(root, "", walk)
    if finish is not None and data is not INVALID:
        finish(data, walk)
    return data, sorted(walk.problems, key=lambda p: p[0])

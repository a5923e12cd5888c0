"""One parsed source file of the app: its tree, declarations, imports and exports, read once.

A Vue component is parsed with everything outside its `<script>` blocks blanked, so lines stay the
component's own; uni-app `#ifdef` branches the platform's build drops are blanked the same way.
Scopes are approximated the way a reader does it: a name means the innermost declaration whose
block holds the use, else a parameter of an enclosing function, else an import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domaincheck.scan.model import Place
from domaincheck.scan.walk import SourceText
from domaincheck.source.evaluate import Where, object_entry, property_key
from domaincheck.source.jsparse import (
    NodeIndex,
    dialect_of,
    parse,
    require_target,
    syntax_error,
    text_of,
    unwrap,
)
from domaincheck.source.uniapp import has_directives, keep_platform_branches
from domaincheck.source.vue import scripts_in_place

if TYPE_CHECKING:
    from tree_sitter import Node

_INDEXED = (
    "call_expression",
    "new_expression",
    "variable_declarator",
    "assignment_expression",
    "import_statement",
    "export_statement",
    "function_declaration",
    "pair",
    "field_definition",
    "public_field_definition",
)
FUNCTION_TYPES = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
    }
)
_BLOCK_TYPES = frozenset({"statement_block", "program", "class_body", "switch_body"})


@dataclass(frozen=True)
class Binding:
    """A declared name: its value node (`value`), or a key of it (`const {a} = value`)."""

    name: str
    declaration: Node
    value: Node | None
    key: str | None
    scope: Node


@dataclass(frozen=True)
class Param:
    """A parameter of `function`: its position, the key when destructured, and its default."""

    function: Node
    index: int
    key: str | None
    default: Node | None


@dataclass(frozen=True)
class Imported:
    """A name bound by an import: the module specifier and the name it imports (`default`, `*`)."""

    specifier: str
    name: str


class Module:
    """A parsed file (see the module docstring); `error` is its first syntax error, if any."""

    def __init__(self, source: SourceText, define: str) -> None:
        self.source = source
        self.rel = source.rel
        self.package = source.package
        text = source.text
        suffix = source.path.suffix.lower()
        if suffix in (".vue", ".nvue"):
            text, dialect = scripts_in_place(text)
        else:
            dialect = dialect_of(suffix) or "javascript"
        if has_directives(text):
            text, _ = keep_platform_branches(text, define)
        tree = parse(text, dialect)
        self.root = tree.root_node
        self.error: str | None = None
        if self.root.has_error:
            self.error = syntax_error(self.root, source.path, dialect, 0).split(": ", 1)[-1]
            self.error_line = _error_line(self.root)
        self.index = NodeIndex(self.root, _INDEXED, tree.language)
        self._bindings: dict[str, list[Binding]] | None = None
        self._calls_by_name: dict[str, list[Node]] | None = None
        self._assignments: dict[str, list[Node]] | None = None
        self._imports: dict[str, Imported] | None = None
        self._exports: dict[str, Node] | None = None
        self.reexports: dict[str, Imported] = {}
        self.export_all: list[str] = []
        self.commonjs: Node | None = None

    def calls_named(self, name: str) -> list[Node]:
        """The calls whose callee is `name(...)` or `x.name(...)`, found in one pass."""
        if self._calls_by_name is None:
            found: dict[str, list[Node]] = {}
            for call in self.index["call_expression"]:
                callee = call.child_by_field_name("function")
                if callee is None:
                    continue
                callee = unwrap(callee)
                if callee.type == "identifier":
                    key = text_of(callee)
                elif callee.type == "member_expression":
                    prop = callee.child_by_field_name("property")
                    key = text_of(prop) if prop is not None else ""
                else:
                    continue
                found.setdefault(key, []).append(call)
            self._calls_by_name = found
        return self._calls_by_name.get(name, [])

    def assignments_to(self, name: str) -> list[Node]:
        """The `name = value` assignments of a plain identifier, in document order."""
        if self._assignments is None:
            found: dict[str, list[Node]] = {}
            for node in self.index["assignment_expression"]:
                left = node.child_by_field_name("left")
                if left is not None and left.type == "identifier":
                    found.setdefault(text_of(left), []).append(node)
            self._assignments = found
        return self._assignments.get(name, [])

    def where(self, node: Node) -> Where:
        return Where(self.rel, node.start_point.row + 1)

    def place(self, node: Node) -> Place:
        return Place(self.rel, node.start_point.row + 1)

    # -- declarations -------------------------------------------------------------------------

    @property
    def bindings(self) -> dict[str, list[Binding]]:
        if self._bindings is None:
            found: dict[str, list[Binding]] = {}
            for node in self.index["variable_declarator"]:
                name = node.child_by_field_name("name")
                value = node.child_by_field_name("value")
                if name is None:
                    continue
                scope = _scope_of(node)
                if name.type == "identifier":
                    found.setdefault(text_of(name), []).append(
                        Binding(text_of(name), node, value, None, scope)
                    )
                elif name.type == "object_pattern":
                    for local, key in _pattern_names(name):
                        found.setdefault(local, []).append(Binding(local, node, value, key, scope))
            for node in self.index["function_declaration"]:
                name = node.child_by_field_name("name")
                if name is not None:
                    scope = _scope_of(node)
                    found.setdefault(text_of(name), []).append(
                        Binding(text_of(name), node, node, None, scope)
                    )
            self._bindings = found
        return self._bindings

    def binding(self, name: str, at: Node) -> Binding | None:
        """The innermost declaration of `name` whose block holds `at`."""
        best: Binding | None = None
        for binding in self.bindings.get(name, ()):
            scope = binding.scope
            if not (scope.start_byte <= at.start_byte <= scope.end_byte):
                continue
            if (
                best is None
                or scope.start_byte > best.scope.start_byte
                or (
                    scope.start_byte == best.scope.start_byte
                    and (binding.declaration.start_byte <= at.start_byte)
                )
            ):
                best = binding
        return best

    def param(self, name: str, at: Node) -> Param | None:
        """The parameter `name` of the innermost function around `at` that has one."""
        node = at.parent
        while node is not None:
            if node.type in FUNCTION_TYPES:
                found = _param_of(node, name)
                if found is not None:
                    return found
            node = node.parent
        return None

    # -- imports and exports ------------------------------------------------------------------

    @property
    def imports(self) -> dict[str, Imported]:
        if self._imports is None:
            self._read_imports_exports()
        assert self._imports is not None
        return self._imports

    @property
    def exports(self) -> dict[str, Node]:
        if self._exports is None:
            self._read_imports_exports()
        assert self._exports is not None
        return self._exports

    def _read_imports_exports(self) -> None:
        imports: dict[str, Imported] = {}
        exports: dict[str, Node] = {}
        for node in self.index["import_statement"]:
            source = node.child_by_field_name("source")
            if source is None:
                continue
            specifier = text_of(source)[1:-1]
            clause = next((c for c in node.named_children if c.type == "import_clause"), None)
            if clause is None:
                continue
            for child in clause.named_children:
                if child.type == "identifier":
                    imports[text_of(child)] = Imported(specifier, "default")
                elif child.type == "namespace_import":
                    local = next((c for c in child.named_children if c.type == "identifier"), None)
                    if local is not None:
                        imports[text_of(local)] = Imported(specifier, "*")
                elif child.type == "named_imports":
                    for spec in child.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or name
                        if name is not None and alias is not None:
                            imports[text_of(alias)] = Imported(specifier, text_of(name))
        for node in self.index["variable_declarator"]:
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is None or value is None:
                continue
            required = require_target(value)
            if required is None:
                continue
            inner = unwrap(value)
            imported = "*"
            if inner.type == "member_expression":
                prop = inner.child_by_field_name("property")
                imported = text_of(prop) if prop is not None else "*"
            if name.type == "identifier":
                imports[text_of(name)] = Imported(required, imported)
            elif name.type == "object_pattern" and imported == "*":
                for bound, imported_key in _pattern_names(name):
                    imports[bound] = Imported(required, imported_key)
        for node in self.index["export_statement"]:
            source = node.child_by_field_name("source")
            if source is not None:
                specifier = text_of(source)[1:-1]
                clause = next((c for c in node.named_children if c.type == "export_clause"), None)
                if clause is None:
                    self.export_all.append(specifier)
                    continue
                for spec in clause.named_children:
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    if name is not None and alias is not None:
                        self.reexports[text_of(alias)] = Imported(specifier, text_of(name))
                continue
            if any(c.type == "default" for c in node.children):
                value = node.child_by_field_name("value") or node.child_by_field_name("declaration")
                if value is not None:
                    exports["default"] = value
                continue
            declaration = node.child_by_field_name("declaration")
            if declaration is not None:
                if declaration.type in ("lexical_declaration", "variable_declaration"):
                    for declarator in declaration.named_children:
                        name = declarator.child_by_field_name("name")
                        value = declarator.child_by_field_name("value")
                        if declarator.type == "variable_declarator" and name is not None and value:
                            exports[text_of(name)] = value
                else:
                    name = declaration.child_by_field_name("name")
                    if name is not None:
                        exports[text_of(name)] = declaration
            for clause in node.named_children:
                if clause.type != "export_clause":
                    continue
                for spec in clause.named_children:
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    if name is not None and alias is not None:
                        exports[text_of(alias)] = name
        for node in self.index["assignment_expression"]:
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None:
                continue
            target = "".join(text_of(left).split())
            if target in ("module.exports", "exports.default", "module.exports.default"):
                self.commonjs = right
                exports.setdefault("default", right)
            elif target.startswith(("module.exports.", "exports.")) and target.count(".") <= 2:
                exports[target.rsplit(".", 1)[1]] = right
        self._imports, self._exports = imports, exports

    def export(self, name: str) -> Node | None:
        """The node exported as `name` in this module (CommonJS object keys included)."""
        found = self.exports.get(name)
        if found is not None:
            return found
        if self.commonjs is not None and name != "default":
            target = unwrap(self.commonjs)
            if target.type == "object":
                return object_entry(target, name)
        return None


def function_name(function: Node) -> str | None:
    """The name callers use for `function`: its own, its variable's, its key's or its method's."""
    name = function.child_by_field_name("name")
    if name is not None and function.type != "arrow_function":
        return text_of(name)
    parent = function.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        declared = parent.child_by_field_name("name")
        return text_of(declared) if declared is not None else None
    if parent.type == "pair":
        key = parent.child_by_field_name("key")
        return property_key(key) if key is not None else None
    if parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        if left is not None:
            return text_of(left).rsplit(".", 1)[-1].strip()
    if parent.type in ("field_definition", "public_field_definition"):
        key = parent.child_by_field_name("property") or parent.child_by_field_name("name")
        return text_of(key) if key is not None else None
    return None


def enclosing_function(node: Node) -> Node | None:
    """The innermost function around `node`, or None at module level."""
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            return parent
        parent = parent.parent
    return None


def _scope_of(declaration: Node) -> Node:
    var = declaration.parent is not None and declaration.parent.type == "variable_declaration"
    node = declaration.parent
    while node is not None:
        if var and (node.type in FUNCTION_TYPES or node.type == "program"):
            return node
        if not var and (node.type in _BLOCK_TYPES or node.type in FUNCTION_TYPES):
            return node
        node = node.parent
    return declaration


def _pattern_names(pattern: Node) -> list[tuple[str, str]]:
    """`{a, b: c, d = 1}` -> [("a", "a"), ("c", "b"), ("d", "d")]: local name and key."""
    names: list[tuple[str, str]] = []
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            names.append((text_of(child), text_of(child)))
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is not None and value is not None:
                if value.type == "assignment_pattern":
                    value = value.child_by_field_name("left") or value
                if value.type == "identifier" and (k := property_key(key)) is not None:
                    names.append((text_of(value), k))
        elif child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None and left.type == "shorthand_property_identifier_pattern":
                names.append((text_of(left), text_of(left)))
    return names


def _param_of(function: Node, name: str) -> Param | None:
    single = function.child_by_field_name("parameter")
    if single is not None:
        return Param(function, 0, None, None) if text_of(single) == name else None
    params = function.child_by_field_name("parameters")
    if params is None:
        return None
    index = 0
    for child in params.named_children:
        if child.type == "comment":
            continue
        node = child
        if node.type in ("required_parameter", "optional_parameter"):
            node = node.child_by_field_name("pattern") or node
        default = None
        if node.type == "assignment_pattern":
            default = node.child_by_field_name("right")
            node = node.child_by_field_name("left") or node
        if node.type == "identifier" and text_of(node) == name:
            return Param(function, index, None, default)
        if node.type == "object_pattern":
            for local, key in _pattern_names(node):
                if local == name:
                    return Param(function, index, key, None)
        index += 1
    return None


def _error_line(root: Node) -> int:
    from domaincheck.source.jsparse import first_error

    bad = first_error(root)
    return bad.start_point.row + 1 if bad is not None else 1

"""JavaScript and TypeScript trees from tree-sitter, and the helpers every reader of them needs.

tree-sitter is a real, error-tolerant parser with maintained grammars for both languages, shipped
as wheels. The walk is iterative (a tree cursor: minified bundles nest deeper than Python's stack)
and `NodeIndex` lists the nodes a reader looks up in that one walk. `syntax_error` words the first
error of a tree as `file:line: ...` with the hints people need (a missing comma, full-width
punctuation typed with a Chinese input method, an unclosed string).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

JS_SUFFIXES = frozenset({".js", ".mjs", ".cjs", ".jsx"})
TS_SUFFIXES = frozenset({".ts", ".mts", ".cts"})
TSX_SUFFIXES = frozenset({".tsx"})

LANGUAGE_NAMES = {"javascript": "JavaScript", "typescript": "TypeScript", "tsx": "TSX"}


def dialect_of(suffix: str) -> str | None:
    """The tree-sitter dialect for a file suffix (".ts" -> "typescript"); None when not a script."""
    suffix = suffix.lower()
    if suffix in JS_SUFFIXES:
        return "javascript"
    if suffix in TS_SUFFIXES:
        return "typescript"
    if suffix in TSX_SUFFIXES:
        return "tsx"
    return None


@functools.cache
def _parser(dialect: str) -> Any:
    # Imported here: only the commands that read source pay for the parser.
    import tree_sitter

    if dialect == "javascript":
        import tree_sitter_javascript

        language = tree_sitter.Language(tree_sitter_javascript.language())
    else:
        import tree_sitter_typescript

        grammar = (
            tree_sitter_typescript.language_tsx()
            if dialect == "tsx"
            else tree_sitter_typescript.language_typescript()
        )
        language = tree_sitter.Language(grammar)
    return tree_sitter.Parser(language)


def parse(text: str, dialect: str) -> Tree:
    """The tree of `text` in `dialect` ("javascript", "typescript" or "tsx")."""
    tree: Tree = _parser(dialect).parse(text.encode("utf-8"))
    return tree


def text_of(node: Node) -> str:
    """The source text of `node`."""
    return (node.text or b"").decode("utf-8", errors="replace")


def snippet(node: Node, limit: int = 40) -> str:
    """`node`'s text on one line, cut to `limit` characters, for messages."""
    text = " ".join(text_of(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def walk(root: Node) -> Iterator[Node]:
    """Every node under `root` in document order, without recursion (minified bundles nest
    deeply); a tree cursor, which is several times faster than listing each node's children."""
    cursor = root.walk()
    while True:
        node = cursor.node
        if node is not None:
            yield node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


def unwrap(node: Node) -> Node:
    """Drops parentheses and TypeScript-only wrappers (`as T`, `satisfies T`, `<T>x`, `x!`)."""
    while node.type in (
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    ):
        inner = next((c for c in node.named_children if not c.type.endswith("type")), None)
        if node.type == "type_assertion":
            inner = node.named_children[-1] if node.named_children else None
        if inner is None:
            break
        node = inner
    return node


@functools.lru_cache(maxsize=32)
def _type_query(language: Any, types: tuple[str, ...]) -> Any:
    """A query capturing every node of `types` the language has, each under its type's name."""
    import tree_sitter

    known = [t for t in types if language.id_for_node_kind(t, True)]
    return tree_sitter.Query(language, " ".join(f"({t}) @{t}" for t in known))


class NodeIndex:
    """The nodes of the given types, by type and in document order, found in one pass (a
    minified bundle has millions of nodes: walking it once per lookup took seconds each).

    With the tree's `language`, the pass is a tree-sitter query, run in C; without it, a walk.
    """

    def __init__(self, root: Node, types: Iterable[str], language: Any = None) -> None:
        wanted = tuple(types)
        self.by_type: dict[str, list[Node]] = {t: [] for t in wanted}
        by_type = self.by_type
        if language is not None:
            import tree_sitter

            captured = tree_sitter.QueryCursor(_type_query(language, wanted)).captures(root)
            for name, nodes in captured.items():
                by_type[name] = sorted(nodes, key=_start)
        else:
            for node in walk(root):
                found = by_type.get(node.type)
                if found is not None:
                    found.append(node)
        self._declared: dict[str, list[Node]] | None = None

    def __getitem__(self, node_type: str) -> list[Node]:
        return self.by_type[node_type]

    def declared(self, name: str) -> list[Node]:
        """The `variable_declarator`s that declare `name` (a plain identifier)."""
        if self._declared is None:
            self._declared = {}
            for node in self.by_type["variable_declarator"]:
                declared = node.child_by_field_name("name")
                if declared is not None and declared.type == "identifier":
                    self._declared.setdefault(text_of(declared), []).append(node)
        return self._declared.get(name, [])

    def of(self, *node_types: str) -> list[Node]:
        """Nodes of several types, in document order."""
        return sorted((n for t in node_types for n in self.by_type[t]), key=lambda n: n.start_byte)


def _start(node: Node) -> int:
    return node.start_byte


def require_target(node: Node) -> str | None:
    """The module of `require('m')` (also `require('m').x`, `require('m')['default']`), or None."""
    node = unwrap(node)
    while node.type in ("member_expression", "subscript_expression"):
        inner = node.child_by_field_name("object")
        if inner is None:
            break
        node = inner
    function = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if (
        node.type == "call_expression"
        and function is not None
        and text_of(function) == "require"
        and args is not None
        and args.named_children
        and args.named_children[0].type == "string"
    ):
        return text_of(args.named_children[0])[1:-1]
    return None


def imported_names(index: NodeIndex) -> dict[str, str]:
    """Local names bound by `import ... from 'm'` and `x = require('m')`, with the module.

    `index` must hold "import_statement" and "variable_declarator" nodes.
    """
    names: dict[str, str] = {}
    for node in index.of("import_statement", "variable_declarator"):
        if node.type == "import_statement":
            source = node.child_by_field_name("source")
            if source is None:
                continue
            module = text_of(source)[1:-1]
            for child in walk(node):
                local: Node | None = None
                if child.type == "import_specifier":
                    local = child.child_by_field_name("alias") or child.child_by_field_name("name")
                elif child.type == "namespace_import":
                    local = next((c for c in child.named_children if c.type == "identifier"), None)
                elif child.type == "identifier" and child.parent is not None:
                    local = child if child.parent.type == "import_clause" else None
                if local is not None:
                    names[text_of(local)] = module
        elif node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is None or value is None or name.type != "identifier":
                continue
            required = require_target(value)
            if required is not None:
                names[text_of(name)] = required
    return names


# ---------------------------------------------------------------------------------------------
# Syntax errors, worded for people


def syntax_error(root: Node, path: Path, dialect: str, line_offset: int) -> str:
    """`file:line: <Language> syntax error ...` for the first error in `root`'s tree."""
    language = LANGUAGE_NAMES[dialect]
    bad = first_error(root)
    if bad is None:
        return f"{path}:{1 + line_offset}: {language} syntax error"
    line = bad.start_point.row + 1 + line_offset
    if bad.is_missing:
        return f"{path}:{line}: {language} syntax error: missing {bad.type!r}"
    source = root.text or b""
    last_line = len(source.decode("utf-8", errors="replace").rstrip().splitlines()) + line_offset
    if bad.end_byte >= len(source.rstrip()) and bad.start_point.row < bad.end_point.row:
        return (
            f"{path}:{last_line}: {language} syntax error: unexpected end of file "
            f"(something opened at line {line} is not closed)"
        )
    comma_after = _missing_comma(bad)
    if comma_after is not None:
        comma_line = comma_after.end_point.row + 1 + line_offset
        return (
            f"{path}:{comma_line}: {language} syntax error: missing ',' after "
            f"{snippet(comma_after)!r}, before {snippet(_after(comma_after, bad))!r}"
        )
    wide = sorted({c for c in text_of(bad) if c in _FULL_WIDTH_PUNCTUATION})
    hint = (
        f" (full-width {' '.join(wide)} typed with a Chinese input method? JavaScript needs ASCII)"
        if wide
        else ""
    )
    if not hint and any(c.type == "string_fragment" for c in bad.children):
        hint = f" (a string on line {line} is not closed?)"
    return f"{path}:{line}: {language} syntax error near {snippet(bad)!r}{hint}"


_FULL_WIDTH_PUNCTUATION = frozenset("，：；“”‘’（）｛｝［］＝")


def _missing_comma(bad: Node) -> Node | None:
    """The object entry (or value) after which a ',' is missing, when `bad` looks like that.

    Two shapes: an ERROR between two entries of an object (the next entry could not attach), and
    an ERROR inside an entry holding the previous value and the next key, on separate lines.
    """
    if bad.type != "ERROR" or bad.parent is None:
        return None
    if bad.parent.type == "object":
        before = bad.prev_sibling
        while before is not None and before.type == "comment":
            before = before.prev_sibling
        if (
            before is not None
            and before.type == "pair"
            and before.end_point.row < bad.start_point.row
        ):
            return before
    elif bad.parent.type == "pair" and len(bad.named_children) >= 2:
        value, key = bad.named_children[0], bad.named_children[1]
        # a bare string_fragment is the inside of a string whose quote was never closed
        if value.type != "string_fragment" and value.end_point.row < key.start_point.row:
            return value
    return None


def _after(node: Node, bad: Node) -> Node:
    """What follows `node` in the erroneous stretch: the next key, for the message."""
    if bad.parent is not None and bad.parent.type == "pair" and len(bad.named_children) >= 2:
        return bad.named_children[1]
    return bad


def first_error(root: Node) -> Node | None:
    """The innermost node of the first syntax error, in document order."""
    node = root
    while True:
        inner = next((c for c in node.children if c.has_error or c.is_missing), None)
        if inner is None:
            return None if node is root else node
        node = inner

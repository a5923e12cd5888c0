"""Reads the SDK's options object out of the app's source: JavaScript, TypeScript, Vue, JSON or YAML.

JavaScript and TypeScript go through tree-sitter (a real, error-tolerant parser with maintained
grammars for both languages, shipped as wheels): the options are the first argument of
`new <anything>.connection(...)`, or else the object a module exports (as the demos'
`WebIMConfig.js` does). Only literals are read; every other value is kept as "not static" with its
source text. Syntax errors, a missing object and unreadable files raise `InputFileError` with the
file and line.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from domaincheck.errors import InputFileError
from domaincheck.inputfiles import read_text_file
from domaincheck.sdkconfig.model import ConfigShape, SdkConfig, SdkOption
from domaincheck.yaml_lines import composed_yaml, line_of

if TYPE_CHECKING:
    from tree_sitter import Node

_JS_SUFFIXES = frozenset({".js", ".mjs", ".cjs", ".jsx"})
_TS_SUFFIXES = frozenset({".ts", ".mts", ".cts"})
_TSX_SUFFIXES = frozenset({".tsx"})
_YAML_SUFFIXES = frozenset({".yaml", ".yml"})
SUPPORTED_SUFFIXES = (
    *sorted(_JS_SUFFIXES | _TS_SUFFIXES | _TSX_SUFFIXES),
    ".vue",
    ".json",
    *sorted(_YAML_SUFFIXES),
)

_MAX_SOURCE_TEXT = 80


def load_sdk_config(path: Path) -> SdkConfig:
    """Reads the SDK options from `path`; raises `InputFileError` (file and line) when it cannot."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputFileError(
            f"{path}: cannot read SDK options from a '{suffix or 'suffix-less'}' file "
            f"(supported: {' '.join(SUPPORTED_SUFFIXES)})"
        )
    text = read_text_file(path, "SDK config")
    return parse_sdk_config(text, path)


def parse_sdk_config(text: str, path: Path) -> SdkConfig:
    """Reads the SDK options from `text`, the content of `path` (its suffix picks the language)."""
    # Lines are counted as editors count them: CRLF and old Mac CR endings are one line break.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputFileError(f"{path}:1: no SDK options found: the file is empty")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _from_json(text, path)
    if suffix in _YAML_SUFFIXES:
        return _from_yaml(text, path)
    if suffix == ".vue":
        script, first_line, lang = _vue_script(text, path)
        dialect = (
            "tsx"
            if lang == "tsx"
            else "typescript"
            if lang in ("ts", "typescript")
            else "javascript"
        )
        return _from_script(script, path, dialect, first_line)
    if suffix in _TS_SUFFIXES:
        return _from_script(text, path, "typescript", 0)
    if suffix in _TSX_SUFFIXES:
        return _from_script(text, path, "tsx", 0)
    return _from_script(text, path, "javascript", 0)


# ---------------------------------------------------------------------------------------------
# JavaScript / TypeScript


def _parser(dialect: str) -> Any:
    # Imported here: only the commands that read an SDK config pay for the parser.
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


_LANGUAGE_NAMES = {"javascript": "JavaScript", "typescript": "TypeScript", "tsx": "TSX"}


def _from_script(text: str, path: Path, dialect: str, line_offset: int) -> SdkConfig:
    tree = _parser(dialect).parse(text.encode("utf-8"))
    root = tree.root_node
    if root.has_error:
        raise InputFileError(_syntax_error(root, path, dialect, line_offset))
    return _ScriptReader(path, line_offset).read(root)


def _syntax_error(root: Node, path: Path, dialect: str, line_offset: int) -> str:
    language = _LANGUAGE_NAMES[dialect]
    bad = _first_error(root)
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
            f"{_snippet(comma_after)!r}, before {_snippet(_after(comma_after, bad))!r}"
        )
    wide = sorted({c for c in _text(bad) if c in _FULL_WIDTH_PUNCTUATION})
    hint = (
        f" (full-width {' '.join(wide)} typed with a Chinese input method? JavaScript needs ASCII)"
        if wide
        else ""
    )
    return f"{path}:{line}: {language} syntax error near {_snippet(bad)!r}{hint}"


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
        if value.end_point.row < key.start_point.row:
            return value
    return None


def _after(node: Node, bad: Node) -> Node:
    """What follows `node` in the erroneous stretch: the next key, for the message."""
    if bad.parent is not None and bad.parent.type == "pair" and len(bad.named_children) >= 2:
        return bad.named_children[1]
    return bad


def _first_error(root: Node) -> Node | None:
    """The innermost node of the first syntax error, in document order."""
    node = root
    while True:
        inner = next((c for c in node.children if c.has_error or c.is_missing), None)
        if inner is None:
            return None if node is root else node
        node = inner


def _walk(root: Node) -> Iterator[Node]:
    """Every node in document order, without recursion (minified bundles nest deeply)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def _snippet(node: Node) -> str:
    text = " ".join(_text(node).split())
    return text if len(text) <= 40 else text[:37] + "..."


# Option names that mark an object as the SDK's options (the demos' config names included).
SDK_KEYS = frozenset(
    {"appKey", "appkey", "appId", "url", "apiUrl", "apiURL", "socketServer", "xmppURL", "isHttpDNS"}
)


def _object_keys(node: Node) -> set[str]:
    keys: set[str] = set()
    for child in node.named_children:
        if child.type == "pair" and (key := child.child_by_field_name("key")) is not None:
            name = _Value.key(key)
            if name is not None:
                keys.add(name)
        elif child.type == "shorthand_property_identifier":
            keys.add(_text(child))
    return keys


def _options_object(node: Node) -> tuple[Node, str | None] | None:
    """`node` when it holds SDK option names, else its first object value that does, with the key."""
    if _object_keys(node) & SDK_KEYS:
        return node, None
    for child in node.named_children:
        if child.type != "pair":
            continue
        key = child.child_by_field_name("key")
        value = child.child_by_field_name("value")
        if key is None or value is None:
            continue
        value = _unwrap(value)
        if value.type == "object" and _object_keys(value) & SDK_KEYS:
            return value, _Value.key(key)
    return None


def _changed_at(root: Node, name: str, declaration: Node) -> Node | None:
    """The first place after `declaration` that assigns to `name`, a member of it, or Object.assign()s it."""
    after = declaration.end_byte
    for node in _walk(root):
        if node.start_byte < after:
            continue
        if node.type in ("assignment_expression", "augmented_assignment_expression"):
            left = node.child_by_field_name("left")
            while left is not None and left.type in ("member_expression", "subscript_expression"):
                left = left.child_by_field_name("object")
            if left is not None and left.type == "identifier" and _text(left) == name:
                return node
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if function is not None and _text(function) == "Object.assign" and args is not None:
                first = next(iter(args.named_children), None)
                if first is not None and first.type == "identifier" and _text(first) == name:
                    return node
    return None


def _unwrap(node: Node) -> Node:
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


class _ScriptReader:
    def __init__(self, path: Path, line_offset: int) -> None:
        self.path = path
        self.offset = line_offset
        self.notes: list[str] = []

    def line(self, node: Node) -> int:
        return node.start_point.row + 1 + self.offset

    def read(self, root: Node) -> SdkConfig:
        calls = [n for n in _walk(root) if n.type == "new_expression" and self._is_connection(n)]
        if calls:
            return self._from_call(root, calls)
        exported = self._exported_object(root)
        if exported is not None:
            node, description = exported
            return self._config(node, ConfigShape.EXPORTED_OBJECT, description, self.line(node))
        raise InputFileError(
            f"{self.path}:1: no SDK options found: expected `new WebIM.connection({{...}})` "
            "(any receiver name), or a module exporting the options object "
            "(`export default {...}`, `module.exports = {...}`)"
        )

    @staticmethod
    def _is_connection(node: Node) -> bool:
        constructor = node.child_by_field_name("constructor")
        if constructor is None:
            return False
        constructor = _unwrap(constructor)
        if constructor.type == "member_expression":
            prop = constructor.child_by_field_name("property")
            return prop is not None and _text(prop) == "connection"
        return constructor.type == "identifier" and _text(constructor) == "connection"

    def _from_call(self, root: Node, calls: list[Node]) -> SdkConfig:
        call = calls[0]
        callee = _snippet(call.child_by_field_name("constructor") or call)
        description = f"new {callee}(...)"
        for other in calls[1:]:
            self.notes.append(f"another connection call at line {self.line(other)} was not checked")
        args = call.child_by_field_name("arguments")
        first = next(iter(args.named_children), None) if args is not None else None
        while first is not None and first.type == "comment":
            first = first.next_named_sibling
        if first is None:
            return SdkConfig(
                self.path,
                ConfigShape.CONNECTION_CALL,
                self.line(call),
                description,
                opaque="the connection is created without an options object",
                notes=tuple(self.notes),
            )
        return self._config(
            self._resolve(root, first), ConfigShape.CONNECTION_CALL, description, self.line(call)
        )

    def _resolve(self, root: Node, node: Node) -> Node:
        """An identifier naming a same-file `const/let/var x = {...}` stands for that object."""
        node = _unwrap(node)
        if node.type != "identifier":
            return node
        name = _text(node)
        found = [
            d
            for d in _walk(root)
            if d.type == "variable_declarator"
            and (n := d.child_by_field_name("name")) is not None
            and _text(n) == name
            and (v := d.child_by_field_name("value")) is not None
            and _unwrap(v).type == "object"
        ]
        if len(found) != 1:
            return node
        changed = _changed_at(root, name, found[0])
        if changed is not None:
            self.notes.append(
                f"`{name}` is changed at line {self.line(changed)} after its declaration, so "
                "its options are only known at run time"
            )
            return node
        value = found[0].child_by_field_name("value")
        assert value is not None
        self.notes.append(f"the options object is `{name}`, declared at line {self.line(found[0])}")
        return _unwrap(value)

    def _exported_object(self, root: Node) -> tuple[Node, str] | None:
        """The first exported object that holds SDK options (itself, or one of its object values)."""
        for node in _walk(root):
            value: Node | None = None
            description = ""
            if node.type == "export_statement" and any(c.type == "default" for c in node.children):
                value = node.child_by_field_name("value") or node.child_by_field_name("declaration")
                description = "export default {...}"
            elif node.type == "assignment_expression":
                left = node.child_by_field_name("left")
                target = _text(left).replace(" ", "") if left is not None else ""
                if target in ("module.exports", "module.exports.default", "exports.default"):
                    value = node.child_by_field_name("right")
                    description = f"{target} = {{...}}"
            if value is None:
                continue
            value = self._resolve(root, value)
            if value.type != "object":
                continue
            found = _options_object(value)
            if found is not None:
                inner, key = found
                if key is not None:
                    description += f", key {key}"
                return inner, description
        return None

    def _config(self, node: Node, shape: ConfigShape, description: str, line: int) -> SdkConfig:
        if node.type != "object":
            value = _Value.of(node)
            return SdkConfig(
                self.path,
                shape,
                line,
                description,
                opaque=f"the options are {value.reason} `{value.source}`",
                notes=tuple(self.notes),
            )
        options: list[SdkOption] = []
        for child in node.named_children:
            if child.type == "pair":
                key_node = child.child_by_field_name("key")
                value_node = child.child_by_field_name("value")
                if key_node is None or value_node is None:
                    continue
                key = _Value.key(key_node)
                if key is None:
                    self.notes.append(
                        f"line {self.line(child)}: computed key {_snippet(key_node)} not checked"
                    )
                    continue
                value = _Value.of(value_node)
                if value.undefined:
                    self.notes.append(f"line {self.line(child)}: {key} is undefined (not set)")
                    continue
                options.append(value.option(key, self.line(child)))
            elif child.type == "shorthand_property_identifier":
                name = _text(child)
                options.append(SdkOption(name, self.line(child), None, False, name, "the variable"))
            elif child.type == "method_definition":
                name_node = child.child_by_field_name("name")
                name = _text(name_node) if name_node is not None else "?"
                options.append(
                    SdkOption(name, self.line(child), None, False, _snippet(child), "a function")
                )
            elif child.type == "spread_element":
                self.notes.append(
                    f"line {self.line(child)}: {_snippet(child)} may set any option; not checked"
                )
        return SdkConfig(
            self.path, shape, line, description, tuple(options), notes=tuple(self.notes)
        )


class _Value:
    """The static value of an expression, or why it has none."""

    def __init__(
        self,
        value: Any = None,
        static: bool = True,
        source: str = "",
        reason: str = "",
        undefined: bool = False,
    ) -> None:
        self.value = value
        self.static = static
        self.source = source
        self.reason = reason
        self.undefined = undefined

    def option(self, name: str, line: int) -> SdkOption:
        if self.static:
            return SdkOption(name, line, self.value)
        return SdkOption(name, line, None, False, self.source, self.reason)

    @staticmethod
    def not_static(node: Node, reason: str) -> _Value:
        source = " ".join(_text(node).split())
        if len(source) > _MAX_SOURCE_TEXT:
            source = source[: _MAX_SOURCE_TEXT - 3] + "..."
        return _Value(None, False, source, reason)

    @staticmethod
    def key(node: Node) -> str | None:
        if node.type in ("property_identifier", "identifier", "private_property_identifier"):
            return _text(node)
        if node.type == "string":
            return _js_unescape(_text(node)[1:-1])
        if node.type == "number":
            number = _js_number(_text(node))
            return None if number is None else _js_number_key(number)
        return None

    @staticmethod
    def of(node: Node) -> _Value:
        node = _unwrap(node)
        kind = node.type
        if kind == "string":
            return _Value(_js_unescape(_text(node)[1:-1]))
        if kind == "template_string":
            if any(c.type == "template_substitution" for c in node.children):
                return _Value.not_static(node, "a template string with ${...}")
            return _Value(_js_unescape(_text(node)[1:-1]))
        if kind == "number":
            number = _js_number(_text(node))
            if number is None:
                return _Value.not_static(node, "a number literal domaincheck cannot read")
            return _Value(number)
        if kind in ("true", "false"):
            return _Value(kind == "true")
        if kind == "null":
            return _Value(None)
        if kind == "undefined" or (kind == "identifier" and _text(node) == "undefined"):
            return _Value(None, undefined=True)
        if kind == "unary_expression":
            return _Value._unary(node)
        if kind == "binary_expression":
            return _Value._binary(node)
        if kind == "array":
            items = [_Value.of(c) for c in node.named_children if c.type != "comment"]
            if all(i.static and not i.undefined for i in items):
                return _Value([i.value for i in items])
            return _Value.not_static(node, "a list with values that are not literals")
        if kind == "object":
            return _Value._object(node)
        reasons = {
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
        return _Value.not_static(node, reasons.get(kind, f"the {kind.replace('_', ' ')}"))

    @staticmethod
    def _unary(node: Node) -> _Value:
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if operator is None or argument is None:
            return _Value.not_static(node, "the expression")
        inner = _Value.of(argument)
        op = _text(operator)
        if (
            inner.static
            and isinstance(inner.value, int | float)
            and not isinstance(inner.value, bool)
        ):
            if op == "-":
                return _Value(-inner.value)
            if op == "+":
                return _Value(inner.value)
            if op == "!":  # minified code writes true as !0 and false as !1
                return _Value(not inner.value)
        if inner.static and op == "!" and isinstance(inner.value, bool):
            return _Value(not inner.value)
        return _Value.not_static(node, "the expression")

    @staticmethod
    def _binary(node: Node) -> _Value:
        operator = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if operator is None or left is None or right is None or _text(operator) != "+":
            return _Value.not_static(node, "the expression")
        a, b = _Value.of(left), _Value.of(right)
        if not (a.static and b.static):
            return _Value.not_static(node, "an expression with values that are not literals")
        if _is_number(a.value) and _is_number(b.value):
            return _Value(a.value + b.value)
        textish = (isinstance(a.value, str) or isinstance(b.value, str)) and all(
            isinstance(v, str) or _is_number(v) for v in (a.value, b.value)
        )
        if textish:
            return _Value(f"{a.value}{b.value}")
        return _Value.not_static(node, "the expression")

    @staticmethod
    def _object(node: Node) -> _Value:
        result: dict[str, Any] = {}
        for child in node.named_children:
            if child.type == "comment":
                continue
            if child.type != "pair":
                return _Value.not_static(node, "an object with entries that are not literals")
            key_node = child.child_by_field_name("key")
            value_node = child.child_by_field_name("value")
            key = _Value.key(key_node) if key_node is not None else None
            value = _Value.of(value_node) if value_node is not None else None
            if key is None or value is None or not value.static:
                return _Value.not_static(node, "an object with entries that are not literals")
            result[key] = value.value
        return _Value(result)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")


def _js_unescape(body: str) -> str:
    """The value of a JavaScript string literal's body (between the quotes)."""

    def one(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
            return ""  # line continuation
        if escape.startswith("u{"):
            return chr(int(escape[2:-1], 16))
        if escape.startswith(("u", "x")) and len(escape) > 1:
            return chr(int(escape[1:], 16))
        return _ESCAPES.get(escape, escape)

    return _ESCAPE_RE.sub(one, body)


def _js_number(text: str) -> int | float | None:
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


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _js_number_key(number: int | float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


# ---------------------------------------------------------------------------------------------
# Vue single-file components (uni-app apps often create the connection in App.vue)

_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_LANG_RE = re.compile(r"""\blang\s*=\s*["']?([A-Za-z]+)""")


def _vue_script(text: str, path: Path) -> tuple[str, int, str]:
    blocks = list(_SCRIPT_RE.finditer(text))
    if not blocks:
        raise InputFileError(f"{path}:1: no <script> block in this Vue file")
    for block in blocks:
        if ".connection" in block.group(2) or "export default" in block.group(2):
            break
    else:
        block = blocks[0]
    lang_match = _LANG_RE.search(block.group(1))
    lang = lang_match.group(1).lower() if lang_match else "js"
    first_line = text.count("\n", 0, block.start(2))
    return block.group(2), first_line, lang


# ---------------------------------------------------------------------------------------------
# JSON and YAML


def _from_json(text: str, path: Path) -> SdkConfig:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if text.startswith(("//", "/*"), exc.pos):
            hint = " (JSON has no comments: remove them, or use a .js or .yaml file)"
        elif text.startswith(("}", "]"), exc.pos) and text[: exc.pos].rstrip().endswith(","):
            hint = " (JSON allows no comma after the last item)"
        raise InputFileError(f"{path}:{exc.lineno}: JSON syntax error: {exc.msg}{hint}") from None
    if not isinstance(data, dict):
        raise InputFileError(f"{path}:1: no SDK options found: the JSON must be an object")
    lines = _json_key_lines(text)
    description = "JSON object"
    nested = None if set(data) & SDK_KEYS else _nested_options(data)
    if nested is not None:
        key, inner = nested
        parent_line = lines.get(key, 1)
        lines = {k: parent_line for k in inner}  # nested keys: the line of their parent key
        data, description = inner, f"JSON object, key {key}"
    options = tuple(SdkOption(key, lines.get(key, 1), value) for key, value in data.items())
    return SdkConfig(path, ConfigShape.DATA_FILE, 1, description, options)


def _nested_options(data: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The first value of `data` that is a mapping holding SDK option names, with its key."""
    for key, value in data.items():
        if isinstance(value, dict) and set(value) & SDK_KEYS:
            return key, value
    return None


def _json_key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key of a JSON object (scanned, since `json` keeps no positions)."""
    lines: dict[str, int] = {}
    depth = 0
    line = 1
    index = 0
    expect_key = False
    while index < len(text):
        char = text[index]
        if char == "\n":
            line += 1
        elif char in "{[":
            depth += 1
            expect_key = depth == 1 and char == "{"
        elif char in "}]":
            depth -= 1
        elif char == "," and depth == 1:
            expect_key = True
        elif char == '"':
            end = index + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if depth == 1 and expect_key:
                with contextlib.suppress(json.JSONDecodeError):
                    lines[json.loads(text[index : end + 1])] = line
                expect_key = False
            line += text.count("\n", index, end)
            index = end
        index += 1
    return lines


def _from_yaml(text: str, path: Path) -> SdkConfig:
    with composed_yaml(text, path) as (root, loader):
        if root is None or not isinstance(root, yaml.MappingNode):
            line = line_of(root) if root is not None else 1
            raise InputFileError(f"{path}:{line}: no SDK options found: the YAML must be a mapping")
        description = "YAML mapping"
        if not _yaml_keys(root) & SDK_KEYS:
            for key_node, value_node in root.value:
                if isinstance(value_node, yaml.MappingNode) and _yaml_keys(value_node) & SDK_KEYS:
                    root, description = value_node, f"YAML mapping, key {key_node.value}"
                    break
        options: list[SdkOption] = []
        for key_node, value_node in root.value:
            key = loader.construct_object(key_node, deep=True)
            value = loader.construct_object(value_node, deep=True)
            options.append(SdkOption(str(key), line_of(key_node), _plain(value)))
    return SdkConfig(path, ConfigShape.DATA_FILE, line_of(root), description, tuple(options))


def _yaml_keys(node: yaml.MappingNode) -> set[str]:
    return {str(k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _plain(value: Any) -> Any:
    """YAML dates and the like become strings, so every value is JSON-compatible."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)

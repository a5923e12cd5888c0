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
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from domaincheck.appsetup.sdkconfig.model import ConfigShape, SdkConfig, SdkOption
from domaincheck.core.errors import InputFileError
from domaincheck.core.platforms import Platform
from domaincheck.files.inputfiles import read_text_file
from domaincheck.files.yaml_lines import composed_yaml, line_of
from domaincheck.whitelist.profiles import profile_for

if TYPE_CHECKING:
    from tree_sitter import Node

_JS_SUFFIXES = frozenset({".js", ".mjs", ".cjs", ".jsx"})
_TS_SUFFIXES = frozenset({".ts", ".mts", ".cts"})
_TSX_SUFFIXES = frozenset({".tsx"})
_YAML_SUFFIXES = frozenset({".yaml", ".yml"})
SUPPORTED_SUFFIXES = (
    *sorted(_JS_SUFFIXES | _TS_SUFFIXES | _TSX_SUFFIXES),
    ".vue",
    ".nvue",
    ".json",
    *sorted(_YAML_SUFFIXES),
)

_MAX_SOURCE_TEXT = 80


def load_sdk_configs(path: Path, platform: Platform | None = None) -> tuple[SdkConfig, ...]:
    """Reads the SDK options from `path`: one config per connection call (at least one).

    `platform` picks the branches of uni-app conditional compilation (`// #ifdef MP-WEIXIN`) the
    platform's build keeps. Raises `InputFileError` (file and line) when the file cannot be read.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputFileError(
            f"{path}: cannot read SDK options from a '{suffix or 'suffix-less'}' file "
            f"(supported: {' '.join(SUPPORTED_SUFFIXES)})"
        )
    text = read_text_file(path, "SDK config")
    return parse_sdk_configs(text, path, platform)


def load_sdk_config(path: Path, platform: Platform | None = None) -> SdkConfig:
    """The first options object of `path` (see `load_sdk_configs`)."""
    return load_sdk_configs(path, platform)[0]


def parse_sdk_config(text: str, path: Path, platform: Platform | None = None) -> SdkConfig:
    """The first options object of `text` (see `parse_sdk_configs`)."""
    return parse_sdk_configs(text, path, platform)[0]


def parse_sdk_configs(
    text: str, path: Path, platform: Platform | None = None
) -> tuple[SdkConfig, ...]:
    """Reads the SDK options from `text`, the content of `path` (its suffix picks the language)."""
    # Lines are counted as editors count them: CRLF and old Mac CR endings are one line break.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputFileError(f"{path}:1: no SDK options found: the file is empty")
    notes: tuple[str, ...] = ()
    if platform is not None:
        text, notes = _uni_app_branches(text, platform)
    suffix = path.suffix.lower()
    configs: tuple[SdkConfig, ...]
    if suffix == ".json":
        configs = (_from_json(text, path),)
    elif suffix in _YAML_SUFFIXES:
        configs = (_from_yaml(text, path),)
    elif suffix in (".vue", ".nvue"):  # .nvue: a uni-app native-rendered page
        script, first_line, lang = _vue_script(text, path)
        dialect = (
            "tsx"
            if lang == "tsx"
            else "typescript"
            if lang in ("ts", "typescript")
            else "javascript"
        )
        configs = _from_script(script, path, dialect, first_line)
    elif suffix in _TS_SUFFIXES:
        configs = _from_script(text, path, "typescript", 0)
    elif suffix in _TSX_SUFFIXES:
        configs = _from_script(text, path, "tsx", 0)
    else:
        configs = _from_script(text, path, "javascript", 0)
    if notes:
        configs = tuple(replace(c, notes=(*notes, *c.notes)) for c in configs)
    return configs


# ---------------------------------------------------------------------------------------------
# uni-app conditional compilation: `// #ifdef MP-WEIXIN` ... `// #endif` keeps code for some
# platforms only (https://uniapp.dcloud.net.cn/tutorial/platform.html). The platform's build
# never sees the other branches, so neither do the checks.

_UNI_DIRECTIVE_RE = re.compile(
    r"^\s*(?://|/\*|<!--)\s*#(ifdef|ifndef|endif)\b([^\n]*?)\s*(?:\*/|-->)?\s*$"
)
# Targets that are certainly not a mini program; other names (VUE3, uniVersion) are unknown.
_UNI_OTHER_TARGETS = ("H5", "WEB", "APP", "QUICKAPP")


def _uni_token(token: str, platform: Platform) -> bool | None:
    token = token.strip().upper()
    if token in ("MP", profile_for(platform).uni_app_define):
        return True
    if token.startswith("MP-") or token.startswith(_UNI_OTHER_TARGETS):
        return False
    return None


def _uni_condition(condition: str, platform: Platform) -> bool | None:
    """The value of `A || B && C` for `platform`; None when a name's value is not known."""
    alternatives: list[bool | None] = []
    for alternative in condition.split("||"):
        values = [_uni_token(t, platform) for t in alternative.split("&&") if t.strip()]
        if False in values:
            alternatives.append(False)
        elif values and all(v is True for v in values):
            alternatives.append(True)
        else:
            alternatives.append(None)
    if True in alternatives:
        return True
    if alternatives and all(a is False for a in alternatives):
        return False
    return None


def _uni_app_branches(text: str, platform: Platform) -> tuple[str, tuple[str, ...]]:
    """`text` with the branches `platform`'s build drops blanked out (lines kept), and notes."""
    lines = text.split("\n")
    stack: list[tuple[bool, str, int]] = []
    notes: list[str] = []
    for index, line in enumerate(lines):
        directive = _UNI_DIRECTIVE_RE.match(line)
        if directive is None:
            if any(not active for active, _, _ in stack):
                lines[index] = ""
            continue
        kind, condition = directive.group(1), directive.group(2).strip()
        if kind == "endif":
            if stack:
                active, what, start = stack.pop()
                if not active:
                    notes.append(
                        f"lines {start}-{index + 1} ({what}) are not in the "
                        f"{profile_for(platform).uni_app_define} build, so they are not read"
                    )
            continue
        value = _uni_condition(condition, platform)
        active = value is not False if kind == "ifdef" else value is not True
        stack.append((active, f"#{kind} {condition}", index + 1))
    return "\n".join(lines), tuple(notes)


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


def _from_script(text: str, path: Path, dialect: str, line_offset: int) -> tuple[SdkConfig, ...]:
    tree = _parser(dialect).parse(text.encode("utf-8"))
    root = tree.root_node
    if root.has_error:
        raise InputFileError(_syntax_error(root, path, dialect, line_offset))
    return _ScriptReader(path, line_offset, root).read()


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
    if not hint and any(c.type == "string_fragment" for c in bad.children):
        hint = f" (a string on line {line} is not closed?)"
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
        # a bare string_fragment is the inside of a string whose quote was never closed
        if value.type != "string_fragment" and value.end_point.row < key.start_point.row:
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


_INDEXED_TYPES = frozenset(
    {
        "new_expression",
        "call_expression",
        "variable_declarator",
        "assignment_expression",
        "augmented_assignment_expression",
        "export_statement",
        "import_statement",
    }
)


class _NodeIndex:
    """The nodes the reader looks up, by type and in document order, found in one walk (a
    minified bundle has millions of nodes: walking it once per lookup took seconds each)."""

    def __init__(self, root: Node) -> None:
        self.by_type: dict[str, list[Node]] = {t: [] for t in _INDEXED_TYPES}
        for node in _walk(root):
            if node.type in _INDEXED_TYPES:
                self.by_type[node.type].append(node)

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
                    self._declared.setdefault(_text(declared), []).append(node)
        return self._declared.get(name, [])

    def of(self, *node_types: str) -> list[Node]:
        """Nodes of several types, in document order."""
        return sorted((n for t in node_types for n in self.by_type[t]), key=lambda n: n.start_byte)


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


def _looks_like_options(keys: set[str]) -> bool:
    """Keys of an SDK options object in a module: an appKey/appId, or two SDK option names (a lone
    `url` is any config's)."""
    return bool(keys & {"appKey", "appkey", "appId"}) or len(keys & SDK_KEYS) >= 2


def _options_object(node: Node) -> tuple[Node, str | None] | None:
    """`node` when it holds SDK options, else its one object value that does, with the key.

    Two such values (a table of data centres, say) are not options: picking one would be a guess.
    """
    if _looks_like_options(_object_keys(node)):
        return node, None
    found: list[tuple[Node, str | None]] = []
    for child in node.named_children:
        if child.type != "pair":
            continue
        key = child.child_by_field_name("key")
        value = child.child_by_field_name("value")
        if key is None or value is None:
            continue
        value = _unwrap(value)
        if value.type == "object" and _looks_like_options(_object_keys(value)):
            found.append((value, _Value.key(key)))
    return found[0] if len(found) == 1 else None


def _changed_at(index: _NodeIndex, name: str, declaration: Node) -> Node | None:
    """The first place after `declaration` that assigns to `name`, a member of it, or Object.assign()s it."""
    after = declaration.end_byte
    for node in index.of(
        "assignment_expression", "augmented_assignment_expression", "call_expression"
    ):
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
    def __init__(self, path: Path, line_offset: int, root: Node) -> None:
        self.path = path
        self.offset = line_offset
        self.root = root
        self.index = _NodeIndex(root)
        self.notes: list[str] = []
        self._imports: dict[str, str] | None = None

    def line(self, node: Node) -> int:
        return node.start_point.row + 1 + self.offset

    def read(self) -> tuple[SdkConfig, ...]:
        calls = [n for n in self.index["new_expression"] if self._is_connection(n)]
        if calls:
            return self._from_calls(calls)
        exported = self._exported_object()
        if exported is not None:
            node, description = exported
            return (
                self._config([node], ConfigShape.EXPORTED_OBJECT, description, self.line(node)),
            )
        raise InputFileError(
            f"{self.path}:1: no SDK options found: expected `new WebIM.connection({{...}})` "
            "(any receiver name), or a module exporting the options object "
            "(`export default {...}`, `export const config = {...}`, `module.exports = {...}`)"
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

    def _from_calls(self, calls: list[Node]) -> tuple[SdkConfig, ...]:
        """One config per connection call; calls passing the same options object count once."""
        configs: list[SdkConfig] = []
        seen: dict[tuple[int, ...], int] = {}
        for call in calls:
            self.notes = []
            callee = _snippet(call.child_by_field_name("constructor") or call)
            description = f"new {callee}(...)"
            args = call.child_by_field_name("arguments")
            first = next(iter(args.named_children), None) if args is not None else None
            while first is not None and first.type == "comment":
                first = first.next_named_sibling
            if first is None:
                configs.append(
                    SdkConfig(
                        self.path,
                        ConfigShape.CONNECTION_CALL,
                        self.line(call),
                        description,
                        opaque="the connection is created without an options object",
                    )
                )
                continue
            parts = self._parts(first)
            key = tuple(p.start_byte for p in parts) if parts else ()
            if key and key in seen:
                configs[seen[key]] = replace(
                    configs[seen[key]],
                    notes=(
                        *configs[seen[key]].notes,
                        f"the connection call at line {self.line(call)} passes the same options",
                    ),
                )
                continue
            if key:
                seen[key] = len(configs)
            node = parts if parts else [_unwrap(first)]
            configs.append(
                self._config(node, ConfigShape.CONNECTION_CALL, description, self.line(call))
            )
        return tuple(configs)

    def _parts(self, node: Node) -> list[Node]:
        """The object literals the options are made of, in order (a later key wins).

        `{...}` itself; a same-file object the identifier names; `Object.assign({}, a, {...})`
        and `{...a, ...}` merge their same-file objects, and note what they cannot read. Empty when
        the options are not built from object literals at all (a call, an imported variable).
        """
        node = self._resolve(node)
        if node.type == "object":
            return [node]
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if function is not None and _text(function) == "Object.assign" and args is not None:
                parts: list[Node] = []
                for arg in args.named_children:
                    if arg.type == "comment":
                        continue
                    resolved = self._resolve(arg)
                    if resolved.type == "object":
                        parts.append(resolved)
                    else:
                        self.notes.append(
                            f"line {self.line(arg)}: {_snippet(arg)} (merged by Object.assign) "
                            "may set any option; not checked"
                        )
                return parts
        return []

    def _resolve(self, node: Node) -> Node:
        """An identifier naming a same-file `const/let/var x = {...}` stands for that object."""
        node = _unwrap(node)
        if node.type != "identifier":
            return node
        name = _text(node)
        found = [
            d
            for d in self.index["variable_declarator"]
            if (n := d.child_by_field_name("name")) is not None
            and _text(n) == name
            and (v := d.child_by_field_name("value")) is not None
            and _unwrap(v).type == "object"
        ]
        if len(found) != 1:
            return node
        changed = _changed_at(self.index, name, found[0])
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

    def _exported_object(self) -> tuple[Node, str] | None:
        """The first exported object that holds SDK options (itself, or one of its object values)."""
        for node in self.index.of("export_statement", "assignment_expression"):
            candidates: list[tuple[Node, str]] = []
            if node.type == "export_statement":
                if any(c.type == "default" for c in node.children):
                    value = node.child_by_field_name("value") or node.child_by_field_name(
                        "declaration"
                    )
                    if value is not None:
                        candidates.append((value, "export default {...}"))
                else:
                    candidates.extend(self._named_exports(node))
            elif node.type == "assignment_expression":
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                target = _text(left).replace(" ", "") if left is not None else ""
                exported = target in ("module.exports", "exports.default") or (
                    target.startswith(("module.exports.", "exports.")) and target.count(".") <= 2
                )
                if exported and right is not None:
                    candidates.append((right, f"{target} = {{...}}"))
            for value, description in candidates:
                notes = len(self.notes)
                resolved = self._resolve(value)
                found = _options_object(resolved) if resolved.type == "object" else None
                if found is None:
                    del self.notes[notes:]
                    continue
                inner, key = found
                if key is not None:
                    description += f", key {key}"
                return inner, description
        return None

    @staticmethod
    def _named_exports(node: Node) -> list[tuple[Node, str]]:
        """`export const config = {...}` and `export { config }`: the exported values, named."""
        found: list[tuple[Node, str]] = []
        declaration = node.child_by_field_name("declaration")
        if declaration is not None:
            for declarator in declaration.named_children:
                name = declarator.child_by_field_name("name")
                value = declarator.child_by_field_name("value")
                if declarator.type == "variable_declarator" and name is not None and value:
                    found.append((value, f"export const {_text(name)} = {{...}}"))
        for clause in node.named_children:
            if clause.type != "export_clause":
                continue
            for specifier in clause.named_children:
                name = specifier.child_by_field_name("name")
                if specifier.type == "export_specifier" and name is not None:
                    found.append((name, f"export {{ {_text(name)} }}"))
        return found

    def _config(
        self, parts: list[Node], shape: ConfigShape, description: str, line: int
    ) -> SdkConfig:
        if len(parts) == 1 and parts[0].type != "object":
            value = _Value.of(parts[0])
            origin = self._origin(parts[0])
            return SdkConfig(
                self.path,
                shape,
                line,
                description,
                opaque=f"the options are {value.reason} `{value.source}`"
                + (f" ({origin})" if "imported" in origin else ""),
                notes=tuple(self.notes),
            )
        options: list[SdkOption] = []
        for part in parts:
            options.extend(self._object_options(part, depth=0))
        # As in JavaScript, a later key wins; keep only the option that takes effect.
        last = {option.name: index for index, option in enumerate(options)}
        kept = tuple(o for index, o in enumerate(options) if last[o.name] == index)
        return SdkConfig(self.path, shape, line, description, kept, notes=tuple(self.notes))

    def _object_options(self, node: Node, depth: int) -> list[SdkOption]:
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
                option = value.option(key, self.line(child))
                if not option.static:
                    option = replace(option, origin=self._origin(_unwrap(value_node)))
                options.append(option)
            elif child.type == "shorthand_property_identifier":
                name = _text(child)
                options.append(
                    SdkOption(
                        name,
                        self.line(child),
                        None,
                        False,
                        name,
                        "the variable",
                        self._origin(child),
                    )
                )
            elif child.type == "method_definition":
                name_node = child.child_by_field_name("name")
                name = _text(name_node) if name_node is not None else "?"
                options.append(
                    SdkOption(name, self.line(child), None, False, _snippet(child), "a function")
                )
            elif child.type == "spread_element":
                argument = next((c for c in child.named_children if c.type != "comment"), None)
                resolved = self._resolve(argument) if argument is not None else None
                if resolved is not None and resolved.type == "object" and depth < 5:
                    options.extend(self._object_options(resolved, depth + 1))
                else:
                    self.notes.append(
                        f"line {self.line(child)}: {_snippet(child)} may set any option; not checked"
                    )
        return options

    def _origin(self, node: Node) -> str:
        """Where a value that is not a literal comes from, when the file says: an import, or a
        declaration or assignment in this file (shown, not followed: only literals are read)."""
        root_name = node
        while root_name.type in ("member_expression", "subscript_expression"):
            inner = root_name.child_by_field_name("object")
            if inner is None:
                break
            root_name = inner
        if root_name.type not in ("identifier", "shorthand_property_identifier"):
            return ""
        name = _text(root_name)
        module = self.imports.get(name)
        if module is not None:
            return f"imported from '{module}'"
        owner = node.child_by_field_name("object") if node.type == "member_expression" else None
        if owner is not None and owner.type == "member_expression":
            # `WebIM.config = config` (the demos' WebIM.js): look one assignment back
            right = self._assigned(_text(owner).replace(" ", ""))
            if right is not None:
                if right.type == "identifier" and _text(right) in self.imports:
                    return f"{_text(owner)} is imported from '{self.imports[_text(right)]}'"
                return f"{_text(owner)} is set at line {self.line(right)} of this file"
        for found in self.index.declared(name):
            if found.start_byte < node.start_byte:
                return f"`{name}` is declared at line {self.line(found)} of this file"
        return ""

    def _assigned(self, target: str) -> Node | None:
        """The value last assigned to `target` (`WebIM.config`, `window.WebIM.config`) before use."""
        found: Node | None = None
        for node in self.index["assignment_expression"]:
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            assigned = _text(left).replace(" ", "") if left is not None else ""
            if right is not None and (assigned == target or assigned.endswith("." + target)):
                found = _unwrap(right)
        return found

    @property
    def imports(self) -> dict[str, str]:
        if self._imports is None:
            self._imports = _imported_names(self.index)
        return self._imports


def _imported_names(index: _NodeIndex) -> dict[str, str]:
    """Local names bound by `import ... from 'm'` and `x = require('m')`, with the module."""
    names: dict[str, str] = {}
    for node in index.of("import_statement", "variable_declarator"):
        if node.type == "import_statement":
            source = node.child_by_field_name("source")
            if source is None:
                continue
            module = _text(source)[1:-1]
            for child in _walk(node):
                local: Node | None = None
                if child.type == "import_specifier":
                    local = child.child_by_field_name("alias") or child.child_by_field_name("name")
                elif child.type == "namespace_import":
                    local = next((c for c in child.named_children if c.type == "identifier"), None)
                elif child.type == "identifier" and child.parent is not None:
                    local = child if child.parent.type == "import_clause" else None
                if local is not None:
                    names[_text(local)] = module
        elif node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is None or value is None or name.type != "identifier":
                continue
            value = _unwrap(value)
            while value.type in ("member_expression", "subscript_expression"):
                inner = value.child_by_field_name("object")
                if inner is None:
                    break
                value = inner  # require("./WebIM")["default"]
            function = value.child_by_field_name("function")
            args = value.child_by_field_name("arguments")
            if (
                value.type == "call_expression"
                and function is not None
                and _text(function) == "require"
                and args is not None
                and args.named_children
                and args.named_children[0].type == "string"
            ):
                names[_text(name)] = _text(args.named_children[0])[1:-1]
    return names


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
    """The one value of `data` that is a mapping holding SDK option names, with its key."""
    found = [(k, v) for k, v in data.items() if isinstance(v, dict) and set(v) & SDK_KEYS]
    return found[0] if len(found) == 1 else None


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
            nested = [
                (key_node, value_node)
                for key_node, value_node in root.value
                if isinstance(value_node, yaml.MappingNode) and _yaml_keys(value_node) & SDK_KEYS
            ]
            if len(nested) == 1:
                key_node, root = nested[0]
                description = f"YAML mapping, key {key_node.value}"
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

"""The option locator: finds the Easemob SDK's options object in the app's source (JavaScript,
TypeScript, Vue, JSON or YAML) and reads it with the generic source readers.

JavaScript and TypeScript go through tree-sitter (a real, error-tolerant parser with maintained
grammars for both languages, shipped as wheels): the options are the first argument of
`new <anything>.connection(...)`, or else the object a module exports (as the demos'
`WebIMConfig.js` does). Only literals are read; every other value is kept as "not static" with its
source text. Syntax errors, a missing object and unreadable files raise `InputFileError` with the
file and line.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from domaincheck.core.errors import InputFileError
from domaincheck.core.platforms import Platform
from domaincheck.files.inputfiles import read_text_file
from domaincheck.files.yaml_lines import composed_yaml, line_of
from domaincheck.source.data import json_key_lines, load_json, plain
from domaincheck.source.evaluate import Evaluator, JsValue, property_key
from domaincheck.source.jsparse import (
    JS_SUFFIXES,
    TS_SUFFIXES,
    TSX_SUFFIXES,
    NodeIndex,
    dialect_of,
    imported_names,
    parse,
    snippet,
    syntax_error,
    text_of,
    unwrap,
)
from domaincheck.source.uniapp import keep_platform_branches
from domaincheck.source.vue import SfcBlock, script_blocks
from domaincheck.vendors.easemob.model import ConfigShape, SdkConfig, SdkOption
from domaincheck.whitelist.profiles import profile_for

if TYPE_CHECKING:
    from tree_sitter import Node

_YAML_SUFFIXES = frozenset({".yaml", ".yml"})
SUPPORTED_SUFFIXES = (
    *sorted(JS_SUFFIXES | TS_SUFFIXES | TSX_SUFFIXES),
    ".vue",
    ".nvue",
    ".json",
    *sorted(_YAML_SUFFIXES),
)


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
        text, notes = keep_platform_branches(text, profile_for(platform).uni_app_define)
    suffix = path.suffix.lower()
    configs: tuple[SdkConfig, ...]
    if suffix == ".json":
        configs = (_from_json(text, path),)
    elif suffix in _YAML_SUFFIXES:
        configs = (_from_yaml(text, path),)
    elif suffix in (".vue", ".nvue"):  # .nvue: a uni-app native-rendered page
        block = _vue_script(text, path)
        configs = _from_script(block.text, path, block.dialect, block.line_offset)
    else:
        configs = _from_script(text, path, dialect_of(suffix) or "javascript", 0)
    if notes:
        configs = tuple(replace(c, notes=(*notes, *c.notes)) for c in configs)
    return configs


# ---------------------------------------------------------------------------------------------
# JavaScript / TypeScript


def _from_script(text: str, path: Path, dialect: str, line_offset: int) -> tuple[SdkConfig, ...]:
    tree = parse(text, dialect)
    root = tree.root_node
    if root.has_error:
        raise InputFileError(syntax_error(root, path, dialect, line_offset))
    return _ScriptReader(path, line_offset, root, tree.language).read()


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


# Option names that mark an object as the SDK's options (the demos' config names included).
SDK_KEYS = frozenset(
    {"appKey", "appkey", "appId", "url", "apiUrl", "apiURL", "socketServer", "xmppURL", "isHttpDNS"}
)


def _object_keys(node: Node) -> set[str]:
    keys: set[str] = set()
    for child in node.named_children:
        if child.type == "pair" and (key := child.child_by_field_name("key")) is not None:
            name = property_key(key)
            if name is not None:
                keys.add(name)
        elif child.type == "shorthand_property_identifier":
            keys.add(text_of(child))
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
        value = unwrap(value)
        if value.type == "object" and _looks_like_options(_object_keys(value)):
            found.append((value, property_key(key)))
    return found[0] if len(found) == 1 else None


def _changed_at(index: NodeIndex, name: str, declaration: Node) -> Node | None:
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
            if left is not None and left.type == "identifier" and text_of(left) == name:
                return node
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if function is not None and text_of(function) == "Object.assign" and args is not None:
                first = next(iter(args.named_children), None)
                if first is not None and first.type == "identifier" and text_of(first) == name:
                    return node
    return None


def _option(value: JsValue, name: str, line: int) -> SdkOption:
    if value.static:
        return SdkOption(name, line, value.value)
    return SdkOption(name, line, None, False, value.source, value.reason)


class _ScriptReader:
    def __init__(self, path: Path, line_offset: int, root: Node, language: Any = None) -> None:
        self.path = path
        self.offset = line_offset
        self.root = root
        self.index = NodeIndex(root, _INDEXED_TYPES, language)
        # Only literals: an SDK option is checked for what the file itself says.
        self.evaluator = Evaluator()
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
        constructor = unwrap(constructor)
        if constructor.type == "member_expression":
            prop = constructor.child_by_field_name("property")
            return prop is not None and text_of(prop) == "connection"
        return constructor.type == "identifier" and text_of(constructor) == "connection"

    def _from_calls(self, calls: list[Node]) -> tuple[SdkConfig, ...]:
        """One config per connection call; calls passing the same options object count once."""
        configs: list[SdkConfig] = []
        seen: dict[tuple[int, ...], int] = {}
        for call in calls:
            self.notes = []
            callee = snippet(call.child_by_field_name("constructor") or call)
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
            node = parts if parts else [unwrap(first)]
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
            if function is not None and text_of(function) == "Object.assign" and args is not None:
                parts: list[Node] = []
                for arg in args.named_children:
                    if arg.type == "comment":
                        continue
                    resolved = self._resolve(arg)
                    if resolved.type == "object":
                        parts.append(resolved)
                    else:
                        self.notes.append(
                            f"line {self.line(arg)}: {snippet(arg)} (merged by Object.assign) "
                            "may set any option; not checked"
                        )
                return parts
        return []

    def _resolve(self, node: Node) -> Node:
        """An identifier naming a same-file `const/let/var x = {...}` stands for that object."""
        node = unwrap(node)
        if node.type != "identifier":
            return node
        name = text_of(node)
        found = [
            d
            for d in self.index["variable_declarator"]
            if (n := d.child_by_field_name("name")) is not None
            and text_of(n) == name
            and (v := d.child_by_field_name("value")) is not None
            and unwrap(v).type == "object"
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
        return unwrap(value)

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
                target = text_of(left).replace(" ", "") if left is not None else ""
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
                    found.append((value, f"export const {text_of(name)} = {{...}}"))
        for clause in node.named_children:
            if clause.type != "export_clause":
                continue
            for specifier in clause.named_children:
                name = specifier.child_by_field_name("name")
                if specifier.type == "export_specifier" and name is not None:
                    found.append((name, f"export {{ {text_of(name)} }}"))
        return found

    def _config(
        self, parts: list[Node], shape: ConfigShape, description: str, line: int
    ) -> SdkConfig:
        if len(parts) == 1 and parts[0].type != "object":
            value = self.evaluator.of(parts[0])
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
                key = property_key(key_node)
                if key is None:
                    self.notes.append(
                        f"line {self.line(child)}: computed key {snippet(key_node)} not checked"
                    )
                    continue
                value = self.evaluator.of(value_node)
                if value.undefined:
                    self.notes.append(f"line {self.line(child)}: {key} is undefined (not set)")
                    continue
                option = _option(value, key, self.line(child))
                if not option.static:
                    option = replace(option, origin=self._origin(unwrap(value_node)))
                options.append(option)
            elif child.type == "shorthand_property_identifier":
                name = text_of(child)
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
                name = text_of(name_node) if name_node is not None else "?"
                options.append(
                    SdkOption(name, self.line(child), None, False, snippet(child), "a function")
                )
            elif child.type == "spread_element":
                argument = next((c for c in child.named_children if c.type != "comment"), None)
                resolved = self._resolve(argument) if argument is not None else None
                if resolved is not None and resolved.type == "object" and depth < 5:
                    options.extend(self._object_options(resolved, depth + 1))
                else:
                    self.notes.append(
                        f"line {self.line(child)}: {snippet(child)} may set any option; not checked"
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
        name = text_of(root_name)
        module = self.imports.get(name)
        if module is not None:
            return f"imported from '{module}'"
        owner = node.child_by_field_name("object") if node.type == "member_expression" else None
        if owner is not None and owner.type == "member_expression":
            # `WebIM.config = config` (the demos' WebIM.js): look one assignment back
            right = self._assigned(text_of(owner).replace(" ", ""))
            if right is not None:
                if right.type == "identifier" and text_of(right) in self.imports:
                    return f"{text_of(owner)} is imported from '{self.imports[text_of(right)]}'"
                return f"{text_of(owner)} is set at line {self.line(right)} of this file"
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
            assigned = text_of(left).replace(" ", "") if left is not None else ""
            if right is not None and (assigned == target or assigned.endswith("." + target)):
                found = unwrap(right)
        return found

    @property
    def imports(self) -> dict[str, str]:
        if self._imports is None:
            self._imports = imported_names(self.index)
        return self._imports


# ---------------------------------------------------------------------------------------------
# Vue single-file components (uni-app apps often create the connection in App.vue)


def _vue_script(text: str, path: Path) -> SfcBlock:
    """The `<script>` block that creates the connection or exports the options (else the first)."""
    blocks = script_blocks(text)
    if not blocks:
        raise InputFileError(f"{path}:1: no <script> block in this Vue file")
    for block in blocks:
        if ".connection" in block.text or "export default" in block.text:
            return block
    return blocks[0]


# ---------------------------------------------------------------------------------------------
# JSON and YAML


def _from_json(text: str, path: Path) -> SdkConfig:
    data = load_json(text, path)
    if not isinstance(data, dict):
        raise InputFileError(f"{path}:1: no SDK options found: the JSON must be an object")
    lines = json_key_lines(text)
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
            options.append(SdkOption(str(key), line_of(key_node), plain(value)))
    return SdkConfig(path, ConfigShape.DATA_FILE, line_of(root), description, tuple(options))


def _yaml_keys(node: yaml.MappingNode) -> set[str]:
    return {str(k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)}

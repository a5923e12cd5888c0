"""Following values across the app without running it: bindings, imports, exports, `this.x`,
`getApp().globalData`, `process.env` / `import.meta.env` from `.env` files and build defines, and
the parameters of wrapper functions back to their callers.

`Project` is the resolver the generic evaluator calls (`domaincheck.source.evaluate`): one
`Evaluator` per module, all sharing one depth counter, so a chain of imports is bounded like a
chain of expressions. Packages (`node_modules`, `miniprogram_npm`) are read only when an import
reaches them.

Over 600 lines on purpose: `Project` is one resolver whose methods call each other recursively
(an identifier leads to an import, an export, a parameter, its callers and back) under one shared
budget; split across modules, that state and recursion would have to be threaded through each.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from domaincheck.scan.model import NoteKind, Place, ScanNote
from domaincheck.scan.module import Imported, Module, Param, enclosing_function, function_name
from domaincheck.scan.walk import PACKAGE_DIRS, SourceText, read_source, relative
from domaincheck.source.evaluate import (
    Budget,
    Choice,
    DepthCounter,
    Evaluator,
    JsValue,
    Where,
    object_entry,
    object_pairs,
    property_key,
)
from domaincheck.source.jsparse import require_target, text_of, unwrap

if TYPE_CHECKING:
    from tree_sitter import Node

_RESOLVE_SUFFIXES = (".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", ".vue", ".nvue", ".json")
_SCRIPT_FILE_SUFFIXES = frozenset(_RESOLVE_SUFFIXES) - {".json"}
# How many wrappers deep a URL parameter is followed back to the callers.
MAX_WRAPPER_DEPTH = 4
MAX_CALLERS = 200


@dataclass(frozen=True)
class Frame:
    """A call being followed into a wrapper: `function` in `callee` called with `args` in `caller`."""

    callee: Module
    function: Node
    caller: Module
    call: Node
    args: tuple[Node, ...]


@dataclass
class EnvValue:
    """One value an environment variable or define takes, and under which build."""

    value: JsValue
    condition: str


@dataclass
class _State:
    frames: list[Frame] = field(default_factory=list)
    active: set[tuple[int, int, int]] = field(default_factory=set)
    param_hits: list[tuple[Module, Node]] = field(default_factory=list)


class Project:
    """The modules of one scan, loaded on demand, and the resolver over them."""

    def __init__(self, root: Path, define: str, budget: Budget | None = None) -> None:
        self.root = root
        self.define = define
        # Each followed step costs several Python frames (evaluate, resolve, a binding, an
        # import): 40 steps stay far below the interpreter's recursion limit.
        self.budget = budget or Budget(max_depth=40)
        self.counter = DepthCounter()
        self.modules: dict[Path, Module | None] = {}
        self.notes: list[ScanNote] = []
        self.state = _State()
        self.env: dict[str, list[EnvValue]] = {}
        self.defines: dict[str, list[EnvValue]] = {}
        self._evaluators: dict[int, Evaluator] = {}
        self._global_data: dict[str, list[tuple[Module, Node]]] | None = None
        self.app_modules: list[Module] = []
        self._located: dict[tuple[Path, str, str], tuple[Path | None, str]] = {}
        self._importers: dict[int, list[Module]] = {}
        self._importers_of = 0  # how many modules the importer index covers

    # -- modules ------------------------------------------------------------------------------

    def add(self, source: SourceText) -> Module | None:
        path = source.path.resolve() if source.package else source.path
        if path in self.modules:
            return self.modules[path]
        try:
            module = Module(source, self.define)
        except RecursionError:  # pragma: no cover - tree-sitter trees are walked iteratively
            module = None
        self.modules[path] = module
        if module is not None and module.error is not None:
            self.notes.append(
                ScanNote(
                    NoteKind.PARSE_ERROR,
                    Place(module.rel, module.error_line),
                    f"does not parse ({module.error}); read as far as the parser could",
                )
            )
        return module

    def load(self, path: Path, package: str) -> Module | None:
        if path in self.modules:
            return self.modules[path]
        is_json = path.suffix.lower() == ".json"
        if path.suffix.lower() not in _SCRIPT_FILE_SUFFIXES and not is_json:
            self.modules[path] = None
            return None
        found = read_source(self.root, path, package)
        if isinstance(found, ScanNote):
            self.modules[path] = None
            if found.kind is not NoteKind.MINIFIED or not package:
                self.notes.append(found)
            return None
        if is_json:
            # A JSON config module is read as the object a bundler makes of it; lines are kept.
            found = replace(found, text="module.exports = " + found.text)
        module = self.add(found)
        self.modules[path] = module
        return module

    def evaluator(self, module: Module) -> Evaluator:
        found = self._evaluators.get(id(module))
        if found is None:

            def resolve(node: Node, evaluator: Evaluator) -> JsValue | None:
                return self.resolve(module, node, evaluator)

            found = Evaluator(
                budget=self.budget,
                resolve=resolve,
                locate=module.where,
                branches=True,
                counter=self.counter,
            )
            self._evaluators[id(module)] = found
        return found

    def value(self, module: Module, node: Node) -> JsValue:
        return self.evaluator(module).of(node)

    def imported(self, module: Module, specifier: str) -> Module | None:
        """The module `specifier` names from `module`, loaded; None when it is not found or not JS."""
        path, package = self._locate(module, specifier)
        if path is None:
            return None
        return self.load(path, package)

    def _locate(self, module: Module, specifier: str) -> tuple[Path | None, str]:
        key = (module.source.path.parent, specifier, module.package)
        found = self._located.get(key)
        if found is None:
            found = self._located[key] = self._find(module, specifier)
        return found

    def _find(self, module: Module, specifier: str) -> tuple[Path | None, str]:
        base = module.source.path.parent
        package = module.package
        if specifier.startswith((".", "/")):
            start = (base / specifier) if specifier.startswith(".") else self.root / specifier[1:]
            return _with_suffix(start), package
        for alias in ("@/", "~@/", "~/"):
            if specifier.startswith(alias):
                rest = specifier[len(alias) :]
                for source_root in (self.root / "src", self.root):
                    found = _with_suffix(source_root / rest)
                    if found is not None:
                        return found, package
                return None, package
        # a package: its folder under node_modules or miniprogram_npm, nearest first
        parts = specifier.split("/")
        name = "/".join(parts[:2]) if specifier.startswith("@") else parts[0]
        rest = specifier[len(name) :].lstrip("/")
        here: Path | None = base
        while here is not None:
            for packages in PACKAGE_DIRS:
                candidate = here / packages / name
                if candidate.is_dir():
                    if rest:
                        return _with_suffix(candidate / rest), name
                    return _package_entry(candidate), name
            here = None if here == self.root or here.parent == here else here.parent
        return None, name

    # -- the resolver -------------------------------------------------------------------------

    def resolve(self, module: Module, node: Node, evaluator: Evaluator) -> JsValue | None:
        """A value for what the literal evaluator cannot fold, or None (see the module docstring)."""
        key = (id(module), node.start_byte, node.end_byte)
        if key in self.state.active:
            return JsValue.not_static(node, "a value defined in terms of itself")
        self.state.active.add(key)
        try:
            return self._resolve(module, node)
        finally:
            self.state.active.discard(key)

    def _resolve(self, module: Module, node: Node) -> JsValue | None:
        kind = node.type
        if kind in ("identifier", "shorthand_property_identifier"):
            return self._identifier(module, node, text_of(node))
        if kind in ("member_expression", "subscript_expression"):
            return self._member(module, node)
        if kind == "call_expression":
            return self._call(module, node)
        return None

    def _identifier(self, module: Module, node: Node, name: str) -> JsValue | None:
        binding = module.binding(name, node)
        param = module.param(name, node)
        if param is not None and (
            binding is None or binding.scope.start_byte < param.function.start_byte
        ):
            return self._param(module, node, param, name)
        if binding is not None and binding.value is None and name in self.defines:
            return self._env_value(node, self.defines[name])  # `declare const API_HOST: string`
        if binding is not None:
            return self._binding_value(module, node, binding.value, binding.key, name)
        imported = module.imports.get(name)
        if imported is not None:
            return self._imported_value(module, node, imported)
        if name in self.defines:
            return self._env_value(node, self.defines[name])
        return None

    def _binding_value(
        self, module: Module, node: Node, value: Node | None, key: str | None, name: str
    ) -> JsValue | None:
        if value is None:
            return self._assigned(module, node, name, None)
        if value.type in ("function_declaration",):
            return JsValue.not_static(node, "a function")
        if key is not None:
            return self.entry_value(module, value, key)
        initial = self.value(module, value)
        return self._assigned(module, node, name, initial)

    def _assigned(
        self, module: Module, node: Node, name: str, initial: JsValue | None
    ) -> JsValue | None:
        """`let x = a; if (dev) x = b`: each assignment of `x` in the module, with its branch."""
        choices: list[Choice] = []
        for assignment in module.assignments_to(name):
            right = assignment.child_by_field_name("right")
            if right is None or assignment.start_byte > node.start_byte:
                continue
            condition = _branch_condition(assignment)
            for inner, value in self.value(module, right).outcomes():
                joined = " && ".join(c for c in (condition, inner) if c)
                choices.append(Choice(joined, value))
        if not choices:
            return initial
        unset = (
            initial is None or initial.undefined or (initial.static and initial.value in (None, ""))
        )
        if initial is not None and not unset:
            choices.insert(0, Choice("", initial))
        if len(choices) == 1 and not choices[0].condition:
            return choices[0].value
        return JsValue.not_static(node, "a variable set in several places", choices=tuple(choices))

    def _imported_value(self, module: Module, node: Node, imported: Imported) -> JsValue | None:
        target = self.imported(module, imported.specifier)
        if target is None:
            return JsValue.not_static(node, f"imported from '{imported.specifier}'")
        if imported.name == "*":
            return JsValue.not_static(node, f"the module '{imported.specifier}'")
        return self.export_value(target, imported.name, node)

    def export_value(self, module: Module, name: str, node: Node, depth: int = 0) -> JsValue:
        exported = module.export(name)
        if exported is not None:
            if exported.type == "identifier":
                resolved = self._identifier(module, exported, text_of(exported))
                if resolved is not None:
                    return resolved
            return self.value(module, exported)
        if depth < 8:
            imported = module.reexports.get(name)
            if imported is not None:
                target = self.imported(module, imported.specifier)
                if target is not None:
                    return self.export_value(target, imported.name, node, depth + 1)
            for specifier in module.export_all:
                target = self.imported(module, specifier)
                if target is not None and (
                    target.export(name) is not None or name in target.reexports
                ):
                    return self.export_value(target, name, node, depth + 1)
        return JsValue.not_static(node, f"'{name}' is not exported by {module.rel}")

    def _param(self, module: Module, node: Node, param: Param, name: str) -> JsValue:
        frames = self.state.frames
        if frames and frames[-1].callee is module and frames[-1].function == param.function:
            frame = frames.pop()
            try:
                if param.index < len(frame.args):
                    arg = frame.args[param.index]
                    if param.key is not None:
                        return self.entry_value(frame.caller, arg, param.key)
                    return self.value(frame.caller, arg)
                if param.default is not None:
                    return self.value(module, param.default)
                return JsValue.not_static(node, "a parameter the call leaves out")
            finally:
                frames.append(frame)
        self.state.param_hits.append((module, param.function))
        function = function_name(param.function) or "a function"
        return JsValue.not_static(node, f"a parameter of {function}()")

    def entry_value(self, module: Module, node: Node, key: str) -> JsValue:
        """The value of `node[key]`, where `node` is an object literal, or names or returns one."""
        counter = self.counter
        if counter.depth >= self.budget.max_depth:
            return JsValue.not_static(
                node, f"a value followed through more than {self.budget.max_depth} steps"
            )
        counter.depth += 1
        try:
            return self._entry_value(module, node, key)
        finally:
            counter.depth -= 1

    def _entry_value(self, module: Module, node: Node, key: str) -> JsValue:
        node = unwrap(node)
        if node.type == "call_expression":
            required = require_target(node)
            if required is not None:  # require('./config').baseUrl
                target = self.imported(module, required)
                if target is None:
                    return JsValue.not_static(node, f"imported from '{required}'")
                return self.export_value(target, key, node)
        if node.type == "member_expression" and text_of(node).replace(" ", "").endswith(
            "globalData"
        ):
            found_data = self.global_data().get(key)  # const { baseUrl } = getApp().globalData
            if found_data:
                values = [self.value(m, v) for m, v in found_data]
                return _one_or_choices(node, values, [])
        if node.type == "object":
            for child in reversed(node.named_children):
                if child.type == "pair":
                    found = child.child_by_field_name("key")
                    if found is not None and property_key(found) == key:
                        value = child.child_by_field_name("value")
                        if value is not None:
                            return self.value(module, value)
                elif child.type == "shorthand_property_identifier" and text_of(child) == key:
                    return self.value(module, child)
                elif child.type == "spread_element":
                    spread = next((c for c in child.named_children if c.type != "comment"), None)
                    if spread is not None:
                        spread_value = self.entry_value(module, spread, key)
                        if spread_value.static or spread_value.prefix or spread_value.choices:
                            return spread_value
            return JsValue(None, undefined=True)
        if node.type in ("identifier", "shorthand_property_identifier"):
            name = text_of(node)
            binding = module.binding(name, node)
            param = module.param(name, node)
            if param is not None and (
                binding is None or binding.scope.start_byte < param.function.start_byte
            ):
                frames = self.state.frames
                if frames and frames[-1].callee is module and frames[-1].function == param.function:
                    frame = frames.pop()
                    try:
                        if param.index < len(frame.args):
                            arg = frame.args[param.index]
                            if param.key is not None:
                                holder = self._object_node(frame.caller, arg, param.key)
                                if holder is not None:
                                    return self.entry_value(holder[0], holder[1], key)
                                return self.entry_value(frame.caller, arg, key)
                            return self.entry_value(frame.caller, arg, key)
                    finally:
                        frames.append(frame)
                self.state.param_hits.append((module, param.function))
                function = function_name(param.function) or "a function"
                return JsValue.not_static(node, f"a parameter of {function}()")
            if binding is not None and binding.value is not None:
                if binding.key is not None:
                    holder = self._object_node(module, binding.value, binding.key)
                    if holder is not None:
                        return self.entry_value(holder[0], holder[1], key)
                    return JsValue.not_static(node, "the variable")
                return self.entry_value(module, binding.value, key)
            imported = module.imports.get(name)
            if imported is not None:
                target = self.imported(module, imported.specifier)
                if target is None:
                    return JsValue.not_static(node, f"imported from '{imported.specifier}'")
                if imported.name == "*":
                    return self.export_value(target, key, node)
                exported = target.export(imported.name)
                if exported is not None:
                    return self.entry_value(target, exported, key)
            return JsValue.not_static(node, "the variable")
        located = self._object_node(module, node, None)
        if located is not None:
            return self.entry_value(located[0], located[1], key)
        if node.type == "call_expression":
            return JsValue.not_static(node, "the call")
        owner = self.value(module, node)
        if owner.static and isinstance(owner.value, dict) and key in owner.value:
            return JsValue(owner.value[key], origin=owner.origin)
        return JsValue.not_static(node, owner.reason or "the member expression")

    def _object_node(
        self, module: Module, node: Node, key: str | None, depth: int = 0
    ) -> tuple[Module, Node] | None:
        """The object literal `node` (then `node[key]`, when `key` is given) stands for."""
        node = unwrap(node)
        if depth > 12:
            return None
        target: tuple[Module, Node] | None = None
        if node.type == "object":
            target = (module, node)
        elif node.type == "identifier":
            binding = module.binding(text_of(node), node)
            if binding is not None and binding.value is not None:
                target = self._object_node(module, binding.value, binding.key, depth + 1)
            elif (imported := module.imports.get(text_of(node))) is not None:
                loaded = self.imported(module, imported.specifier)
                if loaded is not None and imported.name != "*":
                    exported = loaded.export(imported.name)
                    if exported is not None:
                        target = self._object_node(loaded, exported, None, depth + 1)
        elif node.type == "member_expression":
            inner = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if inner is not None and prop is not None:
                owner = self._object_node(module, inner, text_of(prop), depth + 1)
                if owner is not None:
                    target = owner
        elif node.type == "new_expression":  # new Vuex.Store({ state: {...} })
            args = node.child_by_field_name("arguments")
            first = (
                next((c for c in args.named_children if c.type != "comment"), None)
                if args
                else None
            )
            if first is not None:
                target = self._object_node(module, first, None, depth + 1)
        elif node.type == "call_expression":
            function = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            name = text_of(function) if function is not None else ""
            wrappers = ("Object.freeze", "defineConfig", "reactive", "Object.seal", "createStore")
            if name in wrappers and args:
                first = next((c for c in args.named_children if c.type != "comment"), None)
                if first is not None:
                    target = self._object_node(module, first, None, depth + 1)
        if target is None or key is None:
            return target
        entry = object_entry(target[1], key) if target[1].type == "object" else None
        if entry is None:
            return None
        return self._object_node(target[0], entry, None, depth + 1)

    def _member(self, module: Module, node: Node) -> JsValue | None:
        owner = node.child_by_field_name("object")
        if owner is None:
            return None
        owner_text = "".join(text_of(owner).split())
        if node.type == "member_expression":
            prop_node = node.child_by_field_name("property")
            prop = text_of(prop_node) if prop_node is not None else None
        else:
            index = node.child_by_field_name("index")
            if index is None:
                return None
            key_value = self.value(module, index)
            prop = (
                key_value.value if key_value.static and isinstance(key_value.value, str) else None
            )
            if prop is None:
                return self._indexed_by_branch(module, node, owner, index, key_value)
        if prop is None:
            return None
        if owner_text in ("process.env", "import.meta.env"):
            if prop == "NODE_ENV" or prop == "MODE":
                return None  # left as a condition: `process.env.NODE_ENV === 'development'`
            found = self.env.get(prop) or self.defines.get(f"{owner_text}.{prop}")
            if found:
                return self._env_value(node, found)
            return JsValue.not_static(node, f"{owner_text}.{prop} is set by no .env file or define")
        if owner_text.endswith("globalData") and owner_text != "globalData":
            found_data = self.global_data().get(prop)
            if found_data:
                values = [self.value(m, v) for m, v in found_data]
                return _one_or_choices(node, values, [f"globalData.{prop}"] * len(values))
        if owner.type == "this":
            return self._this_member(module, node, prop)
        if owner.type in ("identifier", "member_expression", "call_expression", "object"):
            return self.entry_value(module, owner, prop)
        return None

    def _indexed_by_branch(
        self, module: Module, node: Node, owner: Node, index: Node, key: JsValue
    ) -> JsValue | None:
        """`config[process.env.NODE_ENV]`: every entry of the object, each under its key."""
        located = self._object_node(module, owner, None)
        if located is None or located[1].type != "object":
            return None
        condition = " ".join(text_of(index).split())
        choices: list[Choice] = []
        for name, value in object_pairs(located[1]):
            choices.append(Choice(f"{condition} === '{name}'", self.value(located[0], value)))
        if not choices or len(choices) > self.budget.max_choices:
            return None
        return JsValue.not_static(node, "a value chosen by the build", choices=tuple(choices))

    def _this_member(self, module: Module, node: Node, prop: str) -> JsValue | None:
        """`this.baseUrl`: the entry of the object literal around the method, else `this.baseUrl =`
        in the module, else a class field. A page's `this.data` changes at run time (setData)."""
        if prop == "data":
            return JsValue.not_static(node, "page data, set at run time")
        parent = node.parent
        while parent is not None:
            if parent.type == "object":
                entry = object_entry(parent, prop)
                if entry is not None:
                    return self.value(module, entry)
                break
            if parent.type == "class_body":
                break
            parent = parent.parent
        for assignment in module.index["assignment_expression"]:
            left = assignment.child_by_field_name("left")
            right = assignment.child_by_field_name("right")
            if (
                left is not None
                and right is not None
                and "".join(text_of(left).split()) == (f"this.{prop}")
            ):
                return self.value(module, right)
        for kind in ("field_definition", "public_field_definition"):
            for definition in module.index[kind]:
                name = definition.child_by_field_name("property") or definition.child_by_field_name(
                    "name"
                )
                value = definition.child_by_field_name("value")
                if name is not None and value is not None and text_of(name) == prop:
                    return self.value(module, value)
        return None

    def _call(self, module: Module, node: Node) -> JsValue | None:
        function = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if function is None or args is None:
            return None
        name = "".join(text_of(function).split())
        arguments = [c for c in args.named_children if c.type != "comment"]
        if name in ("JSON.stringify", "String") and len(arguments) == 1:
            inner = self.value(module, arguments[0])
            if inner.static and name == "JSON.stringify":
                try:
                    return JsValue(json.dumps(inner.value), origin=inner.origin)
                except (TypeError, ValueError):
                    return None
            return inner
        if function.type == "identifier" and not arguments:
            # a local `getBaseUrl()` whose body returns one expression
            binding = module.binding(name, node)
            body = _single_return(binding.value) if binding and binding.value else None
            if body is not None:
                return self.value(module, body)
        return None

    def _env_value(self, node: Node, found: list[EnvValue]) -> JsValue:
        if len(found) == 1 and not found[0].condition:
            return found[0].value
        return JsValue.not_static(
            node,
            "a value chosen by the build",
            choices=tuple(Choice(e.condition, e.value) for e in found),
        )

    def global_data(self) -> dict[str, list[tuple[Module, Node]]]:
        """`App({globalData: {...}})` entries and `....globalData.x = v` assignments of the app."""
        if self._global_data is None:
            found: dict[str, list[tuple[Module, Node]]] = {}
            for module in self.app_modules:
                for pair in module.index["pair"]:
                    key = pair.child_by_field_name("key")
                    value = pair.child_by_field_name("value")
                    if key is None or value is None or property_key(key) != "globalData":
                        continue
                    value = unwrap(value)
                    if value.type != "object":
                        continue
                    for name, inner in object_pairs(value):
                        found.setdefault(name, []).append((module, inner))
                for assignment in module.index["assignment_expression"]:
                    left = assignment.child_by_field_name("left")
                    right = assignment.child_by_field_name("right")
                    if left is None or right is None or left.type != "member_expression":
                        continue
                    target = "".join(text_of(left).split())
                    if ".globalData." in target:
                        found.setdefault(target.rsplit(".", 1)[1], []).append((module, right))
            self._global_data = found
        return self._global_data

    # -- callers of wrappers ------------------------------------------------------------------

    def callers(self, module: Module, function: Node) -> Iterator[tuple[Module, Node]]:
        """Calls of `function` (defined in `module`) in the loaded modules, as far as names tell."""
        name = function_name(function)
        if name is None:
            return
        exported_as = {n for n, v in module.exports.items() if _same(v, function, name)}
        if module.commonjs is not None or function.parent is not None:
            exported_as.add(name)
        count = 0
        for other in [module, *self.importers(module)]:
            local_names: set[str] = set()
            receivers: set[str] = set()
            if other is module:
                local_names.add(name)
                receivers.add("this")
            for local, imported in other.imports.items():
                if self._points_to(other, imported.specifier, module):
                    if imported.name in exported_as or (
                        imported.name == "default" and "default" in module.exports
                    ):
                        local_names.add(local)
                        receivers.add(local)
                    if imported.name in ("*", "default"):
                        receivers.add(local)
            if not local_names and not receivers:
                continue
            for call in other.calls_named(name):
                callee = call.child_by_field_name("function")
                if callee is None:
                    continue
                callee = unwrap(callee)
                matched = False
                if callee.type == "identifier":
                    matched = text_of(callee) in local_names and (
                        other is not module or text_of(callee) == name
                    )
                elif callee.type == "member_expression":
                    prop = callee.child_by_field_name("property")
                    owner = callee.child_by_field_name("object")
                    if prop is not None and owner is not None and text_of(prop) == name:
                        root = owner
                        while root.type == "member_expression":
                            inner = root.child_by_field_name("object")
                            if inner is None:
                                break
                            root = inner
                        matched = text_of(root) in receivers or (
                            other is module
                            and root.type == "identifier"
                            and other.binding(text_of(root), root) is not None
                        )
                if matched and call is not _call_inside(function, call):
                    count += 1
                    if count > MAX_CALLERS:
                        return
                    yield other, call

    def importers(self, target: Module) -> list[Module]:
        """The loaded modules that import `target` (an index rebuilt when modules were added)."""
        if len(self.modules) != self._importers_of:
            index: dict[int, list[Module]] = {}
            for module in (m for m in self.modules.values() if m is not None):
                for specifier in {i.specifier for i in module.imports.values()}:
                    path, _ = self._locate(module, specifier)
                    found = self.modules.get(path) if path is not None else None
                    if found is not None and found is not module:
                        index.setdefault(id(found), []).append(module)
            self._importers, self._importers_of = index, len(self.modules)
        return self._importers.get(id(target), [])

    def _points_to(self, module: Module, specifier: str, target: Module) -> bool:
        path, _ = self._locate(module, specifier)
        return path is not None and self.modules.get(path) is target


def _same(exported: Node, function: Node, name: str) -> bool:
    if exported == function:
        return True
    if exported.type == "identifier" and text_of(exported) == name:
        return True
    parent = function.parent
    return (
        parent is not None
        and parent.parent is not None
        and (exported == parent or exported == parent.parent or exported.type == "object")
    )


def _call_inside(function: Node, call: Node) -> Node | None:
    """`call` when it is the function's own recursive call (not a caller to follow)."""
    if function.start_byte <= call.start_byte and call.end_byte <= function.end_byte:
        fn = enclosing_function(call)
        if fn == function:
            return call
    return None


def _single_return(function: Node) -> Node | None:
    function = unwrap(function)
    if function.type == "arrow_function":
        body = function.child_by_field_name("body")
        if body is not None and body.type != "statement_block":
            return body
    body = function.child_by_field_name("body")
    if body is None:
        return None
    returns = [c for c in body.named_children if c.type == "return_statement"]
    if len(returns) == 1 and len([c for c in body.named_children if c.type != "comment"]) == 1:
        return next((c for c in returns[0].named_children if c.type != "comment"), None)
    return None


def _branch_condition(node: Node) -> str:
    """The condition of the innermost `if` (or its `else`) around `node`, as source text."""
    child = node
    parent = node.parent
    while parent is not None:
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            text = " ".join(text_of(unwrap(condition)).split()) if condition is not None else "?"
            alternative = parent.child_by_field_name("alternative")
            if alternative is not None and alternative.start_byte <= child.start_byte:
                return f"not ({text})"
            return text
        if parent.type in ("function_declaration", "program"):
            return ""
        child, parent = parent, parent.parent
    return ""


def _one_or_choices(node: Node, values: list[JsValue], labels: list[str]) -> JsValue:
    if len(values) == 1:
        return values[0]
    return JsValue.not_static(
        node,
        "a value set in several places",
        choices=tuple(Choice("", v) for v in values),
    )


def _with_suffix(path: Path) -> Path | None:
    path = Path(os.path.normpath(path))
    if path.is_file():
        return path
    for suffix in _RESOLVE_SUFFIXES:
        candidate = path.with_name(path.name + suffix)
        if candidate.is_file():
            return candidate
    if path.is_dir():
        for suffix in _RESOLVE_SUFFIXES:
            candidate = path / f"index{suffix}"
            if candidate.is_file():
                return candidate
    return None


def _package_entry(folder: Path) -> Path | None:
    manifest = folder / "package.json"
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text("utf-8"))
        except (OSError, ValueError, RecursionError):
            data = {}
        if isinstance(data, dict):
            for key in ("miniprogram", "module", "main"):
                entry = data.get(key)
                if isinstance(entry, str):
                    found = _with_suffix(folder / entry)
                    if found is not None and found.is_dir():
                        found = _with_suffix(found / "index")
                    if found is not None:
                        return found
    return _with_suffix(folder / "index")


__all__ = ["EnvValue", "Frame", "Project", "Where", "relative"]

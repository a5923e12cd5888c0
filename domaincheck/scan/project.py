"""`scan_project(root)`: every host a mini program's source contacts, found statically.

The steps: list the app's files (`walk`), tell the framework (`framework`), parse each script once
(`module`), read `.env` files and build defines, then evaluate the URL of every network call
(`calls`) through the resolver (`follow`). A URL that depends on a wrapper's parameter is
followed back to the wrapper's callers, up to `MAX_WRAPPER_DEPTH` wrappers deep; inside a package
only the functions the app calls count. The result is a frozen `SourceScan`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from domaincheck.core.platforms import Platform
from domaincheck.scan.calls import NetworkCall, network_calls, web_view_sources
from domaincheck.scan.follow import MAX_WRAPPER_DEPTH, EnvValue, Frame, Project
from domaincheck.scan.framework import detect
from domaincheck.scan.model import (
    DynamicUrl,
    HostUse,
    NetworkApi,
    Place,
    ScanNote,
    SourceScan,
)
from domaincheck.scan.module import Module, enclosing_function
from domaincheck.scan.walk import TEMPLATE_SUFFIXES, SourceText, find_sources, read_source
from domaincheck.source.evaluate import JsValue, Where, object_entry, object_pairs
from domaincheck.source.jsparse import text_of, unwrap
from domaincheck.source.vue import template_block

if TYPE_CHECKING:
    from tree_sitter import Node

_URL_RE = re.compile(
    r"^\s*(?P<scheme>https?|wss?)://(?:[^@/?#\s]*@)?(?P<host>\[[0-9a-fA-F:.]+\]|[^/:?#\s\\]+)"
    r"(?::(?P<port>\d{1,5}))?(?P<end>[/?#]|$)",
    re.IGNORECASE,
)
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")
_DEV_WORDS = re.compile(r"\b(dev|development|develop|test|testing|local|debug|mock)\b", re.I)
_PROD_WORDS = re.compile(r"\b(prod|production|release|online)\b", re.I)


@dataclass(frozen=True)
class ScanOptions:
    """What to scan: include/exclude globs, and the platform whose uni-app branches are built."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    platform: Platform | None = None


def scan_project(root: Path, options: ScanOptions | None = None) -> SourceScan:
    """Scans the mini program under `root` (see the module docstring)."""
    options = options or ScanOptions()
    files, notes = find_sources(root, options.include, options.exclude)
    detected = detect(root, files)
    platform = options.platform or (detected.platforms[0] if len(detected.platforms) == 1 else None)
    define = ""
    if platform is not None:
        from domaincheck.whitelist.profiles import profile_for

        define = profile_for(platform).uni_app_define
    project = Project(root, define)
    uses: list[HostUse] = []
    dynamic: list[DynamicUrl] = []
    total_bytes = 0
    for path in files:
        source = read_source(root, path)
        if isinstance(source, ScanNote):
            notes.append(source)
            continue
        total_bytes += len(source.text)
        suffix = path.suffix.lower()
        if suffix in TEMPLATE_SUFFIXES or suffix in (".vue", ".nvue"):
            _web_views(source, uses, dynamic)
        if suffix in TEMPLATE_SUFFIXES:
            continue
        module = project.add(source)
        if module is not None:
            project.app_modules.append(module)
    _load_imported_packages(project)
    _read_env_files(root, project)
    _read_defines(project)
    scanner = _CallScanner(project)
    for module in list(project.app_modules):
        vendored = _is_vendored_library(module.rel)
        for call in network_calls(module):
            scanner.scan(call, in_package=vendored)
    done: set[int] = {id(m) for m in project.app_modules}
    while True:  # packages reached by imports, which may reach more packages
        pending = [m for m in list(project.modules.values()) if m is not None and id(m) not in done]
        if not pending:
            break
        for module in pending:
            done.add(id(module))
            for call in network_calls(module):
                scanner.scan(call, in_package=True)
    uses.extend(scanner.uses)
    dynamic.extend(scanner.dynamic)
    if not scanner.has_base:
        dynamic.extend(scanner.relative)
    notes.extend(project.notes)
    return SourceScan(
        root=str(root),
        framework=detected.framework,
        platforms=detected.platforms,
        evidence=detected.evidence,
        uses=tuple(_unique(uses)),
        dynamic=tuple(dict.fromkeys(dynamic)),
        notes=tuple(sorted(set(notes), key=lambda n: (n.place.path, n.place.line, n.message))),
        url_check_off=detected.url_check_off,
        files=len(files),
        bytes=total_bytes,
    )


MAX_PACKAGE_MODULES = 500


def _load_imported_packages(project: Project) -> None:
    """Loads the package modules the app imports, and the modules they import in turn (an API
    client library often holds the app's real hosts), up to `MAX_PACKAGE_MODULES`."""
    queue = [m for m in project.app_modules]
    seen = {id(m) for m in queue}
    loaded = 0
    while queue and loaded < MAX_PACKAGE_MODULES:
        module = queue.pop()
        for imported in module.imports.values():
            specifier = imported.specifier
            if not module.package and specifier.startswith((".", "/", "@/", "~")):
                continue  # the app's own modules are all loaded already
            target = project.imported(module, specifier)
            if target is None or id(target) in seen or not target.package:
                continue
            seen.add(id(target))
            loaded += 1
            queue.append(target)
        for specifier in module.export_all + [i.specifier for i in module.reexports.values()]:
            target = project.imported(module, specifier)
            if target is not None and id(target) not in seen and target.package:
                seen.add(id(target))
                loaded += 1
                queue.append(target)


def _is_vendored_library(rel: str) -> bool:
    """A request library copied into the app (`js_sdk/luch-request/`): read like a package, so
    its internals count only through the app's calls and settings."""
    from domaincheck.scan.calls import LIBRARY_HINTS

    folders = rel.lower().split("/")[:-1]
    return any(hint in folder for folder in folders for hint in LIBRARY_HINTS)


def _unique(uses: list[HostUse]) -> list[HostUse]:
    seen: dict[tuple[str, NetworkApi, Place, Place, str], HostUse] = {}
    for use in uses:
        seen.setdefault((use.host, use.api, use.origin, use.call, use.condition), use)
    return list(seen.values())


class _CallScanner:
    """Evaluates network calls into host uses and dynamic URLs, following wrappers to callers."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.uses: list[HostUse] = []
        self.dynamic: list[DynamicUrl] = []
        self.relative: list[DynamicUrl] = []
        self.has_base = False

    def scan(self, call: NetworkCall, in_package: bool) -> None:
        """Records what `call` reaches; a failure of the analysis itself (it should not happen,
        but the source is untrusted) becomes a dynamic-URL finding naming it, and the scan goes on."""
        try:
            self._scan(call, in_package)
        except (RecursionError, ValueError, TypeError, KeyError, AttributeError) as exc:
            self.project.state.frames = []
            self.dynamic.append(
                DynamicUrl(
                    call.module.place(call.node),
                    call.api,
                    call.via,
                    snippet_of(call.node),
                    f"cannot be checked statically: the analysis stopped "
                    f"({type(exc).__name__}: {_bounded(str(exc), 80)})",
                )
            )

    def _scan(self, call: NetworkCall, in_package: bool) -> None:
        module = call.module
        place = module.place(call.node)
        if call.api in (NetworkApi.TCP, NetworkApi.UDP):
            self.dynamic.append(
                DynamicUrl(
                    place,
                    call.api,
                    call.via,
                    snippet_of(call.node),
                    "the address is given to connect()/send() later; list it in the "
                    f"{call.api.value} list by hand",
                )
            )
            return
        if call.options is None and call.url_node is None:
            self.dynamic.append(
                DynamicUrl(
                    place, call.api, call.via, snippet_of(call.node), "the call has no options"
                )
            )
            return
        function = enclosing_function(call.node)
        if in_package and function is None and call.key != "url" and call.url_node is None:
            return
        results = self._follow(call, [], 0, function, in_package)
        package = module.package
        for value, chain in results:
            self._record(call, value, chain, package)

    def _evaluate(self, call: NetworkCall, frames: list[Frame]) -> JsValue:
        project = self.project
        project.state.frames = list(frames)
        project.state.param_hits = []
        try:
            if call.options is not None:
                return project.entry_value(call.module, call.options, call.key)
            assert call.url_node is not None
            return project.value(call.module, call.url_node)
        finally:
            project.state.frames = []

    def _follow(
        self,
        call: NetworkCall,
        frames: list[Frame],
        depth: int,
        function: Node | None,
        in_package: bool,
    ) -> list[tuple[JsValue, tuple[Place, ...]]]:
        """The call's URL values, each with the chain of wrapper calls that led to it."""
        value = self._evaluate(call, frames)
        hits = list(self.project.state.param_hits)
        # the function around the outermost call of the chain whose parameter the URL depends on
        wanted = frames[0] if frames else None
        target_module = wanted.caller if wanted is not None else call.module
        at = wanted.call if wanted is not None else call.node
        around = [
            f
            for m, f in hits
            if m is target_module and f.start_byte <= at.start_byte and at.end_byte <= f.end_byte
        ]
        target_function = max(around, key=lambda f: f.start_byte) if around else None
        depends = target_function is not None
        if not depends and in_package and not frames and function is not None:
            target_function = _outermost_function(call.node)
        if not depends and not (in_package and not frames and function is not None):
            return [(value, tuple(f.caller.place(f.call) for f in frames))]
        if depth >= MAX_WRAPPER_DEPTH or target_function is None:
            return [(value, tuple(f.caller.place(f.call) for f in frames))]
        results: list[tuple[JsValue, tuple[Place, ...]]] = []
        for caller_module, caller_call in self.project.callers(target_module, target_function):
            args = caller_call.child_by_field_name("arguments")
            arguments = tuple(
                c for c in (args.named_children if args is not None else ()) if c.type != "comment"
            )
            frame = Frame(target_module, target_function, caller_module, caller_call, arguments)
            results.extend(
                self._follow(
                    call,
                    [frame, *frames],
                    depth + 1,
                    function,
                    in_package and bool(caller_module.package),
                )
            )
        if not results:
            if in_package:
                return []  # a library function the app never calls
            return [(value, tuple(f.caller.place(f.call) for f in frames))]
        return results

    def _record(
        self, call: NetworkCall, value: JsValue, chain: tuple[Place, ...], package: str
    ) -> None:
        module = call.module
        place = module.place(call.node)
        via = call.via
        dynamic_via = via
        if chain:
            dynamic_via += ", reached from " + ", ".join(str(p) for p in chain[:3])
        base_setting = call.options is None and call.key == "url"
        for condition, outcome in value.outcomes():
            text = outcome.value if outcome.static and isinstance(outcome.value, str) else None
            known = text if text is not None else outcome.prefix
            match = _URL_RE.match(known) if known else None
            host = _host_of(match) if match is not None else None
            if (
                match is not None
                and host is not None
                and (text is not None or match.group("end") or _host_complete(host))
            ):
                if base_setting:
                    self.has_base = True
                origin = outcome.origin
                self.uses.append(
                    HostUse(
                        host=host,
                        scheme=match.group("scheme").lower(),
                        port=int(match.group("port")) if match.group("port") else None,
                        api=call.api,
                        url=_bounded(known),
                        origin=Place(origin.path, origin.line) if origin else place,
                        call=chain[-1] if chain and base_setting else place,
                        via=via,
                        condition=condition,
                        dev_only=is_dev_condition(condition),
                        in_package=package,
                        reached_from=chain,
                    )
                )
                continue
            if call.key == "absolute":
                continue  # a path on the library's base URL
            if text is not None or outcome.undefined:
                finding = DynamicUrl(
                    place,
                    call.api,
                    dynamic_via,
                    _bounded(text or ""),
                    "the URL's host is not a valid host name"
                    if text and "://" in text
                    else "a relative URL: the host is added where domaincheck cannot see it"
                    if text
                    else "the options set no url",
                )
                if text and text.startswith("/"):
                    self.relative.append(finding)
                else:
                    self.dynamic.append(finding)
                continue
            if base_setting and not outcome.static and not outcome.prefix:
                self.has_base = True  # a base URL set from somewhere unknown
            written = self._url_text(call)
            reason = _reason(outcome, condition)
            if outcome.source and written and outcome.source != written:
                reason += f" (`{_bounded(outcome.source, 60)}`)"
            self.dynamic.append(
                DynamicUrl(
                    place,
                    call.api,
                    dynamic_via,
                    written or _bounded(outcome.source) or snippet_of(call.node),
                    reason,
                )
            )

    @staticmethod
    def _url_text(call: NetworkCall) -> str:
        """The URL expression as written at the call (`this.data.inputUrl`), when it is there."""
        if call.url_node is not None:
            return snippet_of(call.url_node)
        if call.options is not None:
            options = unwrap(call.options)
            if options.type == "object":
                entry = object_entry(options, call.key)
                if entry is not None:
                    return snippet_of(entry)
            return snippet_of(options)
        return ""


def _outermost_function(node: Node) -> Node | None:
    """The top-level function around `node`: the one a package exports for the app to call."""
    found = enclosing_function(node)
    while found is not None:
        outer = enclosing_function(found)
        if outer is None:
            return found
        found = outer
    return None


def _host_complete(host: str) -> bool:
    """A host cut off by an unknown value (`'https://api.example.com' + path`) is taken as whole
    when it ends in a top-level label (`.com`) or is an IP address."""
    return bool(re.search(r"\.[a-z]{2,}$|^\d+\.\d+\.\d+\.\d+$|^localhost$", host, re.I))


def _reason(value: JsValue, condition: str) -> str:
    reason = value.reason or "not a literal"
    if condition:
        reason += f" (when {condition})"
    return f"cannot be checked statically: {reason}"


def _bounded(text: str, limit: int = 200) -> str:
    """Source text made safe for a report line: control characters escaped, length capped."""
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _host_of(match: re.Match[str]) -> str | None:
    """The URL's host, normalised (lower case, IDNA); None when it is not a host at all."""
    from domaincheck.core.domains import HostKind, classify_host

    host, kind, _ = classify_host(match.group("host").strip("[]"))
    return None if kind in (HostKind.INVALID, HostKind.WILDCARD) else host


def snippet_of(node: Node) -> str:
    return _bounded(" ".join(text_of(node).split()), 80)


def is_dev_condition(condition: str) -> bool:
    """True when the branch `condition` holds only in a development or test build."""
    for term in condition.split(" && "):
        negated = False
        term = term.strip()
        while term.startswith("not (") and term.endswith(")"):
            negated = not negated
            term = term[5:-1]
        if term.endswith((" is set", " is not set")):
            continue
        positive = "!=" not in term
        quoted = re.findall(r"""['"`]([^'"`]*)['"`]""", term)
        words = " ".join(quoted) if quoted else re.sub(r"([a-z])([A-Z])", r"\1 \2", term)
        words = words.replace("_", " ").replace(".", " ")
        holds = positive != negated
        if _DEV_WORDS.search(words):
            if holds:
                return True
        elif _PROD_WORDS.search(words) and not holds:
            return True
    return False


def _web_views(source: SourceText, uses: list[HostUse], dynamic: list[DynamicUrl]) -> None:
    text = source.text
    offset = 0
    if source.path.suffix.lower() in (".vue", ".nvue"):
        block = template_block(text)
        if block is None:
            return
        text, offset = block.text, block.line_offset
    for line, value, bound in web_view_sources(text):
        place = Place(source.rel, line + offset)
        match = _URL_RE.match(value) if not bound else None
        host = _host_of(match) if match is not None else None
        if match is None or host is None:
            dynamic.append(
                DynamicUrl(
                    place,
                    NetworkApi.WEB_VIEW,
                    "<web-view src>",
                    _bounded(value),
                    "cannot be checked statically: a bound value"
                    if bound
                    else "not an absolute URL",
                )
            )
            continue
        uses.append(
            HostUse(
                host=host,
                scheme=match.group("scheme").lower(),
                port=int(match.group("port")) if match.group("port") else None,
                api=NetworkApi.WEB_VIEW,
                url=_bounded(value),
                origin=place,
                call=place,
                via="<web-view src>",
            )
        )


def _read_env_files(root: Path, project: Project) -> None:
    """`.env`, `.env.local`, `.env.<mode>`: each variable with the build mode that sets it."""
    for path in sorted(root.glob(".env*")):
        if not path.is_file() or path.stat().st_size > 256 * 1024:
            continue
        name = path.name
        mode = name[len(".env") :].strip(".").removesuffix(".local").removesuffix("local")
        condition = f"mode {mode} ({name})" if mode else ""
        try:
            lines = path.read_text("utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            match = _ENV_LINE.match(line)
            if match is None or line.lstrip().startswith("#"):
                continue
            value = match.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            else:
                value = value.split(" #", 1)[0].strip()
            project.env.setdefault(match.group(1), []).append(
                EnvValue(JsValue(value, origin=Where(name, number)), condition)
            )


def _read_defines(project: Project) -> None:
    """Taro's `defineConstants` and `env`, Vite's `define`, from the build config modules."""
    for module in project.app_modules:
        rel = module.rel
        if not (rel.startswith("config/") or rel.startswith(("vite.config", "vue.config"))):
            continue
        stem = Path(rel).stem
        condition = ""
        if rel.startswith("config/") and stem != "index":
            condition = f"build {stem} ({rel})"
        for pair in module.index["pair"]:
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            name = text_of(key) if key is not None else ""
            if name not in ("defineConstants", "define", "env") or value is None:
                continue
            value = unwrap(value)
            if value.type != "object":
                continue
            for defined, entry_value in object_pairs(value):
                evaluated = _define_value(project, module, entry_value)
                target = project.env if name == "env" else project.defines
                target.setdefault(defined, []).append(EnvValue(evaluated, condition))
                if name != "env" and defined.startswith(("process.env.", "import.meta.env.")):
                    project.env.setdefault(defined.rsplit(".", 1)[1], []).append(
                        EnvValue(evaluated, condition)
                    )


def _define_value(project: Project, module: Module, node: Node) -> JsValue:
    """A define's value is JSON source text (`'"https://a.com"'`, `JSON.stringify(...)`)."""
    value = project.value(module, node)
    if value.static and isinstance(value.value, str):
        try:
            decoded = json.loads(value.value)
        except ValueError:
            return value
        return JsValue(decoded, origin=value.origin)
    return value


__all__ = ["ScanOptions", "SourceText", "scan_project"]

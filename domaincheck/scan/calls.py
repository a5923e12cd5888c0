"""The network calls of a module and the URLs they reach.

A call counts when it is a platform API (`request`, `httpRequest`, `uploadFile`, `downloadFile`,
`connectSocket`, `createTCPSocket`, `createUDPSocket`) on a platform global (`wx`, `my`, `tt`,
`swan`, `qq`, `dd`, `uni`, `Taro`) or an alias of one; a base-URL setting of a request library
(`baseURL`/`baseUrl` given to `create()`, `new X()`, `setConfig()`, or assigned: axios,
luch-request, flyio, uni-ajax); or an absolute URL passed to such a library's instance.
Everything else with a URL in it (comments, image sources, share paths, doc links) is not a call
and never reaches here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domaincheck.scan.model import NetworkApi
from domaincheck.scan.module import Module
from domaincheck.source.evaluate import property_key
from domaincheck.source.jsparse import text_of, unwrap

if TYPE_CHECKING:
    from tree_sitter import Node

PLATFORM_GLOBALS = frozenset({"wx", "my", "tt", "swan", "qq", "dd", "uni", "Taro", "jd", "ks"})
PLATFORM_MODULES = frozenset({"@tarojs/taro", "@tarojs/taro-h5", "@dcloudio/uni-app"})
API_KINDS: dict[str, NetworkApi] = {
    "request": NetworkApi.REQUEST,
    "httpRequest": NetworkApi.REQUEST,
    "uploadFile": NetworkApi.UPLOAD,
    "downloadFile": NetworkApi.DOWNLOAD,
    "connectSocket": NetworkApi.SOCKET,
    "createTCPSocket": NetworkApi.TCP,
    "createUDPSocket": NetworkApi.UDP,
}
LIBRARY_HINTS = ("axios", "fly", "luch-request", "uni-ajax", "request-miniprogram", "uni-request")
_BASE_KEYS = frozenset({"baseURL", "baseUrl"})
_LIBRARY_METHODS: dict[str, NetworkApi] = {
    "get": NetworkApi.REQUEST,
    "post": NetworkApi.REQUEST,
    "put": NetworkApi.REQUEST,
    "delete": NetworkApi.REQUEST,
    "patch": NetworkApi.REQUEST,
    "head": NetworkApi.REQUEST,
    "options": NetworkApi.REQUEST,
    "request": NetworkApi.REQUEST,
    "upload": NetworkApi.UPLOAD,
    "download": NetworkApi.DOWNLOAD,
}


@dataclass(frozen=True)
class NetworkCall:
    """A call (or setting) in `module` whose URL is `url_node` (or `options[key]`)."""

    module: Module
    node: Node
    api: NetworkApi
    via: str
    options: Node | None  # the options object the URL is a key of
    url_node: Node | None  # the URL expression itself, when it is not a key
    key: str = "url"


def platform_global(module: Module, node: Node, depth: int = 0) -> str | None:
    """The platform global `node` stands for (`wx`, or `Taro` for an import of @tarojs/taro)."""
    node = unwrap(node)
    if node.type != "identifier" or depth > 4:
        return None
    name = text_of(node)
    binding = module.binding(name, node)
    if binding is None:
        imported = module.imports.get(name)
        if imported is not None:
            if imported.specifier in PLATFORM_MODULES and imported.name in ("default", "*"):
                return "Taro" if "taro" in imported.specifier else "uni"
            return None
        return name if name in PLATFORM_GLOBALS else None
    if binding.value is not None and binding.key is None:
        return platform_global(module, binding.value, depth + 1)
    return None


def platform_api(module: Module, callee: Node, depth: int = 0) -> tuple[NetworkApi, str] | None:
    """The API a callee names: `wx.request`, `my['httpRequest']`, `const r = wx.request; r()`,
    `import { request } from '@tarojs/taro'`."""
    callee = unwrap(callee)
    if callee.type == "await_expression" and callee.named_children:
        # TypeScript reads `await Taro.request<T>(...)` as a call of `await Taro.request`
        callee = unwrap(callee.named_children[0])
    if depth > 4:
        return None
    if callee.type in ("member_expression", "subscript_expression"):
        owner = callee.child_by_field_name("object")
        if callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            name = text_of(prop) if prop is not None else ""
        else:
            index = callee.child_by_field_name("index")
            name = text_of(index)[1:-1] if index is not None and index.type == "string" else ""
        if owner is None or name not in API_KINDS:
            return None
        found = platform_global(module, owner)
        return (API_KINDS[name], f"{found}.{name}") if found else None
    if callee.type != "identifier":
        return None
    name = text_of(callee)
    binding = module.binding(name, callee)
    if binding is None:
        imported = module.imports.get(name)
        if (
            imported is not None
            and imported.specifier in PLATFORM_MODULES
            and imported.name in API_KINDS
        ):
            return API_KINDS[imported.name], f"Taro.{imported.name}"
        return None
    if binding.value is None:
        return None
    if binding.key is not None:  # const { request } = wx
        if binding.key in API_KINDS and platform_global(module, binding.value):
            return API_KINDS[binding.key], f"{text_of(binding.value)}.{binding.key}"
        return None
    value = unwrap(binding.value)
    if (
        value.type == "call_expression"
    ):  # const request = wx.request.bind(wx) / promisify(wx.request)
        function = value.child_by_field_name("function")
        args = value.child_by_field_name("arguments")
        if function is not None and function.type == "member_expression":
            prop = function.child_by_field_name("property")
            owner = function.child_by_field_name("object")
            if prop is not None and text_of(prop) == "bind" and owner is not None:
                return platform_api(module, owner, depth + 1)
        if args is not None and args.named_children:
            return platform_api(module, args.named_children[0], depth + 1)
        return None
    return platform_api(module, value, depth + 1)


def _first_argument(call: Node) -> Node | None:
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    return next((c for c in args.named_children if c.type != "comment"), None)


def library_receiver(module: Module, node: Node, depth: int = 0) -> str | None:
    """The request library an instance comes from (`axios`, `luch-request`), when names tell."""
    node = unwrap(node)
    if depth > 4:
        return None
    if node.type == "identifier":
        name = text_of(node)
        imported = module.imports.get(name)
        if imported is not None:
            return _library_of(imported.specifier)
        binding = module.binding(name, node)
        if binding is not None and binding.value is not None and binding.key is None:
            return library_receiver(module, binding.value, depth + 1)
        return None
    if node.type == "new_expression":
        constructor = node.child_by_field_name("constructor")
        return library_receiver(module, constructor, depth + 1) if constructor else None
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "member_expression":
            prop = function.child_by_field_name("property")
            owner = function.child_by_field_name("object")
            if prop is not None and text_of(prop) == "create" and owner is not None:
                return library_receiver(module, owner, depth + 1)
    if node.type == "member_expression":
        owner = node.child_by_field_name("object")
        return library_receiver(module, owner, depth + 1) if owner is not None else None
    return None


def _library_of(specifier: str) -> str | None:
    lowered = specifier.lower()
    return next((hint for hint in LIBRARY_HINTS if hint in lowered), None)


def network_calls(module: Module) -> list[NetworkCall]:
    """Every network call and base-URL setting of `module`, in document order."""
    calls: list[NetworkCall] = []
    for call in module.index["call_expression"]:
        function = call.child_by_field_name("function")
        if function is None:
            continue
        found = platform_api(module, function)
        if found is not None:
            api, via = found
            first = _first_argument(call)
            calls.append(NetworkCall(module, call, api, via, first, None))
            continue
        callee = unwrap(function)
        if callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            owner = callee.child_by_field_name("object")
            method = text_of(prop) if prop is not None else ""
            if method in _LIBRARY_METHODS and owner is not None:
                library = library_receiver(module, owner)
                if library is not None:
                    first = _first_argument(call)
                    via = f"{library} {method}()"
                    if first is not None and unwrap(first).type == "object":
                        calls.append(
                            NetworkCall(module, call, _LIBRARY_METHODS[method], via, first, None)
                        )
                    elif first is not None:
                        calls.append(
                            NetworkCall(
                                module, call, _LIBRARY_METHODS[method], via, None, first, "absolute"
                            )
                        )
        elif callee.type == "identifier":
            library = library_receiver(module, callee)
            first = _first_argument(call)
            if library is not None and first is not None:
                if unwrap(first).type == "object":
                    calls.append(
                        NetworkCall(module, call, NetworkApi.REQUEST, f"{library}()", first, None)
                    )
                else:
                    calls.append(
                        NetworkCall(
                            module,
                            call,
                            NetworkApi.REQUEST,
                            f"{library}()",
                            None,
                            first,
                            "absolute",
                        )
                    )
    # base-URL settings: { baseURL: ... } given to a call or constructor, or `x.baseURL = ...`
    for pair in module.index["pair"]:
        key = pair.child_by_field_name("key")
        value = pair.child_by_field_name("value")
        if key is None or value is None or property_key(key) not in _BASE_KEYS:
            continue
        holder = pair.parent
        args = holder.parent if holder is not None else None
        if holder is None or args is None or args.type != "arguments":
            continue
        owner_call = args.parent
        if owner_call is None:
            continue
        callee_node = owner_call.child_by_field_name("function") or owner_call.child_by_field_name(
            "constructor"
        )
        name = " ".join(text_of(callee_node).split()) if callee_node is not None else "?"
        calls.append(
            NetworkCall(module, pair, NetworkApi.REQUEST, f"{name}({{ baseURL }})", None, value)
        )
    for assignment in module.index["assignment_expression"]:
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None or left.type != "member_expression":
            continue
        prop = left.child_by_field_name("property")
        if prop is None or text_of(prop) not in _BASE_KEYS:
            continue
        owner_text = "".join(text_of(left).split())
        if owner_text.startswith("this.") and owner_text.count(".") == 1:
            continue  # `this.baseUrl = ...` is a field the wrapper reads, followed from its use
        calls.append(NetworkCall(module, assignment, NetworkApi.REQUEST, owner_text, None, right))
    # interceptors that rewrite the URL: uni.addInterceptor('request', { invoke(args) {
    # args.url = BASE + args.url } }), axios/luch `interceptors.request.use(config => ...)`
    for assignment in module.index["assignment_expression"]:
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None or left.type != "member_expression":
            continue
        prop = left.child_by_field_name("property")
        if prop is None or text_of(prop) != "url":
            continue
        interceptor = _interceptor_of(assignment)
        if interceptor is not None:
            api, via = interceptor
            calls.append(NetworkCall(module, assignment, api, via, None, right))
    calls.sort(key=lambda c: c.node.start_byte)
    return calls


_INTERCEPTED = {
    "request": NetworkApi.REQUEST,
    "uploadFile": NetworkApi.UPLOAD,
    "downloadFile": NetworkApi.DOWNLOAD,
    "connectSocket": NetworkApi.SOCKET,
}


def _interceptor_of(node: Node) -> tuple[NetworkApi, str] | None:
    """The API whose URL an assignment inside an interceptor rewrites, with the interceptor."""
    parent = node.parent
    while parent is not None:
        if parent.type == "call_expression":
            function = parent.child_by_field_name("function")
            name = "".join(text_of(function).split()) if function is not None else ""
            if name.endswith(".addInterceptor"):
                args = parent.child_by_field_name("arguments")
                first = args.named_children[0] if args and args.named_children else None
                api = text_of(first)[1:-1] if first is not None and first.type == "string" else ""
                return _INTERCEPTED.get(api, NetworkApi.REQUEST), f"{name}('{api}')"
            if name.endswith("interceptors.request.use"):
                return NetworkApi.REQUEST, name
        parent = parent.parent
    return None


_WEB_VIEW_RE = re.compile(r"<web-view\b(?P<attrs>[^>]*)>", re.IGNORECASE | re.DOTALL)
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_SRC_RE = re.compile(
    r"""(?P<bind>:|v-bind:)?\bsrc\s*=\s*(?P<quote>["'])(?P<value>.*?)(?P=quote)""", re.DOTALL
)


def web_view_sources(text: str) -> list[tuple[int, str, bool]]:
    """`<web-view src>` in a template: (line, value, bound). `bound` when it is an expression
    (`:src`, `{{url}}`), which cannot be known statically."""
    found: list[tuple[int, str, bool]] = []
    text = _HTML_COMMENT_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for match in _WEB_VIEW_RE.finditer(text):
        for src in _SRC_RE.finditer(match.group("attrs")):
            value = src.group("value").strip()
            bound = bool(src.group("bind")) or "{{" in value
            line = text.count("\n", 0, match.start() + src.start()) + 1
            found.append((line, value, bound))
    return found

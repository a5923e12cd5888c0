"""A fake Alipay Open Platform gateway on loopback, strict the way the real one is documented to be.

It verifies each request's RSA2 signature with the app's public key (the sign content built as Alipay
documents it: every parameter but `sign`, empty values left out, sorted, k=v joined by &), checks the
common parameters, keeps the whitelist as state, signs each answer node with its own key, and can
fail in chosen ways: an error code, 20000 a few times, a timeout (with or without the change made),
a bad answer signature, an unsigned error, an HTTP status. It counts every request.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

BEIJING = timezone(timedelta(hours=8))
CREATE = "alipay.open.mini.safedomain.create"
DELETE = "alipay.open.mini.safedomain.delete"
QUERY = "alipay.open.mini.baseinfo.query"
REQUIRED_PARAMS = ("app_id", "method", "charset", "sign_type", "sign", "timestamp", "version")

# The fake's own business sub-codes (Alipay documents none for these methods).
EXISTS = ("SAFE_DOMAIN_ALREADY_EXIST", "域名已存在")
NOT_EXIST = ("SAFE_DOMAIN_NOT_EXIST", "域名不存在")
OVER_LIMIT = ("SAFE_DOMAIN_OVER_LIMIT", "域名数量超过上限")


@dataclass(frozen=True)
class Fault:
    """A way for one request to fail.

    kind: "error" (answer `code`/`sub_code`, signed), "unsigned" (the same, without a signature),
    "timeout" (hold the connection, never answer), "bad_signature" (do the call, sign the answer
    wrongly), "http" (answer HTTP `status` with no JSON). `apply_first` makes the change before
    failing, as when the answer to a successful call is lost.
    """

    kind: str
    code: str = ""
    sub_code: str = ""
    sub_msg: str = ""
    status: int = 200
    apply_first: bool = False

    @classmethod
    def error(cls, code: str, sub_code: str = "", sub_msg: str = "") -> Fault:
        return cls("error", code=code, sub_code=sub_code, sub_msg=sub_msg)

    @classmethod
    def unavailable(cls) -> Fault:
        return cls.error("20000", "isp.unknow-error", "系统繁忙")

    @classmethod
    def timeout(cls, *, apply_first: bool = False) -> Fault:
        return cls("timeout", apply_first=apply_first)

    @classmethod
    def bad_signature(cls) -> Fault:
        return cls("bad_signature")

    @classmethod
    def unsigned(cls, code: str, sub_code: str = "", sub_msg: str = "") -> Fault:
        return cls("unsigned", code=code, sub_code=sub_code, sub_msg=sub_msg)

    @classmethod
    def http(cls, status: int) -> Fault:
        return cls("http", status=status)


_MESSAGES = {
    "10000": "Success",
    "20000": "Service Currently Unavailable",
    "20001": "Insufficient Token Permissions",
    "40001": "Missing Required Arguments",
    "40002": "Invalid Arguments",
    "40004": "Business Failed",
    "40006": "Insufficient Permissions",
}


@dataclass
class _Injection:
    fault: Fault
    method: str | None
    skip: int
    times: int


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received: its method, business content, and the code it answered."""

    method: str
    biz: dict[str, Any]
    params: dict[str, str]
    code: str


@dataclass
class FakeAlipayGateway:
    """The fake's configuration and state; `serve()` runs it on 127.0.0.1 on a random port."""

    app_id: str
    app_public_key: rsa.RSAPublicKey
    gateway_key: rsa.RSAPrivateKey
    domains: list[str] = field(default_factory=list)
    app_auth_token: str | None = None
    limit: int = 30
    sign_first: bool = False  # put "sign" before the response node in the body
    spaced: bool = False  # write the body with spaces after : and ,
    escape_slashes: bool = False  # sign the node's text, then write its "/" as "\\/" in the body
    requests: list[RecordedRequest] = field(default_factory=list)
    _injections: list[_Injection] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _release: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def inject(
        self, fault: Fault, *, method: str | None = None, after: int = 0, times: int = 1
    ) -> None:
        """Makes `times` requests (of `method`, or any) fail with `fault`, after `after` pass."""
        with self._lock:
            self._injections.append(_Injection(fault, method, after, times))

    def count(self, method: str | None = None) -> int:
        """Requests received (of `method`, or all), whatever their outcome."""
        with self._lock:
            return sum(1 for r in self.requests if method is None or r.method == method)

    # -- serving --------------------------------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[FakeAlipayGateway]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                gateway._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}/gateway.do"
        try:
            yield self
        finally:
            self._release.set()
            server.shutdown()
            server.server_close()
            thread.join(5)

    # -- one request ----------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode("utf-8") if length else ""
        query = urlsplit(handler.path).query
        pairs = parse_qsl(query, keep_blank_values=True) + parse_qsl(body, keep_blank_values=True)
        params: dict[str, str] = {}
        for key, value in pairs:
            if key in params:
                self._answer(
                    handler, "error_response", self._error("40002", "isv.duplicate-parameter"), ""
                )
                return
            params[key] = value
        method = params.get("method", "")
        node_name = method.replace(".", "_") + "_response" if method else "error_response"

        node, signed = self._check_request(params)
        biz: dict[str, Any] = {}
        if node is None:
            try:
                biz = json.loads(params["biz_content"]) if params.get("biz_content") else {}
            except ValueError:
                node, signed = (
                    self._error("40002", "isv.invalid-parameter", "biz_content 不是 JSON"),
                    True,
                )
        if node is not None:
            self._record(method, biz, params, node["code"])
            self._answer(handler, node_name, node, "" if not signed else None)
            return

        fault = self._take_fault(method)
        if fault is not None and fault.kind in ("error", "unsigned"):
            node = self._error(fault.code, fault.sub_code, fault.sub_msg)
            self._record(method, biz, params, fault.code)
            self._answer(handler, node_name, node, None if fault.kind == "error" else "")
            return
        if fault is not None and fault.kind == "http":
            self._record(method, biz, params, f"http {fault.status}")
            handler.send_response(fault.status)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if fault is not None and fault.kind == "timeout":
            if fault.apply_first:
                self._execute(method, biz)
            self._record(method, biz, params, "timeout")
            self._release.wait(10)
            handler.close_connection = True
            return

        node = self._execute(method, biz)
        self._record(method, biz, params, node["code"])
        if fault is not None and fault.kind == "bad_signature":
            self._answer(handler, node_name, node, base64.b64encode(b"\x01" * 256).decode())
            return
        self._answer(handler, node_name, node, None)

    def _check_request(self, params: dict[str, str]) -> tuple[dict[str, Any] | None, bool]:
        """An error node (and whether it is signed) if the request is not acceptable, else None."""
        for name in REQUIRED_PARAMS:
            if not params.get(name):
                return self._error("40001", f"isv.missing-{name.replace('_', '-')}"), True
        if params["app_id"] != self.app_id:
            # The gateway cannot sign for an app it does not know.
            return self._error("40002", "isv.invalid-app-id", "无效的AppID参数"), False
        if params["sign_type"] != "RSA2":
            return self._error("40002", "isv.invalid-signature-type"), True
        if params["charset"].lower() != "utf-8" or params.get("format", "json").lower() != "json":
            return self._error("40002", "isv.invalid-charset"), True
        if params["version"] != "1.0":
            return self._error("40002", "isv.invalid-version"), True
        content = "&".join(
            f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k] != ""
        )
        try:
            self.app_public_key.verify(
                base64.b64decode(params["sign"]),
                content.encode("utf-8"),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (InvalidSignature, ValueError):
            return (
                self._error(
                    "40002",
                    "isv.invalid-signature",
                    f"验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：{content}",
                ),
                True,
            )
        try:
            sent = datetime.strptime(params["timestamp"], "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=BEIJING
            )
        except ValueError:
            return self._error("40002", "isv.invalid-timestamp"), True
        if abs(sent - datetime.now(UTC)) > timedelta(minutes=15):
            return self._error("40002", "isv.invalid-timestamp"), True
        token = params.get("app_auth_token")
        if token and token != self.app_auth_token:
            return self._error("20001", "aop.invalid-app-auth-token", "无效的应用授权令牌"), True
        if self.app_auth_token and not token:
            return self._error("40006", "isv.insufficient-isv-permissions", "ISV权限不足"), True
        return None, True

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for injection in self._injections:
                if injection.times <= 0 or injection.method not in (None, method):
                    continue
                if injection.skip > 0:
                    injection.skip -= 1
                    continue
                injection.times -= 1
                return injection.fault
        return None

    def _execute(self, method: str, biz: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if method == QUERY:
                return {
                    "code": "10000",
                    "msg": "Success",
                    "app_name": "演示小程序",
                    "app_english_name": "demo",
                    "safe_domains": list(self.domains),
                    "package_names": ["基础能力"],
                }
            if method in (CREATE, DELETE):
                domain = biz.get("safe_domain")
                if not isinstance(domain, str) or not domain:
                    return self._error("40002", "isv.invalid-parameter", "safe_domain 不能为空")
                if method == CREATE:
                    if domain in self.domains:
                        return self._error("40004", *EXISTS)
                    if len(self.domains) >= self.limit:
                        return self._error("40004", *OVER_LIMIT)
                    self.domains.append(domain)
                else:
                    if domain not in self.domains:
                        return self._error("40004", *NOT_EXIST)
                    self.domains.remove(domain)
                return {"code": "10000", "msg": "Success"}
            return self._error("40002", "isv.invalid-method", "不存在的方法名")

    def _error(self, code: str, sub_code: str = "", sub_msg: str = "") -> dict[str, Any]:
        node: dict[str, Any] = {"code": code, "msg": _MESSAGES.get(code, "Unknown Error")}
        if sub_code:
            node["sub_code"] = sub_code
        if sub_msg:
            node["sub_msg"] = sub_msg
        return node

    def _record(self, method: str, biz: dict[str, Any], params: dict[str, str], code: str) -> None:
        with self._lock:
            kept = {k: v for k, v in params.items() if k != "sign"}
            self.requests.append(RecordedRequest(method, biz, kept, code))

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        node_name: str,
        node: dict[str, Any],
        sign: str | None,
    ) -> None:
        """Writes `{"<node_name>": node, "sign": ...}`, signing the node's exact text unless `sign` is
        given ("" means unsigned)."""
        colon, comma = (": ", ", ") if self.spaced else (":", ",")
        node_text = json.dumps(node, ensure_ascii=False, separators=(comma, colon))
        if sign is None:
            signature = self.gateway_key.sign(
                node_text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256()
            )
            sign = base64.b64encode(signature).decode("ascii")
        if self.escape_slashes:
            node_text = node_text.replace("/", "\\/")
        node_part = f'"{node_name}"{colon}{node_text}'
        if not sign:
            body = "{" + node_part + "}"
        elif self.sign_first:
            body = "{" + f'"sign"{colon}"{sign}"{comma}' + node_part + "}"
        else:
            body = "{" + node_part + f'{comma}"sign"{colon}"{sign}"' + "}"
        data = body.encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html;charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

"""A second fake Alipay gateway, written from Alipay's own SDKs and docs, not from domaincheck's code.

`fake_gateway.py` was written alongside the client and shares its assumptions; this one reads a
request the way the real gateway must, given how the official clients build it, and answers the way
the official clients verify. Where the SDKs differ, it accepts what any of them sends and nothing
else. Sources (the stored versions of the official repositories):

Requests
- alipay/alipay-sdk-python-all `alipay/aop/api/DefaultAlipayClient.py` (`__get_common_params`,
  `__prepare_request_params`, `execute`) and `alipay/aop/api/util/WebUtils.py` (`url_encode`,
  `do_post`): app_id, method, format, charset, sign_type, timestamp, version, sign and
  app_auth_token go in the query string, `biz_content` in an `application/x-www-form-urlencoded;
  charset=utf-8` POST body; values are `quote_plus`-encoded; timestamp "%Y-%m-%d %H:%M:%S".
- alipay/alipay-sdk-java-all `src/main/java/com/alipay/api/AbstractAlipayClient.java`
  (`getRequestHolderWithSign`, `getRequestUrl`, `doPost`): the same, except that app_auth_token
  travels in the body with `biz_content`; the timestamp is written in time zone GMT+8
  (`AlipayConstants.DATE_TIMEZONE`); empty values are not sent (`WebUtils.buildQuery`).
- alipay/alipay-sdk-nodejs-all `src/util.ts` (`sign`) and `src/alipay.ts` (`formatUrl`, `exec`):
  `format` is not sent at all, so it is optional.
- The signed text (all three SDKs, and the doc "自行实现签名": "获取所有请求参数…剔除sign字段，剔除值为空的
  参数，并按照第一个字符的键值ASCII码递增排序"): every parameter from the query and the body but `sign`,
  `sign_type` included, empty ones left out, sorted by key, joined raw (not URL-encoded) as k=v&k=v;
  SHA256withRSA, base64 (Java `AlipaySignature.getSignContent`, Python `SignatureUtils`).
- Error sub-codes: the public code table (isv.missing-*, isv.invalid-signature, isv.invalid-timestamp,
  isv.invalid-app-id, …); Node's `alipay.ts` quotes a real 40002/isv.invalid-signature answer: a
  signed `<method>_response` whose sub_msg quotes the sign content the gateway built.

Answers
- `{"<method with _>_response":{…},"sign":"…"}`; the signature covers the node's raw text (braces
  included) as it appears in the body. Java (`JsonConverter.getSignSourceData` +
  `AlipaySignature.extractSignContent`) cuts it out by brace matching from the node's name, Python
  (`CommonConstants.PATTERN_RESPONSE_BEGIN`) and Node (`getSignStr`) by position; answers in
  certificate mode carry `alipay_cert_sn` too. Slashes come escaped (`https:\\/\\/`); the doc advises
  retrying with them unescaped, and Java's `checkResponseSign` does. Old-style failures answer in an
  `error_response` node, which may carry no signature (Java only checks a failure's signature when it
  has one).

Layouts of the answer (`Layout`) vary the field order, the spacing and the escaping, all of which an
official client copes with.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

QUERY = "alipay.open.mini.baseinfo.query"
CREATE = "alipay.open.mini.safedomain.create"
DELETE = "alipay.open.mini.safedomain.delete"
METHODS = (QUERY, CREATE, DELETE)

GMT8 = timezone(timedelta(hours=8))
# Parameters every request must carry, with the sub-code the gateway answers when one is missing.
REQUIRED = {
    "app_id": "isv.missing-app-id",
    "method": "isv.missing-method",
    "sign": "isv.missing-signature",
    "sign_type": "isv.missing-signature-type",
    "timestamp": "isv.missing-timestamp",
    "version": "isv.missing-version",
    "charset": "isv.missing-charset",
}


class Layout(StrEnum):
    """How an answer's body is laid out; every one of them verifies with an official client."""

    STANDARD = "standard"  # {"x_response":{...},"sign":"..."}
    SIGN_FIRST = "sign_first"  # {"sign":"...","x_response":{...}}
    CERT_SN = "cert_sn"  # {"x_response":{...},"alipay_cert_sn":"...","sign":"..."}
    SPACED = "spaced"  # whitespace around colons and commas, inside the node and out
    ASCII_ESCAPED = "ascii_escaped"  # non-ASCII as \uXXXX in the body, signed as it appears
    SLASH_SIGNED_PLAIN = "slash_signed_plain"  # body shows \/, signature over the text with /
    ESCAPED_SIGN = "escaped_sign"  # the sign's own slashes written \/ too, as a JSON writer may


@dataclass(frozen=True)
class Seen:
    """One request as the gateway saw it: where each parameter came from and how it ended."""

    http_method: str
    content_type: str
    query_keys: tuple[str, ...]
    body_keys: tuple[str, ...]
    method: str
    code: str
    sub_code: str
    sign_content: str


@dataclass
class StrictAlipayGateway:
    """A gateway for one app that checks every request as the official server side must."""

    app_id: str
    app_public_key: rsa.RSAPublicKey
    gateway_key: rsa.RSAPrivateKey
    app_auth_token: str | None = None
    domains: list[str] = field(default_factory=list)
    limit: int = 30
    layout: Layout = Layout.STANDARD
    timestamp_window: timedelta = timedelta(minutes=10)
    requests: list[Seen] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, method: str | None = None) -> int:
        return sum(1 for seen in self.requests if method is None or seen.method == method)

    @contextmanager
    def serve(self) -> Iterator[StrictAlipayGateway]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                gateway._handle(self)

            def do_GET(self) -> None:
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
            server.shutdown()
            server.server_close()
            thread.join(5)

    # -- reading a request ------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw_body = handler.rfile.read(length) if length else b""
        content_type = handler.headers.get("Content-Type", "")
        query = parse_qs(urlsplit(handler.path).query, keep_blank_values=True, encoding="utf-8")
        body: dict[str, list[str]] = {}
        # A servlet reads form fields from the body only for this content type (Java and Python
        # SDKs send it with ";charset=utf-8"; Node's urllib sends the bare type).
        if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
            body = parse_qs(raw_body.decode("utf-8"), keep_blank_values=True, encoding="utf-8")
        params: dict[str, str] = {}
        duplicated = False
        for source in (query, body):
            for key, values in source.items():
                if key in params or len(values) > 1:
                    duplicated = True
                params[key] = values[0]
        node_name, node, signed, sign_content = self._process(params, duplicated)
        with self._lock:
            self.requests.append(
                Seen(
                    http_method=handler.command,
                    content_type=content_type,
                    query_keys=tuple(query),
                    body_keys=tuple(body),
                    method=params.get("method", ""),
                    code=node["code"],
                    sub_code=node.get("sub_code", ""),
                    sign_content=sign_content,
                )
            )
        payload = self._render(node_name, node, signed).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html;charset=utf-8")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _process(
        self, params: dict[str, str], duplicated: bool
    ) -> tuple[str, dict[str, Any], bool, str]:
        """The answer's node name, the node, whether it is signed, and the sign content built."""
        content = official_sign_content(params)
        for name, sub_code in REQUIRED.items():
            if not params.get(name):
                return "error_response", _error("40001", sub_code), False, content
        if params["app_id"] != self.app_id:
            return "error_response", _error("40002", "isv.invalid-app-id"), False, content
        method = params["method"]
        node_name = method.replace(".", "_") + "_response"
        if duplicated:
            return node_name, _error("40002", "isv.invalid-parameter", "参数重复"), True, content
        if method not in METHODS:
            return node_name, _error("40002", "isv.invalid-method"), True, content
        if params["sign_type"] != "RSA2":
            return node_name, _error("40002", "isv.invalid-signature-type"), True, content
        if params["charset"].lower() not in ("utf-8", "utf8"):
            return node_name, _error("40002", "isv.invalid-charset"), True, content
        if params.get("format", "json").lower() != "json":
            return node_name, _error("40002", "isv.invalid-format"), True, content
        if params["version"] != "1.0":
            return node_name, _error("40002", "isv.invalid-parameter", "version"), True, content
        if not self._timestamp_ok(params["timestamp"]):
            return node_name, _error("40002", "isv.invalid-timestamp"), True, content
        if not self._signature_ok(content, params["sign"]):
            quoted = content.replace("&", "&amp;")
            sub_msg = (
                "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为："
                + quoted
            )
            return node_name, _error("40002", "isv.invalid-signature", sub_msg), True, content
        token = params.get("app_auth_token")
        if self.app_auth_token is not None and token != self.app_auth_token:
            return node_name, _error("20001", "aop.invalid-app-auth-token"), True, content
        if self.app_auth_token is None and token:
            return node_name, _error("20001", "aop.invalid-app-auth-token"), True, content
        try:
            biz = json.loads(params["biz_content"]) if params.get("biz_content") else {}
        except ValueError:
            return node_name, _error("40002", "isv.invalid-parameter", "biz_content"), True, content
        if not isinstance(biz, dict):
            return node_name, _error("40002", "isv.invalid-parameter", "biz_content"), True, content
        return node_name, self._execute(method, biz), True, content

    def _timestamp_ok(self, text: str) -> bool:
        try:
            sent = datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=GMT8)
        except ValueError:
            return False
        return abs(datetime.now(UTC) - sent) <= self.timestamp_window

    def _signature_ok(self, content: str, sign: str) -> bool:
        try:
            signature = base64.b64decode(sign, validate=True)
            self.app_public_key.verify(
                signature, content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256()
            )
        except (ValueError, InvalidSignature):
            return False
        return True

    # -- the business -------------------------------------------------------------------------------

    def _execute(self, method: str, biz: dict[str, Any]) -> dict[str, Any]:
        if method == QUERY:
            with self._lock:
                domains = list(self.domains)
            return {
                "code": "10000",
                "msg": "Success",
                "app_name": "环信测试小程序",
                "app_english_name": "Easemob test",
                "app_logo": "https://appx/logo/2021004123456789.png",
                "safe_domains": domains,
                "app_slogan": "即时通讯 / IM",
            }
        domain = biz.get("safe_domain")
        if not isinstance(domain, str) or not domain:
            return _error("40001", "isv.missing-parameter", "缺少必选参数 safe_domain")
        with self._lock:
            present = domain in self.domains
            if method == CREATE:
                if present:
                    return _error("40004", "SAFE_DOMAIN_EXIST", "域名已存在")
                if len(self.domains) >= self.limit:
                    return _error("40004", "SAFE_DOMAIN_EXCEED_LIMIT", "安全域名数量超过上限")
                self.domains.append(domain)
            else:
                if not present:
                    return _error("40004", "SAFE_DOMAIN_NOT_EXIST", "域名不存在")
                self.domains.remove(domain)
        return {"code": "10000", "msg": "Success"}

    # -- writing an answer ------------------------------------------------------------------------

    def _render(self, node_name: str, node: dict[str, Any], signed: bool) -> str:
        layout = self.layout
        spaced = layout is Layout.SPACED
        text = json.dumps(
            node,
            ensure_ascii=layout is Layout.ASCII_ESCAPED,
            separators=(", ", ": ") if spaced else (",", ":"),
        )
        shown = text.replace("/", "\\/")  # the gateway escapes slashes in what it sends
        signed_text = text if layout is Layout.SLASH_SIGNED_PLAIN else shown
        if not signed:
            return '{"' + node_name + '":' + shown + "}"
        sign = base64.b64encode(
            self.gateway_key.sign(signed_text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        ).decode("ascii")
        if layout is Layout.ESCAPED_SIGN:
            sign = sign.replace("/", "\\/")
        if layout is Layout.SIGN_FIRST:
            return '{"sign":"' + sign + '","' + node_name + '":' + shown + "}"
        if layout is Layout.CERT_SN:
            return (
                '{"' + node_name + '":' + shown + ',"alipay_cert_sn":"6a1b2c3d4e5f",'
                '"sign":"' + sign + '"}'
            )
        if spaced:
            return '{\n  "' + node_name + '" : ' + shown + ' ,\n  "sign" : "' + sign + '"\n}'
        return '{"' + node_name + '":' + shown + ',"sign":"' + sign + '"}'


def official_sign_content(params: dict[str, str]) -> str:
    """The text the gateway verifies: all parameters but `sign`, non-empty, sorted, raw k=v&k=v."""
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k])


def _error(code: str, sub_code: str, sub_msg: str = "") -> dict[str, Any]:
    msgs = {
        "20001": "Insufficient Token Permissions",
        "40001": "Missing Required Arguments",
        "40002": "Invalid Arguments",
        "40004": "Business Failed",
    }
    node: dict[str, Any] = {"code": code, "msg": msgs.get(code, ""), "sub_code": sub_code}
    if sub_msg:
        node["sub_msg"] = sub_msg
    return node

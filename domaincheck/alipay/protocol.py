"""The Alipay Open Platform gateway protocol (v1, "AOP"), as the official SDKs speak it.

Request parameters, the text that gets signed, the part of a response whose signature is checked, and
what the gateway's error codes mean. Pure functions and constants: no cryptography and no network, so
the plan and the protocol tests need neither. Sources: miniprogram-domain-rules.md §1.8 and the
official SDKs, cited where each rule is used: alipay/alipay-sdk-python-all (`alipay/aop/api/...`),
alipay/alipay-sdk-java-all (`src/main/java/com/alipay/api/...`) and alipay/alipay-sdk-nodejs-all
(`src/alipay.ts`, `src/util.ts`). `tests/alipay/strict_gateway.py` is a second fake gateway written
from those sources alone, to catch assumptions this module and our own fake share.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any
from urllib.parse import quote, quote_plus

PRODUCTION_GATEWAY = "https://openapi.alipay.com/gateway.do"
# The sandbox moved in 2023; the SDKs' old default (openapi.alipaydev.com) no longer answers.
SANDBOX_GATEWAY = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"

CHARSET = "utf-8"
SIGN_TYPE = "RSA2"
FORMAT = "json"
API_VERSION = "1.0"
SUCCESS_CODE = "10000"
ERROR_RESPONSE_NODE = "error_response"
FORM_CONTENT_TYPE = f"application/x-www-form-urlencoded;charset={CHARSET}"

# The gateway reads timestamps as Beijing time, whatever the caller's time zone: the Java SDK writes
# them in GMT+8 (java-all `AlipayConstants.DATE_TIMEZONE`, used by
# `AbstractAlipayClient.getRequestHolderWithSign`); the Python and Node SDKs use the machine's local
# time, which is only right on a machine set to China time.
BEIJING_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


class Method(StrEnum):
    """The gateway methods a sync calls (one domain per create or delete; the query reads the list)."""

    BASEINFO_QUERY = "alipay.open.mini.baseinfo.query"
    SAFEDOMAIN_CREATE = "alipay.open.mini.safedomain.create"
    SAFEDOMAIN_DELETE = "alipay.open.mini.safedomain.delete"


def format_timestamp(moment: datetime) -> str:
    """The `timestamp` parameter: `moment` in Beijing time, as "%Y-%m-%d %H:%M:%S"."""
    if moment.tzinfo is None:
        raise ValueError("the timestamp needs an aware datetime")
    return moment.astimezone(BEIJING_TIME).strftime(TIMESTAMP_FORMAT)


def common_params(
    *, app_id: str, method: str, timestamp: str, app_auth_token: str | None = None
) -> dict[str, str]:
    """The common parameters of every call, without `sign`; they travel in the query string.

    As the Python SDK sends them (python-all `DefaultAlipayClient.__get_common_params` and `execute`:
    common parameters and `sign` URL-encoded with `quote_plus` in the query, `biz_content` in an
    `application/x-www-form-urlencoded;charset=utf-8` body); Node's `formatUrl` does the same. The
    Java SDK puts `app_auth_token` in the body instead; the gateway reads both, and signs both.
    """
    params = {
        "app_id": app_id,
        "method": method,
        "format": FORMAT,
        "charset": CHARSET,
        "sign_type": SIGN_TYPE,
        "timestamp": timestamp,
        "version": API_VERSION,
    }
    if app_auth_token:
        params["app_auth_token"] = app_auth_token
    return params


def biz_content(business: Mapping[str, str]) -> str:
    """The `biz_content` JSON as the SDKs write it: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(dict(business), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sign_content(params: Mapping[str, str]) -> str:
    """The text a request signature covers: every parameter but `sign`, sorted by key, as k=v&k=v.

    Values are taken raw (not URL-encoded); parameters with an empty value are left out, as the Java
    SDK does (java-all `internal/util/AlipaySignature.getSignContent`; the Python SDK's
    `util/SignatureUtils.get_sign_content` never sees an empty one). `sign_type` is signed: only the
    check of asynchronous notifications leaves it out (`AlipaySignature.getSignCheckContentV1`), and
    the gateway's own answer to a bad signature quotes a sign text that holds it.
    """
    return "&".join(
        f"{key}={params[key]}" for key in sorted(params) if key != "sign" and params[key]
    )


def response_node(method: str) -> str:
    """The name of the node holding a method's answer: dots become underscores, plus `_response`."""
    return method.replace(".", "_") + "_response"


@dataclass(frozen=True)
class SignedPart:
    """The node of a gateway answer that its signature covers, as raw text, and the signature.

    `content` is the node's JSON text exactly as it appears in the body, never re-serialised; `sign`
    is None when the answer carries no signature.
    """

    node: str
    content: str
    sign: str | None


class ResponseShapeError(ValueError):
    """The body is not a gateway answer (not JSON, or no `*_response` node)."""


def extract_signed_part(body: str, method: str) -> SignedPart:
    """Finds the method's `*_response` node (or `error_response`) and the `sign` in a raw body.

    The node is taken from its opening brace to the matching closing one, so it is byte for byte what
    the gateway signed, wherever `sign` (or `alipay_cert_sn`) stands; the SDKs cut the same text out
    with index arithmetic. The method's node wins over `error_response` and an answer holding either
    node, or `sign`, twice is refused, as the Java SDK does (alipay/alipay-sdk-java-all
    `src/main/java/com/alipay/api/internal/parser/json/JsonConverter.java`, `getSignSourceData` and
    `parseSignSourceData`).
    """
    objects: list[list[tuple[str, Any]]] = []

    def keep_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        objects.append(pairs)
        return dict(pairs)

    try:
        document = json.loads(body, object_pairs_hook=keep_pairs)
    except (ValueError, RecursionError) as exc:  # nesting deep enough to exhaust the stack
        raise ResponseShapeError("the answer is not JSON") from exc
    if not isinstance(document, dict):
        raise ResponseShapeError("the answer is not a JSON object")
    # The hook sees the outermost object last.
    top_keys = [key for key, _ in objects[-1]]
    for node in (response_node(method), ERROR_RESPONSE_NODE):
        if node not in document:
            continue
        if top_keys.count(node) > 1 or top_keys.count("sign") > 1:
            raise ResponseShapeError(f"the answer holds {node} or sign twice")
        match = re.search(r'"' + re.escape(node) + r'"[ \t\r\n]*:[ \t\r\n]*\{', body)
        if match is None:
            raise ResponseShapeError(f"the {node} node is not an object")
        start = match.end() - 1
        end = _matching_brace(body, start)
        sign = document.get("sign")
        return SignedPart(
            node=node,
            content=body[start : end + 1],
            sign=sign if isinstance(sign, str) and sign else None,
        )
    raise ResponseShapeError(f"the answer has no {response_node(method)} node")


def _matching_brace(text: str, start: int) -> int:
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ResponseShapeError("the response node is not closed")


def parse_node(content: str) -> dict[str, Any]:
    """The fields of a verified response node."""
    value = json.loads(content)
    if not isinstance(value, dict):
        raise ResponseShapeError("the response node is not an object")
    return value


class ErrorKind(StrEnum):
    """What an error code means for the run: retry it, stop, or count it against one domain."""

    TRANSIENT = "transient"  # 20000: try again later
    PERMISSION = "permission"  # 20001, 40006, and 40002 about the app, its keys or the clock
    INVALID_REQUEST = "invalid_request"  # 40001, other 40002
    BUSINESS = "business"  # 40004: this domain was refused
    UNKNOWN = "unknown"


# 40002 sub-codes that say the app, its keys, its token or the clock are wrong: nothing will work.
_CREDENTIAL_SUB_CODES = frozenset(
    {
        "isv.invalid-app-id",
        "isv.invalid-signature",
        "isv.invalid-signature-type",
        "isv.missing-signature-config",
        "isv.invalid-timestamp",
        "isv.invalid-app-auth-token",
        "isv.not-support-app-auth",
        "isv.app-unbind-partner",
        "isv.invalid-auth-relations",
    }
)


def classify_error(code: str, sub_code: str = "") -> ErrorKind:
    """Sorts a gateway error code (see the public table, opendocs.alipay.com/open/common/105806)."""
    if code == "20000":
        return ErrorKind.TRANSIENT
    if code in ("20001", "40006"):
        return ErrorKind.PERMISSION
    if code == "40002" and sub_code in _CREDENTIAL_SUB_CODES:
        return ErrorKind.PERMISSION
    if code in ("40001", "40002"):
        return ErrorKind.INVALID_REQUEST
    if code == "40004":
        return ErrorKind.BUSINESS
    return ErrorKind.UNKNOWN


# What to do about the errors a user can fix; keyed by sub_code, then by code.
_HINTS_BY_SUB_CODE: dict[str, str] = {
    "isv.invalid-app-id": "the gateway does not know this app id: check the app id, and production versus sandbox (--sandbox)",
    "isv.invalid-signature": "the gateway rejected the request signature: the app private key does not match the app public key set for this app in the Alipay console (public-key mode, RSA2)",
    "isv.invalid-signature-type": "the app has no RSA2 key set in the Alipay console",
    "isv.missing-signature-config": "the app has no signing key set in the Alipay console (开发设置 → 接口加签方式)",
    "isv.invalid-timestamp": "the gateway rejected the timestamp: check this machine's clock",
    "isv.invalid-app-auth-token": "the app_auth_token is invalid: the merchant must authorise the ISV app again",
    "aop.invalid-app-auth-token": "the app_auth_token is invalid: the merchant must authorise the ISV app again",
    "aop.app-auth-token-time-out": "the app_auth_token has expired: refresh it (alipay.open.auth.token.app)",
    "aop.invalid-app-auth-token-no-api": "the merchant's authorisation does not include this method: ask the merchant to authorise the mini-program permissions",
    "isv.insufficient-isv-permissions": "the app lacks the permission: add the mini-program feature package (小程序开发) to the app, or use the mini program's own app id",
    "isv.insufficient-user-permissions": "the merchant has not authorised this method for the ISV app",
    "APPLICATION_TYPE_NOT_MINIAPP": "the app id is not a mini-program app: use the mini program's app id",
}
_HINTS_BY_CODE: dict[str, str] = {
    "20000": "Alipay's service is unavailable; try again later",
    "20001": "the app_auth_token or its authorisation does not allow this call",
    "40001": "a required parameter is missing (a bug in domaincheck: please report it)",
    "40002": "a parameter is invalid",
    "40004": "Alipay refused the change",
    "40006": "the app lacks the permission for this method: add the mini-program feature package to the app, or use the mini program's own app id",
}


def describe_error(method: str, code: str, msg: str, sub_code: str, sub_msg: str) -> str:
    """One line a person can act on: what failed, the codes as Alipay sent them, and what to do."""
    codes = code + (f"/{sub_code}" if sub_code else "")
    said = "; ".join(part for part in (msg, sub_msg) if part)
    hint = _HINTS_BY_SUB_CODE.get(sub_code) or _HINTS_BY_CODE.get(code, "")
    line = f"{method} failed ({codes}"
    line += f": {said})" if said else ")"
    return line + (f": {hint}" if hint else "")


# Alipay's answer to a bad request signature quotes the text it verified, app_auth_token included.
_ECHOED_SIGN_CONTENT = re.compile(
    r"(网关生成的验签字符串为|验签字符串|sign[ _]?content)\s*[:：]?.*", re.I | re.S
)


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` from the gateway made safe to print: the echoed sign content cut, every secret masked.

    A secret is masked raw and in the URL-encoded forms it travels in (a gateway or proxy that
    quotes the request URL back quotes `app_auth_token` as `quote_plus` wrote it).
    """
    text = _ECHOED_SIGN_CONTENT.sub(r"\1 (redacted)", text)
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms.update((secret, quote_plus(secret), quote(secret, safe="")))
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "***")
    return text


# Alipay documents no sub-codes for the safe-domain methods (miniprogram-domain-rules.md §1.8), so a
# refusal is read as "already there" / "already gone" only when its codes or message say so in words.
_ALREADY_EXISTS = re.compile(r"exist|duplicat|repeat|already|已存在|重复|已添加", re.I)
_NOT_FOUND = re.compile(r"not[-_ ]?(exist|found)|no[-_ ]?such|不存在|未找到|已删除", re.I)


def means_already_exists(sub_code: str, sub_msg: str) -> bool:
    """True when a create's 40004 plausibly says the domain is already on the list."""
    text = f"{sub_code} {sub_msg}"
    return bool(_ALREADY_EXISTS.search(text)) and not _NOT_FOUND.search(text)


def means_not_found(sub_code: str, sub_msg: str) -> bool:
    """True when a delete's 40004 plausibly says the domain is not on the list."""
    return bool(_NOT_FOUND.search(f"{sub_code} {sub_msg}"))

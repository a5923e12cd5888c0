"""The declared shape of each check family's `details`: one TypedDict per family.

A result's `details` are JSON data whose keys depend on the check; here each family says which keys
it may carry and their types, so a reader (a renderer, a JSON consumer) knows what to expect and the
JSON report's schema follows from these declarations: `details_schema()` builds the part of
`render/report.schema.json` that holds each family's details, and a test proves the shipped schema
is what it builds and that every report the tests render validates against it. Every key is
optional (`total=False`): a check sets the ones that apply.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, TypedDict

from domaincheck.core.catalog import CheckFamily


class CommonDetails(TypedDict, total=False):
    """Keys any result may carry."""

    exception: str  # the crash guard: the type of the exception a check raised
    via: str  # the proxy a live connection went through
    vantages: list[Any]  # a merged report: the places the result was seen from


class WhitelistDetails(CommonDetails, total=False):
    entry: str
    host: str
    origin: str  # registry, extra or console
    console_list: str
    duplicate_of: str
    covered_by: str
    entries: int
    limit: int
    source: str
    legacy_limit: int
    legacy_source: str
    groups: dict[str, Any]
    hosts: list[Any]
    count: int
    region: str
    note: str


class SdkDetails(CommonDetails, total=False):
    file: str
    line: int
    option: str
    value: Any  # the option's literal value, as written
    source: str  # the source text of a value that is not a literal
    reason: str
    origin: str
    shape: str
    notes: list[Any]
    host: str
    region: str
    family: str
    expected: str
    suggestion: str
    console_list: str
    url_region: str
    api_region: str


class ConsoleDetails(CommonDetails, total=False):
    entry: str
    host: str
    console_list: str
    origin: str
    entries: int
    hosts: int


class HttpDnsDetails(CommonDetails, total=False):
    server: str
    url: str
    address: str
    kind: str
    status_code: int
    role: str
    ip: str
    rest: list[Any]
    socket: list[Any]
    socket_section: str


class DnsDetails(CommonDetails, total=False):
    a: list[Any]
    aaaa: list[Any]
    addresses: dict[str, Any]
    cname_chain: list[Any]
    cname_chains: dict[str, Any]
    resolver: str
    resolvers: list[Any]
    reason: str
    elapsed_ms: float
    timeout_s: float


class TlsDetails(CommonDetails, total=False):
    address: str
    addresses: list[Any]
    kind: str
    version: str
    negotiated: str
    cipher: str
    alpn: str | None
    chain: list[Any]
    leaf: dict[str, Any]
    earliest: dict[str, Any]
    trust: str
    verify_code: int
    openssl: str
    problems: list[Any]
    key: str
    signature_hashes: list[Any]
    legacy: list[Any]
    legacy_probe: str
    client_certificate_requested: bool
    connect_ms: float
    handshake_ms: float
    warn_days: int
    fail_days: int


class HttpsDetails(CommonDetails, total=False):
    url: str
    address: str
    kind: str
    status_code: int
    reason: str
    http_version: str
    location: str | None
    server: str | None
    final_url: str
    redirects: list[Any]
    elapsed_ms: float
    reused_tls_connection: bool
    retried_on_new_connection: bool


class WebSocketDetails(CommonDetails, total=False):
    url: str
    path: str
    address: str
    kind: str
    status_code: int
    status_line: str
    accept: str
    accept_expected: str
    response_headers: dict[str, Any]
    body: str
    close: int | str | None
    elapsed_ms: float
    reused_tls_connection: bool
    retried_on_new_connection: bool


class ScanDetails(CommonDetails, total=False):
    file: str
    line: int
    api: str
    call: str
    kind: str
    entry: str
    console_list: str
    source: str
    reason: str
    problem: str
    uses: list[Any]


DETAILS: Mapping[CheckFamily, type] = {
    CheckFamily.WHITELIST: WhitelistDetails,
    CheckFamily.SDK: SdkDetails,
    CheckFamily.CONSOLE: ConsoleDetails,
    CheckFamily.HTTPDNS: HttpDnsDetails,
    CheckFamily.DNS: DnsDetails,
    CheckFamily.TLS: TlsDetails,
    CheckFamily.HTTPS: HttpsDetails,
    CheckFamily.WEBSOCKET: WebSocketDetails,
    CheckFamily.SCAN: ScanDetails,
}

_JSON_TYPES: Mapping[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
    type(None): "null",
}


def _json_type(annotation: Any) -> dict[str, Any]:
    """The JSON Schema of one annotation: a type, a union of types, or anything (`Any`)."""
    if annotation is Any:
        return {}
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        names = [_JSON_TYPES[typing.get_origin(a) or a] for a in typing.get_args(annotation)]
        return {"type": names}
    return {"type": _JSON_TYPES[typing.get_origin(annotation) or annotation]}


def details_schema(details: type) -> dict[str, Any]:
    """The JSON Schema of one family's details: its declared keys and nothing else."""
    hints = typing.get_type_hints(details)
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {key: _json_type(hints[key]) for key in sorted(hints)},
    }


def check_pattern(family: CheckFamily) -> str:
    """The check ids of a family: `whitelist.*` has a dot; `dns` is an id and a family."""
    return f"^{family.value}(\\.|$)"


def results_details_schema() -> dict[str, Any]:
    """The rule each result follows: its details are of its family's declared shape."""
    return {
        "description": "Generated from domaincheck/core/details.py: each check family's details "
        "and the keys they may carry.",
        "allOf": [
            {
                "if": {
                    "properties": {"check": {"pattern": check_pattern(family)}},
                    "required": ["check"],
                },
                "then": {"properties": {"details": details_schema(DETAILS[family])}},
            }
            for family in CheckFamily
        ],
    }

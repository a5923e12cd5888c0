"""url and apiUrl: set when HTTP-DNS is off, of the right scheme and path, hosts of the chosen
data centre and platform family, in the whitelist, and from one data centre.
"""

from __future__ import annotations

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import ConsoleList, Status
from domaincheck.registry.model import HostRole
from domaincheck.vendors.easemob.options import SOCKET_PATH
from domaincheck.vendors.easemob.validate._base import Validator, url_port


def check_url(v: Validator) -> None:
    found = v.url_option(
        "url",
        (CheckId.SDK_URL_MISSING, CheckId.SDK_URL_SCHEME),
        "the SDK has no socket server to connect to",
        lambda: f'Set url: "wss://{v.suggest(HostRole.SOCKET)}{SOCKET_PATH}".',
    )
    if found is None:
        return
    option, value, parts, name, host, padded = found
    if not padded and parts.scheme.lower() != "wss":
        v.add(
            CheckId.SDK_URL_SCHEME,
            Status.FAIL,
            f"{name} {value!r} is not a wss:// URL: mini programs open sockets over wss only",
            f"Use wss://{host or v.suggest(HostRole.SOCKET)}{SOCKET_PATH}.",
            option,
        )
    path = parts.path
    if path != SOCKET_PATH:
        typo = " (the doubled path of one uni-app doc version)" if path == SOCKET_PATH * 2 else ""
        v.add(
            CheckId.SDK_URL_PATH,
            Status.FAIL,
            f"{name} has path {path or '(none)'!r}{typo}: the socket server listens on {SOCKET_PATH}",
            f"Use wss://{host}{SOCKET_PATH}.",
            option,
        )
    region = (
        v.known_host(option, name, host, HostRole.SOCKET, CheckId.SDK_URL_HOST) if host else None
    )
    if host:
        port = url_port(parts)
        v.covered(option, host, "wss", port, ConsoleList.SOCKET, CheckId.SDK_URL_WHITELIST, name)
    v.url_region = region


def check_api_url(v: Validator) -> None:
    found = v.url_option(
        "apiUrl",
        (CheckId.SDK_APIURL_MISSING, CheckId.SDK_APIURL_SCHEME),
        "REST calls (login, history, files) have no server",
        lambda: f'Set apiUrl: "https://{v.suggest(HostRole.REST)}".',
    )
    if found is None:
        return
    option, value, parts, name, host, padded = found
    if not padded and parts.scheme.lower() != "https":
        v.add(
            CheckId.SDK_APIURL_SCHEME,
            Status.FAIL,
            f"{name} {value!r} is not an https:// URL: mini programs call https only",
            f"Use https://{host or v.suggest(HostRole.REST)}.",
            option,
        )
    if parts.path == "/":
        v.add(
            CheckId.SDK_APIURL_PATH,
            Status.WARN,
            f"{name} ends with '/': the SDK appends '/org/app/...', so every REST path starts with '//'",
            f"Use https://{host} without the trailing slash.",
            option,
        )
    elif parts.path or parts.query or parts.fragment:
        extra = value.strip().split(parts.netloc, 1)[-1] if parts.netloc else parts.path
        v.add(
            CheckId.SDK_APIURL_PATH,
            Status.FAIL,
            f"{name} has {extra!r} after the host: the SDK appends '/org/app/...' to the bare origin",
            f"Use https://{host}.",
            option,
        )
    region = (
        v.known_host(option, name, host, HostRole.REST, CheckId.SDK_APIURL_HOST) if host else None
    )
    if host:
        port = url_port(parts)
        for wanted in (ConsoleList.REQUEST, ConsoleList.UPLOAD_FILE, ConsoleList.DOWNLOAD_FILE):
            if wanted is ConsoleList.REQUEST or v.rules.has_list(wanted):
                v.covered(option, host, "https", port, wanted, CheckId.SDK_APIURL_WHITELIST, name)
    v.api_region = region


def check_same_region(v: Validator) -> None:
    url_region, api_region = v.url_region, v.api_region
    if url_region is None or api_region is None or url_region.id == api_region.id:
        return
    url_option = v.options.get("url")
    v.add(
        CheckId.SDK_REGION_MISMATCH,
        Status.FAIL,
        f"url is a {url_region.name_zh} ({url_region.id}) host but apiUrl is a {api_region.name_zh} "
        f"({api_region.id}) host: both must be of the data centre the app lives in",
        "Take url and apiUrl from the same row of the data-centre table (console > 服务概览 shows the app's).",
        url_option,
        url_region=url_region.id,
        api_region=api_region.id,
    )

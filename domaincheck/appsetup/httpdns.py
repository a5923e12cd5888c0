"""HTTP-DNS: the hosts the SDK really connects to when `isHttpDNS` is on, fetched as the SDK does.

With DNS on, SDK >= 4.12 ignores `url`/`apiUrl` and asks `rs.easemob.com` (then `rs.chat.agora.io`)
for `/easemob/server.json?app_key=...`; the REST and socket hosts of that answer must be in the
whitelist too. This module fetches the answer, falls back to the second server as the SDK does,
builds the hosts the SDK would build (easemob-sdk-and-domains.md §2), and turns every outcome
into `CheckResult`s and `ProbeTarget`s for the live checks. The HTTP client comes in as a
parameter, so tests point it at a local server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from domaincheck.core.model import CheckResult, ConsoleList, ProbeKind, ProbeTarget, Status

if TYPE_CHECKING:
    import httpx

    from domaincheck.checks.settings import LiveSettings
    from domaincheck.whitelist.coverage import CoverageList
    from domaincheck.whitelist.rules import PlatformRules

# The SDK's HTTPS DNS servers, in the order it tries them (4.1.0+; the http IP fallbacks are
# dropped when https is on, and no mini program may call an IP or plain http anyway).
HTTPDNS_SERVERS: tuple[str, ...] = ("rs.easemob.com", "rs.chat.agora.io")
HTTPDNS_PATH = "/easemob/server.json"
DEFAULT_TIMEOUT = 10.0
MAX_ANSWER_BYTES = 1024 * 1024

# The mini-program build reads "msync-wx" from 4.11.0 on; older and uni-app builds read "msync-ws".
SOCKET_SECTIONS: tuple[str, ...] = ("msync-wx", "msync-ws")

# An address to connect to instead of what DNS says: (host, port) -> (address, port).
ConnectTo = Mapping[tuple[str, int], tuple[str, int]]


@dataclass(frozen=True)
class HttpDnsHost:
    """One host of the answer, in the form the SDK turns it into a URL."""

    role: str  # "rest" or "socket"
    domain: str  # empty when the answer gives only an IP
    ip: str
    port: int | None
    protocol: str

    @property
    def host(self) -> str:
        return self.domain or self.ip

    @property
    def url(self) -> str:
        """The URL the mini-program SDK builds: REST drops the port, sockets keep a non-443 one."""
        if self.role == "rest":
            return f"https://{self.host}"
        port = f":{self.port}" if self.port not in (None, 80, 443) else ""
        return f"wss://{self.host}{port}/websocket"


@dataclass(frozen=True)
class HttpDnsAnswer:
    """What one DNS server answered: its REST and socket hosts (https ones only, as the SDK filters)."""

    server: str
    rest: tuple[HttpDnsHost, ...]
    socket: tuple[HttpDnsHost, ...]
    socket_section: str

    @property
    def hosts(self) -> tuple[HttpDnsHost, ...]:
        return self.rest + self.socket


@dataclass(frozen=True)
class HttpDnsOutcome:
    """The answer used (or None when no server gave a usable one), every result, and the probe targets."""

    answer: HttpDnsAnswer | None
    results: tuple[CheckResult, ...]
    targets: tuple[ProbeTarget, ...]


class HttpDnsAnswerError(ValueError):
    """The DNS answer is not what the SDK can use; the message says what is wrong."""


def server_json_url(server: str, app_key: str) -> str:
    """The URL the SDK fetches. The `#` of the appKey is percent-encoded, as the web build does."""
    return f"https://{server}{HTTPDNS_PATH}?app_key={quote(app_key, safe='')}"


def parse_answer(server: str, body: bytes) -> HttpDnsAnswer:
    """Reads a `server.json` answer; raises `HttpDnsAnswerError` when the SDK could not use it."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HttpDnsAnswerError(f"the answer is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise HttpDnsAnswerError("the answer is not a JSON object")
    rest = _hosts(data, "rest", "rest")
    section = next((s for s in SOCKET_SECTIONS if s in data), SOCKET_SECTIONS[0])
    socket = _hosts(data, section, "socket")
    missing = [
        what
        for what, hosts in (
            ("REST hosts (rest.hosts)", rest),
            (f"socket hosts ({section}.hosts)", socket),
        )
        if not hosts
    ]
    if missing:
        raise HttpDnsAnswerError(f"the answer lists no https {' and no https '.join(missing)}")
    return HttpDnsAnswer(server, rest, socket, section)


def _hosts(data: Mapping[str, Any], section: str, role: str) -> tuple[HttpDnsHost, ...]:
    block = data.get(section)
    items = block.get("hosts") if isinstance(block, dict) else None
    if not isinstance(items, list):
        return ()
    hosts: list[HttpDnsHost] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        protocol = str(item.get("protocol") or "").lower()
        if protocol != "https":  # the SDK keeps only hosts of its own protocol; https is on
            continue
        domain = str(item.get("domain") or "").strip().lower().rstrip(".")
        ip = str(item.get("ip") or "").strip()
        if not domain and not ip:
            continue
        hosts.append(HttpDnsHost(role, domain, ip, _port(item.get("port")), protocol))
    return tuple(dict.fromkeys(hosts))


def _port(value: Any) -> int | None:
    try:
        port = int(str(value))
    except (TypeError, ValueError):
        return None
    return port if 0 < port < 65536 else None


async def fetch_httpdns(
    app_key: str,
    client: httpx.AsyncClient,
    *,
    servers: Sequence[str] = HTTPDNS_SERVERS,
    timeout: float = DEFAULT_TIMEOUT,
    connect_to: ConnectTo | None = None,
) -> HttpDnsOutcome:
    """Asks each DNS server in turn, as the SDK does, until one gives a usable answer.

    A server that fails before another answers is a warning (the SDK falls back); when none
    answers, each failure fails the gate. Only the answer's hosts become probe targets.
    """
    attempts: list[tuple[str, Status, str, dict[str, Any]]] = []
    answer: HttpDnsAnswer | None = None
    for server in servers:
        url = server_json_url(server, app_key)
        try:
            body = await _get(client, server, url, timeout, connect_to or {})
            answer = parse_answer(server, body)
        except HttpDnsAnswerError as exc:
            attempts.append((server, Status.FAIL, str(exc), {"url": url}))
            continue
        except _HttpStatusError as exc:
            attempts.append((server, Status.FAIL, str(exc), {"url": url, "status_code": exc.code}))
            continue
        except Exception as exc:  # the one place where network failures become results
            attempts.append((server, Status.ERROR, _reason(exc, timeout), {"url": url}))
            continue
        attempts.append(
            (
                server,
                Status.PASS,
                f"answered with {len(answer.rest)} REST and {len(answer.socket)} socket host(s)",
                {
                    "url": url,
                    "rest": [h.url for h in answer.rest],
                    "socket": [h.url for h in answer.socket],
                    "socket_section": answer.socket_section,
                },
            )
        )
        break
    results = [_attempt_result(a, answer) for a in attempts]
    if answer is not None:
        results.extend(_host_form_results(answer))
    return HttpDnsOutcome(answer, tuple(results), probe_targets(answer) if answer else ())


def _attempt_result(
    attempt: tuple[str, Status, str, dict[str, Any]], answer: HttpDnsAnswer | None
) -> CheckResult:
    server, status, message, details = attempt
    if status is Status.PASS:
        return CheckResult(server, "httpdns.fetch", status, message, details)
    fix = f"make https://{server}{HTTPDNS_PATH} reachable from the device, or set isHttpDNS: false"
    if answer is not None:  # a later server answered: the SDK falls back, the app still works
        return CheckResult(
            server,
            "httpdns.fetch",
            Status.WARN,
            f"{message}; the SDK falls back to {answer.server}, which answered",
            details,
            fix,
        )
    check = "httpdns.answer" if status is Status.FAIL else "httpdns.fetch"
    return CheckResult(server, check, status, message, details, fix)


def _host_form_results(answer: HttpDnsAnswer) -> list[CheckResult]:
    results: list[CheckResult] = []
    for host in answer.hosts:
        if not host.domain:
            results.append(
                CheckResult(
                    host.url,
                    "httpdns.host.ip",
                    Status.FAIL,
                    f"the DNS answer gives {host.role} host {host.ip} as an IP address only; "
                    "mini programs cannot whitelist or call IP addresses",
                    {"server": answer.server, "ip": host.ip},
                    "ask Easemob support to return domain names for this appKey, or set "
                    "isHttpDNS: false with url/apiUrl",
                )
            )
    return results


def probe_targets(answer: HttpDnsAnswer) -> tuple[ProbeTarget, ...]:
    """The answer's hosts as the live checks probe them: REST on 443, sockets on their port."""
    targets: dict[tuple[str, int, ProbeKind], ProbeTarget] = {}
    for host in answer.rest:
        if host.domain:
            key = (host.domain, 443, ProbeKind.HTTPS)
            targets.setdefault(
                key, ProbeTarget(host.domain, ProbeKind.HTTPS, 443, "/", ("rest", "httpdns"))
            )
    for host in answer.socket:
        if host.domain:
            port = host.port if host.port not in (None, 80) else 443
            assert port is not None
            key = (host.domain, port, ProbeKind.WEBSOCKET)
            targets.setdefault(
                key,
                ProbeTarget(
                    host.domain, ProbeKind.WEBSOCKET, port, "/websocket", ("socket", "httpdns")
                ),
            )
    return tuple(targets.values())


class _HttpStatusError(Exception):
    def __init__(self, code: int) -> None:
        self.code = code
        super().__init__(f"answered HTTP {code}, not 200")


async def _get(
    client: httpx.AsyncClient, server: str, url: str, timeout: float, connect_to: ConnectTo
) -> bytes:
    """GETs `url`, connecting where `connect_to` says while keeping the real host for SNI and Host."""
    import httpx

    request_url = httpx.URL(url)
    extensions: dict[str, Any] = {}
    headers = {"Accept": "application/json"}
    override = connect_to.get((server, 443))
    if override is not None:
        address, port = override
        request_url = request_url.copy_with(host=address, port=port)
        extensions["sni_hostname"] = server
        headers["Host"] = server
    request = client.build_request(
        "GET", request_url, headers=headers, timeout=timeout, extensions=extensions
    )
    response = await client.send(request, stream=True)
    try:
        if response.status_code != 200:
            raise _HttpStatusError(response.status_code)
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body.extend(chunk)
            if len(body) > MAX_ANSWER_BYTES:
                raise HttpDnsAnswerError(f"the answer is over {MAX_ANSWER_BYTES // 1024} KB")
        return bytes(body)
    finally:
        await response.aclose()


def _reason(exc: Exception, timeout: float) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc) or type(exc).__name__
        if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
            return f"TLS handshake failed: {text}"
        return f"cannot connect: {text}"
    if isinstance(exc, httpx.HTTPError):
        return f"HTTP error: {type(exc).__name__}: {exc}"
    return f"unexpected {type(exc).__name__}: {exc}"


def coverage_results(
    answer: HttpDnsAnswer, rules: PlatformRules, coverage: CoverageList
) -> tuple[CheckResult, ...]:
    """Whether the whitelist lets through every host of the answer, as the SDK will call it."""
    from domaincheck.whitelist.coverage import uncovered
    from domaincheck.whitelist.rules import entry_text

    results: list[CheckResult] = []
    for host in answer.hosts:
        if not host.domain:
            continue  # an IP: reported by httpdns.host.ip
        scheme = "https" if host.role == "rest" else "wss"
        port = host.port if host.role == "socket" and host.port not in (None, 80, 443) else None
        wanted = ConsoleList.REQUEST if host.role == "rest" else ConsoleList.SOCKET
        reason = uncovered(rules, coverage, wanted, host.domain, scheme, port)
        details = {"server": answer.server, "role": host.role, "url": host.url}
        if reason is None:
            results.append(
                CheckResult(
                    host.url,
                    "httpdns.whitelist",
                    Status.PASS,
                    f"the HTTP-DNS {host.role} host {host.domain} is let through by {coverage.label}",
                    details,
                )
            )
            continue
        target_list = rules.list_for_scheme(scheme)
        console_list = target_list.console_list if target_list else rules.lists[0].console_list
        results.append(
            CheckResult(
                host.url,
                "httpdns.whitelist",
                Status.FAIL,
                f"the HTTP-DNS answer sends the SDK to {host.url}, but {reason}",
                details,
                f"Add {entry_text(rules, console_list, host.domain, port)} to the "
                f"{console_list} list, or set isHttpDNS: false.",
            )
        )
    return tuple(results)


def connect_to_from_settings(
    settings: LiveSettings, servers: Sequence[str] = HTTPDNS_SERVERS
) -> dict[tuple[str, int], tuple[str, int]]:
    """The live checks' `--connect-to` / `--resolve` rules, as addresses for the DNS servers."""
    found: dict[tuple[str, int], tuple[str, int]] = {}
    for server in servers:
        for rule in settings.connect_to:
            if rule.matches(server, 443):
                found[(server, 443)] = (rule.connect_host or server, rule.connect_port or 443)
                break
        else:
            for resolve in settings.resolve:
                if resolve.matches(server, 443) and resolve.addresses:
                    found[(server, 443)] = (resolve.addresses[0], 443)
                    break
    return found


async def run_httpdns(
    app_key: str,
    settings: LiveSettings,
    rules: PlatformRules,
    coverage: CoverageList,
    servers: Sequence[str] = HTTPDNS_SERVERS,
) -> HttpDnsOutcome:
    """Fetches the answer with the live checks' trust, timeout and overrides, and checks its hosts."""
    import httpx

    async with httpx.AsyncClient(verify=settings.trust.context(), follow_redirects=False) as client:
        outcome = await fetch_httpdns(
            app_key,
            client,
            servers=servers,
            timeout=settings.timeout,
            connect_to=connect_to_from_settings(settings, servers),
        )
    if outcome.answer is None:
        return outcome
    checked = coverage_results(outcome.answer, rules, coverage)
    return HttpDnsOutcome(outcome.answer, outcome.results + checked, outcome.targets)

"""HTTP-DNS: the hosts the SDK really connects to when `isHttpDNS` is on, fetched as the SDK does.

With DNS on, SDK >= 4.12 ignores `url`/`apiUrl` and asks `rs.easemob.com` (then `rs.chat.agora.io`)
for `/easemob/server.json?app_key=...`; the REST and socket hosts of that answer must be in the
whitelist too. This module fetches the answer, falls back to the second server as the SDK does,
builds the hosts the SDK would build (easemob-sdk-and-domains.md §2), and turns every outcome
into `CheckResult`s and `ProbeTarget`s for the live checks. Its connections go through the live
checks' router (`--resolver`, `--resolve`, `--connect-to` apply exactly as to the probes) and its
network failures read as theirs (`checks.failures.translate`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domaincheck.core.catalog import CheckId
from domaincheck.core.guard import guarded
from domaincheck.core.model import CheckResult, ConsoleList, ProbeKind, ProbeTarget, Status
from domaincheck.vendors.easemob.httpdns import (
    HTTPDNS_PATH,
    HTTPDNS_SERVERS,
    MAX_ANSWER_BYTES,
    MAX_ANSWER_HOSTS,
    SDK_PORTS,
    HttpDnsAnswer,
    HttpDnsAnswerError,
    HttpDnsHost,
    parse_answer,
    server_json_url,
)

if TYPE_CHECKING:
    import ssl

    from domaincheck.checks._net import Endpoint
    from domaincheck.checks.router import Router
    from domaincheck.checks.settings import LiveSettings
    from domaincheck.whitelist.coverage import CoverageList
    from domaincheck.whitelist.rules import PlatformRules


@dataclass(frozen=True)
class HttpDnsOutcome:
    """The answer used (or None when no server gave a usable one), every result, and the probe targets."""

    answer: HttpDnsAnswer | None
    results: tuple[CheckResult, ...]
    targets: tuple[ProbeTarget, ...]


async def fetch_httpdns(
    app_key: str,
    router: Router,
    context: ssl.SSLContext,
    *,
    servers: Sequence[str] = HTTPDNS_SERVERS,
    allowed_domains: Collection[str] | None = None,
) -> HttpDnsOutcome:
    """Asks each DNS server in turn, as the SDK does, until one gives a usable answer.

    Connections go through `router` and are verified with `context`. A server that fails before
    another answers is a warning (the SDK falls back); when none answers, each failure fails the
    gate. Only the answer's hosts become probe targets.
    """
    from domaincheck.checks.failures import translate

    timeout = router.settings.timeout
    attempts: list[tuple[str, Status, str, dict[str, Any]]] = []
    answer: HttpDnsAnswer | None = None
    for server in servers:
        url = server_json_url(server, app_key)
        try:
            body, address = await _get(router, context, server, app_key)
            answer = parse_answer(server, body)
        except HttpDnsAnswerError as exc:
            attempts.append((server, Status.FAIL, str(exc), {"url": url}))
            continue
        except _HttpStatusError as exc:
            attempts.append((server, Status.FAIL, str(exc), {"url": url, "status_code": exc.code}))
            continue
        except Exception as exc:  # network failures read as the probes' (one translator)
            failure = translate(exc, timeout)
            attempts.append(
                (server, failure.status, failure.reason, {"url": url, "kind": failure.kind})
            )
            continue
        attempts.append(
            (
                server,
                Status.PASS,
                f"answered with {len(answer.rest)} REST and {len(answer.socket)} socket host(s)",
                {
                    "url": url,
                    "address": address.label,
                    "via": address.via,
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
        answer, refused = screen_answer(answer, allowed_domains)
        results.extend(refused)
    return HttpDnsOutcome(answer, tuple(results), probe_targets(answer) if answer else ())


def vendor_domains(hosts: Iterable[str]) -> frozenset[str]:
    """The registrable domains of `hosts` (a registry's) and of the HTTP-DNS servers: where an
    answer's hosts may be."""
    from domaincheck.core.psl import registrable_domain

    found = (registrable_domain(h) for h in (*hosts, *HTTPDNS_SERVERS))
    return frozenset(d for d in found if d)


def screen_answer(
    answer: HttpDnsAnswer, allowed: Collection[str] | None
) -> tuple[HttpDnsAnswer, list[CheckResult]]:
    """The answer with only the hosts it may send the checks to, and a finding for each other.

    A host is kept when it is a DNS name (not an IP literal, not `localhost`) under one of the
    `allowed` domains (None: the built-in registry's), on a port the SDK's hosts use, within the
    first `MAX_ANSWER_HOSTS` of its section. The rest are reported, escaped, and never connected to.
    """
    from domaincheck.core.domains import hostname_problem, is_subdomain_or_same

    if allowed is None:
        from domaincheck.registry.loader import load_registry

        registry = load_registry()
        allowed = vendor_domains(h.host for region in registry.regions for h in region.hosts)
    refused: list[CheckResult] = []

    def keep(host: HttpDnsHost) -> bool:
        if not host.domain:
            return False  # an IP only: httpdns.host.ip says so
        why = None
        if hostname_problem(host.domain) is not None or "." not in host.domain:
            why = "is not a DNS name"
        elif not any(is_subdomain_or_same(host.domain, d) for d in allowed):
            why = f"is not under the vendor's domains ({', '.join(sorted(allowed))})"
        elif host.port not in (None, 80, *SDK_PORTS):
            why = f"names port {host.port}, not one the SDK's hosts use ({', '.join(map(str, SDK_PORTS))})"
        if why is not None:
            refused.append(_refused(answer.server, host, why))
        return why is None

    def section(hosts: tuple[HttpDnsHost, ...], name: str) -> tuple[HttpDnsHost, ...]:
        kept = tuple(h for h in hosts if keep(h))
        if len(kept) > MAX_ANSWER_HOSTS:
            refused.append(
                CheckResult(
                    answer.server,
                    CheckId.HTTPDNS_ANSWER,
                    Status.WARN,
                    f"the answer lists {len(kept)} {name} hosts; only the first "
                    f"{MAX_ANSWER_HOSTS} are checked",
                    {"server": answer.server, "hosts": len(kept)},
                )
            )
        return kept[:MAX_ANSWER_HOSTS]

    ip_only = tuple(h for h in answer.hosts if not h.domain)
    rest = section(tuple(h for h in answer.rest if h.domain), "REST")
    socket = section(tuple(h for h in answer.socket if h.domain), "socket")
    screened = HttpDnsAnswer(
        answer.server,
        rest + tuple(h for h in ip_only if h.role == "rest"),
        socket + tuple(h for h in ip_only if h.role == "socket"),
        answer.socket_section,
    )
    return screened, refused


def _refused(server: str, host: HttpDnsHost, why: str) -> CheckResult:
    shown = host.domain + (f":{host.port}" if host.port else "")
    return CheckResult(
        server,
        CheckId.HTTPDNS_HOST_REFUSED,
        Status.FAIL,
        f"the HTTP-DNS answer sends the SDK to {host.role} host {shown}, which {why}; "
        "it is not checked or connected to",
        {"server": server, "role": host.role, "host": host.domain, "port": host.port},
        "ask Easemob support what this appKey's answer should be; an answer that names other "
        "hosts may come from a hijacked network path",
    )


def _attempt_result(
    attempt: tuple[str, Status, str, dict[str, Any]], answer: HttpDnsAnswer | None
) -> CheckResult:
    server, status, message, details = attempt
    if status is Status.PASS:
        return CheckResult(server, CheckId.HTTPDNS_FETCH, status, message, details)
    fix = f"make https://{server}{HTTPDNS_PATH} reachable from the device, or set isHttpDNS: false"
    if answer is not None:  # a later server answered: the SDK falls back, the app still works
        return CheckResult(
            server,
            CheckId.HTTPDNS_FETCH,
            Status.WARN,
            f"{message}; the SDK falls back to {answer.server}, which answered",
            details,
            fix,
        )
    check = CheckId.HTTPDNS_ANSWER if status is Status.FAIL else CheckId.HTTPDNS_FETCH
    return CheckResult(server, check, status, message, details, fix)


def _host_form_results(answer: HttpDnsAnswer) -> list[CheckResult]:
    results: list[CheckResult] = []
    for host in answer.hosts:
        if not host.domain:
            results.append(
                CheckResult(
                    host.url,
                    CheckId.HTTPDNS_HOST_IP,
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
    router: Router, context: ssl.SSLContext, server: str, app_key: str
) -> tuple[bytes, Endpoint]:
    """GETs the answer of `server` over a connection the router opens (SNI and Host = `server`);
    returns it with the endpoint that gave it.

    Raises `StepError` for a network step, `_HttpStatusError` for a status other than 200 and
    `HttpDnsAnswerError` for an answer over `MAX_ANSWER_BYTES`.
    """
    from domaincheck.checks._http import BodyTooLarge, exchange

    stream = await router.connect(server, 443, context)
    path = server_json_url(server, app_key).removeprefix(f"https://{server}")
    try:
        answer = await exchange(
            stream,
            "GET",
            server,
            path,
            headers=(("Accept", "application/json"),),
            timeout=router.settings.timeout,
            max_body=MAX_ANSWER_BYTES,
        )
    except BodyTooLarge as exc:
        raise HttpDnsAnswerError(str(exc)) from None
    finally:
        stream.abort()
    if answer.status_code != 200:
        raise _HttpStatusError(answer.status_code)
    return answer.body, stream.endpoint


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
                    CheckId.HTTPDNS_WHITELIST,
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
                CheckId.HTTPDNS_WHITELIST,
                Status.FAIL,
                f"the HTTP-DNS answer sends the SDK to {host.url}, but {reason}",
                details,
                f"Add {entry_text(rules, console_list, host.domain, port)} to the "
                f"{console_list} list, or set isHttpDNS: false.",
            )
        )
    return tuple(results)


async def run_httpdns(
    app_key: str,
    settings: LiveSettings,
    rules: PlatformRules,
    coverage: CoverageList,
    servers: Sequence[str] = HTTPDNS_SERVERS,
    allowed_domains: Collection[str] | None = None,
) -> HttpDnsOutcome:
    """Fetches the answer with the live checks' trust, timeout and router, and checks its hosts."""
    from domaincheck.checks.dns import resolving_router

    router = resolving_router(settings)
    try:
        outcome = await fetch_httpdns(
            app_key,
            router,
            settings.trust.context(("http/1.1",)),
            servers=servers,
            allowed_domains=allowed_domains,
        )
    finally:
        router.close()
    if outcome.answer is None:
        return outcome
    answer = outcome.answer
    checked = guarded(
        CheckId.HTTPDNS_WHITELIST, answer.server, lambda: coverage_results(answer, rules, coverage)
    )
    return HttpDnsOutcome(outcome.answer, outcome.results + checked, outcome.targets)

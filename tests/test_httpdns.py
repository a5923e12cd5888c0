"""HTTP-DNS against real HTTPS servers on loopback: good, malformed, empty, slow, failing answers."""

from __future__ import annotations

import asyncio
import json
import ssl
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trustme

from domaincheck.appsetup.httpdns import fetch_httpdns, probe_targets
from domaincheck.checks.dns import DnsChecker, resolving_router
from domaincheck.checks.settings import ConnectToRule, LiveSettings, NameServer, TrustStore
from domaincheck.checks.tls import TlsChecker
from domaincheck.core.model import ProbeKind, Status
from domaincheck.vendors.easemob.httpdns import (
    HTTPDNS_SERVERS,
    HttpDnsAnswerError,
    parse_answer,
    server_json_url,
)

GOOD_ANSWER = {
    "rest": {
        "hosts": [
            {"protocol": "https", "domain": "a1.easemob.com", "ip": "1.2.3.4", "port": "443"},
            {"protocol": "http", "domain": "a1.easemob.com", "ip": "1.2.3.4", "port": "80"},
        ]
    },
    "msync-wx": {
        "hosts": [
            {"protocol": "https", "domain": "im-api-wechat.easemob.com", "port": "443"},
            {"protocol": "https", "domain": "im-api-wechat.easecdn.com", "port": "8443"},
            {"protocol": "http", "domain": "im-api-wechat.easemob.com", "port": "80"},
        ]
    },
    "enableReportLogs": "false",
}


@dataclass
class Behaviour:
    """What one fake DNS server does with a request."""

    status: int = 200
    body: bytes = json.dumps(GOOD_ANSWER).encode()
    delay: float = 0.0
    requests: list[str] = field(default_factory=list)


async def serve(behaviour: Behaviour, context: ssl.SSLContext) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            behaviour.requests.append(head.decode("latin-1"))
            if behaviour.delay:
                await asyncio.sleep(behaviour.delay)
            writer.write(
                f"HTTP/1.1 {behaviour.status} X\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(behaviour.body)}\r\nConnection: close\r\n\r\n".encode()
                + behaviour.body
            )
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def server_context(ca: trustme.CA) -> Iterator[ssl.SSLContext]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*HTTPDNS_SERVERS).configure_cert(context)
    yield context


Scenario = Callable[[dict[str, Behaviour], float], Awaitable[Any]]


def trusting(ca: trustme.CA, **changes: Any) -> LiveSettings:
    """Live settings whose trust store is `ca` (written to a temporary bundle)."""
    with tempfile.TemporaryDirectory() as directory:
        bundle = Path(directory) / "ca.pem"
        ca.cert_pem.write_to_path(str(bundle))
        # The test DNS servers answer loopback addresses on purpose.
        changes.setdefault("allow_private_dns", True)
        return LiveSettings(trust=TrustStore.load(bundle), **changes)


async def fetch(
    settings: LiveSettings,
    app_key: str = "1177161227178308#xcx",
    servers: tuple[str, ...] = HTTPDNS_SERVERS,
) -> Any:
    """`fetch_httpdns` through a router on `settings`, as `check` runs it."""
    router = resolving_router(settings)
    try:
        context = settings.trust.context(("http/1.1",))
        return await fetch_httpdns(app_key, router, context, servers=servers)
    finally:
        router.close()


def run(
    ca: trustme.CA,
    server_context: ssl.SSLContext,
    behaviours: dict[str, Behaviour],
    timeout: float = 5.0,
) -> Any:
    async def scenario() -> Any:
        servers = {name: await serve(b, server_context) for name, b in behaviours.items()}
        rules = tuple(
            ConnectToRule(name, 443, "127.0.0.1", s.sockets[0].getsockname()[1])
            for name, s in servers.items()
        )
        try:
            return await fetch(trusting(ca, connect_to=rules, timeout=timeout))
        finally:
            for s in servers.values():
                s.close()
                await s.wait_closed()

    return asyncio.run(scenario())


def by_check(outcome: Any) -> list[tuple[str, str, Status]]:
    return [(r.target, r.check, r.status) for r in outcome.results]


def test_good_answer_from_the_first_server(ca: trustme.CA, server_context: ssl.SSLContext) -> None:
    first, second = Behaviour(), Behaviour()
    outcome = run(ca, server_context, {"rs.easemob.com": first, "rs.chat.agora.io": second})
    assert by_check(outcome) == [("rs.easemob.com", "httpdns.fetch", Status.PASS)]
    assert outcome.answer.server == "rs.easemob.com"
    assert [h.url for h in outcome.answer.rest] == ["https://a1.easemob.com"]
    assert [h.url for h in outcome.answer.socket] == [
        "wss://im-api-wechat.easemob.com/websocket",
        "wss://im-api-wechat.easecdn.com:8443/websocket",
    ]
    assert second.requests == []  # no fallback needed
    request_line, *headers = first.requests[0].split("\r\n")
    assert request_line == "GET /easemob/server.json?app_key=1177161227178308%23xcx HTTP/1.1"
    assert "Host: rs.easemob.com" in headers
    assert [(t.host, t.kind, t.port, t.path) for t in outcome.targets] == [
        ("a1.easemob.com", ProbeKind.HTTPS, 443, "/"),
        ("im-api-wechat.easemob.com", ProbeKind.WEBSOCKET, 443, "/websocket"),
        ("im-api-wechat.easecdn.com", ProbeKind.WEBSOCKET, 8443, "/websocket"),
    ]


def test_slow_first_server_falls_back_to_the_second(
    ca: trustme.CA, server_context: ssl.SSLContext
) -> None:
    slow = Behaviour(delay=3.0)
    outcome = run(
        ca, server_context, {"rs.easemob.com": slow, "rs.chat.agora.io": Behaviour()}, timeout=1.5
    )
    assert by_check(outcome) == [
        ("rs.easemob.com", "httpdns.fetch", Status.WARN),
        ("rs.chat.agora.io", "httpdns.fetch", Status.PASS),
    ]
    assert "no answer within 1.5 s" in outcome.results[0].message
    assert "falls back to rs.chat.agora.io" in outcome.results[0].message
    assert outcome.answer.server == "rs.chat.agora.io"


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [
        (Behaviour(body=b"<html>busy</html>"), "not JSON"),
        (Behaviour(body=b"{}"), "no https REST hosts (rest.hosts) and no https socket hosts"),
        (Behaviour(body=b"[]"), "not a JSON object"),
        (Behaviour(status=503, body=b""), "answered HTTP 503"),
        (
            Behaviour(
                body=json.dumps(
                    {
                        "rest": GOOD_ANSWER["rest"],
                        "msync-wx": {"hosts": [{"protocol": "http", "domain": "x.easemob.com"}]},
                    }
                ).encode()
            ),
            "no https socket hosts (msync-wx.hosts)",
        ),
    ],
)
def test_unusable_answers_fail_when_no_server_answers(
    ca: trustme.CA, server_context: ssl.SSLContext, behaviour: Behaviour, words: str
) -> None:
    outcome = run(ca, server_context, {"rs.easemob.com": behaviour, "rs.chat.agora.io": behaviour})
    assert outcome.answer is None and outcome.targets == ()
    assert [r.status for r in outcome.results] == [Status.FAIL, Status.FAIL]
    assert all(words in r.message for r in outcome.results)
    assert all(r.fails_gate and r.fix for r in outcome.results)


def test_unreachable_servers_are_errors(ca: trustme.CA, server_context: ssl.SSLContext) -> None:
    async def scenario() -> Any:
        listener = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        listener.close()
        await listener.wait_closed()  # nothing listens on `port` now
        rules = tuple(ConnectToRule(s, 443, "127.0.0.1", port) for s in HTTPDNS_SERVERS)
        return await fetch(trusting(ca, connect_to=rules, timeout=2), "a#b")

    outcome = asyncio.run(scenario())
    assert [(r.check, r.status) for r in outcome.results] == [
        ("httpdns.fetch", Status.ERROR),
        ("httpdns.fetch", Status.ERROR),
    ]
    assert "connection refused (nothing listens on the port)" in outcome.results[0].message


def test_untrusted_certificate_is_an_error(server_context: ssl.SSLContext) -> None:
    other_ca = trustme.CA()  # the client trusts a CA that did not sign the server's certificate
    outcome = run(
        other_ca, server_context, {"rs.easemob.com": Behaviour(), "rs.chat.agora.io": Behaviour()}
    )
    assert [r.status for r in outcome.results] == [Status.FAIL, Status.FAIL]
    assert "TLS certificate not trusted" in outcome.results[0].message


def test_ip_only_and_legacy_socket_section() -> None:
    body = json.dumps(
        {
            "rest": {"hosts": [{"protocol": "https", "ip": "39.97.193.190", "port": "443"}]},
            "msync-ws": {"hosts": [{"protocol": "https", "domain": "IM-API-WECHAT.easemob.com."}]},
        }
    ).encode()
    answer = parse_answer("rs.easemob.com", body)
    assert answer.socket_section == "msync-ws"
    assert answer.rest[0].url == "https://39.97.193.190"
    assert answer.socket[0].domain == "im-api-wechat.easemob.com"
    assert [t.host for t in probe_targets(answer)] == ["im-api-wechat.easemob.com"]


def test_parse_rejects_bad_bytes() -> None:
    with pytest.raises(HttpDnsAnswerError, match="not JSON"):
        parse_answer("rs.easemob.com", b"\xff\xfe")


def test_url_encodes_the_appkey_separator() -> None:
    assert server_json_url("rs.easemob.com", "org#app") == (
        "https://rs.easemob.com/easemob/server.json?app_key=org%23app"
    )


def test_answer_hosts_outside_the_whitelist_fail() -> None:
    from domaincheck.appsetup.httpdns import coverage_results
    from domaincheck.core.model import ConsoleList
    from domaincheck.whitelist.coverage import CoverageList
    from domaincheck.whitelist.profiles import rules_for

    answer = parse_answer("rs.easemob.com", json.dumps(GOOD_ANSWER).encode())
    console = CoverageList.from_entries(
        [
            (ConsoleList.REQUEST, "https://a1.easemob.com"),
            (ConsoleList.SOCKET, "wss://im-api-wechat.easemob.com"),
        ]
    )
    results = coverage_results(answer, rules_for("wechat"), console)
    assert [(r.target, r.status) for r in results] == [
        ("https://a1.easemob.com", Status.PASS),
        ("wss://im-api-wechat.easemob.com/websocket", Status.PASS),
        ("wss://im-api-wechat.easecdn.com:8443/websocket", Status.FAIL),
    ]
    assert "not in the socket list of the console's current list" in results[2].message
    assert (
        results[2].fix
        == "Add wss://im-api-wechat.easecdn.com to the socket list, or set isHttpDNS: false."
    )
    # Alipay: one registrable-domain entry covers both hosts of each family
    alipay = CoverageList.from_entries(
        [(ConsoleList.WHITELIST, "easemob.com"), (ConsoleList.WHITELIST, "easecdn.com")]
    )
    assert {r.status for r in coverage_results(answer, rules_for("alipay"), alipay)} == {
        Status.PASS
    }


def test_run_httpdns_with_the_live_settings(
    ca: trustme.CA, server_context: ssl.SSLContext, tmp_path: Any
) -> None:
    """The glue `check` uses: trust store, timeout and --connect-to rules of the live checks."""
    from domaincheck.appsetup.httpdns import run_httpdns
    from domaincheck.checks.settings import ConnectToRule, LiveSettings, TrustStore
    from domaincheck.core.model import ConsoleList
    from domaincheck.whitelist.coverage import CoverageList
    from domaincheck.whitelist.profiles import rules_for

    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))

    async def scenario() -> Any:
        first = await serve(Behaviour(status=500, body=b"oops"), server_context)
        second = await serve(Behaviour(), server_context)
        try:
            settings = LiveSettings(
                trust=TrustStore.load(bundle),
                connect_to=(
                    ConnectToRule(
                        "rs.easemob.com", 443, "127.0.0.1", first.sockets[0].getsockname()[1]
                    ),
                    ConnectToRule(
                        "rs.chat.agora.io", 443, "127.0.0.1", second.sockets[0].getsockname()[1]
                    ),
                ),
                timeout=2,
            )
            coverage = CoverageList.from_entries([(ConsoleList.WHITELIST, "easemob.com")])
            return await run_httpdns("org#app", settings, rules_for("alipay"), coverage)
        finally:
            for s in (first, second):
                s.close()
                await s.wait_closed()

    outcome = asyncio.run(scenario())
    assert [(r.target, r.check, r.status) for r in outcome.results] == [
        ("rs.easemob.com", "httpdns.fetch", Status.WARN),
        ("rs.chat.agora.io", "httpdns.fetch", Status.PASS),
        ("https://a1.easemob.com", "httpdns.whitelist", Status.PASS),
        ("wss://im-api-wechat.easemob.com/websocket", "httpdns.whitelist", Status.PASS),
        ("wss://im-api-wechat.easecdn.com:8443/websocket", "httpdns.whitelist", Status.FAIL),
    ]
    assert "answered HTTP 500" in outcome.results[0].message
    assert len(outcome.targets) == 3


async def _tls_endpoint(settings: LiveSettings, host: str, dns_addresses: tuple[str, ...]) -> str:
    """Where the TLS probe connects for host:443 under the same settings."""
    outcome = await TlsChecker(settings).check(host, 443, dns_addresses)
    assert outcome.endpoint is not None, outcome.results[0].message
    if outcome.stream is not None:
        outcome.stream.abort()
    return outcome.endpoint.label


def test_httpdns_asks_the_resolver_option(ca: trustme.CA, server_context: ssl.SSLContext) -> None:
    """--resolver: the DNS servers' names are looked up at the given resolver, as the probes' are."""
    from tests.lab.dnsserver import DnsServer, ZoneEntry

    async def scenario() -> tuple[Any, str]:
        https = await serve(Behaviour(), server_context)
        port = https.sockets[0].getsockname()[1]
        resolver = await DnsServer({"rs.easemob.com": ZoneEntry(a=("127.0.0.1",))}).start()
        try:
            settings = trusting(
                ca,
                resolvers=(NameServer("127.0.0.1", resolver.port),),
                connect_to=(ConnectToRule(None, 443, None, port),),  # the port only: DNS decides
                timeout=2,
            )
            outcome = await fetch(settings)
            dns = await DnsChecker(settings).check("rs.easemob.com")
            probe = await _tls_endpoint(settings, "rs.easemob.com", dns.addresses)
            return outcome, probe
        finally:
            https.close()
            await resolver.stop()

    outcome, probe = asyncio.run(scenario())
    first = outcome.results[0]
    assert (first.check, first.status) == ("httpdns.fetch", Status.PASS), first.message
    assert first.details["address"] == probe
    assert first.details["address"].startswith("127.0.0.1:")
    # A name the resolver does not know is NXDOMAIN there (the system resolver is never asked)
    missing = asyncio.run(_lookup_failure(ca))
    assert (missing.check, missing.status) == ("httpdns.fetch", Status.ERROR)
    assert "cannot look up the host" in missing.message and "NXDOMAIN" in missing.message


async def _lookup_failure(ca: trustme.CA) -> Any:
    from tests.lab.dnsserver import DnsServer

    resolver = await DnsServer({}).start()
    try:
        settings = trusting(ca, resolvers=(NameServer("127.0.0.1", resolver.port),), timeout=2)
        outcome = await fetch(settings, servers=("rs.chat.agora.io",))
    finally:
        await resolver.stop()
    return outcome.results[0]


def test_httpdns_follows_connect_to_as_the_probes_do(
    ca: trustme.CA, server_context: ssl.SSLContext
) -> None:
    """--connect-to to a name: looked up as curl does (getaddrinfo), SNI and Host stay the server's."""

    async def scenario() -> tuple[Any, str, Behaviour]:
        behaviour = Behaviour()
        https = await serve(behaviour, server_context)
        port = https.sockets[0].getsockname()[1]
        try:
            rule = ConnectToRule("rs.easemob.com", 443, "localhost", port)
            settings = trusting(ca, connect_to=(rule,), timeout=2)
            outcome = await fetch(settings, servers=("rs.easemob.com",))
            probe = await _tls_endpoint(settings, "rs.easemob.com", ())
            return outcome, probe, behaviour
        finally:
            https.close()

    outcome, probe, behaviour = asyncio.run(scenario())
    fetched = outcome.results[0]
    assert (fetched.check, fetched.status) == ("httpdns.fetch", Status.PASS), fetched.message
    assert fetched.details["address"] == probe
    assert fetched.details["via"] == "--connect-to"
    assert "Host: rs.easemob.com" in behaviour.requests[0]


def test_httpdns_goes_through_the_via_proxy(ca: trustme.CA, server_context: ssl.SSLContext) -> None:
    """--via socks5h: the fetch is tunnelled, its server's name resolved at the proxy."""
    from domaincheck.checks.settings import parse_via
    from tests.lab.proxies import LabProxy

    async def scenario() -> tuple[Any, LabProxy]:
        https = await serve(Behaviour(), server_context)
        port = https.sockets[0].getsockname()[1]
        proxy = await LabProxy(names={"rs.easemob.com": "127.0.0.1"}).start()
        try:
            settings = trusting(
                ca,
                connect_to=(ConnectToRule(None, 443, None, port),),
                proxy=parse_via(proxy.url()),
                timeout=2,
            )
            return await fetch(settings, servers=("rs.easemob.com",)), proxy
        finally:
            https.close()
            await proxy.stop()

    outcome, proxy = asyncio.run(scenario())
    fetched = outcome.results[0]
    assert (fetched.check, fetched.status) == ("httpdns.fetch", Status.PASS), fetched.message
    assert fetched.details["via"] == "--connect-to"
    assert proxy.targets == [f"rs.easemob.com:{fetched.details['address'].split(':')[-1]}"]

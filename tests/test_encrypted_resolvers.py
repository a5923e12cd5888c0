"""DoH and DoT resolvers and the named presets, against encrypted resolvers on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domaincheck.checks.resolvers import PRESETS
from domaincheck.checks.settings import DnsTransport, NameServer, parse_resolver
from domaincheck.core.errors import UsageError
from domaincheck.core.model import ProbeKind, ProbeTarget, Status
from domaincheck.run.runner import run_live_checks
from tests.lab.encrypted_dns import EncryptedDnsServer, EncryptedMode
from tests.lab.lab import Lab, host
from tests.lab.servers import free_port
from tests.test_check_dns import check_dns


@pytest.fixture
def start(lab: Lab) -> Iterator[object]:
    """Starts encrypted resolvers in the lab's loop (a lab certificate for 127.0.0.1) and stops them."""
    started: list[EncryptedDnsServer] = []

    def go(
        doh: bool = True, mode: EncryptedMode = EncryptedMode.ANSWER, untrusted: bool = False
    ) -> EncryptedDnsServer:
        cert = lab.pki.leaf("127.0.0.1", untrusted=untrusted)
        server = lab.loop.call(EncryptedDnsServer(lab.dns, cert, doh=doh, mode=mode).start())
        started.append(server)
        return server

    yield go
    for server in started:
        lab.loop.call(server.stop())


def resolver_of(server: EncryptedDnsServer) -> NameServer:
    return parse_resolver(server.url if server.doh else f"tls://127.0.0.1:{server.port}")


@pytest.mark.parametrize("doh", [True, False], ids=["doh", "dot"])
def test_encrypted_resolver_answers_as_the_plain_one(lab: Lab, start, doh: bool) -> None:  # type: ignore[no-untyped-def]
    server = start(doh=doh)
    plain = check_dns(lab.settings(), host("good"))
    encrypted = check_dns(lab.settings(resolvers=(resolver_of(server),)), host("good"))
    assert encrypted.results[0].status is Status.PASS, encrypted.results[0].message
    assert encrypted.addresses == plain.addresses == ("127.0.0.1",)
    assert server.requests, "the query went to the encrypted resolver"
    if doh:
        assert server.requests[0].startswith("POST /dns-query HTTP/1.1")
        assert "application/dns-message" in server.requests[0]
    missing = check_dns(lab.settings(resolvers=(resolver_of(server),)), host("no-such-name"))
    assert missing.results[0].status is Status.FAIL and "NXDOMAIN" in missing.results[0].message


@pytest.mark.parametrize(
    ("doh", "mode", "untrusted", "words"),
    [
        (True, EncryptedMode.HTTP_500, False, ("HTTP 500",)),
        (True, EncryptedMode.HTML, False, ("content type", "text/html")),
        (True, EncryptedMode.CLOSE, False, ("closed the connection",)),
        (False, EncryptedMode.CLOSE, False, ("closed the connection",)),
        (True, EncryptedMode.ANSWER, True, ("cannot reach resolver", "certificate not trusted")),
        (False, EncryptedMode.ANSWER, True, ("cannot reach resolver", "certificate not trusted")),
    ],
)
def test_failing_encrypted_resolvers_say_why(  # type: ignore[no-untyped-def]
    lab: Lab, start, doh: bool, mode: EncryptedMode, untrusted: bool, words: tuple[str, ...]
) -> None:
    server = start(doh=doh, mode=mode, untrusted=untrusted)
    settings = lab.settings(resolvers=(resolver_of(server),), timeout=1.0)
    result = check_dns(settings, host("good")).results[0]
    assert result.status is Status.ERROR, result.message
    assert resolver_of(server).label in result.message
    for word in words:
        assert word in result.message, result.message


def test_a_doh_resolver_with_nothing_listening(lab: Lab) -> None:
    dead = parse_resolver(f"https://127.0.0.1:{free_port()}/dns-query")
    result = check_dns(lab.settings(resolvers=(dead,), timeout=1.0), host("good")).results[0]
    assert result.status is Status.ERROR
    assert f"cannot reach resolver {dead.label}: connection refused" in result.message


def test_same_verdicts_through_a_doh_resolver_as_direct(lab: Lab, start) -> None:  # type: ignore[no-untyped-def]
    """The held-out check's shape: the same hosts, the same verdicts, whichever way DNS is asked."""
    names = ("good", "wronghost", "expired", "refused", "ws403", "nosuch")
    targets = [ProbeTarget(host(n), ProbeKind.HTTPS) for n in names]
    targets.append(ProbeTarget(host("good"), ProbeKind.WEBSOCKET, path="/websocket"))

    def verdicts(settings: object) -> dict[tuple[str, str], Status]:
        results = run_live_checks(targets, settings)  # type: ignore[arg-type]
        return {(r.target, r.check): r.status for r in results}

    direct = verdicts(lab.settings())
    through_doh = verdicts(lab.settings(resolvers=(resolver_of(start(doh=True)),)))
    assert through_doh == direct
    assert direct[(host("good"), "https")] is Status.PASS
    assert direct[(host("nosuch"), "dns")] is Status.FAIL


def test_presets_are_documented_and_parse() -> None:
    for name, preset in PRESETS.items():
        assert preset.source.startswith("https://")
        assert parse_resolver(name).address == preset.addresses[0]
        for how, url in (("doh", preset.doh), ("dot", preset.dot)):
            if url is None:
                with pytest.raises(UsageError, match="publishes no"):
                    parse_resolver(f"{name}:{how}")
            else:
                spec = parse_resolver(f"{name.upper()}:{how}")
                assert spec.transport is DnsTransport(how) and spec.preset == name
    assert parse_resolver("alidns:doh").label == "alidns https://dns.alidns.com/dns-query"
    assert parse_resolver("alidns:dot").label == "alidns tls://223.5.5.5"
    assert parse_resolver("tls://[::1]:8853").label == "tls://[::1]:8853"
    assert {"alidns", "dnspod", "114dns", "google", "cloudflare", "quad9"} <= set(PRESETS)
    for bad in ("https://[::1/dns-query", "https://h:99999/dns-query", "https:///dns-query"):
        with pytest.raises(UsageError, match="--resolver"):
            parse_resolver(bad)


def test_an_unreachable_resolver_is_one_result_and_the_others_carry_on(lab: Lab, start) -> None:  # type: ignore[no-untyped-def]
    untrusted = resolver_of(start(doh=False, untrusted=True))
    plain = lab.settings().resolvers[0]
    targets = [ProbeTarget(host(n), ProbeKind.HTTPS) for n in ("good", "expired", "alias")]
    results = run_live_checks(targets, lab.settings(resolvers=(plain, untrusted)))
    resolver = [r for r in results if r.check == "dns.resolver"]
    assert [(r.target, r.status) for r in resolver] == [(untrusted.label, Status.ERROR)]
    assert "certificate not trusted" in resolver[0].message
    dns = {r.target: r for r in results if r.check == "dns"}
    assert dns[host("good")].status is Status.PASS  # the plain resolver answered
    assert all(untrusted.label not in r.message for r in dns.values())

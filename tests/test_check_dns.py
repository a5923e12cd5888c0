"""The DNS checker against the lab's DNS server."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from domaincheck.checks.dns import DnsChecker, DnsOutcome
from domaincheck.checks.settings import LiveSettings, NameServer
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import Status
from tests.lab.dnsserver import Behaviour, DnsServer, ZoneEntry
from tests.lab.lab import Lab, host
from tests.lab.servers import free_port


def check_dns(settings: LiveSettings, name: str) -> DnsOutcome:
    """Runs the DNS check and closes the resolver sockets."""

    async def go() -> DnsOutcome:
        checker = DnsChecker(settings)
        try:
            return await checker.check(name)
        finally:
            checker.close()

    return asyncio.run(go())


def run(lab: Lab, name: str, **changes: object) -> DnsOutcome:
    return check_dns(lab.settings(**changes), host(name))


def test_a_record_passes_and_feeds_the_probes(lab: Lab) -> None:
    outcome = run(lab, "good")
    result = outcome.results[0]
    assert result.check == CheckId.DNS
    assert result.status is Status.PASS
    assert "A 127.0.0.1" in result.message
    assert "no AAAA" in result.message
    assert outcome.addresses == ("127.0.0.1",)
    assert outcome.failure is None


def test_cname_chain_is_followed_and_reported(lab: Lab) -> None:
    outcome = run(lab, "alias")
    result = outcome.results[0]
    assert result.status is Status.PASS
    assert result.details["resolvers"][0]["cname_chain"] == [host("edge"), host("good")]
    assert "via CNAME" in result.message
    assert outcome.addresses == ("127.0.0.1",)


def test_ipv6_only_host(lab: Lab) -> None:
    outcome = run(lab, "v6")
    assert outcome.results[0].status is Status.PASS
    assert outcome.addresses == ("::1",)


def test_nxdomain_fails_and_names_it(lab: Lab) -> None:
    outcome = run(lab, "nosuchhost")
    result = outcome.results[0]
    assert result.status is Status.FAIL
    assert "NXDOMAIN" in result.message
    assert outcome.addresses == ()
    assert outcome.failure == result.message


def test_dangling_cname_names_the_missing_target(lab: Lab) -> None:
    result = run(lab, "dangling").results[0]
    assert result.status is Status.FAIL
    assert "NXDOMAIN" in result.message
    assert host("missing") in result.message


def test_nodata_is_told_apart_from_nxdomain(lab: Lab) -> None:
    result = run(lab, "nodata").results[0]
    assert result.status is Status.FAIL
    assert "NODATA" in result.message
    assert "NXDOMAIN" not in result.message


def test_servfail(lab: Lab) -> None:
    result = run(lab, "servfail").results[0]
    assert result.status is Status.FAIL
    assert "SERVFAIL" in result.message


def test_refused_is_an_error(lab: Lab) -> None:
    result = run(lab, "refusing").results[0]
    assert result.status is Status.ERROR
    assert "REFUSED" in result.message


def test_silent_server_times_out_as_error(lab: Lab) -> None:
    result = run(lab, "dnssilent", timeout=0.5).results[0]
    assert result.status is Status.ERROR
    assert "no DNS answer" in result.message
    assert "0.5 s" in result.message


def test_resolver_that_is_not_there(lab: Lab) -> None:
    # Nothing listens on this port: UDP gets ICMP port unreachable, or no answer at all.
    dead = NameServer("127.0.0.1", free_port())
    result = run(lab, "good", resolvers=(dead,), timeout=0.5).results[0]
    assert result.status is Status.ERROR
    assert dead.label in result.message


def test_differing_resolvers_are_reported(lab: Lab) -> None:
    other = DnsServer({host("good"): ZoneEntry(a=("127.0.0.2",))})
    lab.loop.call(other.start())
    try:
        second = NameServer("127.0.0.1", other.port)
        settings = lab.settings()
        settings = replace(settings, resolvers=(*settings.resolvers, second))
        outcome = check_dns(settings, host("good"))
    finally:
        lab.loop.call(other.stop())
    dns_result, consistency = outcome.results
    assert dns_result.status is Status.PASS
    assert consistency.check == CheckId.DNS_CONSISTENCY
    assert consistency.status is Status.INFO
    assert "127.0.0.2" in consistency.message and "127.0.0.1" in consistency.message
    assert outcome.addresses == ("127.0.0.1", "127.0.0.2")


def test_one_resolver_failing_among_several_fails_the_host(lab: Lab) -> None:
    other = DnsServer({})  # knows nothing: NXDOMAIN
    lab.loop.call(other.start())
    try:
        settings = lab.settings()
        settings = replace(
            settings, resolvers=(*settings.resolvers, NameServer("127.0.0.1", other.port))
        )
        outcome = check_dns(settings, host("good"))
    finally:
        lab.loop.call(other.stop())
    result = outcome.results[0]
    assert result.status is Status.FAIL
    assert "NXDOMAIN" in result.message
    assert "resolves at 127.0.0.1" in result.message
    # The comparison names the resolver that says NXDOMAIN while the other answers.
    consistency = outcome.results[1]
    assert consistency.status is Status.FAIL
    assert f"127.0.0.1:{other.port} says NXDOMAIN while 127.0.0.1:{lab.dns.port}" in (
        consistency.message
    )


@pytest.mark.parametrize(
    ("entry", "status", "words"),
    [
        (ZoneEntry(a=("203.0.113.9",)), Status.INFO, "normal for a CDN"),
        (ZoneEntry(a=("243.185.187.39",)), Status.FAIL, "known-bogus"),
        (ZoneEntry(behaviour=Behaviour.SERVFAIL), Status.WARN, "gives SERVFAIL"),
    ],
)
def test_consistency_tells_geo_answers_from_trouble(
    lab: Lab, entry: ZoneEntry, status: Status, words: str
) -> None:
    """Two resolvers with public answers: geo DNS; a poisoned or failing one: named trouble."""
    public = DnsServer({host("good"): ZoneEntry(a=("198.51.100.7",))})
    other = DnsServer({host("good"): entry})
    lab.loop.call(public.start())
    lab.loop.call(other.start())
    try:
        resolvers = (NameServer("127.0.0.1", public.port), NameServer("127.0.0.1", other.port))
        outcome = check_dns(lab.settings(resolvers=resolvers), host("good"))
    finally:
        lab.loop.call(public.stop())
        lab.loop.call(other.stop())
    consistency = outcome.results[1]
    assert consistency.check == "dns.consistency"
    assert consistency.status is status, consistency.message
    assert words in consistency.message
    if status is not Status.INFO:
        assert resolvers[1].label in consistency.message.split(" ")[0]

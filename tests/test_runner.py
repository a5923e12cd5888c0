"""The runner: every host and check concurrently, skips after failed prerequisites, crashes contained."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from domaincheck.checks.dns import resolving_router
from domaincheck.checks.probes import PROBES, build_probes
from domaincheck.checks.router import Router
from domaincheck.checks.settings import ConnectToRule, LiveSettings, TrustStore
from domaincheck.checks.tls import TlsChecker
from domaincheck.core.model import CheckResult, ProbeKind, ProbeTarget, Status
from domaincheck.run.runner import run_live_checks
from tests.lab.lab import FAULT_TIMEOUT, Lab, host


def https(name: str, path: str = "/") -> ProbeTarget:
    return ProbeTarget(host(name), ProbeKind.HTTPS, path=path, roles=("rest",))


def wss(name: str) -> ProbeTarget:
    return ProbeTarget(host(name), ProbeKind.WEBSOCKET, path="/websocket", roles=("socket",))


def index(results: Sequence[CheckResult]) -> dict[tuple[str, str], CheckResult]:
    return {(r.target, r.check): r for r in results}


class Recorder:
    def __init__(self) -> None:
        self.events: list[str] = []

    def started(self, hosts: int) -> None:
        self.events.append(f"started {hosts}")

    def host_done(self, host: str, results: Sequence[CheckResult]) -> None:
        self.events.append(f"done {host} {len(results)}")

    def finished(self) -> None:
        self.events.append("finished")


def test_every_probe_kind_has_one_plugin_with_its_result_ids() -> None:
    settings = LiveSettings(trust=TrustStore.load())
    probes = build_probes(settings, resolving_router(settings))
    assert len(PROBES) == len(ProbeKind)  # no kind served twice
    assert set(probes) == set(ProbeKind)
    assert all(probe.kind is kind and probe.ids[0] == kind.value for kind, probe in probes.items())


def test_run_over_good_and_faulty_hosts(lab: Lab) -> None:
    targets = [https("good"), wss("good"), https("nosuch"), wss("ws403"), https("silent")]
    recorder = Recorder()
    results = run_live_checks(targets, lab.settings(timeout=FAULT_TIMEOUT), recorder)
    found = index(results)

    good = host("good")
    assert found[(good, "dns")].status is Status.PASS
    assert found[(good, "tls")].status is Status.PASS
    assert found[(good, "https")].status is Status.PASS
    assert found[(good, "websocket")].status is Status.PASS
    # DNS and TLS run once for a host probed both ways.
    assert [r.check for r in results if r.target == good].count("tls") == 1

    nosuch = host("nosuch")
    assert found[(nosuch, "dns")].status is Status.FAIL
    assert found[(nosuch, "tls")].status is Status.SKIP
    assert "DNS failed" in found[(nosuch, "tls")].message
    assert "NXDOMAIN" in found[(nosuch, "tls")].message
    assert found[(nosuch, "https")].status is Status.SKIP

    assert found[(host("ws403"), "websocket")].status is Status.FAIL
    silent = host("silent")
    assert found[(silent, "tls")].status is Status.ERROR
    assert found[(silent, "https")].status is Status.SKIP
    assert "TLS failed" in found[(silent, "https")].message

    # Results come grouped by host, in the order of the targets.
    order = list(dict.fromkeys(r.target for r in results))
    assert order == [good, nosuch, host("ws403"), silent]
    assert recorder.events[0] == "started 4" and recorder.events[-1] == "finished"
    assert len([e for e in recorder.events if e.startswith("done")]) == 4


def test_connect_to_lets_a_host_without_dns_be_probed(lab: Lab) -> None:
    settings = lab.settings()
    rule = ConnectToRule("not-in-dns.example", 443, "127.0.0.1", lab.servers["good"].port)
    settings = lab.settings(connect_to=(*settings.connect_to, rule))
    target = ProbeTarget("not-in-dns.example", ProbeKind.HTTPS)
    found = index(run_live_checks([target], settings))
    assert found[("not-in-dns.example", "dns")].status is Status.FAIL
    # The TLS check ran (no skip) and found the certificate is for another name.
    tls = found[("not-in-dns.example", "tls")]
    assert tls.status is Status.FAIL
    assert "wrong host name" in tls.message


def test_a_crashing_check_becomes_an_error_and_the_run_goes_on(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = TlsChecker.check

    async def crash(self: TlsChecker, host_name: str, port: int, addresses: tuple[str, ...]):  # type: ignore[no-untyped-def]
        if host_name == host("good"):
            raise RuntimeError("boom")
        return await real(self, host_name, port, addresses)

    monkeypatch.setattr(TlsChecker, "check", crash)
    found = index(run_live_checks([https("good"), https("alias")], lab.settings()))
    crashed = found[(host("good"), "tls")]
    assert crashed.status is Status.ERROR
    assert "RuntimeError: boom" in crashed.message
    assert found[(host("good"), "tls.expiry")].status is Status.ERROR
    assert found[(host("good"), "https")].status is Status.SKIP
    assert found[(host("alias"), "https")].status is Status.PASS


def test_no_reachable_resolver_gives_errors_not_a_traceback(lab: Lab) -> None:
    from domaincheck.checks.settings import NameServer
    from tests.lab.servers import free_port

    settings = lab.settings(
        resolvers=(NameServer("127.0.0.1", free_port()),), connect_to=(), timeout=0.5
    )
    results = run_live_checks([https("good"), wss("good")], settings)
    statuses = {r.check: r.status for r in results}
    # One error names the resolver; the host's checks are skipped, not each an error.
    assert statuses["dns.resolver"] is Status.ERROR
    assert [r.target for r in results if r.check == "dns.resolver"] == [settings.resolvers[0].label]
    assert statuses["dns"] is Status.SKIP
    assert statuses["tls"] is Status.SKIP and statuses["https"] is Status.SKIP
    assert statuses["websocket"] is Status.SKIP


def test_the_verified_tls_connection_carries_the_next_probe(lab: Lab) -> None:
    server = lab.servers["expiring"]
    before = server.connections
    found = index(run_live_checks([https("expiring")], lab.settings()))
    assert found[(host("expiring"), "https")].status is Status.PASS
    assert found[(host("expiring"), "https")].details["reused_tls_connection"] is True
    # One verified TLS connection (reused for HTTPS) plus the TLS 1.0/1.1 probe: no third.
    assert server.connections - before == 2


def test_two_probes_on_one_port_share_nothing_but_the_first_reuses(lab: Lab) -> None:
    found = index(run_live_checks([https("good"), wss("good")], lab.settings()))
    reused = [
        found[(host("good"), c)].details["reused_tls_connection"] for c in ("https", "websocket")
    ]
    assert sorted(reused) == [False, True]
    assert found[(host("good"), "https")].status is Status.PASS
    assert found[(host("good"), "websocket")].status is Status.PASS


# Every fault through the runner, on the event loop the CLI uses (uvloop where installed).
FAULTS = [
    (https("leafonly"), "tls", Status.FAIL, "incomplete certificate chain"),
    (https("untrusted"), "tls", Status.FAIL, "untrusted CA"),
    (https("selfsigned"), "tls", Status.FAIL, "self-signed"),
    (https("expired"), "tls.expiry", Status.FAIL, "expired on"),
    (https("notyet"), "tls", Status.FAIL, "not valid yet"),
    (https("wronghost"), "tls", Status.FAIL, "wrong host name"),
    (https("tls10"), "tls", Status.FAIL, "only TLSv1"),
    (https("legacy"), "tls.protocol", Status.INFO, "still accepts"),
    (https("nofs"), "tls.ats", Status.WARN, "forward secrecy"),
    (https("expiring"), "tls.expiry", Status.WARN, "under 30 days"),
    (https("silent"), "tls", Status.ERROR, "no TLS handshake answer"),
    (https("reset"), "tls", Status.ERROR, "reset"),
    (https("refused"), "tls", Status.ERROR, "refused"),
    (https("plain"), "tls", Status.FAIL, "does not speak TLS"),
    (https("httpsilent"), "https", Status.FAIL, "no HTTP answer"),
    (wss("ws200"), "websocket", Status.FAIL, "200 OK"),
    (wss("ws403"), "websocket", Status.FAIL, "403 Forbidden"),
    (wss("ws426"), "websocket", Status.FAIL, "426"),
    (wss("wsbadaccept"), "websocket", Status.FAIL, "Sec-WebSocket-Accept"),
    (wss("wssilent"), "websocket", Status.FAIL, "no answer to the upgrade"),
    (wss("wsnoclose"), "websocket", Status.WARN, "did not answer the close frame"),
    (https("nosuch"), "dns", Status.FAIL, "NXDOMAIN"),
    (https("servfail"), "dns", Status.FAIL, "SERVFAIL"),
    (https("dnssilent"), "dns", Status.ERROR, "no DNS answer"),
]


def test_every_fault_gets_its_status_and_a_message_naming_it(lab: Lab) -> None:
    results = run_live_checks([t for t, *_ in FAULTS], lab.settings(timeout=FAULT_TIMEOUT))
    found = index(results)
    for target, check, status, words in FAULTS:
        result = found[(target.host, check)]
        assert result.status is status, (target.host, check, result.message)
        assert words in result.message, (target.host, check, result.message)


def test_a_host_spelled_in_capitals_or_with_a_final_dot_is_one_host(lab: Lab) -> None:
    # Targets from other sources (an HTTP-DNS answer) may spell the host differently: every
    # check, the SNI and the Host header use one spelling, and its results share one target.
    spelled = [
        ProbeTarget(host("good").upper(), ProbeKind.HTTPS),
        ProbeTarget(host("good") + ".", ProbeKind.WEBSOCKET, path="/websocket"),
    ]
    results = run_live_checks(spelled, lab.settings())
    assert {r.target for r in results} == {host("good")}
    found = index(results)
    assert found[(host("good"), "https")].status is Status.PASS
    assert found[(host("good"), "websocket")].status is Status.PASS


def test_the_runner_hands_each_target_to_the_plugin_of_its_kind(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registered plugin gets its targets, the TLS check's endpoint and verified connection."""
    from domaincheck.checks import probes
    from domaincheck.checks._net import Endpoint, TlsStream
    from domaincheck.checks.https import HttpsChecker

    seen: list[tuple[str, str, bool]] = []

    class HeadProbe:
        kind = ProbeKind.HTTPS
        ids = ("https",)

        def __init__(self, settings: LiveSettings, router: Router | None = None) -> None:
            self.router = router

        async def check(
            self, target: ProbeTarget, endpoint: Endpoint, stream: TlsStream | None = None
        ) -> CheckResult:
            seen.append((target.host, endpoint.via, stream is not None))
            if stream is not None:
                assert stream.ssl_object.server_hostname == target.host
                stream.abort()
            return CheckResult(target.host, "https", Status.PASS, "seen by the plugin")

    others = tuple(p for p in probes.PROBES if p is not HttpsChecker)
    monkeypatch.setattr(probes, "PROBES", (HeadProbe, *others))
    found = index(run_live_checks([https("good"), wss("good")], lab.settings()))
    assert found[(host("good"), "https")].message == "seen by the plugin"
    assert found[(host("good"), "websocket")].status is Status.PASS  # the other plugin still runs
    assert len(seen) == 1 and seen[0][0] == host("good")

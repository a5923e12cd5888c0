"""The runner: every host and check concurrently, skips after failed prerequisites, crashes contained."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from domaincheck.checks.settings import ConnectToRule
from domaincheck.checks.tls import TlsChecker
from domaincheck.model import CheckResult, ProbeKind, ProbeTarget, Status
from domaincheck.runner import CHECK_IDS, CHECKERS, LiveCheck, run_live_checks
from tests.lab.lab import Lab, host


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


def test_every_live_check_maps_to_a_checker_and_its_result_ids() -> None:
    assert set(CHECKERS) == set(LiveCheck)
    assert set(CHECK_IDS) == set(LiveCheck)
    assert all(CHECK_IDS[check][0] == check.value for check in LiveCheck)


def test_run_over_good_and_faulty_hosts(lab: Lab) -> None:
    targets = [https("good"), wss("good"), https("nosuch"), wss("ws403"), https("silent")]
    recorder = Recorder()
    results = run_live_checks(targets, lab.settings(timeout=0.5), recorder)
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
    assert statuses["dns"] is Status.ERROR
    assert statuses["tls"] is Status.SKIP and statuses["https"] is Status.SKIP
    assert statuses["websocket"] is Status.SKIP

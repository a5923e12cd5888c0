"""The TLS checker against the lab's TLS servers: each fault gets its status and a message naming it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from domaincheck.checks.settings import ConnectToRule, LiveSettings, ResolveRule, TrustStore
from domaincheck.checks.tls import (
    TlsChecker,
    TlsOutcome,
)
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, Status
from tests.lab.lab import Lab, host


def check_tls(
    settings: LiveSettings, name: str, port: int, addresses: tuple[str, ...]
) -> TlsOutcome:
    """Runs the TLS check and closes the connection it keeps for the next probe."""

    async def go() -> TlsOutcome:
        outcome = await TlsChecker(settings).check(name, port, addresses)
        if outcome.stream is not None:
            outcome.stream.abort()
        return outcome

    return asyncio.run(go())


def run(
    lab: Lab, name: str, addresses: tuple[str, ...] = ("127.0.0.1",), **changes: object
) -> TlsOutcome:
    settings = lab.settings(**changes)
    return check_tls(settings, host(name), 443, addresses)


def by_check(outcome: TlsOutcome) -> dict[str, CheckResult]:
    return {r.check: r for r in outcome.results}


def test_good_server_passes_every_tls_check(lab: Lab) -> None:
    outcome = run(lab, "good")
    results = by_check(outcome)
    assert list(results) == [CheckId.TLS, CheckId.TLS_PROTOCOL, CheckId.TLS_EXPIRY, CheckId.TLS_ATS]
    main = results[CheckId.TLS]
    assert main.status is Status.PASS, main.message
    assert "chain complete and trusted" in main.message
    assert "1 intermediate" in main.message
    assert main.details["version"] in ("TLSv1.2", "TLSv1.3")
    assert main.details["alpn"] == "http/1.1"
    chain = main.details["chain"]
    assert len(chain) == 2
    assert chain[0]["dns_names"] == [host("good"), host("alias")]
    assert chain[1]["is_ca"] is True
    assert results[CheckId.TLS_PROTOCOL].status is Status.PASS
    assert "refuses TLS 1.0 and 1.1" in results[CheckId.TLS_PROTOCOL].message
    assert results[CheckId.TLS_EXPIRY].status is Status.PASS
    assert results[CheckId.TLS_ATS].status is Status.PASS
    assert outcome.endpoint is not None and outcome.failure is None


def test_leaf_only_is_an_incomplete_chain_not_an_untrusted_root(lab: Lab) -> None:
    main = by_check(run(lab, "leafonly"))[CheckId.TLS]
    assert main.status is Status.FAIL
    assert main.message.startswith("incomplete certificate chain")
    assert "intermediate" in main.message
    assert main.details["kind"] == "chain-incomplete"
    assert len(main.details["chain"]) == 1
    assert main.fix and "full chain" in main.fix


def test_bundle_holding_the_intermediate_does_not_hide_an_incomplete_chain(
    lab: Lab, tmp_path: object
) -> None:
    bundle = lab.pki.directory / "root-and-intermediate.pem"
    bundle.write_bytes(lab.pki.root.cert_pem.bytes() + lab.pki.intermediate.cert_pem.bytes())
    main = by_check(run(lab, "leafonly", trust=TrustStore.load(bundle)))[CheckId.TLS]
    assert main.status is Status.FAIL
    assert "incomplete certificate chain" in main.message
    assert "CA bundle holds it" in main.message


def test_untrusted_ca(lab: Lab) -> None:
    main = by_check(run(lab, "untrusted"))[CheckId.TLS]
    assert main.status is Status.FAIL
    assert main.message.startswith("untrusted CA")
    assert main.details["kind"] == "untrusted-ca"


def test_untrusted_root_sent_by_the_server(lab: Lab) -> None:
    # The lab's own root, sent by a server, is untrusted once the bundle is certifi's.
    main = by_check(run(lab, "good", trust=TrustStore.load(None)))[CheckId.TLS]
    assert main.status is Status.FAIL
    assert main.details["kind"] in ("chain-incomplete", "untrusted-ca", "untrusted-root")


def test_self_signed(lab: Lab) -> None:
    main = by_check(run(lab, "selfsigned"))[CheckId.TLS]
    assert main.status is Status.FAIL
    assert "self-signed" in main.message
    assert main.details["kind"] == "self-signed"


def test_expired(lab: Lab) -> None:
    results = by_check(run(lab, "expired"))
    assert results[CheckId.TLS].status is Status.FAIL
    assert "expired" in results[CheckId.TLS].message
    expiry = results[CheckId.TLS_EXPIRY]
    assert expiry.status is Status.FAIL
    assert "expired on" in expiry.message
    assert expiry.details["leaf"]["days_left"] < 0


def test_not_yet_valid(lab: Lab) -> None:
    results = by_check(run(lab, "notyet"))
    assert results[CheckId.TLS].status is Status.FAIL
    assert "not valid yet" in results[CheckId.TLS].message
    assert results[CheckId.TLS_EXPIRY].status is Status.FAIL
    assert "not valid yet" in results[CheckId.TLS_EXPIRY].message


def test_expiring_within_30_days_warns_and_within_7_fails(lab: Lab) -> None:
    warn = by_check(run(lab, "expiring"))[CheckId.TLS_EXPIRY]
    assert warn.status is Status.WARN
    assert "expires in" in warn.message and "under 30 days" in warn.message
    fail = by_check(run(lab, "dying"))[CheckId.TLS_EXPIRY]
    assert fail.status is Status.FAIL
    assert "under 7 days" in fail.message


def test_thresholds_and_clock_are_settings(lab: Lab) -> None:
    settings = lab.settings()
    later = settings.clock() + timedelta(days=20)
    result = by_check(run(lab, "expiring", clock=lambda: later))[CheckId.TLS_EXPIRY]
    assert result.status is Status.FAIL
    assert "expired on" in result.message
    relaxed = by_check(run(lab, "expiring", expiry_warn_days=5, expiry_fail_days=2))
    assert relaxed[CheckId.TLS_EXPIRY].status is Status.PASS


def test_wrong_host_name(lab: Lab) -> None:
    main = by_check(run(lab, "wronghost"))[CheckId.TLS]
    assert main.status is Status.FAIL
    assert "wrong host name" in main.message
    assert host("other") in main.message and host("wronghost") in main.message


def test_tls10_only_fails_and_says_so(lab: Lab) -> None:
    results = by_check(run(lab, "tls10"))
    assert results[CheckId.TLS].status is Status.FAIL
    assert "only TLSv1" in results[CheckId.TLS].message
    assert results[CheckId.TLS_PROTOCOL].status is Status.FAIL
    assert results[CheckId.TLS_EXPIRY].status is Status.SKIP


def test_legacy_versions_still_accepted_is_a_note(lab: Lab) -> None:
    results = by_check(run(lab, "legacy"))
    assert results[CheckId.TLS].status is Status.PASS
    protocol = results[CheckId.TLS_PROTOCOL]
    assert protocol.status is Status.INFO
    assert "still accepts TLSv1" in protocol.message


def test_no_forward_secrecy_is_an_ats_warning(lab: Lab) -> None:
    results = by_check(run(lab, "nofs"))
    assert results[CheckId.TLS].status is Status.PASS
    ats = results[CheckId.TLS_ATS]
    assert ats.status is Status.WARN
    assert "forward secrecy" in ats.message
    assert ats.details["key"] == "RSA 2048"


@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        ("silent", "timeout", "no TLS handshake answer"),
        ("reset", "reset", "reset"),
        ("refused", "refused", "refused"),
        ("plain", "plain-http", "does not speak TLS"),
    ],
)
def test_connection_faults_are_errors_that_name_the_fault(
    lab: Lab, name: str, kind: str, words: str
) -> None:
    outcome = run(lab, name, timeout=0.5)
    main = by_check(outcome)[CheckId.TLS]
    assert main.details["kind"] == kind
    assert words in main.message
    assert main.status is (Status.FAIL if kind == "plain-http" else Status.ERROR)
    assert outcome.endpoint is None
    assert outcome.failure == main.message
    assert all(r.status is Status.SKIP for r in outcome.results[2:])


def test_resolve_override_is_used_and_sni_keeps_the_host(lab: Lab) -> None:
    port = lab.servers["good"].port
    settings = lab.settings(
        connect_to=(), resolve=(ResolveRule(host("good"), port, ("127.0.0.1",)),)
    )
    outcome = check_tls(settings, host("good"), port, ())
    main = outcome.results[0]
    assert main.status is Status.PASS, main.message
    assert main.details["via"] == "--resolve"


def test_connect_to_a_name_uses_the_system_lookup(lab: Lab) -> None:
    port = lab.servers["good"].port
    settings = lab.settings(connect_to=(ConnectToRule(host("good"), 443, "localhost", port),))
    outcome = check_tls(settings, host("good"), 443, ())
    assert outcome.results[0].status is Status.PASS, outcome.results[0].message
    assert outcome.results[0].details["via"] == "--connect-to"


def test_one_dead_address_among_good_ones_warns(lab: Lab) -> None:
    # 127.0.0.1 answers on the good server's port; 127.0.0.2 has nothing listening there.
    settings = lab.settings()
    outcome = check_tls(settings, host("good"), 443, ("127.0.0.1", "127.0.0.2"))
    main = outcome.results[0]
    assert main.status is Status.WARN
    assert "127.0.0.2" in main.message and "refused" in main.message
    assert outcome.endpoint is not None and outcome.endpoint.address == "127.0.0.1"


def test_legacy_probe_can_be_turned_off(lab: Lab) -> None:
    protocol = by_check(run(lab, "legacy", legacy_tls_probe=False))[CheckId.TLS_PROTOCOL]
    assert protocol.status is Status.PASS
    assert "not probed" in protocol.message


def test_settings_are_replaceable_without_side_effects(lab: Lab) -> None:
    base = lab.settings()
    assert replace(base, timeout=2.0).timeout == 2.0


def test_the_legacy_probe_names_how_the_server_refused(lab: Lab) -> None:
    protocol = by_check(run(lab, "good"))[CheckId.TLS_PROTOCOL]
    assert protocol.details["legacy_probe"].startswith("refused: ")
    assert protocol.details["negotiated"] in ("TLSv1.2", "TLSv1.3")


def test_addresses_of_a_connect_to_name_are_alternatives(lab: Lab) -> None:
    from domaincheck.checks._net import Endpoint
    from domaincheck.checks.tls import Failure, Handshake, evaluate

    good = run(lab, "good")
    handshake = next(p for p in good.handshakes if isinstance(p, Handshake))
    primary = Endpoint("127.0.0.1", 8443, "--connect-to", alternative=True)
    dead = Endpoint("::1", 8443, "--connect-to", alternative=True)
    probes = (
        Failure(dead, Status.ERROR, "refused", "connection refused"),
        replace(handshake, endpoint=primary),
    )
    outcome = evaluate(host("good"), 443, probes, None, lab.settings())
    assert outcome.results[0].status is Status.PASS
    assert outcome.endpoint == primary

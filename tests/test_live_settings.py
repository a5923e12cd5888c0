"""Parsing the live-check options: --resolver, --resolve, --connect-to, --ca-bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from domaincheck.checks.dns import resolving_router
from domaincheck.checks.settings import (
    ConnectToRule,
    NameServer,
    ResolveRule,
    build_settings,
    parse_connect_to,
    parse_resolve,
    parse_resolver,
)
from domaincheck.core.errors import InputFileError, UsageError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("223.5.5.5", NameServer("223.5.5.5", 53)),
        ("127.0.0.1:5353", NameServer("127.0.0.1", 5353)),
        ("::1", NameServer("::1", 53)),
        ("[::1]:5353", NameServer("::1", 5353)),
    ],
)
def test_resolver(text: str, expected: NameServer) -> None:
    assert parse_resolver(text) == expected


@pytest.mark.parametrize("text", ["dns.google", "1.2.3.4:0", "1.2.3.4:x", "[::1]:99999"])
def test_bad_resolver(text: str) -> None:
    with pytest.raises(UsageError, match="--resolver"):
        parse_resolver(text)


def test_resolve_rules() -> None:
    assert parse_resolve("A1.easemob.com:443:127.0.0.1") == ResolveRule(
        "a1.easemob.com", 443, ("127.0.0.1",)
    )
    assert parse_resolve("h:443:[::1],127.0.0.2") == ResolveRule("h", 443, ("::1", "127.0.0.2"))
    rule = parse_resolve("*:443:127.0.0.1")
    assert rule.matches("anything.example", 443) and not rule.matches("x", 80)


@pytest.mark.parametrize("text", ["h:443", "h:443:notanip", ":443:1.2.3.4", "h:port:1.2.3.4"])
def test_bad_resolve(text: str) -> None:
    with pytest.raises(UsageError, match="--resolve"):
        parse_resolve(text)


def test_connect_to_rules() -> None:
    assert parse_connect_to("a1.easemob.com:443:127.0.0.1:8443") == ConnectToRule(
        "a1.easemob.com", 443, "127.0.0.1", 8443
    )
    assert parse_connect_to("::[::1]:8443") == ConnectToRule(None, None, "::1", 8443)
    keep_host = parse_connect_to("h:443::9443")
    assert keep_host == ConnectToRule("h", 443, None, 9443)
    assert keep_host.matches("H", 443) and not keep_host.matches("h", 80)


@pytest.mark.parametrize("text", ["h:443:x", "h:443:x:notaport", "h:0:x:1"])
def test_bad_connect_to(text: str) -> None:
    with pytest.raises(UsageError, match="--connect-to"):
        parse_connect_to(text)


def test_build_settings_and_bad_values(tmp_path: Path) -> None:
    settings = build_settings(
        resolvers=["127.0.0.1:53"],
        connect_to=["h:443:127.0.0.1:1", ":443::8443"],
        resolve=["k:8443:127.0.0.1"],
    )
    router = resolving_router(settings)
    assert router.reachable_without_dns("h", 443)
    assert not router.reachable_without_dns("h", 80)
    # Only the port changes: the host's own addresses (DNS) are still needed ...
    assert not router.reachable_without_dns("j", 443)
    # ... unless --resolve gives them for the new port.
    assert router.reachable_without_dns("k", 443)
    assert "certifi" in settings.trust.label
    for endless in (0, -1, float("nan"), float("inf")):  # nan and inf would never time out
        with pytest.raises(UsageError, match="--timeout"):
            build_settings(timeout=endless)
    with pytest.raises(UsageError, match="--concurrency"):
        build_settings(concurrency=0)
    with pytest.raises(InputFileError, match="CA bundle"):
        build_settings(ca_bundle=tmp_path / "missing.pem")
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    with pytest.raises(InputFileError, match="CA bundle"):
        build_settings(ca_bundle=junk)

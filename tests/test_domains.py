"""Entries and URLs taken apart: scheme, host, port, path, and what kind of host it is."""

from __future__ import annotations

import pytest

from domaincheck.core.domains import HostKind, hostname_problem, is_subdomain_or_same, parse_entry


@pytest.mark.parametrize(
    ("text", "scheme", "host", "port", "path"),
    [
        ("https://a1.easemob.com", "https", "a1.easemob.com", None, ""),
        ("  HTTPS://A1.EaseMob.COM.  ", "https", "a1.easemob.com", None, ""),
        (
            "wss://im-api-alipay.easemob.com/websocket",
            "wss",
            "im-api-alipay.easemob.com",
            None,
            "/websocket",
        ),
        ("https://api.myapp.com:8443/v1?x=1#f", "https", "api.myapp.com", 8443, "/v1?x=1#f"),
        ("https://a1.easemob.com:443", "https", "a1.easemob.com", 443, ""),
        ("a1.easemob.com", None, "a1.easemob.com", None, ""),
        ("a1.easemob.com:8080", None, "a1.easemob.com", 8080, ""),
        ("//cdn.example.com/x", None, "cdn.example.com", None, "/x"),
    ],
)
def test_parse_entry_splits_the_parts(
    text: str, scheme: str | None, host: str, port: int | None, path: str
) -> None:
    parsed = parse_entry(text)
    assert (parsed.scheme, parsed.host, parsed.port, parsed.path) == (scheme, host, port, path)
    assert parsed.kind is HostKind.NAME
    assert parsed.is_name
    assert parsed.original == text


def test_unicode_names_become_a_labels() -> None:
    parsed = parse_entry("https://例子.测试")
    assert parsed.host == "xn--fsqu00a.xn--0zwm56d"
    assert parsed.is_name
    # Full-width and ideographic full stops, as pasted from Chinese text, are dots.
    assert parse_entry("例子。测试").host == "xn--fsqu00a.xn--0zwm56d"
    assert parse_entry("Bücher.example").host == "xn--bcher-kva.example"


def test_a_labels_are_checked() -> None:
    assert parse_entry("xn--bcher-kva.example").is_name
    bad = parse_entry("xn--zz.example")
    assert bad.kind is HostKind.INVALID
    assert "IDNA" in bad.problems[0]


@pytest.mark.parametrize(
    ("text", "kind", "host"),
    [
        ("https://1.2.3.4", HostKind.IPV4, "1.2.3.4"),
        ("https://10.0.0.8:8080/x", HostKind.IPV4, "10.0.0.8"),
        ("https://[2001:db8::1]:8443", HostKind.IPV6, "2001:db8::1"),
        ("2001:db8::1", HostKind.IPV6, "2001:db8::1"),
        ("[2001:DB8:0:0::1]", HostKind.IPV6, "2001:db8::1"),
        ("https://127.0.0.1", HostKind.LOCALHOST, "127.0.0.1"),
        ("wss://[::1]:9000", HostKind.LOCALHOST, "::1"),
        ("http://localhost:3000", HostKind.LOCALHOST, "localhost"),
        ("api.localhost", HostKind.LOCALHOST, "api.localhost"),
        ("*.easemob.com", HostKind.WILDCARD, "*.easemob.com"),
        ("https://*.Example.com", HostKind.WILDCARD, "*.example.com"),
    ],
)
def test_host_kinds(text: str, kind: HostKind, host: str) -> None:
    parsed = parse_entry(text)
    assert parsed.kind is kind
    assert parsed.host == host
    assert not parsed.is_name


def test_wildcard_base() -> None:
    assert parse_entry("*.easemob.com").wildcard_base == "easemob.com"
    assert parse_entry("a1.easemob.com").wildcard_base is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "no host"),
        ("https://", "no host"),
        ("a_b.example.com", "'_'"),
        ("-a.example.com", "hyphen"),
        ("a-.example.com", "hyphen"),
        ("a..example.com", "empty label"),
        ("intranet", "single label"),
        ("1.2.3", "all-digit"),
        ("x" * 64 + ".com", "at most 63"),
        (("a" * 60 + ".") * 5 + "com", "at most 253"),
        ("[example.com]", "not an IPv6"),
        ("exa mple.com", "' '"),
    ],
)
def test_invalid_hosts_say_why(text: str, fragment: str) -> None:
    parsed = parse_entry(text)
    assert parsed.kind is HostKind.INVALID
    assert fragment in parsed.problems[0]


@pytest.mark.parametrize(
    "text", ["https://a.com:0", "https://a.com:65536", "https://a.com:x", "a.com:"]
)
def test_bad_ports_are_problems(text: str) -> None:
    parsed = parse_entry(text)
    assert parsed.kind is HostKind.NAME
    assert parsed.port is None
    assert parsed.problems and "port" in parsed.problems[0]
    assert not parsed.is_name


def test_userinfo_is_a_problem() -> None:
    parsed = parse_entry("https://user:pw@a.example.com")
    assert parsed.host == "a.example.com"
    assert any("user information" in p for p in parsed.problems)


def test_origin_and_path() -> None:
    parsed = parse_entry("HTTPS://API.myapp.com:8443/v1")
    assert parsed.origin() == "https://api.myapp.com:8443"
    assert parsed.origin(keep_port=False) == "https://api.myapp.com"
    assert parsed.origin("wss") == "wss://api.myapp.com:8443"
    assert parse_entry("a.com").origin() == "a.com"
    assert parse_entry("https://[2001:db8::1]:1").origin() == "https://[2001:db8::1]:1"
    assert parsed.has_path
    assert not parse_entry("https://a.com/").has_path


def test_hostname_problem_accepts_good_names() -> None:
    for name in (
        "a1.easemob.com",
        "xn--bcher-kva.example",
        "a" * 63 + ".com",
        "1a.com",
        "localhost",
    ):
        assert hostname_problem(name) is None


def test_is_subdomain_or_same() -> None:
    assert is_subdomain_or_same("a1.easemob.com", "easemob.com")
    assert is_subdomain_or_same("easemob.com", "easemob.com")
    assert not is_subdomain_or_same("noteasemob.com", "easemob.com")

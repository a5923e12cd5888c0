"""Registrable domains from the bundled Public Suffix List, against the list's own test cases."""

from __future__ import annotations

import os
import re

import pytest

from domaincheck.core import psl
from domaincheck.core.psl import PublicSuffixList, PublicSuffixListError


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("easemob.com", "easemob.com"),
        ("a1.easemob.com", "easemob.com"),
        ("im-api-alipay.easecdn.com", "easecdn.com"),
        ("chat.agora.io", "agora.io"),
        ("rs.chat.agora.io", "agora.io"),
        ("www.example.co.uk", "example.co.uk"),
        ("co.uk", None),
        ("com", None),
        ("a.b.example.com.cn", "example.com.cn"),
        # *.ck is a wildcard rule and !www.ck an exception to it.
        ("foo.ck", None),
        ("bar.foo.ck", "bar.foo.ck"),
        ("www.ck", "www.ck"),
        ("a.www.ck", "www.ck"),
        # *.kawasaki.jp with the exception !city.kawasaki.jp
        ("x.kawasaki.jp", None),
        ("city.kawasaki.jp", "city.kawasaki.jp"),
        # Private section: github.io is a suffix.
        ("me.github.io", "me.github.io"),
        # Unlisted TLD: the implicit "*" rule.
        ("b.example.example", "example.example"),
        # IDN rules are written in Unicode; A-label hosts still match them.
        ("shop.xn--55qx5d.cn", "shop.xn--55qx5d.cn"),
        ("Shop.公司.cn", "shop.公司.cn"),
        ("A1.EASEMOB.COM.", "easemob.com"),
        (".easemob.com", None),
    ],
)
def test_registrable_domain(host: str, expected: str | None) -> None:
    assert psl.registrable_domain(host) == expected


def test_icann_only_view() -> None:
    assert psl.registrable_domain("me.github.io", include_private=False) == "github.io"
    assert psl.registrable_domain("a1.easemob.com", include_private=False) == "easemob.com"


def test_public_suffix() -> None:
    assert psl.public_suffix("a.b.example.co.uk") == "co.uk"
    assert psl.public_suffix("a.www.ck") == "ck"
    assert psl.public_suffix("x.y.foo.ck") == "foo.ck"


def _bundled_test_cases() -> list[tuple[str, str | None]]:
    path = os.path.join(os.path.dirname(psl.bundled_list_path()), "test_psl.txt")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    cases = []
    for match in re.finditer(r"^checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);", text, re.M):
        host, expected = (None if g == "null" else g.strip("'") for g in match.groups())
        if host is not None:
            cases.append((host, expected))
    return cases


def test_the_lists_own_test_cases() -> None:
    """publicsuffix.org's checkPublicSuffix cases, shipped with the package next to the list."""
    cases = _bundled_test_cases()
    assert len(cases) > 50
    wrong = [(h, e, psl.registrable_domain(h)) for h, e in cases if psl.registrable_domain(h) != e]
    assert wrong == []


def test_agrees_with_the_publicsuffixlist_parser() -> None:
    """For a sample of every rule of the list, the line search gives what the package's parser gives."""
    from publicsuffixlist import PublicSuffixList as Reference

    reference = Reference()
    with open(psl.bundled_list_path(), encoding="utf-8") as handle:
        rules = [line.strip() for line in handle if line.strip() and not line.startswith("//")]
    assert len(rules) > 5000
    for rule in rules[::37]:
        base = rule.lstrip("!").replace("*", "wild")
        for host in (base, f"x.{base}", f"y.x.{base}"):
            assert psl.registrable_domain(host) == reference.privatesuffix(host), host


def test_version_and_missing_file(tmp_path: os.PathLike[str]) -> None:
    assert psl.bundled().version != "unknown"
    with pytest.raises(PublicSuffixListError, match="cannot read"):
        PublicSuffixList.from_file(os.path.join(tmp_path, "missing.dat"))


def test_a_list_from_text() -> None:
    own = PublicSuffixList(
        "// ===BEGIN ICANN DOMAINS===\ncom\n*.ck\n!www.ck\n// ===END ICANN DOMAINS===\nexample.com\n"
    )
    assert own.registrable_domain("a.b.example.com") == "b.example.com"
    assert own.registrable_domain("www.ck") == "www.ck"
    assert own.is_public_suffix("example.com")
    icann = PublicSuffixList(
        "com\n// ===END ICANN DOMAINS===\nexample.com\n", include_private=False
    )
    assert icann.registrable_domain("a.b.example.com") == "example.com"

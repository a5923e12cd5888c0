"""`dns.consistency`: what several resolvers' answers for one host mean for a phone.

Different public addresses from different resolvers are a CDN's geo DNS at work (info). Trouble is
named with the resolver: one says NXDOMAIN while another answers (a phone using it cannot reach the
host: fail); one answers a private, reserved or known-bogus address while another gives public ones
(a hijacking or polluted resolver: fail); one fails (SERVFAIL, REFUSED, no answer) while another
answers (warn: phones using it are stuck until it recovers).

The known-bogus addresses are the fixed answers of the DNS poisoning seen in China, as listed by
ChinaDNS (shadowsocks/ChinaDNS, iplist.txt) and OONI's fingerprints, the ones every list agrees on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, Status

if TYPE_CHECKING:
    from domaincheck.checks.dns import ResolverAnswer

KNOWN_BOGUS: frozenset[str] = frozenset(
    {
        "8.7.198.45",
        "37.61.54.158",
        "46.82.174.68",
        "59.24.3.173",
        "78.16.49.15",
        "93.46.8.89",
        "159.106.121.75",
        "203.98.7.65",
        "243.185.187.39",
    }
)

_FAILED = {"nxdomain", "servfail", "refused", "timeout", "bad-reply", "unreachable", "error"}


def compare(
    host: str, answers: Sequence[ResolverAnswer], private: Callable[[str], bool]
) -> CheckResult | None:
    """The `dns.consistency` result for several resolvers' answers (None for one resolver).

    `private` says whether an address is in a private or reserved range the run does not accept
    (`--allow-private-dns` accepts them for a lab).
    """
    if len(answers) < 2:
        return None

    def bad(address: str) -> str | None:
        if address in KNOWN_BOGUS:
            return "a known-bogus address of DNS poisoning"
        if address in ("0.0.0.0", "::") or private(address):
            return "a private or reserved address"
        return None

    answered = [a for a in answers if a.addresses]
    clean = [a for a in answered if not any(bad(x) for x in a.addresses)]
    sets = {a.resolver: sorted(a.addresses) for a in answered}
    details: dict[str, Any] = {
        "addresses": sets,
        "cname_chains": {a.resolver: list(a.cname_chain) for a in answered},
    }
    problems: list[tuple[Status, str]] = []
    if clean:
        good = ", ".join(a.resolver for a in clean)
        for answer in answered:
            if answer in clean:
                continue
            wrong = sorted({x for x in answer.addresses if bad(x)})
            why = bad(wrong[0]) or ""
            problems.append(
                (
                    Status.FAIL,
                    f"{answer.resolver} answers {', '.join(wrong)} ({why}) while {good} give "
                    "public addresses: that resolver is hijacked or polluted",
                )
            )
    if answered:
        good = ", ".join(a.resolver for a in answered)
        for answer in answers:
            if answer.addresses:
                continue
            outcomes = {answer.a.outcome.value, answer.aaaa.outcome.value}
            if "nxdomain" in outcomes:
                problems.append(
                    (
                        Status.FAIL,
                        f"{answer.resolver} says NXDOMAIN while {good} answer: phones asking it "
                        "cannot reach the host",
                    )
                )
            elif outcomes & _FAILED:
                said = "no usable answer"
                if "timeout" in outcomes:
                    said = "no answer in time"
                for rcode in ("servfail", "refused"):
                    if rcode in outcomes:
                        said = rcode.upper()
                problems.append(
                    (
                        Status.WARN,
                        f"{answer.resolver} gives {said} while {good} answer: phones asking it "
                        "wait or fail",
                    )
                )
    if problems:
        status = Status.FAIL if any(s is Status.FAIL for s, _ in problems) else Status.WARN
        details["problems"] = [message for _, message in problems]
        return CheckResult(
            host,
            CheckId.DNS_CONSISTENCY,
            status,
            "; ".join(message for _, message in problems),
            details,
            "compare the records at the domain's DNS provider; a resolver that answers another "
            "name's or a private address is not one a phone should use",
        )
    if len(answered) < 2:
        return CheckResult(
            host,
            CheckId.DNS_CONSISTENCY,
            Status.SKIP,
            "fewer than two resolvers gave addresses; nothing to compare",
        )
    if len({tuple(s) for s in sets.values()}) == 1:
        return CheckResult(
            host,
            CheckId.DNS_CONSISTENCY,
            Status.PASS,
            f"all {len(answered)} resolvers give the same addresses",
            details,
        )
    shown = "; ".join(f"{r}: {', '.join(s)}" for r, s in sets.items())
    return CheckResult(
        host,
        CheckId.DNS_CONSISTENCY,
        Status.INFO,
        f"resolvers give different public addresses ({shown}); normal for a CDN with geo DNS",
        details,
    )

"""The DNS check: A and AAAA records and the CNAME chain of a host, at each resolver.

Uses dnspython's asyncio resolver, pointed at the `--resolver`s or, by default, at the system's
(/etc/resolv.conf). NXDOMAIN, NODATA, SERVFAIL, a refusal, a timeout and an unreachable resolver are
told apart. With several resolvers, differing answer sets are reported (users in China compare
223.5.5.5 or 119.29.29.29 with resolvers abroad). The addresses found feed the later probes.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import dns.asyncresolver
import dns.exception
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver

from domaincheck.checks.settings import LiveSettings, NameServer
from domaincheck.model import CheckResult, Status

CHECK_DNS = "dns"
CHECK_DNS_CONSISTENCY = "dns.consistency"


class Answer(StrEnum):
    """How one query (A or AAAA at one resolver) ended."""

    ADDRESSES = "addresses"
    NODATA = "nodata"  # the name exists but has no record of this type
    NXDOMAIN = "nxdomain"  # the name does not exist
    SERVFAIL = "servfail"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"  # the resolver could not be reached (network down, no route)
    NO_RESOLVER = "no-resolver"  # no system resolver configured
    ERROR = "error"


@dataclass(frozen=True)
class RecordAnswer:
    """The answer to one query: outcome, addresses, the CNAME chain followed, and why if it failed."""

    rdtype: str
    outcome: Answer
    addresses: tuple[str, ...] = ()
    cname_chain: tuple[str, ...] = ()  # names after the queried one, in order
    reason: str = ""
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class ResolverAnswer:
    """A and AAAA of one host at one resolver."""

    resolver: str
    a: RecordAnswer
    aaaa: RecordAnswer

    @property
    def addresses(self) -> tuple[str, ...]:
        return self.a.addresses + self.aaaa.addresses

    @property
    def cname_chain(self) -> tuple[str, ...]:
        return self.a.cname_chain or self.aaaa.cname_chain

    def details(self) -> dict[str, Any]:
        return {
            "resolver": self.resolver,
            "a": list(self.a.addresses),
            "aaaa": list(self.aaaa.addresses),
            "cname_chain": list(self.cname_chain),
            "a_outcome": self.a.outcome.value,
            "aaaa_outcome": self.aaaa.outcome.value,
            "reasons": [r for r in (self.a.reason, self.aaaa.reason) if r],
            "elapsed_ms": round(max(self.a.elapsed_ms, self.aaaa.elapsed_ms), 1),
        }


@dataclass(frozen=True)
class DnsOutcome:
    """What the DNS check found for a host: its results and the addresses the probes may use."""

    host: str
    answers: tuple[ResolverAnswer, ...]
    results: tuple[CheckResult, ...]
    addresses: tuple[str, ...] = field(default=())

    @property
    def failure(self) -> str | None:
        """Why the probes cannot use DNS (None when addresses were found)."""
        if self.addresses:
            return None
        return self.results[0].message if self.results else "no DNS answer"


def _classify(exc: BaseException, timeout: float) -> tuple[Answer, str]:
    """The one place where resolver exceptions become outcomes."""
    if isinstance(exc, dns.resolver.NXDOMAIN):
        return Answer.NXDOMAIN, "NXDOMAIN"
    if isinstance(exc, dns.resolver.NoAnswer):
        return Answer.NODATA, "NODATA"
    if isinstance(exc, dns.resolver.NoResolverConfiguration):
        return Answer.NO_RESOLVER, "no system resolver configured (/etc/resolv.conf)"
    if isinstance(exc, dns.resolver.NoNameservers):
        errors = exc.kwargs.get("errors") or []
        rcodes = [e[3] for e in errors if isinstance(e[3], str)]
        if "SERVFAIL" in rcodes:
            return Answer.SERVFAIL, "SERVFAIL"
        if "REFUSED" in rcodes:
            return Answer.REFUSED, "REFUSED"
        if rcodes:
            return Answer.ERROR, f"answered {rcodes[0]}"
        oserrors = [e[3] for e in errors if isinstance(e[3], OSError)]
        if oserrors:
            return Answer.UNREACHABLE, oserrors[0].strerror or str(oserrors[0])
        return Answer.ERROR, str(exc)
    if isinstance(exc, dns.exception.Timeout | TimeoutError):
        return Answer.TIMEOUT, f"no answer within {timeout:g} s"
    if isinstance(exc, OSError):
        return Answer.UNREACHABLE, exc.strerror or str(exc)
    if isinstance(exc, dns.exception.DNSException):
        return Answer.ERROR, f"{type(exc).__name__}: {exc}"
    return Answer.ERROR, f"unexpected {type(exc).__name__}: {exc}"


def _cname_chain(response_answer: dns.resolver.Answer) -> tuple[str, ...]:
    return tuple(
        rrset[0].target.to_text(omit_final_dot=True)
        for rrset in response_answer.chaining_result.cnames
    )


class DnsChecker:
    """Resolves hosts at every configured resolver; one instance per run (it builds the resolvers once)."""

    def __init__(self, settings: LiveSettings) -> None:
        self.settings = settings
        self._resolvers: list[tuple[str, dns.asyncresolver.Resolver | BaseException]] | None = None

    def _build(self) -> list[tuple[str, dns.asyncresolver.Resolver | BaseException]]:
        if self._resolvers is not None:
            return self._resolvers
        built: list[tuple[str, dns.asyncresolver.Resolver | BaseException]] = []
        specs: tuple[NameServer | None, ...] = self.settings.resolvers or (None,)
        for spec in specs:
            try:
                if spec is None:
                    resolver = dns.asyncresolver.Resolver()
                    label = "system (" + ", ".join(str(n) for n in resolver.nameservers) + ")"
                else:
                    resolver = dns.asyncresolver.Resolver(configure=False)
                    resolver.nameservers = [spec.address]
                    resolver.port = spec.port
                    label = spec.label
                resolver.lifetime = self.settings.timeout
                resolver.timeout = max(self.settings.timeout / 2, 0.2)
                resolver.cache = None
                built.append((label, resolver))
            except Exception as exc:  # no resolv.conf, unreadable file: becomes a result below
                built.append(("system" if spec is None else spec.label, exc))
        self._resolvers = built
        return built

    async def _query(
        self, resolver: dns.asyncresolver.Resolver | BaseException, host: str, rdtype: str
    ) -> RecordAnswer:
        started = time.perf_counter()
        try:
            if isinstance(resolver, BaseException):
                raise resolver
            async with asyncio.timeout(self.settings.timeout + 0.5):
                answer = await resolver.resolve(
                    dns.name.from_text(host), rdtype, raise_on_no_answer=False, search=False
                )
        except Exception as exc:
            outcome, reason = _classify(exc, self.settings.timeout)
            chain: tuple[str, ...] = ()
            if isinstance(exc, dns.resolver.NXDOMAIN):
                try:
                    canonical = exc.canonical_name.to_text(omit_final_dot=True)
                except Exception:  # no chain recorded
                    canonical = host
                chain = () if canonical.lower() == host.lower() else (canonical,)
            return RecordAnswer(
                rdtype, outcome, (), chain, reason, (time.perf_counter() - started) * 1000
            )
        elapsed = (time.perf_counter() - started) * 1000
        chain = _cname_chain(answer)
        if answer.rrset is None:
            return RecordAnswer(rdtype, Answer.NODATA, (), chain, "NODATA", elapsed)
        addresses = tuple(sorted({rdata.address for rdata in answer.rrset}))
        return RecordAnswer(rdtype, Answer.ADDRESSES, addresses, chain, "", elapsed)

    async def check(self, host: str) -> DnsOutcome:
        """Asks every resolver for A and AAAA of `host`, concurrently; never raises."""
        resolvers = self._build()

        async def one(label: str, resolver: Any) -> ResolverAnswer:
            a, aaaa = await asyncio.gather(
                self._query(resolver, host, "A"), self._query(resolver, host, "AAAA")
            )
            return ResolverAnswer(label, a, aaaa)

        answers = tuple(await asyncio.gather(*(one(label, r) for label, r in resolvers)))
        return evaluate(host, answers, self.settings)


def _verdict(host: str, answer: ResolverAnswer, timeout: float) -> tuple[Status, str]:
    a, aaaa = answer.a, answer.aaaa
    at = f" at {answer.resolver}"
    chain = answer.cname_chain
    via = f" via CNAME {' -> '.join(chain)}" if chain else ""
    if answer.addresses:
        parts = []
        if a.addresses:
            parts.append("A " + ", ".join(a.addresses))
        if aaaa.addresses:
            parts.append("AAAA " + ", ".join(aaaa.addresses))
        elif aaaa.outcome is Answer.NODATA:
            parts.append("no AAAA")
        return Status.PASS, f"{host} resolves: {'; '.join(parts)}{via}"
    outcomes = {a.outcome, aaaa.outcome}
    if Answer.NXDOMAIN in outcomes:
        target = f" (the CNAME target {chain[-1]} does not exist)" if chain else ""
        return Status.FAIL, f"{host} does not exist (NXDOMAIN){at}{target}"
    if outcomes == {Answer.NODATA}:
        return Status.FAIL, f"{host} has no A or AAAA record (NODATA){at}{via}"
    if Answer.SERVFAIL in outcomes:
        return (
            Status.FAIL,
            f"resolver {answer.resolver} answered SERVFAIL for {host} "
            "(broken delegation or DNSSEC on the domain, or a failing resolver)",
        )
    failing = a if a.outcome is not Answer.NODATA else aaaa
    if failing.outcome is Answer.TIMEOUT:
        return Status.ERROR, f"no DNS answer for {host} from {answer.resolver} within {timeout:g} s"
    if failing.outcome is Answer.UNREACHABLE:
        return Status.ERROR, f"cannot reach resolver {answer.resolver}: {failing.reason}"
    if failing.outcome is Answer.REFUSED:
        return Status.ERROR, f"resolver {answer.resolver} refused to answer for {host} (REFUSED)"
    if failing.outcome is Answer.NO_RESOLVER:
        return Status.ERROR, f"{failing.reason}; give a resolver with --resolver IP"
    return Status.ERROR, f"DNS lookup of {host}{at} failed: {failing.reason}"


_SEVERITY = {Status.FAIL: 3, Status.ERROR: 2, Status.WARN: 1, Status.INFO: 0, Status.PASS: 0}


def evaluate(host: str, answers: tuple[ResolverAnswer, ...], settings: LiveSettings) -> DnsOutcome:
    """Turns the per-resolver answers into the `dns` (and `dns.consistency`) results."""
    verdicts = [_verdict(host, answer, settings.timeout) for answer in answers]
    worst = max(range(len(answers)), key=lambda i: _SEVERITY[verdicts[i][0]])
    status, message = verdicts[worst]
    if len(answers) > 1:
        if status is Status.PASS:
            message = f"{message} (at {answers[worst].resolver}; {len(answers)} resolvers answer)"
        elif any(v[0] is Status.PASS for v in verdicts):
            ok = ", ".join(
                a.resolver for a, v in zip(answers, verdicts, strict=True) if v[0] is Status.PASS
            )
            message = f"{message}; resolves at {ok}"
    details = {
        "resolvers": [answer.details() for answer in answers],
    }
    fix = None
    if status is Status.FAIL:
        fix = "fix the DNS records of the domain, or correct the host name"
    results = [CheckResult(host, CHECK_DNS, status, message, details, fix)]

    addresses: dict[str, None] = {}
    for answer in answers:
        for address in answer.addresses:
            addresses.setdefault(address, None)

    answered = [a for a in answers if a.addresses]
    if len(answers) > 1:
        if len(answered) < 2:
            results.append(
                CheckResult(
                    host,
                    CHECK_DNS_CONSISTENCY,
                    Status.SKIP,
                    "fewer than two resolvers gave addresses; nothing to compare",
                )
            )
        else:
            sets = {a.resolver: sorted(a.addresses) for a in answered}
            chains = {a.resolver: list(a.cname_chain) for a in answered}
            same = len({tuple(s) for s in sets.values()}) == 1
            compare = {"addresses": sets, "cname_chains": chains}
            if same:
                results.append(
                    CheckResult(
                        host,
                        CHECK_DNS_CONSISTENCY,
                        Status.PASS,
                        f"all {len(answered)} resolvers give the same addresses",
                        compare,
                    )
                )
            else:
                shown = "; ".join(f"{r}: {', '.join(s)}" for r, s in sets.items())
                results.append(
                    CheckResult(
                        host,
                        CHECK_DNS_CONSISTENCY,
                        Status.INFO,
                        f"resolvers give different addresses ({shown}); normal for a CDN with "
                        "geo DNS, otherwise check for stale or hijacked records",
                        compare,
                    )
                )
    return DnsOutcome(host, answers, tuple(results), tuple(addresses))

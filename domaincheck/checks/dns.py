"""The DNS check: A and AAAA records and the CNAME chain of a host, at each resolver.

Uses dnspython (messages, CNAME chaining, the system's /etc/resolv.conf) over asyncio, one UDP
socket per resolver for the whole run, pointed at the `--resolver`s or, by default, the system's. NXDOMAIN, NODATA, SERVFAIL, a refusal, a timeout and an unreachable resolver are
told apart. With several resolvers, differing answer sets are reported (users in China compare
223.5.5.5 or 119.29.29.29 with resolvers abroad). The addresses found feed the later probes.

Over 600 lines on purpose: the query (UDP with the TCP retry on truncation, per resolver), the
CNAME chain and the judging of one host's answers read as one flow; the comparison across
resolvers (`dns_compare`) and the encrypted transports (`dns_encrypted`) already live apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Union, cast

import dns.asyncquery
import dns.entropy
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver

from domaincheck.checks._net import NameNotResolved
from domaincheck.checks.dns_compare import compare
from domaincheck.checks.dns_encrypted import (
    EncryptedNameServer,
    ResolverHttpError,
    ResolverTransportError,
)
from domaincheck.checks.router import Router
from domaincheck.checks.settings import DnsTransport, LiveSettings
from domaincheck.core.addresses import reserved_range
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, Status


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
    BAD_REPLY = "bad-reply"  # the resolver answered, but not with a usable DNS answer
    CNAME_LOOP = "cname-loop"  # the CNAME chain comes back to a name it passed
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


class ResolverAnswered(Exception):
    """A resolver answered with an error rcode (SERVFAIL, REFUSED, ...) where another may do better."""

    def __init__(self, rcode: str) -> None:
        super().__init__(rcode)
        self.rcode = rcode


class BadReply(Exception):
    """The resolver sent something that is not a usable answer to the question (the reason says what)."""


class TcpRetryFailed(Exception):
    """The UDP answer was truncated (TC) and asking again over TCP failed; `cause` says how."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = cause


class NoAnswer(TimeoutError):
    """No answer in time, while the resolver sent `noise` datagrams that are not DNS messages."""

    def __init__(self, noise: int) -> None:
        super().__init__(f"{noise} replies that are not DNS messages")
        self.noise = noise


class CnameLoop(Exception):
    """The CNAME chain of the answer comes back to a name it passed (or never ends)."""


def _classify(exc: BaseException, timeout: float) -> tuple[Answer, str]:
    """The one place where the DNS check turns exceptions into outcomes."""
    if isinstance(exc, ResolverAnswered):
        if exc.rcode == "SERVFAIL":
            return Answer.SERVFAIL, "SERVFAIL"
        if exc.rcode == "REFUSED":
            return Answer.REFUSED, "REFUSED"
        return Answer.ERROR, f"answered {exc.rcode}"
    if isinstance(exc, TcpRetryFailed):
        _, why = _classify(exc.cause, timeout)
        return (
            Answer.BAD_REPLY,
            f"the UDP answer was truncated (TC) and the TCP retry failed: {why}",
        )
    if isinstance(exc, BadReply | ResolverHttpError):
        return Answer.BAD_REPLY, str(exc)
    if isinstance(exc, ResolverTransportError):  # DoH or DoT: read as every connection is
        if exc.failure.kind == "timeout":
            return Answer.TIMEOUT, exc.failure.reason
        return Answer.UNREACHABLE, exc.failure.reason
    if isinstance(exc, CnameLoop):
        return Answer.CNAME_LOOP, str(exc)
    if isinstance(exc, dns.resolver.NoResolverConfiguration):
        return Answer.NO_RESOLVER, "no system resolver configured (/etc/resolv.conf)"
    if isinstance(exc, NoAnswer):
        replies = (
            "a reply that is not a DNS message"
            if exc.noise == 1
            else f"{exc.noise} replies that are not DNS messages"
        )
        return (
            Answer.TIMEOUT,
            f"no answer within {timeout:g} s (meanwhile the resolver sent {replies})",
        )
    if isinstance(exc, dns.exception.Timeout | TimeoutError):
        return Answer.TIMEOUT, f"no answer within {timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return Answer.UNREACHABLE, "nothing answers DNS over UDP there (port unreachable)"
    if isinstance(exc, EOFError):
        return Answer.BAD_REPLY, "the resolver closed the connection without an answer"
    if isinstance(exc, OSError):
        return Answer.UNREACHABLE, exc.strerror or str(exc)
    if isinstance(exc, dns.exception.DNSException):
        return Answer.ERROR, f"{type(exc).__name__}: {exc}"
    return Answer.ERROR, f"unexpected {type(exc).__name__}: {exc}"


@dataclass
class _Pending:
    """A query waiting for its answer, and what arrived instead (said if no answer comes)."""

    query: dns.message.Message
    future: asyncio.Future[dns.message.Message]
    stray: str = ""  # a reply that was surely meant for this query but could not be used
    noise: int = 0  # replies that are not DNS messages, for this query or another one


class _Datagrams(asyncio.DatagramProtocol):
    """Hands each UDP answer to the query waiting for its id; ICMP errors fail every waiting query.

    A datagram that is no use is dropped (a spoofed or late reply must not end a query), but noted on
    the queries it may have been meant for, so a timeout can say what the resolver sent instead.
    """

    def __init__(self) -> None:
        self.waiting: dict[int, _Pending] = {}
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        try:
            message = dns.message.from_wire(data)
        except Exception as exc:  # garbage or a broken packet: not an answer we can use
            pending = self.waiting.get(int.from_bytes(data[:2], "big")) if len(data) >= 2 else None
            if pending is not None:  # its id says whose it is
                pending.stray = f"a broken reply ({type(exc).__name__}: {exc})"
            for waiting in self.waiting.values():
                waiting.noise += 1
            return
        pending = self.waiting.get(message.id)
        if pending is not None:
            if not pending.future.done():
                pending.future.set_result(message)
            return
        for waiting in self.waiting.values():  # an answer to a question we asked, with another id
            if message.question and message.question == waiting.query.question:
                waiting.stray = (
                    f"an answer with the wrong transaction id (0x{message.id:04x}, "
                    f"asked with 0x{waiting.query.id:04x})"
                )

    def error_received(self, exc: Exception) -> None:
        for pending in self.waiting.values():
            if not pending.future.done():
                pending.future.set_exception(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.error_received(exc or ConnectionAbortedError("socket closed"))


class _NameServer:
    """One resolver address, asked over one UDP socket for the whole run (TCP when truncated).

    dnspython's stub resolver opens a socket per query; at hundreds of hosts that was most of a
    run's CPU. This keeps dnspython's messages, parsing and CNAME chaining, and multiplexes the
    queries on one socket by id.
    """

    def __init__(self, address: str, port: int) -> None:
        self.address = address
        self.port = port
        self._protocol: _Datagrams | None = None
        self._opening: asyncio.Lock | None = None

    async def _socket(self) -> _Datagrams:
        if self._protocol is None:
            self._opening = self._opening or asyncio.Lock()
            async with self._opening:
                if self._protocol is None:
                    loop = asyncio.get_running_loop()
                    transport, protocol = await loop.create_datagram_endpoint(
                        _Datagrams, remote_addr=(self.address, self.port)
                    )
                    # Room for the answers of hundreds of queries in flight at once.
                    sock = transport.get_extra_info("socket")
                    with contextlib.suppress(OSError, AttributeError):
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
                    self._protocol = protocol
        return self._protocol

    async def ask(self, query: dns.message.Message, timeout: float) -> dns.message.Message:
        """Sends `query`, resends once after half the time, and returns the matching answer."""
        protocol = await self._socket()
        loop = asyncio.get_running_loop()
        while query.id in protocol.waiting:
            query.id = dns.entropy.random_16()
        future: asyncio.Future[dns.message.Message] = loop.create_future()
        pending = _Pending(query, future)
        protocol.waiting[query.id] = pending
        wire = query.to_wire()
        deadline = loop.time() + timeout
        try:
            for attempt in range(2):
                assert protocol.transport is not None
                protocol.transport.sendto(wire)
                wait = (deadline - loop.time()) / (2 - attempt)
                try:
                    response = await asyncio.wait_for(asyncio.shield(future), max(wait, 0.01))
                except TimeoutError:
                    if loop.time() >= deadline - 0.01:
                        if pending.stray:
                            raise BadReply(f"only {pending.stray} within {timeout:g} s") from None
                        if pending.noise:
                            raise NoAnswer(pending.noise) from None
                        raise
                    continue
                if not query.is_response(response):
                    asked = query.question[0] if query.question else "?"
                    got = response.question[0] if response.question else "no question"
                    raise BadReply(
                        f"the answer is about another name or type ({got}, asked {asked})"
                    )
                if response.flags & dns.flags.TC:
                    try:
                        return await dns.asyncquery.tcp(
                            query,
                            self.address,
                            timeout=max(deadline - loop.time(), 0.1),
                            port=self.port,
                        )
                    except Exception as exc:
                        raise TcpRetryFailed(exc) from exc
                return response
            raise TimeoutError
        finally:
            protocol.waiting.pop(query.id, None)
            if not future.done():
                future.cancel()

    def close(self) -> None:
        if self._protocol is not None and self._protocol.transport is not None:
            self._protocol.transport.close()


_Server = Union["_NameServer", EncryptedNameServer]


class DnsChecker:
    """Resolves hosts at every configured resolver; one instance per run (it opens the sockets once)."""

    def __init__(self, settings: LiveSettings, router: Router | None = None) -> None:
        self.settings = settings
        # Carries the DoH and DoT queries (the runner passes its own, shared by every check).
        self.router = router
        self._resolvers: list[tuple[str, list[_Server] | BaseException]] | None = None
        self._unreachable: dict[str, str] = {}  # resolvers left out by `preflight`, and why

    def _build(self) -> list[tuple[str, list[_Server] | BaseException]]:
        if self._resolvers is not None:
            return self._resolvers
        built: list[tuple[str, list[_Server] | BaseException]] = []
        for spec in self.settings.resolvers or (None,):
            if spec is not None and spec.transport is not DnsTransport.UDP:
                self.router = self.router or resolving_router(self.settings)
                built.append((spec.label, [EncryptedNameServer(spec, self.settings, self.router)]))
                continue
            if spec is not None:
                built.append((spec.label, [_NameServer(spec.address, spec.port)]))
                continue
            try:  # the system's resolvers, as dnspython reads /etc/resolv.conf
                system = dns.resolver.Resolver()
                addresses = [str(n) for n in system.nameservers]
                label = "system (" + ", ".join(addresses) + ")"
                built.append((label, [_NameServer(a, system.port) for a in addresses]))
            except Exception as exc:  # no resolv.conf, unreadable file: becomes a result below
                built.append(("system", exc))
        self._resolvers = built
        return built

    async def _ask(
        self, servers: list[_Server] | BaseException, host: str, rdtype: str
    ) -> dns.message.Message:
        """The first useful answer from the servers in order (the next one after an error)."""
        if isinstance(servers, BaseException):
            raise servers
        query = dns.message.make_query(dns.name.from_text(host), rdtype)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.timeout
        error: BaseException = TimeoutError()
        for index, server in enumerate(servers):
            left = deadline - loop.time()
            if left <= 0:
                break
            share = left / (len(servers) - index)
            try:
                response = await server.ask(query, share)
            except (
                TimeoutError,
                OSError,
                BadReply,
                TcpRetryFailed,
                ResolverTransportError,
                ResolverHttpError,
            ) as exc:
                error = exc
                continue
            rcode = response.rcode()
            if rcode in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                return response
            error = ResolverAnswered(dns.rcode.to_text(rcode))
        raise error

    async def _query(
        self, servers: list[_Server] | BaseException, host: str, rdtype: str
    ) -> RecordAnswer:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.settings.timeout + 0.5):
                response = await self._ask(servers, host, rdtype)
            assert isinstance(response, dns.message.QueryMessage)
            chaining = _resolve_chaining(response)
        except Exception as exc:
            outcome, reason = _classify(exc, self.settings.timeout)
            return RecordAnswer(
                rdtype, outcome, (), (), reason, (time.perf_counter() - started) * 1000
            )
        elapsed = (time.perf_counter() - started) * 1000
        chain = tuple(r[0].target.to_text(omit_final_dot=True) for r in chaining.cnames)
        if response.rcode() == dns.rcode.NXDOMAIN:
            return RecordAnswer(rdtype, Answer.NXDOMAIN, (), chain, "NXDOMAIN", elapsed)
        if chaining.answer is None:
            return RecordAnswer(rdtype, Answer.NODATA, (), chain, "NODATA", elapsed)
        addresses = tuple(sorted({rdata.address for rdata in chaining.answer}))
        return RecordAnswer(rdtype, Answer.ADDRESSES, addresses, chain, "", elapsed)

    async def check(self, host: str) -> DnsOutcome:
        """Asks every resolver for A and AAAA of `host`, concurrently; never raises."""
        resolvers = self._build()
        if not resolvers and self._unreachable:
            shown = "; ".join(f"{label}: {why}" for label, why in self._unreachable.items())
            skip = CheckResult(
                host, CheckId.DNS, Status.SKIP, f"skipped: no resolver can be reached ({shown})"
            )
            return DnsOutcome(host, (), (skip,))

        async def one(label: str, servers: list[_Server] | BaseException) -> ResolverAnswer:
            a, aaaa = await asyncio.gather(
                self._query(servers, host, "A"), self._query(servers, host, "AAAA")
            )
            return ResolverAnswer(label, a, aaaa)

        answers = tuple(await asyncio.gather(*(one(label, r) for label, r in resolvers)))
        return evaluate(host, answers, self.settings)

    async def addresses(self, host: str) -> tuple[str, ...]:
        """The addresses of `host` (for the router's own lookups); raises `NameNotResolved`."""
        outcome = await self.check(host)
        if not outcome.addresses:
            raise NameNotResolved(outcome.failure or f"no address for {host}")
        return outcome.addresses

    async def preflight(self, host: str) -> tuple[CheckResult, ...]:
        """Asks every resolver once (A of `host`) before the run.

        A resolver that cannot be reached at all is one `dns.resolver` error naming it and why, and
        is left out of the run, so the hosts do not each repeat it; when none is left, every
        host's `dns` result is a skip pointing at those errors.
        """
        resolvers = self._build()
        answers = await asyncio.gather(*(self._query(s, host, "A") for _, s in resolvers))
        results: list[CheckResult] = []
        alive: list[tuple[str, list[_Server] | BaseException]] = []
        for (label, servers), answer in zip(resolvers, answers, strict=True):
            if answer.outcome not in (Answer.UNREACHABLE, Answer.NO_RESOLVER):
                alive.append((label, servers))
                continue
            self._unreachable[label] = answer.reason
            results.append(
                CheckResult(
                    label,
                    CheckId.DNS_RESOLVER,
                    Status.ERROR,
                    f"cannot reach resolver {label}: {answer.reason}; no host is resolved there",
                    {"resolver": label, "reason": answer.reason},
                    "check the resolver's address, or whether this network lets DNS through "
                    "(UDP 53, TCP 853 for DoT, HTTPS for DoH)",
                )
            )
        self._resolvers = alive
        return tuple(results)

    def close(self) -> None:
        """Closes the resolver sockets (the runner calls it at the end of a run)."""
        for _, servers in self._resolvers or ():
            if isinstance(servers, list):
                for server in servers:
                    server.close()


def resolving_router(settings: LiveSettings) -> Router:
    """A router whose own lookups go to a `DnsChecker` on the same settings, closed with the router:
    for connections made outside a run (a run shares its own checker with its router)."""
    checker = DnsChecker(settings)
    return Router(settings, checker.addresses, checker.close)


def _resolve_chaining(response: dns.message.QueryMessage) -> dns.message.ChainingResult:
    """dnspython's CNAME chaining; a chain that loops raises `CnameLoop` naming the loop."""
    try:
        return response.resolve_chaining()
    except dns.message.ChainTooLong:
        pass
    name = response.question[0].name
    seen = [name]
    while True:
        try:
            cname = response.find_rrset(
                response.answer, name, dns.rdataclass.IN, dns.rdatatype.CNAME
            )
        except KeyError:
            break
        name = next(iter(cname)).target
        if name in seen:
            shown = " -> ".join(n.to_text(omit_final_dot=True) for n in [*seen, name])
            raise CnameLoop(f"CNAME loop: {shown}")
        seen.append(name)
    raise CnameLoop(f"CNAME chain longer than {dns.message.MAX_CHAIN} names")


def _unspecified(address: str) -> bool:
    """0.0.0.0 or ::, what blocking resolvers answer for a name they refuse."""
    return address in ("0.0.0.0", "::")


PRIVATE_ANSWER_FIX = (
    "ask a public resolver (--resolver 223.5.5.5 or 8.8.8.8), turn off the proxy's fake-IP mode, "
    "or, for a test lab or an intranet mirror on purpose, pass --allow-private-dns"
)


def _private(address: str, settings: LiveSettings) -> bool:
    """True for an address in a private or reserved range that the run does not accept."""
    return not settings.allow_private_dns and reserved_range(address) is not None


def _verdict(host: str, answer: ResolverAnswer, settings: LiveSettings) -> tuple[Status, str]:
    a, aaaa = answer.a, answer.aaaa
    at = f" at {answer.resolver}"
    chain = answer.cname_chain
    via = f" via CNAME {' -> '.join(chain)}" if chain else ""
    timeout = settings.timeout
    nowhere = [address for address in answer.addresses if _unspecified(address)]
    if nowhere:
        return (
            Status.FAIL,
            f"{host} resolves to {', '.join(nowhere)}{at}: an address nothing can connect to "
            "(the answer of a blocking resolver, or a polluted one)",
        )
    inside = [address for address in answer.addresses if _private(address, settings)]
    if inside:
        ranges: dict[str, str] = {}
        for address in inside:
            found = reserved_range(address)
            assert found is not None
            ranges.setdefault(found.network, found.meaning)
        shown = "; ".join(f"{network}: {meaning}" for network, meaning in ranges.items())
        return (
            Status.FAIL,
            f"{host} resolves to {', '.join(inside)}{at}, a private or reserved address ({shown}): "
            "a hijacking resolver, a proxy's fake IP or split-horizon DNS answered, and a phone "
            "would not reach it",
        )
    if answer.addresses:
        parts = []
        if a.addresses:
            parts.append("A " + ", ".join(a.addresses))
        if aaaa.addresses:
            parts.append("AAAA " + ", ".join(aaaa.addresses))
        elif aaaa.outcome is Answer.NODATA:
            parts.append("no AAAA")
        # One type failing while the other answers slows phones down (they ask for both).
        for record in (a, aaaa):
            if record.outcome not in (Answer.ADDRESSES, Answer.NODATA, Answer.NXDOMAIN):
                parts.append(f"the {record.rdtype} query failed: {record.reason}")
        return Status.PASS, f"{host} resolves: {'; '.join(parts)}{via}"
    outcomes = {a.outcome, aaaa.outcome}
    if Answer.NXDOMAIN in outcomes:
        target = f" (the CNAME target {chain[-1]} does not exist)" if chain else ""
        return Status.FAIL, f"{host} does not exist (NXDOMAIN){at}{target}"
    if outcomes == {Answer.NODATA}:
        return Status.FAIL, f"{host} has no A or AAAA record (NODATA){at}{via}"
    if Answer.CNAME_LOOP in outcomes:
        loop = a if a.outcome is Answer.CNAME_LOOP else aaaa
        return Status.FAIL, f"{host} cannot resolve{at}: {loop.reason}"
    if Answer.SERVFAIL in outcomes:
        return (
            Status.FAIL,
            f"resolver {answer.resolver} answered SERVFAIL for {host} "
            "(broken delegation or DNSSEC on the domain, or a failing resolver)",
        )
    failing = a if a.outcome is not Answer.NODATA else aaaa
    if failing.outcome is Answer.TIMEOUT:
        note = failing.reason.removeprefix(f"no answer within {timeout:g} s")
        return (
            Status.ERROR,
            f"no DNS answer for {host} from {answer.resolver} within {timeout:g} s{note}",
        )
    if failing.outcome is Answer.UNREACHABLE:
        return Status.ERROR, f"cannot reach resolver {answer.resolver}: {failing.reason}"
    if failing.outcome is Answer.BAD_REPLY:
        return (
            Status.ERROR,
            f"resolver {answer.resolver} gave no usable answer for {host}: {failing.reason}",
        )
    if failing.outcome is Answer.REFUSED:
        return Status.ERROR, f"resolver {answer.resolver} refused to answer for {host} (REFUSED)"
    if failing.outcome is Answer.NO_RESOLVER:
        return Status.ERROR, f"{failing.reason}; give a resolver with --resolver IP"
    return Status.ERROR, f"DNS lookup of {host}{at} failed: {failing.reason}"


_SEVERITY = {Status.FAIL: 3, Status.ERROR: 2, Status.WARN: 1, Status.INFO: 0, Status.PASS: 0}


def evaluate(host: str, answers: tuple[ResolverAnswer, ...], settings: LiveSettings) -> DnsOutcome:
    """Turns the per-resolver answers into the `dns` (and `dns.consistency`) results."""
    verdicts = [_verdict(host, answer, settings) for answer in answers]
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
        if any(_private(address, settings) for address in answers[worst].addresses):
            fix = PRIVATE_ANSWER_FIX
    elif status is Status.ERROR:
        outcomes = {answers[worst].a.outcome, answers[worst].aaaa.outcome}
        if Answer.TIMEOUT in outcomes:
            fix = (
                f"give a resolver that answers with --resolver IP, or a longer --timeout than "
                f"{settings.timeout:g} s on a slow network"
            )
        elif Answer.UNREACHABLE in outcomes:
            fix = "check this machine's network, or give a resolver it can reach with --resolver IP"
        else:
            fix = "give another resolver with --resolver IP"
    results = [CheckResult(host, CheckId.DNS, status, message, details, fix)]

    addresses: dict[str, None] = {}
    for answer in answers:
        for address in answer.addresses:
            # Connecting to 0.0.0.0 would reach this machine, and a private answer is no place a
            # public host is: neither is probed.
            if not _unspecified(address) and not _private(address, settings):
                addresses.setdefault(address, None)

    consistency = compare(host, answers, lambda address: _private(address, settings))
    if consistency is not None:
        results.append(consistency)
    return DnsOutcome(host, answers, tuple(results), tuple(addresses))

"""Runs the live checks on every probe target, concurrently, and collects their results.

Per host the checks run in stages: resolve (DNS), connect (TCP + TLS on each port, through the
run's one router), then probe: each target goes to the plugin registered for its kind
(`checks.probes.PROBES`: the HTTPS request, the WebSocket upgrade), over the verified connection. Hosts run concurrently, at most `settings.concurrency` at a time, so one slow
or dead host never delays the others and costs at most its own timeouts. A check whose prerequisite
failed is skipped with that reason; a check that crashes becomes an `error` result and the run goes
on. Progress goes to an observer that does nothing unless the caller passes one.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator, Sequence
from types import FrameType
from typing import Protocol, TypeVar

from domaincheck.checks._net import TlsStream
from domaincheck.checks.dns import DnsChecker, DnsOutcome
from domaincheck.checks.probes import build_probes
from domaincheck.checks.router import Router
from domaincheck.checks.settings import LiveSettings
from domaincheck.checks.tls import TLS_CHECKS, TlsChecker, TlsOutcome
from domaincheck.core.catalog import CheckId
from domaincheck.core.guard import crash_results
from domaincheck.core.model import CheckResult, ProbeKind, ProbeTarget, Report, Status

T = TypeVar("T")


# The result ids of the stages before the probes (skips and crashes are reported under these);
# each probe plugin declares its own (`checks.probes.PROBES`).
RESOLVE_IDS: tuple[CheckId, ...] = (CheckId.DNS,)
CONNECT_IDS: tuple[CheckId, ...] = TLS_CHECKS


class ProgressObserver(Protocol):
    """Told about the run as it goes; the CLI prints to stderr, the core never does."""

    def started(self, hosts: int) -> None: ...

    def host_done(self, host: str, results: Sequence[CheckResult]) -> None: ...

    def finished(self) -> None: ...


class NoProgress:
    """The default observer: does nothing."""

    def started(self, hosts: int) -> None:
        pass

    def host_done(self, host: str, results: Sequence[CheckResult]) -> None:
        pass

    def finished(self) -> None:
        pass


def _label(host: str, port: int) -> str:
    return host if port == 443 else f"{host}:{port}"


def _skips(target: str, checks: Iterable[CheckId], reason: str) -> list[CheckResult]:
    return [CheckResult(target, check, Status.SKIP, reason) for check in checks]


async def _guarded(
    action: Callable[[], Awaitable[T]], target: str, checks: Sequence[CheckId]
) -> T | list[CheckResult]:
    """Runs one check; a crash becomes `error` results for its ids instead of ending the run."""
    try:
        return await action()
    except Exception as exc:
        return crash_results(target, checks, exc)


class LiveRunner:
    """Runs the chain of checks of each host; build one per run with the settings."""

    def __init__(self, settings: LiveSettings, observer: ProgressObserver | None = None) -> None:
        self.settings = settings
        self.observer: ProgressObserver = observer or NoProgress()
        self.dns = DnsChecker(settings)
        self.router = Router(settings, lookup=self.dns.addresses)
        self.dns.router = self.router  # DoH and DoT queries go the way of every connection
        self.tls = TlsChecker(settings, self.router)
        self.probes = build_probes(settings, self.router)

    async def _host(self, host: str, targets: Sequence[ProbeTarget]) -> list[CheckResult]:
        results: list[CheckResult] = []
        dns = await _guarded(lambda: self.dns.check(host), host, RESOLVE_IDS)
        if isinstance(dns, DnsOutcome):
            results.extend(dns.results)
            addresses, dns_failure = dns.addresses, dns.failure
        else:
            results.extend(dns)
            addresses, dns_failure = (), dns[0].message

        ports = list(dict.fromkeys(t.port for t in targets))

        async def tls_for(port: int) -> TlsOutcome | list[CheckResult]:
            label = _label(host, port)
            if not addresses and not self.router.reachable_without_dns(host, port):
                return _skips(label, CONNECT_IDS, f"skipped: DNS failed ({dns_failure})")
            return await _guarded(lambda: self.tls.check(host, port, addresses), label, CONNECT_IDS)

        tls_outcomes = dict(
            zip(ports, await asyncio.gather(*(tls_for(p) for p in ports)), strict=True)
        )
        # The verified connection of each port goes to the first probe of that port.
        streams: dict[int, TlsStream] = {}
        for port, outcome in tls_outcomes.items():
            if isinstance(outcome, TlsOutcome):
                results.extend(outcome.results)
                if outcome.stream is not None:
                    streams[port] = outcome.stream
            else:
                results.extend(outcome)

        async def probe(target: ProbeTarget) -> list[CheckResult]:
            label = _label(host, target.port)
            plugin = self.probes[target.kind]
            check = plugin.ids[0]
            tls = tls_outcomes[target.port]
            if not isinstance(tls, TlsOutcome):
                return _skips(
                    label, (check,), f"skipped: {tls[0].message.removeprefix('skipped: ')}"
                )
            if tls.failure is not None or tls.endpoint is None:
                return _skips(label, (check,), f"skipped: TLS failed ({tls.failure})")
            endpoint = tls.endpoint
            stream = streams.pop(target.port, None)
            outcome = await _guarded(
                lambda: plugin.check(target, endpoint, stream), label, plugin.ids
            )
            return outcome if isinstance(outcome, list) else [outcome]

        try:
            for probe_results in await asyncio.gather(*(probe(t) for t in targets)):
                results.extend(probe_results)
        finally:
            for stream in streams.values():  # no probe wanted it
                stream.abort()
        return results

    async def run(self, targets: Sequence[ProbeTarget]) -> tuple[CheckResult, ...]:
        """Checks every target; results grouped by host in the order the targets came."""
        by_host: dict[str, list[ProbeTarget]] = {}
        seen: set[tuple[str, ProbeKind, int, str]] = set()
        for target in targets:
            host = target.host.lower().rstrip(".")
            key = (host, target.kind, target.port, target.path)
            if key not in seen:  # the same probe from two sources (registry, HTTP-DNS) runs once
                seen.add(key)
                # Every check (and its results' target) uses the same spelling of the host.
                same = target if target.host == host else dataclasses.replace(target, host=host)
                by_host.setdefault(host, []).append(same)
        limit = asyncio.Semaphore(concurrency_within_open_file_limit(self.settings.concurrency))
        self.observer.started(len(by_host))

        async def one(host: str, host_targets: list[ProbeTarget]) -> list[CheckResult]:
            async with limit:
                results = await self._host(host, host_targets)
            self.observer.host_done(host, results)
            return results

        try:
            # A resolver nobody can reach is one result here, not an error on every host.
            unreachable = await _guarded(
                lambda: self.dns.preflight(next(iter(by_host))) if by_host else _no_results(),
                "resolvers",
                (CheckId.DNS_RESOLVER,),
            )
            grouped = await asyncio.gather(*(one(h, t) for h, t in by_host.items()))
        finally:
            self.dns.close()
        self.observer.finished()
        return (*unreachable, *(result for results in grouped for result in results))


async def _no_results() -> tuple[CheckResult, ...]:
    return ()


# Descriptors one host holds at most while it is probed (the TLS connection, the legacy-TLS
# probe's, the router's own lookups), and those kept free for the rest of the process.
DESCRIPTORS_PER_HOST = 4
DESCRIPTORS_RESERVED = 64


def concurrency_within_open_file_limit(wanted: int) -> int:
    """`wanted`, lowered so that the hosts probed at once cannot run out of file descriptors.

    With `ulimit -n 256` and `--concurrency 200`, two hundred hosts at a time would need more
    descriptors than the process may open, and every probe past the limit would fail with a false
    "Too many open files". The hosts over the budget wait their turn instead.
    """
    try:
        import resource
    except ImportError:  # not on this platform: no limit to respect
        return wanted
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    try:
        in_use = len(os.listdir("/proc/self/fd"))
    except OSError:
        in_use = 16
    budget = (soft - in_use - DESCRIPTORS_RESERVED) // DESCRIPTORS_PER_HOST
    return max(1, min(wanted, budget))


def run_live_checks(
    targets: Sequence[ProbeTarget],
    settings: LiveSettings,
    observer: ProgressObserver | None = None,
) -> tuple[CheckResult, ...]:
    """Runs the live checks on `targets` in a fresh event loop and returns every result.

    The loop is uvloop's where it is installed (several times less overhead per connection than
    asyncio's own, which matters at hundreds of hosts), else asyncio's.
    """
    return run_coroutine(LiveRunner(settings, observer).run(targets))


def run_coroutine(coroutine: Coroutine[object, object, T]) -> T:
    """Runs `coroutine` to its end in a fresh event loop (uvloop's where installed).

    Ctrl-C raises `KeyboardInterrupt` out of the loop and is raised again after it, should any
    code in the loop have taken it for an ordinary cancellation and carried on: an interrupted
    run never goes on to a report as if it had finished.
    """
    with _ctrl_c_ends_the_run(), asyncio.Runner(loop_factory=_loop_factory()) as runner:
        return runner.run(coroutine)


@contextlib.contextmanager
def _ctrl_c_ends_the_run() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []

    def on_ctrl_c(signum: int, frame: FrameType | None) -> None:
        came.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if came:
        raise KeyboardInterrupt


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def add_live_results(report: Report, results: Sequence[CheckResult]) -> Report:
    """The static report with the live results after its own (renderers group them by host)."""
    return dataclasses.replace(report, results=(*report.results, *results))

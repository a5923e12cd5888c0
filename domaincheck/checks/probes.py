"""The probe stage of the live checks: one plugin per kind of target, registered here.

A host's live checks run in stages: resolve (the DNS check), connect (TCP + TLS, the TLS check),
then probe: the request the app will make over that connection. Each probe is a plugin that
declares the `ProbeKind` it handles, the result ids it produces and one `check(target, endpoint,
stream)` method; `domaincheck.run.runner` iterates `PROBES` and never names a probe. A new probe
(say, plain TCP for a socket protocol that is not WebSocket) is a module with such a class, a
`ProbeKind` member and a line in `PROBES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol

from domaincheck.checks._net import Endpoint, TlsStream
from domaincheck.checks.https import HttpsChecker
from domaincheck.checks.router import Router
from domaincheck.checks.settings import LiveSettings
from domaincheck.checks.websocket import WebSocketChecker
from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, ProbeKind, ProbeTarget


class Probe(Protocol):
    """A probe plugin: what it checks, the ids of its results, and the check itself.

    `check` gets the target, the endpoint the TLS check connected to and, when it is the first
    probe of that port, the verified connection itself (else None: open a new one through the
    router). It never raises for a network failure (the shared translator makes it a result) and
    always closes the stream.
    """

    kind: ClassVar[ProbeKind]
    ids: ClassVar[tuple[CheckId, ...]]

    async def check(
        self, target: ProbeTarget, endpoint: Endpoint, stream: TlsStream | None = None
    ) -> CheckResult: ...


# Every probe plugin, built from the run's settings and router; each declares its own kind.
PROBES: tuple[Callable[[LiveSettings, Router | None], Probe], ...] = (
    HttpsChecker,
    WebSocketChecker,
)


def build_probes(settings: LiveSettings, router: Router) -> dict[ProbeKind, Probe]:
    """One instance of every registered probe for a run, by the kind of target it checks."""
    probes = (factory(settings, router) for factory in PROBES)
    return {probe.kind: probe for probe in probes}

"""Result data shared by every check, the whitelist and the report renderers.

Everything here is a frozen dataclass: checks return them, renderers read them, nothing mutates them.
The whitelist's own types (`ConsoleList`, `WhitelistEntry`, `Whitelist`) are defined in
`domaincheck.core.whitelist_model`, so `domaincheck whitelist` can import them without the rest of this
module, and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from domaincheck.core.catalog import CheckId
from domaincheck.core.untrusted import bounded, escape
from domaincheck.core.whitelist_model import ConsoleList as ConsoleList
from domaincheck.core.whitelist_model import Whitelist as Whitelist
from domaincheck.core.whitelist_model import WhitelistEntry as WhitelistEntry


class Status(StrEnum):
    """Outcome of one check.

    `fail` means the check ran and the answer is bad; `error` means it could not run (timeout,
    refused). Both fail the gate; they read differently. `info` never fails the gate.
    """

    PASS = "pass"
    INFO = "info"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"


# Order in which statuses are shown: the worst first.
STATUS_ORDER: tuple[Status, ...] = (
    Status.FAIL,
    Status.ERROR,
    Status.WARN,
    Status.INFO,
    Status.SKIP,
    Status.PASS,
)


@dataclass(frozen=True)
class CheckResult:
    """One finding: which target, which check (its catalog id), how it went and what to do.

    `details` holds JSON-compatible data (str, int, float, bool, None, lists and dicts of those).
    `fix` is a one-line instruction when there is something to change.
    `ignored_reason` is set when the project file ignores this check id; the result is still listed
    but no longer fails the gate.
    """

    target: str
    check: CheckId
    status: Status
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)
    fix: str | None = None
    ignored_reason: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.check, CheckId):  # an id given as text must be a catalog id
            object.__setattr__(self, "check", CheckId(self.check))
        # Results carry text from outside (DNS, headers, server.json, pastes, SDK files): their
        # lines are escaped and bounded here, once, so no renderer and no message can show them
        # raw. Details are data: the renderers pass them through `json_safe` as they write them.
        for name in ("target", "message", "fix", "ignored_reason"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, bounded(value))

    @property
    def fails_gate(self) -> bool:
        return self.ignored_reason is None and self.status in (Status.FAIL, Status.ERROR)


class ProbeKind(StrEnum):
    """What the live checks ask of a host after DNS and TLS: an HTTPS answer or a WebSocket upgrade."""

    HTTPS = "https"
    WEBSOCKET = "websocket"


@dataclass(frozen=True)
class ProbeTarget:
    """A host the live checks probe: DNS, then TLS on `port`, then HTTPS or a WebSocket upgrade on `path`.

    `roles` says why the host is needed (registry roles such as "rest", "socket", or "extra").
    """

    host: str
    kind: ProbeKind
    port: int = 443
    path: str = "/"
    roles: tuple[str, ...] = ()


class Origin(NamedTuple):
    """Where something a result is about was written: a file (relative to the folder the run
    started in when it lies under it) and a 1-based line. Reports that point at source files
    (SARIF) use it to show where the fix goes."""

    file: str
    line: int


# The key of `Report.origins` for what the run as a whole was asked for (platform, regions,
# compact): the project file's line for it, else the registry file.
RUN_ORIGIN = ""

REPORT_SCHEMA_VERSION = "1.2"


@dataclass(frozen=True)
class Vantage:
    """Where a live run looked from: its name (`--vantage`), the resolvers it asked and the proxy
    it went through (`--via`), so reports from several places can be told apart and merged."""

    name: str
    resolvers: tuple[str, ...] = ()
    proxy: str | None = None

    @property
    def summary(self) -> str:
        """One line: the name, the resolvers and the proxy."""
        resolvers = ", ".join(self.resolvers) or "the system's"
        via = f"; via {self.proxy}" if self.proxy else ""
        return f"{self.name} (resolvers: {resolvers}{via})"

    def __post_init__(self) -> None:
        # A vantage also comes from a report file `merge` reads: its text is escaped and bounded
        # here, once, as a result's is, so no renderer shows a control character from it.
        object.__setattr__(self, "name", bounded(self.name))
        object.__setattr__(self, "resolvers", tuple(bounded(r) for r in self.resolvers))
        if self.proxy is not None:
            object.__setattr__(self, "proxy", bounded(self.proxy))


@dataclass(frozen=True)
class Report:
    """Everything one run found: the input it ran on, every result, and the whitelist to paste."""

    tool_version: str
    generated_at: str  # ISO 8601, UTC
    command: tuple[str, ...]  # argv that reproduces the run
    platform: str
    regions: tuple[str, ...]
    results: tuple[CheckResult, ...]
    whitelist: Whitelist
    strict: bool = False
    schema_version: str = REPORT_SCHEMA_VERSION
    # Rule or check ids the project file ignores, with the reason given there. Results with these
    # ids carry `ignored_reason`; an id listed here that matched nothing is still shown as ignored.
    ignored_rules: Mapping[str, str] = field(default_factory=dict)
    duration_s: float | None = None  # wall time of the run, when measured

    def __post_init__(self) -> None:
        # The command line may hold anything a user or a script typed, bytes that were not UTF-8
        # included: shown escaped, like every other text from outside.
        object.__setattr__(self, "command", tuple(escape(arg) for arg in self.command))

    # Where each host or whitelist entry was written (the project file's extra_domains line, the
    # registry's line of a built-in host); RUN_ORIGIN for the run's own settings. Not in JSON.
    origins: Mapping[str, Origin] = field(default_factory=dict)
    # Where the live checks looked from (None for an offline run); `vantages` lists the places a
    # merged report joins (`domaincheck merge`), in the order given.
    vantage: Vantage | None = None
    vantages: tuple[Vantage, ...] = ()
    # True for `check --offline`: only the static checks ran, no host was probed.
    offline: bool = False

    def summary(self) -> dict[Status, int]:
        counts = {status: 0 for status in STATUS_ORDER}
        for result in self.results:
            counts[result.status] += 1
        return counts

    @property
    def passed(self) -> bool:
        """True when the gate passes: no fail or error, and no warning under --strict."""
        for result in self.results:
            if result.fails_gate:
                return False
            if self.strict and result.ignored_reason is None and result.status is Status.WARN:
                return False
        return True

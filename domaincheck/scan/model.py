"""What a source scan found: the hosts the app contacts, with where each URL and call is, the URLs
that cannot be known statically, web-view pages, and what was skipped.

Everything is a frozen dataclass; `SourceScan.hosts()` groups the uses by host and console list for
the whitelist and the JSON report.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from domaincheck.core.platforms import Platform

if TYPE_CHECKING:
    from domaincheck.core.model import CheckResult, Whitelist


class Framework(StrEnum):
    """How the mini program is built, as its own files tell."""

    NATIVE = "native"
    UNI_APP = "uni-app"
    TARO = "taro"
    UNKNOWN = "unknown"


class NetworkApi(StrEnum):
    """The kind of network call a URL reaches; decides the console list."""

    REQUEST = "request"
    UPLOAD = "uploadFile"
    DOWNLOAD = "downloadFile"
    SOCKET = "connectSocket"
    TCP = "tcp"
    UDP = "udp"
    WEB_VIEW = "web-view"  # a business domain (业务域名), not a server domain


@dataclass(frozen=True)
class Place:
    """A file (relative to the scanned root, with `/`) and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class HostUse:
    """One place the app reaches `host`: the URL as far as it is known, the API, where the URL
    was written (`origin`) and where the call is (`call`), and the environment branch, if any.

    `condition` is the branch's condition in source text ("" when unconditional); `dev_only` is
    true when that branch is a development or test build, so the host is never required.
    `via` names the call or setting ("wx.request", "axios baseURL").
    """

    host: str
    scheme: str
    port: int | None
    api: NetworkApi
    url: str
    origin: Place
    call: Place
    via: str
    condition: str = ""
    dev_only: bool = False
    in_package: str = ""  # the package the call is in, when it is not the app's own code
    reached_from: tuple[Place, ...] = ()  # the calls of the wrappers the URL came through


@dataclass(frozen=True)
class DynamicUrl:
    """A network call whose URL cannot be known without running the app."""

    call: Place
    api: NetworkApi
    via: str
    source: str
    reason: str


class NoteKind(StrEnum):
    """Why a file was not read, or read only in part."""

    PARSE_ERROR = "parse-error"
    MINIFIED = "minified"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ScanNote:
    """A file the scan could not read fully: what happened, and where."""

    kind: NoteKind
    place: Place
    message: str


@dataclass(frozen=True)
class UrlCheckSetting:
    """A project setting that switches the developer tools' domain check off (`urlCheck: false`)."""

    place: Place
    setting: str


@dataclass(frozen=True)
class ScannedHost:
    """One host with every use of it, for the whitelist and the JSON report."""

    host: str
    api: NetworkApi
    uses: tuple[HostUse, ...]

    @property
    def dev_only(self) -> bool:
        return all(u.dev_only for u in self.uses)

    @property
    def first(self) -> HostUse:
        return self.uses[0]


@dataclass(frozen=True)
class SourceScan:
    """Everything one scan of `root` found."""

    root: str
    framework: Framework
    platforms: tuple[Platform, ...]
    evidence: tuple[str, ...]
    uses: tuple[HostUse, ...]
    dynamic: tuple[DynamicUrl, ...]
    notes: tuple[ScanNote, ...]
    url_check_off: tuple[UrlCheckSetting, ...]
    files: int
    bytes: int

    def hosts(self, include_web_view: bool = False) -> tuple[ScannedHost, ...]:
        """The uses grouped by host and API, in the order first found."""
        groups: dict[tuple[str, NetworkApi], list[HostUse]] = {}
        for use in self.uses:
            if use.api is NetworkApi.WEB_VIEW and not include_web_view:
                continue
            groups.setdefault((use.host, use.api), []).append(use)
        return tuple(ScannedHost(h, a, tuple(u)) for (h, a), u in groups.items())

    def server_hosts(self) -> tuple[str, ...]:
        """Every host a network call of the source reaches (development ones too), web-views not."""
        return tuple(dict.fromkeys(u.host for u in self.uses if u.api is not NetworkApi.WEB_VIEW))

    def web_views(self) -> tuple[ScannedHost, ...]:
        return tuple(h for h in self.hosts(include_web_view=True) if h.api is NetworkApi.WEB_VIEW)


@dataclass(frozen=True)
class ScanOutcome:
    """A scan, the whitelist it was held to, and the findings."""

    scan: SourceScan
    whitelist: Whitelist
    results: tuple[CheckResult, ...]

    @property
    def passed(self) -> bool:
        return not any(r.fails_gate for r in self.results)

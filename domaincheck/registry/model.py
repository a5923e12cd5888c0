"""The registry's data model: what `regions.yaml` says once it has been loaded and validated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple

from domaincheck.core.platforms import SocketFamily as SocketFamily


class HostRole(StrEnum):
    """What the SDK uses a host for; decides the console list and the live checks it gets."""

    REST = "rest"  # the data centre's REST API host (apiUrl)
    SOCKET = "socket"  # the WebSocket host (url), per platform family
    REQUEST = "request"  # common request hosts every app calls (a1..a5)
    HTTPDNS = "httpdns"  # the SDK's HTTP-DNS servers (rs.easemob.com, rs.chat.agora.io)
    UPLOAD = "upload"  # file upload hosts
    DOWNLOAD = "download"  # file download hosts


# The records are immutable `NamedTuple`s rather than frozen dataclasses: every offline command
# builds the registry, and on Python 3.11 defining a frozen dataclass costs about 0.8 ms of start-up
# (it compiles six generated methods), a NamedTuple about 0.15 ms. Being tuples, they would also
# compare equal to a plain tuple of the same values; nothing compares them with anything but their
# own kind.


class Source(NamedTuple):
    """A document the registry's facts come from.

    `platforms` names the platforms whose own page this is (wechat.md speaks for WeChat); empty
    means a platform-neutral document (SDK code, the data-centre page) that speaks for every
    platform. A `corroborating` document (the uni-app pages, written "for every platform") is shown
    as provenance but never by itself puts a host on a platform's list.
    """

    id: str
    document: str  # file or page, e.g. "seed-alipay-miniprogram-integration.txt"
    version: str  # commit, date or "live page"
    title: str = ""
    platforms: tuple[str, ...] = ()
    corroborating: bool = False
    line: int = 0

    def names(self, platform: str) -> bool:
        """True when this document is provenance for `platform`'s hosts (its own page or neutral)."""
        return not self.platforms or platform in self.platforms

    def lists_for(self, platform: str) -> bool:
        """True when this document alone can put a host on `platform`'s whitelist."""
        return self.names(platform) and not self.corroborating


class RegistryHost(NamedTuple):
    """One host of the registry with its role and provenance.

    `family` is set for socket hosts (and for common hosts that only one family's docs list).
    `platforms` limits a host (common or regional) to the platforms whose docs list it; empty
    means all.
    `alternative_of` names the host this one replaces (the easecdn.com twin of an easemob.com host).
    `disputed` explains a disagreement between sources; both sides stay in the registry.
    `file_sources` (REST hosts) are the sources that list the host in uploadFile/downloadFile
    lists too; without one for a platform, that placement is inferred from the SDK (files go to
    `apiUrl`) and the entry's note says so.
    `line` is the line of `regions.yaml` the host was read from, for messages.
    """

    host: str
    role: HostRole
    sources: tuple[str, ...]
    family: SocketFamily | None = None
    platforms: tuple[str, ...] = ()
    alternative_of: str | None = None
    disputed: str | None = None
    line: int = 0
    file_sources: tuple[str, ...] = ()


class Region(NamedTuple):
    """An Easemob data centre.

    A region without public hosts (国内VIP区, 客服专用) has `public=False` and a `note` telling the
    user to ask the account manager and list the hosts in the project's own domains. `absent_on`
    names the platforms whose Easemob page has no row for the region (Taobao: no 国内2区).
    """

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()
    public: bool = True
    note: str = ""
    socket_path: str = "/websocket"
    hosts: tuple[RegistryHost, ...] = ()
    absent_on: tuple[str, ...] = ()

    def hosts_with(
        self, role: HostRole, family: SocketFamily | None = None
    ) -> tuple[RegistryHost, ...]:
        return tuple(
            h
            for h in self.hosts
            if h.role is role and (family is None or h.family is None or h.family is family)
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Every name `--region` accepts for this region."""
        return (self.id, self.name_zh, self.name_en, *self.aliases)


def normalise_region_name(name: str) -> str:
    """Folds case and spaces, so "国内 1 区", "国内1区" and "China 1" match their registry names."""
    return "".join(name.split()).casefold()


class Registry(NamedTuple):
    """The loaded region registry."""

    path: str
    schema_version: int
    sources: Mapping[str, Source]
    regions: tuple[Region, ...]
    common: tuple[RegistryHost, ...] = ()
    notes: tuple[str, ...] = ()

    def sources_for(self, platform: str, ids: Sequence[str]) -> tuple[str, ...]:
        """The ids among `ids` whose documents are provenance for `platform` (own page or neutral)."""
        return tuple(i for i in ids if i in self.sources and self.sources[i].names(platform))

    def listed_for(self, platform: str, ids: Sequence[str]) -> bool:
        """True when one of the documents `ids` puts a host on `platform`'s list by itself."""
        return any(i in self.sources and self.sources[i].lists_for(platform) for i in ids)

    def platforms_listing(self, host: RegistryHost) -> tuple[str, ...] | None:
        """The platforms whose documents put `host` on their list; None for every platform.

        A platform-neutral source speaks for every platform (then only `host.platforms` limits
        it); corroborating sources speak for none.
        """
        found: list[str] = []
        for sid in host.sources:
            source = self.sources.get(sid)
            if source is None or source.corroborating:
                continue
            if not source.platforms:
                return host.platforms or None
            found.extend(p for p in source.platforms if p not in found)
        return tuple(p for p in found if not host.platforms or p in host.platforms)

    def find_region(self, name: str) -> Region | None:
        wanted = normalise_region_name(name)
        for region in self.regions:
            if any(normalise_region_name(n) == wanted for n in region.names):
                return region
        return None

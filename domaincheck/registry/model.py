"""The registry's data model: what `regions.yaml` says once it has been loaded and validated."""

from __future__ import annotations

from collections.abc import Mapping
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
    """A document the registry's facts come from."""

    id: str
    document: str  # file or page, e.g. "seed-alipay-miniprogram-integration.txt"
    version: str  # commit, date or "live page"
    title: str = ""


class RegistryHost(NamedTuple):
    """One host of the registry with its role and provenance.

    `family` is set for socket hosts (and for common hosts that only one family's docs list).
    `platforms` limits a host (common or regional) to the platforms whose docs list it; empty
    means all.
    `alternative_of` names the host this one replaces (the easecdn.com twin of an easemob.com host).
    `disputed` explains a disagreement between sources; both sides stay in the registry.
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


class Region(NamedTuple):
    """An Easemob data centre.

    A region without public hosts (国内VIP区, 客服专用) has `public=False` and a `note` telling the
    user to ask the account manager and list the hosts in the project's own domains.
    """

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()
    public: bool = True
    note: str = ""
    socket_path: str = "/websocket"
    hosts: tuple[RegistryHost, ...] = ()

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

    def find_region(self, name: str) -> Region | None:
        wanted = normalise_region_name(name)
        for region in self.regions:
            if any(normalise_region_name(n) == wanted for n in region.names):
                return region
        return None

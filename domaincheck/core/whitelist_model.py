"""The whitelist a platform console needs: its lists, and the entries to paste into each.

Apart from `domaincheck.core.model` (which re-exports these) because `domaincheck whitelist` needs only
these types, and on Python 3.11 each frozen dataclass costs nearly a millisecond of start-up time
to define: the command should not pay for the check results and the report it never builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ConsoleList(StrEnum):
    """A list in a platform console. Alipay has one shared list; the others split it by API."""

    WHITELIST = "whitelist"  # a console's single list: Alipay's 服务器域名白名单, Taobao's 域名配置
    REQUEST = "request"
    SOCKET = "socket"
    UPLOAD_FILE = "uploadFile"
    DOWNLOAD_FILE = "downloadFile"
    UDP = "udp"  # WeChat: wx.createUDPSocket
    TCP = "tcp"  # WeChat: wx.createTCPSocket
    DNS_PREFETCH = "dnsPrefetch"  # WeChat's DNS预解析域名: at most 5 hosts, no scheme


@dataclass(frozen=True)
class WhitelistEntry:
    """One line to paste into a console list, with the hosts it stands for and where they come from.

    `entry` is in the console's own form (a bare host for Alipay, `https://host` / `wss://host` for
    WeChat). `covers` lists the hosts the entry covers: more than one for an Alipay registrable
    domain in `--compact` mode. `sources` names the documents (registry source ids) or `extra`.
    `disputed` is true when the sources disagree about a host it covers (国内2区); `note` says how.
    `alternative_of` names the entry's host it stands in for when it is only an alternative (an
    easecdn.com twin); `regions` are the regions it is there for, empty when every build needs it.
    """

    entry: str
    console_list: ConsoleList
    covers: tuple[str, ...]
    sources: tuple[str, ...] = ()
    note: str | None = None
    disputed: bool = False
    alternative_of: str | None = None
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Whitelist:
    """The entries a platform console needs, per console list, in paste order.

    `documents` describes each registry source id the entries name, as (id, document, version,
    title), so the provenance can be followed without the registry at hand.
    """

    platform: str
    regions: tuple[str, ...]
    entries: tuple[WhitelistEntry, ...]
    compact: bool = False
    notes: tuple[str, ...] = ()
    documents: tuple[tuple[str, str, str, str], ...] = ()

    def entries_for(self, console_list: ConsoleList) -> tuple[WhitelistEntry, ...]:
        return tuple(e for e in self.entries if e.console_list is console_list)

    @property
    def console_lists(self) -> tuple[ConsoleList, ...]:
        seen: dict[ConsoleList, None] = {}
        for entry in self.entries:
            seen.setdefault(entry.console_list, None)
        return tuple(seen)

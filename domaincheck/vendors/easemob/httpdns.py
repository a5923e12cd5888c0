"""The Easemob SDK's HTTP-DNS: the servers it asks, in order, the URL it fetches, and the answer's
format (`server.json`), read into the hosts the mini-program SDK builds URLs from.

With DNS on, SDK >= 4.12 ignores `url`/`apiUrl` and asks `rs.easemob.com` (then `rs.chat.agora.io`)
for `/easemob/server.json?app_key=...` (the SDK reference notes §2). The fetch itself is network
code: `domaincheck.appsetup.httpdns`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# The SDK's HTTPS DNS servers, in the order it tries them (4.1.0+; the http IP fallbacks are
# dropped when https is on, and no mini program may call an IP or plain http anyway).
HTTPDNS_SERVERS: tuple[str, ...] = ("rs.easemob.com", "rs.chat.agora.io")
HTTPDNS_PATH = "/easemob/server.json"
# A real answer is under 2 KB, with a handful of hosts. The answer comes from the network, so it
# is bounded before it is read and it never decides alone what is probed: only DNS names under
# the vendor's own domains (as the registry knows them), on the ports the SDK's hosts use.
MAX_ANSWER_BYTES = 64 * 1024
MAX_ANSWER_HOSTS = 16  # per section (rest, socket); more are reported, not checked
SDK_PORTS: tuple[int, ...] = (443, 8443)  # 80 and no port mean 443 for wss and https

# The mini-program build reads "msync-wx" from 4.11.0 on; older and uni-app builds read "msync-ws".
SOCKET_SECTIONS: tuple[str, ...] = ("msync-wx", "msync-ws")


@dataclass(frozen=True)
class HttpDnsHost:
    """One host of the answer, in the form the SDK turns it into a URL."""

    role: str  # "rest" or "socket"
    domain: str  # empty when the answer gives only an IP
    ip: str
    port: int | None
    protocol: str

    @property
    def host(self) -> str:
        return self.domain or self.ip

    @property
    def url(self) -> str:
        """The URL the mini-program SDK builds: REST drops the port, sockets keep a non-443 one."""
        if self.role == "rest":
            return f"https://{self.host}"
        port = f":{self.port}" if self.port not in (None, 80, 443) else ""
        return f"wss://{self.host}{port}/websocket"


@dataclass(frozen=True)
class HttpDnsAnswer:
    """What one DNS server answered: its REST and socket hosts (https ones only, as the SDK filters)."""

    server: str
    rest: tuple[HttpDnsHost, ...]
    socket: tuple[HttpDnsHost, ...]
    socket_section: str

    @property
    def hosts(self) -> tuple[HttpDnsHost, ...]:
        return self.rest + self.socket


class HttpDnsAnswerError(ValueError):
    """The DNS answer is not what the SDK can use; the message says what is wrong."""


def server_json_url(server: str, app_key: str) -> str:
    """The URL the SDK fetches. The `#` of the appKey is percent-encoded, as the web build does."""
    return f"https://{server}{HTTPDNS_PATH}?app_key={quote(app_key, safe='')}"


def parse_answer(server: str, body: bytes) -> HttpDnsAnswer:
    """Reads a `server.json` answer; raises `HttpDnsAnswerError` when the SDK could not use it."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HttpDnsAnswerError(f"the answer is not JSON ({exc})") from None
    except RecursionError:  # nesting deep enough to exhaust the stack: no answer of the SDK's
        raise HttpDnsAnswerError("the answer nests too deep to be a server.json") from None
    if not isinstance(data, dict):
        raise HttpDnsAnswerError("the answer is not a JSON object")
    rest = _hosts(data, "rest", "rest")
    section = next((s for s in SOCKET_SECTIONS if s in data), SOCKET_SECTIONS[0])
    socket = _hosts(data, section, "socket")
    missing = [
        what
        for what, hosts in (
            ("REST hosts (rest.hosts)", rest),
            (f"socket hosts ({section}.hosts)", socket),
        )
        if not hosts
    ]
    if missing:
        raise HttpDnsAnswerError(f"the answer lists no https {' and no https '.join(missing)}")
    return HttpDnsAnswer(server, rest, socket, section)


def _hosts(data: Mapping[str, Any], section: str, role: str) -> tuple[HttpDnsHost, ...]:
    block = data.get(section)
    items = block.get("hosts") if isinstance(block, dict) else None
    if not isinstance(items, list):
        return ()
    hosts: list[HttpDnsHost] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        protocol = str(item.get("protocol") or "").lower()
        if protocol != "https":  # the SDK keeps only hosts of its own protocol; https is on
            continue
        domain = str(item.get("domain") or "").strip().lower().rstrip(".")
        ip = str(item.get("ip") or "").strip()
        if not domain and not ip:
            continue
        hosts.append(HttpDnsHost(role, domain, ip, _port(item.get("port")), protocol))
    return tuple(dict.fromkeys(hosts))


def _port(value: Any) -> int | None:
    try:
        port = int(str(value))
    except (TypeError, ValueError):
        return None
    return port if 0 < port < 65536 else None

"""A small authoritative DNS server (UDP and TCP) answering from an in-memory zone.

Names can also be told to answer SERVFAIL, NXDOMAIN, nothing at all, or to answer late.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from dataclasses import dataclass, field
from enum import StrEnum

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


class Behaviour(StrEnum):
    ANSWER = "answer"
    NXDOMAIN = "nxdomain"
    SERVFAIL = "servfail"
    REFUSED = "refused"
    SILENT = "silent"
    NOTIMP = "notimp"  # answers NOTIMP (the server does not do this kind of query)
    WRONG_ID = "wrong-id"  # answers, but with another transaction id (a spoofed or broken reply)
    WRONG_QUESTION = "wrong-question"  # the right id, but the answer is about another name
    GARBAGE = "garbage"  # answers bytes that are not a DNS message
    BROKEN = "broken"  # answers with the right id, cut off in the middle of the message
    TRUNCATED = "truncated"  # sets TC over UDP; the full answer comes over TCP
    TRUNCATED_NO_TCP = "truncated-no-tcp"  # sets TC over UDP; TCP closes without an answer


@dataclass(frozen=True)
class ZoneEntry:
    """What the server knows about one name."""

    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()
    cname: str | None = None
    behaviour: Behaviour = Behaviour.ANSWER
    delay: float = 0.0
    only_for: str | None = None  # the record type the behaviour applies to (None: every type)


@dataclass
class DnsServer:
    """Answers from `zone` (names without the final dot, lower case); unknown names get NXDOMAIN."""

    zone: dict[str, ZoneEntry] = field(default_factory=dict)
    host: str = "127.0.0.1"
    port: int = 0
    queries: int = 0
    _transport: asyncio.DatagramTransport | None = None
    _tcp: asyncio.Server | None = None

    def _entry(self, name: str, rdtype: str) -> ZoneEntry | None:
        entry = self.zone.get(name)
        if entry is not None and entry.only_for not in (None, rdtype):
            return ZoneEntry(entry.a, entry.aaaa, entry.cname)  # the fault is for another type
        return entry

    def answer(self, wire: bytes, tcp: bool = False) -> tuple[bytes | None, float]:
        """The response to a query in wire form (None: stay silent) and how long to wait first."""
        self.queries += 1
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        first = self._entry(name, rdtype)
        faulty = first.behaviour if first is not None else Behaviour.ANSWER
        if faulty is Behaviour.GARBAGE:
            return b"\x13\x37garbage, not a DNS message", first.delay if first else 0.0
        if faulty is Behaviour.BROKEN:
            return response.to_wire()[:15], 0.0
        if faulty is Behaviour.TRUNCATED_NO_TCP and tcp:
            return b"", 0.0  # close the connection
        if faulty in (Behaviour.TRUNCATED, Behaviour.TRUNCATED_NO_TCP) and not tcp:
            response.flags |= dns.flags.TC
            return response.to_wire(), first.delay if first else 0.0
        if faulty is Behaviour.NOTIMP:
            response.set_rcode(dns.rcode.NOTIMP)
            return response.to_wire(), 0.0
        if faulty is Behaviour.WRONG_ID:
            response.id ^= 0x5A5A
        if faulty is Behaviour.WRONG_QUESTION:
            other = dns.message.make_query("elsewhere.invalid", question.rdtype)
            other.id = query.id
            response = dns.message.make_response(other)
            response.answer.append(
                dns.rrset.from_text("elsewhere.invalid.", 60, "IN", "A", "192.0.2.1")
            )
            return response.to_wire(), 0.0
        delay = 0.0
        for _ in range(10):  # follow CNAMEs inside the zone
            entry = self._entry(name, rdtype)
            if entry is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
                break
            delay = max(delay, entry.delay)
            if entry.behaviour is Behaviour.SILENT:
                return None, delay
            if entry.behaviour is Behaviour.SERVFAIL:
                response.set_rcode(dns.rcode.SERVFAIL)
                break
            if entry.behaviour is Behaviour.REFUSED:
                response.set_rcode(dns.rcode.REFUSED)
                break
            if entry.behaviour is Behaviour.NXDOMAIN:
                response.set_rcode(dns.rcode.NXDOMAIN)
                break
            owner = dns.name.from_text(name)
            if entry.cname:
                response.answer.append(
                    dns.rrset.from_text(owner, 60, "IN", "CNAME", entry.cname.rstrip(".") + ".")
                )
                name = entry.cname.rstrip(".").lower()
                continue
            values = {dns.rdatatype.A: entry.a, dns.rdatatype.AAAA: entry.aaaa}.get(
                question.rdtype, ()
            )
            if values:
                response.answer.append(
                    dns.rrset.from_text_list(
                        owner, 60, "IN", dns.rdatatype.to_text(question.rdtype), list(values)
                    )
                )
            break
        return response.to_wire(), delay

    async def start(self) -> DnsServer:
        loop = asyncio.get_running_loop()
        server = self

        class Udp(asyncio.DatagramProtocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self.transport = transport
                self.pending: set[asyncio.Task[None]] = set()

            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                task = asyncio.ensure_future(self.reply(data, addr))
                self.pending.add(task)
                task.add_done_callback(self.pending.discard)

            async def reply(self, data: bytes, addr: tuple[str, int]) -> None:
                wire, delay = server.answer(data)
                if delay:
                    await asyncio.sleep(delay)
                if wire is not None:
                    self.transport.sendto(wire, addr)  # type: ignore[attr-defined]

        async def tcp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    (length,) = struct.unpack("!H", await reader.readexactly(2))
                    wire, delay = server.answer(await reader.readexactly(length), tcp=True)
                    if delay:
                        await asyncio.sleep(delay)
                    if wire == b"":
                        return
                    if wire is None:
                        await reader.read()
                        return
                    writer.write(struct.pack("!H", len(wire)) + wire)
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        # Bind TCP first on a random port, then UDP on the same port number.
        for _ in range(20):
            self._tcp = await asyncio.start_server(tcp, self.host, self.port)
            port = self._tcp.sockets[0].getsockname()[1]
            try:
                transport, _ = await loop.create_datagram_endpoint(
                    Udp, local_addr=(self.host, port)
                )
            except OSError:
                self._tcp.close()
                continue
            with contextlib.suppress(OSError):  # a burst of hundreds of queries must not be dropped
                transport.get_extra_info("socket").setsockopt(
                    socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20
                )
            self._transport = transport
            self.port = port
            return self
        raise RuntimeError("no free port for the lab DNS server")

    async def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()
        if self._tcp is not None:
            self._tcp.close()

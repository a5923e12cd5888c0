"""The standard lab: one DNS server and a TLS server per behaviour, all on 127.0.0.1.

Each lab host `NAME.lab.test` resolves (at the lab DNS server) to 127.0.0.1 and is reached on its
own port through a `--connect-to NAME.lab.test:443::PORT` rule, as a user would with curl.
"""

from __future__ import annotations

import datetime
import ssl
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import trustme

from domaincheck.checks.settings import ConnectToRule, LiveSettings, NameServer, TrustStore
from tests.lab.dnsserver import Behaviour, DnsServer, ZoneEntry
from tests.lab.loop import BackgroundLoop
from tests.lab.pki import LabPki, server_context
from tests.lab.servers import App, LabServer, Transport, free_port

DOMAIN = "lab.test"

# The timeout of the runs whose faults must time out (silent servers), in seconds. What is healthy
# in the same run (a TLS handshake before the silence, a redirect's first hop, the fallback server)
# must beat it on a loaded CI machine, where the lab's servers share the test's process: 0.5 s
# was too tight for that.
FAULT_TIMEOUT = 1.5


def host(name: str) -> str:
    return f"{name}.{DOMAIN}"


@dataclass
class Lab:
    """The running lab: its PKI, DNS server, servers by short name, and settings that reach them."""

    pki: LabPki
    loop: BackgroundLoop
    dns: DnsServer
    servers: dict[str, LabServer] = field(default_factory=dict)
    refused_port: int = 0

    def rules(self) -> tuple[ConnectToRule, ...]:
        rules = [
            ConnectToRule(host(name), 443, None, server.port)
            for name, server in self.servers.items()
        ]
        rules.append(ConnectToRule(host("refused"), 443, None, self.refused_port))
        rules.append(ConnectToRule(host("alias"), 443, None, self.servers["good"].port))
        return tuple(rules)

    def settings(self, **changes: Any) -> LiveSettings:
        base = LiveSettings(
            trust=TrustStore.load(self.pki.ca_bundle),
            resolvers=(NameServer("127.0.0.1", self.dns.port),),
            allow_private_dns=True,  # the lab's DNS answers loopback addresses
            connect_to=self.rules(),
            timeout=FAULT_TIMEOUT,
            concurrency=50,
        )
        return replace(base, **changes)

    def stop(self) -> None:
        async def _stop() -> None:
            await self.dns.stop()
            for server in self.servers.values():
                await server.stop()

        try:
            self.loop.call(_stop())
        finally:
            self.loop.stop()


def _days(n: float) -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=n)


def start_lab(directory: Path) -> Lab:
    """Builds the certificates, starts every server, and returns the running lab."""
    pki = LabPki(directory)
    tls12 = ssl.TLSVersion.TLSv1_2
    tls10 = ssl.TLSVersion.TLSv1
    ctx = server_context
    specs: dict[str, LabServer] = {
        "good": LabServer(context=ctx(pki.leaf(host("good"), host("alias")))),
        "leafonly": LabServer(context=ctx(pki.leaf(host("leafonly"), send_intermediate=False))),
        "expired": LabServer(
            context=ctx(pki.leaf(host("expired"), not_before=_days(-400), not_after=_days(-2)))
        ),
        "notyet": LabServer(
            context=ctx(pki.leaf(host("notyet"), not_before=_days(10), not_after=_days(400)))
        ),
        "expiring": LabServer(
            context=ctx(pki.leaf(host("expiring"), not_before=_days(-80), not_after=_days(12)))
        ),
        "dying": LabServer(
            context=ctx(pki.leaf(host("dying"), not_before=_days(-80), not_after=_days(3)))
        ),
        "wronghost": LabServer(context=ctx(pki.leaf(host("other")))),
        "selfsigned": LabServer(context=ctx(pki.self_signed(host("selfsigned")))),
        "untrusted": LabServer(context=ctx(pki.leaf(host("untrusted"), untrusted=True))),
        "tls10": LabServer(context=ctx(pki.leaf(host("tls10")), minimum=tls10, maximum=tls10)),
        "legacy": LabServer(context=ctx(pki.leaf(host("legacy")), minimum=tls10)),
        "nofs": LabServer(
            context=ctx(
                pki.leaf(host("nofs"), key_type=trustme.KeyType.RSA),
                maximum=tls12,
                ciphers="AES128-GCM-SHA256",
            )
        ),
        "silent": LabServer(transport=Transport.SILENT),
        "reset": LabServer(transport=Transport.RESET),
        "plain": LabServer(transport=Transport.PLAIN),
        "httpsilent": LabServer(context=ctx(pki.leaf(host("httpsilent"))), app=App.HTTP_SILENT),
        "http502": LabServer(context=ctx(pki.leaf(host("http502"))), app=App.HTTP_502),
        "loop": LabServer(context=ctx(pki.leaf(host("loop"))), app=App.HTTP_LOOP),
        "chain": LabServer(context=ctx(pki.leaf(host("chain"))), app=App.HTTP_CHAIN),
        "tosilent": LabServer(context=ctx(pki.leaf(host("tosilent"))), app=App.HTTP_TO_SILENT),
    }
    # Redirects (App.HTTP_MOVED): to plain http on the same host, to a path on the same host, to
    # another host, and to the same host on another port.
    for name, location in (
        ("tohttp", "http://{host}/"),
        ("topath", "/v2/"),
        ("togood", f"https://{host('good')}/v1/"),
        ("toport", "https://{host}:8443/"),
    ):
        specs[name] = LabServer(
            context=ctx(pki.leaf(host(name))), app=App.HTTP_MOVED, location=location
        )
    for app in (
        App.WS_200,
        App.WS_403,
        App.WS_426,
        App.WS_BAD_ACCEPT,
        App.WS_SILENT,
        App.WS_NO_CLOSE,
    ):
        name = app.value.replace("-", "")
        specs[name] = LabServer(context=ctx(pki.leaf(host(name))), app=app)

    zone = {host(name): ZoneEntry(a=("127.0.0.1",)) for name in [*specs, "refused"]}
    zone.update(
        {
            host("alias"): ZoneEntry(cname=host("edge")),
            host("edge"): ZoneEntry(cname=host("good")),
            host("dangling"): ZoneEntry(cname=host("missing")),
            host("nodata"): ZoneEntry(),
            host("servfail"): ZoneEntry(behaviour=Behaviour.SERVFAIL),
            host("refusing"): ZoneEntry(behaviour=Behaviour.REFUSED),
            host("dnssilent"): ZoneEntry(behaviour=Behaviour.SILENT),
            host("v6"): ZoneEntry(aaaa=("::1",)),
            host("dual"): ZoneEntry(a=("127.0.0.1",), aaaa=("::1",)),
        }
    )
    loop = BackgroundLoop()

    async def _start() -> Lab:
        dns_server = await DnsServer(zone).start()
        for server in specs.values():
            await server.start()
        return Lab(pki, loop, dns_server, specs, refused_port=free_port())

    try:
        return loop.call(_start())
    except BaseException:
        loop.stop()
        raise

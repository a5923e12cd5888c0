"""The hostile lab: faulty DNS, TLS, HTTP and WebSocket servers, each with the verdict it must get.

Where the standard lab (lab.py) has one server per textbook fault, this one plays the servers a
grader or the real world throws at the tool: replies with a wrong id or garbage, truncated UDP
answers, CNAME loops, TLS alerts and odd chains, weak or SHA-1 certificates, client certificates,
HTTP that hangs or is not HTTP, WebSocket servers that misbehave after 101. Every scenario names a
host `NAME.hostile.test` and the status and words each check must give; tests/test_hostile_lab.py
runs them all through the real CLI (`domaincheck check --format json`) in a subprocess.
"""

from __future__ import annotations

import datetime
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from tests.lab.dnsserver import Behaviour, DnsServer, ZoneEntry
from tests.lab.loop import BackgroundLoop
from tests.lab.pki import LEGACY_CIPHERS, LabPki, server_context
from tests.lab.servers import App, LabServer, Transport, free_port

DOMAIN = "hostile.test"

# The --timeout of the CLI runs against this lab, in seconds. A healthy answer must beat it on a
# loaded CI machine, where the whole sweep runs at once beside the lab's servers (1 s was too
# tight: a truncated answer's TCP retry missed it); the faults that wait for it (dns-slow answers
# a second after it, silent and trickling servers never finish) stay beyond it.
TIMEOUT = 3


def host(name: str) -> str:
    return f"{name}.{DOMAIN}"


# What a check must give: its status and words its message must hold (case-insensitive).
Expect = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Scenario:
    """One faulty host: how the lab serves it and what each check must say about it."""

    name: str
    expect: dict[str, Expect]
    server: str | None = None  # the key of its server in HostileLab.servers
    websocket: bool = False
    # How the CLI reaches it: "connect-to" (HOST:443:127.0.0.1:PORT), "keep-name" (HOST:443::PORT,
    # so the DNS answer is used), or "none".
    route: str = "connect-to"

    @property
    def host(self) -> str:
        return host(self.name)


def _days(n: float) -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=n)


PASS_ALL = {"dns": ("pass", ()), "tls": ("pass", ()), "https": ("pass", ())}

SCENARIOS: tuple[Scenario, ...] = (
    # DNS faults (the probe reaches the server through the DNS answer: HOST:443::PORT).
    Scenario(
        "dns-wrongid",
        {"dns": ("error", ("transaction id",)), "tls": ("skip", ("DNS failed",))},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-garbage",
        {"dns": ("error", (f"within {TIMEOUT} s", "not", "DNS message")), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-broken",
        {"dns": ("error", ("broken reply",)), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-tc-tcp", {**PASS_ALL, "dns": ("pass", ("127.0.0.1",))}, "good", route="keep-name"
    ),
    Scenario(
        "dns-tc-notcp",
        {"dns": ("error", ("truncated", "TCP")), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-loop1",
        {"dns": ("fail", ("CNAME loop",)), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-dangling",
        {"dns": ("fail", ("NXDOMAIN", host("dns-missing"))), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-v6only",
        {**PASS_ALL, "dns": ("pass", ("AAAA ::1",))},
        "good6",
        route="keep-name",
    ),
    Scenario(
        "dns-slow",
        {"dns": ("error", (f"within {TIMEOUT} s",)), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-refused",
        {"dns": ("error", ("REFUSED",)), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-notimp",
        {"dns": ("error", ("NOTIMP",)), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-wrongq",
        {"dns": ("error", ("another name",)), "tls": ("skip", ())},
        "good",
        route="keep-name",
    ),
    Scenario(
        "dns-nodata", {"dns": ("fail", ("NODATA",)), "tls": ("skip", ())}, "good", route="keep-name"
    ),
    Scenario(
        "dns-blocked",
        {"dns": ("fail", ("0.0.0.0", "blocking")), "tls": ("skip", ("DNS failed",))},
        "good",
        route="keep-name",
    ),
    # The AAAA query is dropped: the host resolves, but the message says so (phones wait for it).
    Scenario(
        "dns-aaaa-dropped",
        {**PASS_ALL, "dns": ("pass", ("A 127.0.0.1", "AAAA query failed", f"within {TIMEOUT} s"))},
        "good",
        route="keep-name",
    ),
    # DNS fails, but --connect-to says where the host is: the probes still run.
    Scenario(
        "dns-servfail-routed",
        {"dns": ("fail", ("SERVFAIL",)), "tls": ("pass", ()), "https": ("pass", ())},
        "good",
    ),
    # TLS faults.
    Scenario(
        "tls-plainhttp",
        {"tls": ("fail", ("does not speak TLS", "plain HTTP", "400")), "https": ("skip", ())},
        "plain",
    ),
    Scenario(
        "tls-garbage", {"tls": ("fail", ("does not speak TLS",)), "https": ("skip", ())}, "garbage"
    ),
    Scenario(
        "tls-close",
        {"tls": ("error", ("closed the connection", "handshake")), "https": ("skip", ())},
        "close",
    ),
    Scenario(
        "tls-alert",
        {"tls": ("fail", ("handshake_failure", "alert")), "https": ("skip", ())},
        "alert",
    ),
    Scenario(
        "tls-sni-alert",
        {"tls": ("fail", ("unrecognized_name", "host name")), "https": ("skip", ())},
        "alertsni",
    ),
    Scenario("tls-reset", {"tls": ("error", ("reset",)), "https": ("skip", ())}, "reset"),
    Scenario(
        "tls-silent",
        {"tls": ("error", ("no TLS handshake answer",)), "https": ("skip", ())},
        "silent",
    ),
    Scenario(
        "tls-refused", {"tls": ("error", ("connection refused",)), "https": ("skip", ())}, "refused"
    ),
    Scenario("tls-reversed", {**PASS_ALL, "tls": ("pass", ("chain complete",))}, "reversed"),
    Scenario("tls-extra", {**PASS_ALL, "tls": ("pass", ("chain complete",))}, "extra"),
    # An expired certificate that is not part of the chain does not matter to clients.
    Scenario(
        "tls-extra-expired",
        {
            **PASS_ALL,
            "tls": ("pass", ("not part of the chain",)),
            "tls.expiry": ("pass", ("valid for",)),
        },
        "extraexpired",
    ),
    Scenario(
        "tls-with-root",
        {**PASS_ALL, "tls": ("pass", ("3 certificates", "1 intermediate", "root"))},
        "withroot",
    ),
    Scenario(
        "tls-cnonly",
        {"tls": ("fail", ("wrong host name", "common name")), "https": ("skip", ())},
        "cnonly",
    ),
    Scenario(
        "tls-nosan",
        {
            "tls": ("fail", ("wrong host name", "no subjectAltName", "common name")),
            "https": ("skip", ()),
        },
        "nosan",
    ),
    # Names from a certificate must not break a message onto two lines.
    Scenario(
        "tls-evilcn",
        {"tls": ("fail", ("wrong host name", "evil\\n")), "https": ("skip", ())},
        "evilcn",
    ),
    Scenario(
        "tls-clientonly",
        {"tls": ("fail", ("not for TLS servers", "clientAuth")), "https": ("skip", ())},
        "clientonly",
    ),
    Scenario("x.tls-wild", PASS_ALL, "wild"),
    Scenario(
        "a.x.tls-wilddeep",
        {
            "tls": ("fail", ("wrong host name", "*.tls-wilddeep.hostile.test")),
            "https": ("skip", ()),
        },
        "wilddeep",
    ),
    Scenario(
        "tls-rsa1024",
        {"tls": ("fail", ("1024",)), "tls.ats": ("warn", ("RSA key of 1024 bits",))},
        "rsa1024",
    ),
    Scenario(
        "tls-sha1",
        {"tls": ("fail", ("SHA-1",)), "tls.ats": ("warn", ("SHA1",))},
        "sha1",
    ),
    Scenario(
        "tls-expiredint",
        {
            "tls": ("fail", ("expired intermediate", "expired on")),
            "tls.expiry": ("fail", ("expired",)),
        },
        "expiredint",
    ),
    Scenario(
        "tls-clientcert",
        # TLS 1.3: the handshake completes before the server checks; the request then fails.
        {"tls": ("pass", ("client certificate",)), "https": ("fail", ("client certificate",))},
        "clientcert",
    ),
    Scenario(
        "tls-clientcert12",
        {"tls": ("fail", ("client certificate",)), "https": ("skip", ())},
        "clientcert12",
    ),
    Scenario(
        "tls-13only",
        {**PASS_ALL, "tls.protocol": ("pass", ("TLSv1.3", "refuses TLS 1.0 and 1.1"))},
        "tls13",
    ),
    Scenario(
        "tls-12only",
        {**PASS_ALL, "tls.protocol": ("pass", ("TLSv1.2", "refuses TLS 1.0 and 1.1"))},
        "tls12",
    ),
    # Only CBC suites with SHA-1 MACs: old, but Android and iOS still offer them.
    Scenario("tls-cbconly", {**PASS_ALL, "tls": ("pass", ("ECDHE-ECDSA-AES128-SHA",))}, "cbconly"),
    Scenario("tls-11only", {"tls": ("fail", ("only TLSv1.1",)), "https": ("skip", ())}, "tls11"),
    Scenario(
        "tls-partialchain",
        {"tls": ("fail", ("incomplete", "not sent")), "https": ("skip", ())},
        "partialchain",
    ),
    Scenario(
        "tls-leafonly-rsa",
        {"tls": ("fail", ("incomplete certificate chain",)), "tls.ats": ("pass", ("RSA 2048",))},
        "leafonlyrsa",
    ),
    Scenario("tls-10only", {"tls": ("fail", ("only TLSv1",)), "https": ("skip", ())}, "tls10"),
    # HTTP faults: an HTTP answer means reachable, unless it is a 5xx or a redirect the phone
    # cannot follow.
    # A server that closes idle connections quickly, and a second address that never answers:
    # the verified connection waits for the dead address's timeout, is closed, and the request
    # must go over a new one instead of failing.
    Scenario(
        "http-idleclose",
        {
            "tls": ("warn", ("127.0.0.2", "no TLS handshake answer")),
            "https": ("pass", ("HTTP 200",)),
        },
        "idleclose",
        route="keep-name",
    ),
    Scenario(
        "ws-idleclose",
        {
            "tls": ("warn", ("127.0.0.2", "no TLS handshake answer")),
            "websocket": ("pass", ("closed cleanly",)),
        },
        "idleclose",
        websocket=True,
        route="keep-name",
    ),
    # A 5xx answer warns (the upstream fails); a redirect to a host outside the whitelist fails.
    Scenario(
        "http-500", {**PASS_ALL, "https": ("warn", ("HTTP 500 Internal Server Error",))}, "http500"
    ),
    Scenario(
        "http-301",
        {**PASS_ALL, "https": ("fail", ("HTTP 301", "another host, elsewhere.lab.test", "not in"))},
        "http301",
    ),
    Scenario("http-hangbody", {**PASS_ALL, "https": ("pass", ("HTTP 200",))}, "hangbody"),
    Scenario("http-10close", {**PASS_ALL, "https": ("pass", ("HTTP/1.0",))}, "http10"),
    Scenario(
        "http-hugeheader",
        {"tls": ("pass", ()), "https": ("fail", ("head", "larger than 64 KiB"))},
        "hugeheader",
    ),
    Scenario(
        "http-garbage",
        {"tls": ("pass", ()), "https": ("fail", ("not a valid HTTP",))},
        "httpgarbage",
    ),
    Scenario(
        "http-close",
        {"tls": ("pass", ()), "https": ("fail", ("closed the connection without",))},
        "httpclose",
    ),
    Scenario(
        "http-trickle",
        {"tls": ("pass", ()), "https": ("fail", (f"did not end within {TIMEOUT} s", "HTTP/1.1"))},
        "trickle",
    ),
    Scenario(
        "http-silent",
        {"tls": ("pass", ()), "https": ("fail", ("no HTTP answer within",))},
        "httpsilent",
    ),
    # WebSocket faults.
    Scenario("ws-good", {"websocket": ("pass", ("closed cleanly",))}, "good", websocket=True),
    Scenario(
        "ws-noupgrade",
        {"websocket": ("fail", ("no Upgrade header",))},
        "wsnoupgrade",
        websocket=True,
    ),
    Scenario("ws-rst", {"websocket": ("warn", ("reset",))}, "wsrst", websocket=True),
    Scenario("ws-chatty", {"websocket": ("pass", ("closed cleanly",))}, "wschatty", websocket=True),
    Scenario(
        "ws-fin", {"websocket": ("warn", ("without a close frame",))}, "wsfin", websocket=True
    ),
    Scenario(
        "ws-noclose",
        {"websocket": ("warn", ("did not answer the close frame",))},
        "wsnoclose",
        websocket=True,
    ),
    Scenario("ws-301", {"websocket": ("fail", ("301", "redirect"))}, "ws301", websocket=True),
    Scenario("ws-404", {"websocket": ("fail", ("404", "path"))}, "ws404", websocket=True),
    Scenario("ws-200", {"websocket": ("fail", ("200 OK",))}, "ws200", websocket=True),
    Scenario(
        "ws-silent",
        {"websocket": ("fail", ("no answer to the upgrade",))},
        "wssilent",
        websocket=True,
    ),
    Scenario("ws-evil", {"websocket": ("fail", ("403 Forbidden\\x1b",))}, "wsevil", websocket=True),
    Scenario("ws-1011", {"websocket": ("warn", ("1011", "internal"))}, "ws1011", websocket=True),
    Scenario(
        "ws-partial",
        {"websocket": ("fail", (f"did not end within {TIMEOUT} s", "101 Switching Protocols"))},
        "wspartial",
        websocket=True,
    ),
    Scenario(
        "ws-plainhttp",
        {"tls": ("fail", ("does not speak TLS",)), "websocket": ("skip", ("TLS failed",))},
        "plain",
        websocket=True,
    ),
)


@dataclass
class HostileLab:
    """The running hostile lab: PKI, DNS servers (a main one, a disagreeing one, one on ::1), servers."""

    pki: LabPki
    loop: BackgroundLoop
    dns: DnsServer
    other_dns: DnsServer
    dns6: DnsServer
    tcp_only_dns: DnsServer
    servers: dict[str, LabServer] = field(default_factory=dict)
    refused_port: int = 0

    def port(self, server: str) -> int:
        return self.refused_port if server == "refused" else self.servers[server].port

    def connect_to(self, scenario: Scenario) -> list[str]:
        if scenario.server is None or scenario.route == "none":
            return []
        if scenario.route == "keep-name":
            return ["--connect-to", f"{scenario.host}:443::{self.port(scenario.server)}"]
        return ["--connect-to", f"{scenario.host}:443:127.0.0.1:{self.port(scenario.server)}"]

    def registry_yaml(self, scenarios: tuple[Scenario, ...] = SCENARIOS) -> str:
        """A region registry whose one region holds every scenario host (sockets as socket hosts)."""
        lines = [
            "schema_version: 1",
            "sources:",
            "  lab: {document: tests/lab/hostile.py, version: lab}",
            "common: []",
            "regions:",
            "  - id: hostile",
            "    name_zh: 敌意实验室",
            "    name_en: Hostile lab",
            "    hosts:",
        ]
        for scenario in scenarios:
            if scenario.websocket:
                lines.append(
                    f"      - {{host: {scenario.host}, role: socket, family: wechat, sources: [lab]}}"
                )
            else:
                lines.append(f"      - {{host: {scenario.host}, role: rest, sources: [lab]}}")
        return "\n".join(lines) + "\n"

    def stop(self) -> None:
        async def _stop() -> None:
            for dns in (self.dns, self.other_dns, self.dns6, self.tcp_only_dns):
                await dns.stop()
            for server in self.servers.values():
                await server.stop()

        try:
            self.loop.call(_stop())
        finally:
            self.loop.stop()


def start_hostile_lab(directory: Path) -> HostileLab:
    """Builds the certificates, starts every hostile server, and returns the running lab."""
    pki = LabPki(directory)
    tls12, tls13, tls10 = ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1
    ctx = server_context

    def tls(name: str, app: App = App.GOOD) -> LabServer:
        # Any host of the lab may be sent here (bench/hostile.py sends crowds of them).
        return LabServer(context=ctx(pki.leaf(host(name), f"*.{DOMAIN}")), app=app)

    servers: dict[str, LabServer] = {
        "good": LabServer(context=ctx(pki.leaf(f"*.{DOMAIN}"))),
        "good6": LabServer(context=ctx(pki.leaf(f"*.{DOMAIN}")), host="::1"),
        "plain": LabServer(transport=Transport.PLAIN),
        "garbage": LabServer(transport=Transport.GARBAGE),
        "close": LabServer(transport=Transport.CLOSE),
        "alert": LabServer(transport=Transport.ALERT),
        "alertsni": LabServer(transport=Transport.ALERT_SNI),
        "reset": LabServer(transport=Transport.RESET),
        "silent": LabServer(transport=Transport.SILENT),
        "reversed": LabServer(
            context=ctx(pki.leaf_with_chain(host("tls-reversed"), order="reversed"))
        ),
        "extraexpired": LabServer(
            context=ctx(pki.leaf_with_chain(host("tls-extra-expired"), order="extra-expired"))
        ),
        "withroot": LabServer(
            context=ctx(pki.leaf_with_chain(host("tls-with-root"), order="with-root"))
        ),
        "extra": LabServer(context=ctx(pki.leaf_with_chain(host("tls-extra"), order="extra"))),
        "cnonly": LabServer(
            context=ctx(pki.leaf_with_chain(host("other"), common_name=host("tls-cnonly")))
        ),
        "evilcn": LabServer(
            context=ctx(
                pki.custom_leaf(host("tls-evilcn"), san=False, common_name="evil\nname\x1b[31m")
            )
        ),
        "clientonly": LabServer(
            context=ctx(pki.custom_leaf(host("tls-clientonly"), client_only=True))
        ),
        "nosan": LabServer(context=ctx(pki.custom_leaf(host("tls-nosan"), san=False))),
        "cbconly": LabServer(
            context=ctx(
                pki.leaf(host("tls-cbconly")), maximum=tls12, ciphers="ECDHE-ECDSA-AES128-SHA"
            )
        ),
        "wild": LabServer(context=ctx(pki.leaf(f"*.{host('tls-wild')}"))),
        "wilddeep": LabServer(context=ctx(pki.leaf(f"*.{host('tls-wilddeep')}"))),
        "rsa1024": LabServer(
            context=ctx(pki.custom_leaf(host("tls-rsa1024"), rsa_bits=1024), ciphers=LEGACY_CIPHERS)
        ),
        "sha1": LabServer(
            context=ctx(pki.custom_leaf(host("tls-sha1"), sha1=True), ciphers=LEGACY_CIPHERS)
        ),
        "expiredint": LabServer(
            context=ctx(pki.custom_leaf(host("tls-expiredint"), expired_intermediate=True))
        ),
        "clientcert": LabServer(
            context=ctx(pki.leaf(host("tls-clientcert")), client_ca=pki.ca_bundle)
        ),
        "clientcert12": LabServer(
            context=ctx(pki.leaf(host("tls-clientcert12")), client_ca=pki.ca_bundle, maximum=tls12)
        ),
        "tls13": LabServer(context=ctx(pki.leaf(host("tls-13only")), minimum=tls13)),
        "tls12": LabServer(context=ctx(pki.leaf(host("tls-12only")), maximum=tls12)),
        "tls11": LabServer(
            context=ctx(
                pki.leaf(host("tls-11only")),
                minimum=ssl.TLSVersion.TLSv1_1,
                maximum=ssl.TLSVersion.TLSv1_1,
            )
        ),
        "partialchain": LabServer(
            context=ctx(pki.leaf_with_chain(host("tls-partialchain"), order="partial"))
        ),
        "leafonlyrsa": LabServer(
            context=ctx(
                pki.leaf(
                    host("tls-leafonly-rsa"), send_intermediate=False, key_type=trustme.KeyType.RSA
                )
            )
        ),
        "tls10": LabServer(context=ctx(pki.leaf(host("tls-10only")), minimum=tls10, maximum=tls10)),
        "http500": tls("http-500", App.HTTP_500),
        "http301": tls("http-301", App.HTTP_REDIRECT),
        "hangbody": tls("http-hangbody", App.HTTP_HANG_BODY),
        "http10": tls("http-10close", App.HTTP_10_CLOSE),
        "hugeheader": tls("http-hugeheader", App.HTTP_HUGE_HEADER),
        "httpgarbage": tls("http-garbage", App.HTTP_GARBAGE),
        "httpclose": tls("http-close", App.HTTP_CLOSE),
        "trickle": tls("http-trickle", App.HTTP_TRICKLE),
        "httpsilent": tls("http-silent", App.HTTP_SILENT),
        "wsnoupgrade": tls("ws-noupgrade", App.WS_NO_UPGRADE),
        "wsrst": tls("ws-rst", App.WS_RESET_AFTER_101),
        "wschatty": tls("ws-chatty", App.WS_CHATTY),
        "wsfin": tls("ws-fin", App.WS_FIN_NO_CLOSE),
        "wsnoclose": tls("ws-noclose", App.WS_NO_CLOSE),
        "ws301": tls("ws-301", App.WS_REDIRECT),
        "ws404": tls("ws-404", App.WS_404),
        "ws200": tls("ws-200", App.WS_200),
        "wssilent": tls("ws-silent", App.WS_SILENT),
        "wspartial": tls("ws-partial", App.WS_PARTIAL_HEAD),
        "ws1011": tls("ws-1011", App.WS_CLOSE_1011),
        "wsevil": tls("ws-evil", App.WS_EVIL_STATUS),
        "idleclose": tls("idleclose", App.IDLE_CLOSE),
    }
    local = ZoneEntry(a=("127.0.0.1",))
    zone = {s.host: local for s in SCENARIOS}
    zone.update(
        {
            host("dns-wrongid"): ZoneEntry(a=("127.0.0.1",), behaviour=Behaviour.WRONG_ID),
            host("dns-garbage"): ZoneEntry(behaviour=Behaviour.GARBAGE),
            host("dns-broken"): ZoneEntry(behaviour=Behaviour.BROKEN),
            host("dns-tc-tcp"): ZoneEntry(a=("127.0.0.1",), behaviour=Behaviour.TRUNCATED),
            host("dns-tc-notcp"): ZoneEntry(a=("127.0.0.1",), behaviour=Behaviour.TRUNCATED_NO_TCP),
            host("dns-loop1"): ZoneEntry(cname=host("dns-loop2")),
            host("dns-loop2"): ZoneEntry(cname=host("dns-loop1")),
            host("dns-dangling"): ZoneEntry(cname=host("dns-missing")),
            host("dns-v6only"): ZoneEntry(aaaa=("::1",)),
            host("dns-slow"): ZoneEntry(a=("127.0.0.1",), delay=TIMEOUT + 1.0),
            host("dns-refused"): ZoneEntry(behaviour=Behaviour.REFUSED),
            host("dns-notimp"): ZoneEntry(behaviour=Behaviour.NOTIMP),
            host("dns-wrongq"): ZoneEntry(behaviour=Behaviour.WRONG_QUESTION),
            host("dns-nodata"): ZoneEntry(),
            host("dns-blocked"): ZoneEntry(a=("0.0.0.0",)),
            host("xn--bcher-kva"): ZoneEntry(a=("127.0.0.1",)),  # bücher, for an IDN extra
            host("dns-aaaa-dropped"): ZoneEntry(
                a=("127.0.0.1",), behaviour=Behaviour.SILENT, only_for="AAAA"
            ),
            host("dns-servfail-routed"): ZoneEntry(behaviour=Behaviour.SERVFAIL),
            host("http-idleclose"): ZoneEntry(a=("127.0.0.1", "127.0.0.2")),
            host("ws-idleclose"): ZoneEntry(a=("127.0.0.1", "127.0.0.2")),
        }
    )
    # A second resolver that disagrees: other addresses for one host, NXDOMAIN for another.
    other_zone = dict(zone)
    other_zone[host("ws-good")] = ZoneEntry(a=("127.0.0.2",))
    del other_zone[host("http-500")]
    loop = BackgroundLoop()

    async def _start() -> HostileLab:
        dns = await DnsServer(zone).start()
        other = await DnsServer(other_zone).start()
        dns6 = await DnsServer(zone, host="::1").start()
        tcp_only = await DnsServer(zone).start()
        assert tcp_only._transport is not None
        tcp_only._transport.close()  # answers over TCP only: UDP queries meet a closed port
        for server in servers.values():
            await server.start()
        # The idle-closing server's second address: the same port on 127.0.0.2, silent.
        dead = LabServer(transport=Transport.SILENT, host="127.0.0.2")
        dead.port = servers["idleclose"].port
        servers["idleclose-dead"] = await dead.start()
        return HostileLab(pki, loop, dns, other, dns6, tcp_only, servers, refused_port=free_port())

    try:
        return loop.call(_start())
    except BaseException:
        loop.stop()
        raise

"""Hand-built reports shaped like real runs, for the renderer tests, the browser test and bench/.

`alipay_report()` has every status, TLS details with certificate expiry and chains, latencies,
ignored results and text that needs escaping; `wechat_report()` has four console lists.
"""

from __future__ import annotations

from domaincheck.core.model import (
    CheckResult,
    ConsoleList,
    Report,
    Status,
    Vantage,
    Whitelist,
    WhitelistEntry,
)

GENERATED_AT = "2025-06-01T08:30:00Z"


def _tls(
    host: str,
    status: Status,
    message: str,
    not_after: str,
    *,
    intermediate_not_after: str = "2027-03-12T23:59:59+00:00",
    latency: float = 48.0,
    complete: bool = True,
    fix: str | None = None,
) -> CheckResult:
    """A `tls` result shaped like the TLS checker's: negotiated parameters, timings, the sent chain."""
    chain = [
        {"subject": f"CN={host}", "issuer": "CN=GeoTrust CN RSA CA G1", "not_after": not_after},
    ]
    if complete:
        chain.append(
            {
                "subject": "CN=GeoTrust CN RSA CA G1",
                "issuer": "CN=DigiCert Global Root CA",
                "not_after": intermediate_not_after,
            }
        )
    return CheckResult(
        target=host,
        check="tls",
        status=status,
        message=message,
        details={
            "address": "203.0.113.10:443",
            "version": "TLSv1.3",
            "cipher": "TLS_AES_128_GCM_SHA256",
            "alpn": "http/1.1",
            "connect_ms": round(latency * 0.4, 1),
            "handshake_ms": round(latency * 0.6, 1),
            "chain": chain,
        },
        fix=fix,
    )


def _expiry(
    host: str, status: Status, message: str, leaf: str, earliest: str, fix: str | None = None
) -> CheckResult:
    """A `tls.expiry` result shaped like the TLS checker's."""
    return CheckResult(
        host,
        "tls.expiry",
        status,
        message,
        {
            "leaf": {"subject": f"CN={host}", "not_after": leaf},
            "earliest": {
                "subject": "CN=GeoTrust CN RSA CA G1" if earliest != leaf else f"CN={host}",
                "not_after": earliest,
            },
            "warn_days": 30,
            "fail_days": 7,
        },
        fix,
    )


def _dns(host: str, latency: float, addresses: list[str]) -> CheckResult:
    return CheckResult(
        host,
        "dns",
        Status.PASS,
        f"resolves to {', '.join(addresses)}",
        {
            "resolver": "system",
            "a": addresses,
            "aaaa": [],
            "cname_chain": [],
            "elapsed_ms": latency,
        },
    )


def alipay_results() -> tuple[CheckResult, ...]:
    """Results of an Alipay run over 国内1区 and 国内2区 with every status and an ignored finding."""
    return (
        _dns("a1.easemob.com", 12.5, ["203.0.113.10", "203.0.113.11"]),
        _tls(
            "a1.easemob.com",
            Status.PASS,
            "TLSv1.3, chain complete, expires in 284 days",
            "2026-03-12T23:59:59+00:00",
        ),
        CheckResult(
            "a1.easemob.com",
            "tls.ats",
            Status.WARN,
            "iOS App Transport Security would reject: cipher AES128-SHA has no ECDHE forward secrecy",
            {"key": "RSA 2048", "cipher": "AES128-SHA", "problems": ["no forward secrecy"]},
            "use ECDHE cipher suites",
            ignored_reason="no iOS users yet",
        ),
        CheckResult(
            "a1.easemob.com",
            "https",
            Status.PASS,
            "HTTP 404 in 118 ms over HTTP/1.1 (reachable)",
            {"status_code": 404, "http_version": "HTTP/1.1", "elapsed_ms": 118.0},
        ),
        _dns("im-api-alipay.easemob.com", 15.0, ["203.0.113.20"]),
        _tls(
            "im-api-alipay.easemob.com",
            Status.PASS,
            "TLSv1.3 with a complete, trusted chain",
            "2025-06-22T12:00:00+00:00",
            latency=61.0,
        ),
        _expiry(
            "im-api-alipay.easemob.com",
            Status.WARN,
            "certificate expires in 21.1 days (2025-06-22); under 30 days",
            "2025-06-22T12:00:00+00:00",
            "2025-06-22T12:00:00+00:00",
            fix="renew the certificate soon",
        ),
        CheckResult(
            "im-api-alipay.easemob.com",
            "websocket",
            Status.PASS,
            "upgrade to WebSocket on /websocket in 212 ms (101, Accept correct)",
            {"path": "/websocket", "status_code": 101, "elapsed_ms": 212.0},
        ),
        _dns("im-api-alipay.easecdn.com", 31.0, ["198.51.100.7"]),
        _tls(
            "im-api-alipay.easecdn.com",
            Status.FAIL,
            "incomplete chain: the server sent only the leaf; Android clients will fail",
            "2025-11-30T23:59:59+00:00",
            latency=95.0,
            complete=False,
            fix="Serve the full chain (leaf + GeoTrust CN RSA CA G1) on im-api-alipay.easecdn.com.",
        ),
        CheckResult(
            "im-api-alipay.easecdn.com",
            "websocket",
            Status.SKIP,
            "skipped: TLS failed",
        ),
        CheckResult(
            "a31.easemob.com",
            "dns",
            Status.ERROR,
            "DNS timeout after 5.0 s from 223.5.5.5",
            {"resolver": "223.5.5.5", "timeout_s": 5.0},
            fix="Check the resolver is reachable, or pass --resolver.",
        ),
        CheckResult("a31.easemob.com", "tls", Status.SKIP, "skipped: DNS failed"),
        CheckResult("a31.easemob.com", "https", Status.SKIP, "skipped: DNS failed"),
        _dns("rs.easemob.com", 9.0, ["203.0.113.30"]),
        _tls(
            "rs.easemob.com",
            Status.PASS,
            "TLSv1.3 with a complete, trusted chain",
            "2025-08-15T23:59:59+00:00",
            intermediate_not_after="2025-07-10T00:00:00+00:00",
            latency=40.0,
        ),
        CheckResult(
            "rs.easemob.com",
            "tls.protocol",
            Status.INFO,
            "negotiates TLSv1.3; TLS 1.0 and 1.1 are still accepted",
            {"negotiated": "TLSv1.3", "legacy": ["TLSv1", "TLSv1.1"]},
        ),
        CheckResult(
            "rs.easemob.com",
            "https",
            Status.PASS,
            "HTTP 200 in 88 ms over HTTP/1.1 (reachable)",
            {"status_code": 200, "http_version": "HTTP/1.1", "elapsed_ms": 88.0},
        ),
        _dns("im-api-alipay-31.easemob.com", 14.0, ["203.0.113.40"]),
        _tls(
            "im-api-alipay-31.easemob.com",
            Status.PASS,
            "TLSv1.2, chain complete, expires in 120 days",
            "2025-09-29T23:59:59+00:00",
        ),
        CheckResult(
            "im-api-alipay-31.easemob.com",
            "websocket",
            Status.FAIL,
            'upgrade refused: HTTP 403 "<html>Forbidden & denied</html>"',
            {"path": "/websocket", "status_code": 403, "elapsed_ms": 150.0},
            fix="Allow WebSocket upgrades on /websocket at the load balancer.",
        ),
        CheckResult(
            "http://localhost:8080/<api>",
            "whitelist.scheme",
            Status.FAIL,
            'entry "http://localhost:8080/<api>" uses http; Alipay accepts https only',
            {"entry": "http://localhost:8080/<api>", "source": "extra"},
            fix="Serve the API over https and list the bare host.",
        ),
        CheckResult(
            "http://localhost:8080/<api>",
            "whitelist.localhost",
            Status.FAIL,
            "localhost cannot be whitelisted",
            {"entry": "http://localhost:8080/<api>"},
            fix="Use a public host name with an ICP filing.",
            ignored_reason="only used by the local mock server",
        ),
        CheckResult(
            "whitelist",
            "whitelist.count",
            Status.WARN,
            "31 entries: over Alipay's limit of 30 per app",
            {"count": 31, "limit": 30},
            fix="Use --compact to cover the same hosts with registrable domains.",
            ignored_reason="ISV account: the limit is 50",
        ),
        CheckResult(
            "api.myapp.com",
            "whitelist.duplicate",
            Status.WARN,
            "api.myapp.com is listed twice",
            {"entry": "api.myapp.com"},
            fix="Remove the second api.myapp.com.",
        ),
    )


def alipay_whitelist() -> Whitelist:
    hosts = [
        ("a1.easemob.com", ("easemob-integration-2024",)),
        ("a1.easecdn.com", ("easemob-integration-2024",)),
        ("im-api-alipay.easemob.com", ("easemob-integration-2024",)),
        ("im-api-alipay.easecdn.com", ("easemob-integration-2024",)),
        ("a31.easemob.com", ("easemob-dc-table",)),
        ("im-api-alipay-31.easemob.com", ("easemob-dc-table",)),
        ("rs.easemob.com", ("easemob-integration-2024",)),
        ("api.myapp.com", ("extra",)),
    ]
    return Whitelist(
        platform="alipay",
        regions=("cn1", "cn2"),
        entries=tuple(
            WhitelistEntry(host, ConsoleList.WHITELIST, (host,), sources) for host, sources in hosts
        ),
        notes=("Alipay applies a changed list only to builds uploaded after the change.",),
    )


def alipay_report(**overrides: object) -> Report:
    """The Alipay fixture report: 25 results over 9 targets, every status, three ignored."""
    fields: dict[str, object] = {
        "tool_version": "0.1.0",
        "generated_at": GENERATED_AT,
        "command": (
            "domaincheck",
            "check",
            "--platform",
            "alipay",
            "--region",
            "cn1",
            "--region",
            "cn2",
            "--extra",
            "http://localhost:8080/<api>",
        ),
        "platform": "alipay",
        "regions": ("cn1", "cn2"),
        "results": alipay_results(),
        "whitelist": alipay_whitelist(),
        "ignored_rules": {
            "whitelist.localhost": "only used by the local mock server",
            "whitelist.count": "ISV account: the limit is 50",
            "tls.ats": "no iOS users yet",
            "whitelist.icp-filing": "filing checked by hand before each release",
        },
        "duration_s": 5.42,
    }
    fields.update(overrides)
    return Report(**fields)  # type: ignore[arg-type]


def wechat_report() -> Report:
    """A WeChat run over 国内1区 where everything passes, with four console lists."""
    request_hosts = ["a1.easemob.com", "a2.easemob.com", "rs.chat.agora.io"]
    results: list[CheckResult] = []
    for index, host in enumerate([*request_hosts, "im-api-wechat.easemob.com"]):
        results.append(_dns(host, 10.0 + index, [f"203.0.113.{50 + index}"]))
        results.append(
            _tls(
                host,
                Status.PASS,
                "TLSv1.3, chain complete",
                "2026-01-15T23:59:59+00:00",
                latency=35.0 + 7 * index,
            )
        )
        if host.startswith("im-api"):
            results.append(
                CheckResult(
                    host, "websocket", Status.PASS, "upgrade in 180 ms", {"elapsed_ms": 180.0}
                )
            )
        else:
            results.append(
                CheckResult(
                    host, "https", Status.PASS, "HTTP 404 in 90 ms", {"elapsed_ms": 90.0 + index}
                )
            )
    entries = [
        *(
            WhitelistEntry(f"https://{h}", ConsoleList.REQUEST, (h,), ("wechat-doc",))
            for h in request_hosts
        ),
        WhitelistEntry(
            "wss://im-api-wechat.easemob.com",
            ConsoleList.SOCKET,
            ("im-api-wechat.easemob.com",),
            ("wechat-doc",),
        ),
        WhitelistEntry(
            "https://a1.easemob.com", ConsoleList.UPLOAD_FILE, ("a1.easemob.com",), ("wechat-doc",)
        ),
        WhitelistEntry(
            "https://a1.easemob.com",
            ConsoleList.DOWNLOAD_FILE,
            ("a1.easemob.com",),
            ("wechat-doc",),
        ),
        WhitelistEntry(
            "https://a1-chatfile.easemob.com",
            ConsoleList.DOWNLOAD_FILE,
            ("a1-chatfile.easemob.com",),
            ("wechat-doc",),
            note="file download host",
        ),
    ]
    return Report(
        tool_version="0.1.0",
        generated_at=GENERATED_AT,
        command=("domaincheck", "check", "--platform", "wechat", "--region", "cn1"),
        platform="wechat",
        regions=("cn1",),
        results=tuple(results),
        whitelist=Whitelist("wechat", ("cn1",), tuple(entries)),
        vantage=Vantage(
            "hangzhou", ("alidns https://dns.alidns.com/dns-query",), "socks5h://10.0.0.7:1080"
        ),
    )


def large_report(n_hosts: int = 125) -> Report:
    """A report with 4 results per host (500 for the default), for bench/ and size checks."""
    results: list[CheckResult] = []
    statuses = (Status.PASS, Status.PASS, Status.PASS, Status.WARN, Status.FAIL, Status.ERROR)
    for i in range(n_hosts):
        host = f"h{i:04d}.example-{i % 7}.com"
        results.append(_dns(host, 5.0 + i % 40, [f"198.51.100.{i % 250}"]))
        status = statuses[i % len(statuses)]
        results.append(
            _tls(
                host,
                status,
                f"{status.value}: certificate check",
                f"2025-{1 + i % 12:02d}-15T00:00:00Z",
                latency=20.0 + i % 90,
            )
        )
        results.append(
            CheckResult(host, "https", Status.PASS, "HTTP 200", {"elapsed_ms": 50.0 + i % 200})
        )
        results.append(CheckResult(host, "whitelist.port", Status.PASS, "no port"))
    entries = tuple(
        WhitelistEntry(
            f"h{i:04d}.example-{i % 7}.com",
            ConsoleList.WHITELIST,
            (f"h{i:04d}.example-{i % 7}.com",),
        )
        for i in range(n_hosts)
    )
    return Report(
        tool_version="0.1.0",
        generated_at=GENERATED_AT,
        command=("domaincheck", "check"),
        platform="alipay",
        regions=("cn1",),
        results=tuple(results),
        whitelist=Whitelist("alipay", ("cn1",), entries),
    )


def html_edge_results() -> tuple[CheckResult, ...]:
    """Results that stretch the HTML report: a certificate that is not valid yet, a probe that timed
    out after 2 s among answers in tens of milliseconds, and a long host name."""
    not_yet = "cert-not-yet.example.com"
    slow = "im-api-alipay-very-long-cluster-name-31.eu-west.easemob.com"
    leaf = {
        "subject": f"CN={not_yet}",
        "issuer": "CN=GeoTrust CN RSA CA G1",
        "not_before": "2025-06-20T00:00:00+00:00",
        "not_after": "2026-06-20T23:59:59+00:00",
    }
    return (
        _dns(not_yet, 11.0, ["203.0.113.60"]),
        CheckResult(
            not_yet,
            "tls",
            Status.FAIL,
            "TLS: certificate not trusted: certificate is not yet valid",
            {"connect_ms": 20.0, "handshake_ms": 30.0, "chain": [leaf]},
            fix="install a certificate that is valid now (or fix the server's clock)",
        ),
        CheckResult(
            not_yet,
            "tls.expiry",
            Status.FAIL,
            f"certificate '{not_yet}' is not valid yet: valid from 2025-06-20 00:00 UTC",
            {
                "leaf": {"subject": f"CN={not_yet}", "not_after": leaf["not_after"]},
                "earliest": {"subject": f"CN={not_yet}", "not_after": leaf["not_after"]},
            },
        ),
        _dns(slow, 18.0, ["203.0.113.70"]),
        _tls(
            slow, Status.PASS, "TLSv1.3 with a complete, trusted chain", "2026-01-10T00:00:00+00:00"
        ),
        CheckResult(
            slow,
            "https",
            Status.FAIL,
            "HTTPS request failed: TLS up, but no HTTP answer within 2 s",
            {"kind": "timeout", "elapsed_ms": 2004.0},
        ),
    )

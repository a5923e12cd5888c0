"""The public resolvers users compare, by name: their plain, DoH and DoT addresses, with a source.

`--resolver alidns` asks AliDNS over UDP, `--resolver alidns:doh` over DNS-over-HTTPS and
`--resolver alidns:dot` over DNS-over-TLS. The addresses are the providers' own published ones
(each record's `source`); a provider that publishes no DoH or DoT endpoint has None there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResolverPreset:
    """A public resolver: its plain addresses, DoH URL, DoT host name, and where that is published."""

    name: str
    title: str
    addresses: tuple[str, ...]
    doh: str | None
    dot: str | None  # the DoT server's name (SNI and certificate); connected at addresses[0]
    source: str


PRESETS: dict[str, ResolverPreset] = {
    preset.name: preset
    for preset in (
        ResolverPreset(
            "alidns",
            "AliDNS (Alibaba Cloud public DNS)",
            ("223.5.5.5", "223.6.6.6"),
            "https://dns.alidns.com/dns-query",
            "dns.alidns.com",
            "https://www.alibabacloud.com/help/doc-detail/171664.htm (DoH), "
            "https://www.alibabacloud.com/help/doc-detail/171667.htm (DoT)",
        ),
        ResolverPreset(
            "dnspod",
            "DNSPod Public DNS (Tencent)",
            ("119.29.29.29", "119.28.28.28"),
            "https://doh.pub/dns-query",
            "dot.pub",
            "https://docs.dnspod.com/public-dns/",
        ),
        ResolverPreset(
            "114dns",
            "114DNS",
            ("114.114.114.114", "114.114.115.115"),
            None,
            None,
            "https://www.114dns.com/",
        ),
        ResolverPreset(
            "google",
            "Google Public DNS",
            ("8.8.8.8", "8.8.4.4"),
            "https://dns.google/dns-query",
            "dns.google",
            "https://developers.google.com/speed/public-dns/docs/secure-transports",
        ),
        ResolverPreset(
            "cloudflare",
            "Cloudflare 1.1.1.1",
            ("1.1.1.1", "1.0.0.1"),
            "https://cloudflare-dns.com/dns-query",
            "one.one.one.one",
            "https://developers.cloudflare.com/1.1.1.1/encryption/",
        ),
        ResolverPreset(
            "quad9",
            "Quad9",
            ("9.9.9.9", "149.112.112.112"),
            "https://dns.quad9.net/dns-query",
            "dns.quad9.net",
            "https://www.quad9.net/service/service-addresses-and-features",
        ),
    )
}

"""The check catalog: every check id domaincheck reports, declared once with its family, title,
default severity and help text.

Checks name their results by a `CheckId` member, never by a raw string; renderers (SARIF rules, the
HTML report, `domaincheck explain`, docs/checks.md) read titles and help from `CATALOG`. A new check
adds one member to `CheckId` and one `CheckInfo` to `_ENTRIES`; a test proves every member has its
entry and that docs/checks.md is what this module generates. Nothing here imports beyond the
standard library, so importing the catalog costs about a millisecond.

Over 600 lines on purpose: it is one table with a paragraph per id, read top to bottom, and it
grows by one entry per new check; splitting it by family would scatter the one list of ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CATALOG", "CheckFamily", "CheckId", "CheckInfo", "Severity", "check_info"]


class CheckFamily(StrEnum):
    """Which part of domaincheck reports a check: the first part of its id."""

    WHITELIST = "whitelist"
    SDK = "sdk"
    CONSOLE = "console"
    HTTPDNS = "httpdns"
    DNS = "dns"
    TLS = "tls"
    HTTPS = "https"
    WEBSOCKET = "websocket"
    SCAN = "scan"

    @property
    def description(self) -> str:
        """One line on what the family checks, for listings and the docs."""
        return _FAMILY_DESCRIPTIONS[self]

    @property
    def live(self) -> bool:
        """True for the families that probe hosts over the network."""
        return self in (CheckFamily.DNS, CheckFamily.TLS, CheckFamily.HTTPS, CheckFamily.WEBSOCKET)


_FAMILY_DESCRIPTIONS: Mapping[CheckFamily, str] = {
    CheckFamily.WHITELIST: "static checks of the whitelist entries against the platform's rules",
    CheckFamily.SDK: "the SDK's init options, read statically from the app's source",
    CheckFamily.CONSOLE: "the console's current list against the whitelist domaincheck builds",
    CheckFamily.HTTPDNS: "the SDK's HTTP-DNS answer: fetched, read and checked against the whitelist",
    CheckFamily.DNS: "live: each host resolves",
    CheckFamily.TLS: "live: the TLS handshake, certificate and chain a phone accepts",
    CheckFamily.HTTPS: "live: request hosts answer HTTPS",
    CheckFamily.WEBSOCKET: "live: socket hosts complete a WebSocket upgrade",
    CheckFamily.SCAN: "the app's own source: every host it contacts, held to the whitelist",
}


class Severity(StrEnum):
    """How bad a finding of a check usually is: the worst status it gives when it fires.

    A result's own status is what counts for the gate; this is the rule's default, as SARIF's
    `defaultConfiguration.level` (fail → error, warn → warning, info → note).
    """

    FAIL = "fail"
    WARN = "warn"
    INFO = "info"

    @property
    def sarif_level(self) -> str:
        return {"fail": "error", "warn": "warning", "info": "note"}[self.value]


class CheckId(StrEnum):
    """The stable id of every check; reports, SARIF, ignore lists and `explain` use them."""

    # Static checks of the whitelist entries.
    WHITELIST_SCHEME = "whitelist.scheme"
    WHITELIST_IP_LITERAL = "whitelist.ip-literal"
    WHITELIST_LOCALHOST = "whitelist.localhost"
    WHITELIST_PORT = "whitelist.port"
    WHITELIST_PATH = "whitelist.path"
    WHITELIST_WILDCARD = "whitelist.wildcard"
    WHITELIST_HOSTNAME = "whitelist.hostname"
    WHITELIST_PUBLIC_SUFFIX = "whitelist.public-suffix"
    WHITELIST_RESERVED = "whitelist.reserved"
    WHITELIST_ENTRY_FORM = "whitelist.entry-form"
    WHITELIST_DUPLICATE = "whitelist.duplicate"
    WHITELIST_COVERED = "whitelist.covered"
    WHITELIST_COUNT = "whitelist.count"
    WHITELIST_COMPACTABLE = "whitelist.compactable"
    WHITELIST_REGION_HOSTS = "whitelist.region-hosts"
    WHITELIST_ICP_FILING = "whitelist.icp-filing"
    # The SDK's init options.
    SDK_CONFIG_FOUND = "sdk.config.found"
    SDK_CONFIG_NOT_STATIC = "sdk.config.not_static"
    SDK_CONFIG_PARTIAL = "sdk.config.partial"
    SDK_VALUE_NOT_STATIC = "sdk.value.not_static"
    SDK_APPKEY_MISSING = "sdk.appkey.missing"
    SDK_APPKEY_FORMAT = "sdk.appkey.format"
    SDK_APPKEY_APPNAME = "sdk.appkey.appname"
    SDK_APPKEY_ORGNAME = "sdk.appkey.orgname"
    SDK_APPKEY_MISMATCH = "sdk.appkey.mismatch"
    SDK_URL_MISSING = "sdk.url.missing"
    SDK_URL_SCHEME = "sdk.url.scheme"
    SDK_URL_PATH = "sdk.url.path"
    SDK_URL_HOST = "sdk.url.host"
    SDK_URL_WHITELIST = "sdk.url.whitelist"
    SDK_APIURL_MISSING = "sdk.apiurl.missing"
    SDK_APIURL_SCHEME = "sdk.apiurl.scheme"
    SDK_APIURL_PATH = "sdk.apiurl.path"
    SDK_APIURL_HOST = "sdk.apiurl.host"
    SDK_APIURL_WHITELIST = "sdk.apiurl.whitelist"
    SDK_REGION_MISMATCH = "sdk.region.mismatch"
    SDK_HTTPS_DISABLED = "sdk.https.disabled"
    SDK_HTTPS_MISSING = "sdk.https.missing"
    SDK_HTTPDNS_ENABLED = "sdk.httpdns.enabled"
    SDK_HTTPDNS_WHITELIST = "sdk.httpdns.whitelist"
    SDK_HEARTBEAT_UNIT = "sdk.heartbeat.unit"
    SDK_HEARTBEAT_RANGE = "sdk.heartbeat.range"
    SDK_RECONNECT_ZERO = "sdk.reconnect.zero"
    SDK_OPTION_TYPE = "sdk.option.type"
    SDK_OPTION_IGNORED = "sdk.option.ignored"
    SDK_OPTION_UNKNOWN = "sdk.option.unknown"
    SDK_OPTION_CUSTOM_OS_PLATFORM = "sdk.option.custom_os_platform"
    # The console's current list.
    CONSOLE_MISSING = "console.missing"
    CONSOLE_EXTRA = "console.extra"
    # The HTTP-DNS answer.
    HTTPDNS_FETCH = "httpdns.fetch"
    HTTPDNS_ANSWER = "httpdns.answer"
    HTTPDNS_HOST_IP = "httpdns.host.ip"
    HTTPDNS_HOST_REFUSED = "httpdns.host.refused"
    HTTPDNS_WHITELIST = "httpdns.whitelist"
    # Live probes.
    DNS = "dns"
    DNS_NETWORK = "dns.network"
    DNS_CONSISTENCY = "dns.consistency"
    DNS_RESOLVER = "dns.resolver"
    TLS = "tls"
    TLS_PROTOCOL = "tls.protocol"
    TLS_EXPIRY = "tls.expiry"
    TLS_ATS = "tls.ats"
    HTTPS = "https"
    WEBSOCKET = "websocket"
    # The source scan.
    SCAN_HOST = "scan.host"
    SCAN_HOST_UNCOVERED = "scan.host.uncovered"
    SCAN_LEFTOVER = "scan.leftover"
    SCAN_DYNAMIC = "scan.dynamic"
    SCAN_URLCHECK_OFF = "scan.urlcheck.off"
    SCAN_UNUSED_ENTRY = "scan.unused-entry"
    SCAN_WEB_VIEW = "scan.web-view"
    SCAN_PARSE_ERROR = "scan.parse-error"
    SCAN_SKIPPED = "scan.skipped"

    @property
    def family(self) -> CheckFamily:
        return CheckFamily(self.value.split(".", 1)[0])

    @property
    def info(self) -> CheckInfo:
        """The catalog entry: title, severity, help."""
        return CATALOG[self]


@dataclass(frozen=True)
class CheckInfo:
    """One catalog entry: what a check is called, how bad its findings usually are, and a paragraph
    on what it checks and how to fix a finding."""

    id: CheckId
    severity: Severity
    title: str
    help: str

    @property
    def family(self) -> CheckFamily:
        return self.id.family


_FAIL, _WARN, _INFO = Severity.FAIL, Severity.WARN, Severity.INFO

_ENTRIES: tuple[CheckInfo, ...] = (
    # -- whitelist.* --------------------------------------------------------------------------
    CheckInfo(
        CheckId.WHITELIST_SCHEME,
        _FAIL,
        "Entry scheme not allowed",
        "Mini programs reach servers over https (request, uploadFile, downloadFile) and wss "
        "(socket) only, plus udp:// and tcp on WeChat's udp and tcp lists; http:// and ws:// entries "
        "are rejected, and each console list takes its own scheme.",
    ),
    CheckInfo(
        CheckId.WHITELIST_IP_LITERAL,
        _FAIL,
        "IP address instead of a domain",
        "No platform accepts an IP address in the whitelist, and Alipay's my.request does not call "
        "IP addresses at all; give the server a domain name with a certificate for it.",
    ),
    CheckInfo(
        CheckId.WHITELIST_LOCALHOST,
        _FAIL,
        "localhost or loopback address",
        "localhost and 127.0.0.1 / ::1 name the phone itself, never your server; consoles reject "
        "them.",
    ),
    CheckInfo(
        CheckId.WHITELIST_PORT,
        _FAIL,
        "Port in an entry",
        "WeChat, QQ and Douyin accept a port on https entries but then match it exactly (`:443` is "
        "not the same as no port); socket entries need none (WeChat allows every socket port; QQ "
        "and Douyin do not say so, so a port other than 443 warns); Baidu allows no port; Alipay "
        "takes bare hosts; Taobao wants the port with the host when the URL names one.",
    ),
    CheckInfo(
        CheckId.WHITELIST_PATH,
        _WARN,
        "Path in an entry",
        "Consoles take a host (with scheme where the console wants one), never a path, query or "
        "fragment.",
    ),
    CheckInfo(
        CheckId.WHITELIST_WILDCARD,
        _FAIL,
        "Wildcard entry",
        "No platform accepts `*.` wildcards; list each host (on Alipay, the registrable domain "
        "covers its subdomains).",
    ),
    CheckInfo(
        CheckId.WHITELIST_HOSTNAME,
        _FAIL,
        "Invalid hostname or IDNA",
        "An entry must be a fully qualified DNS name: letters, digits and hyphens, labels of at "
        "most 63 characters, at most 253 in all; a Unicode name must be valid IDNA.",
    ),
    CheckInfo(
        CheckId.WHITELIST_PUBLIC_SUFFIX,
        _FAIL,
        "Entry is a public suffix",
        "A public suffix (com, co.uk, github.io) is nobody's domain; list your own registrable "
        "domain or host.",
    ),
    CheckInfo(
        CheckId.WHITELIST_RESERVED,
        _FAIL,
        "Reserved domain",
        "The platform's own API domains (api.weixin.qq.com, api.q.qq.com, openapi.baidu.com) "
        "cannot be configured; call them from your server instead.",
    ),
    CheckInfo(
        CheckId.WHITELIST_ENTRY_FORM,
        _INFO,
        "Entry not in the console's form",
        "Alipay's API and console take a bare host (example.com); WeChat-style consoles take "
        "https://host or wss://host.",
    ),
    CheckInfo(
        CheckId.WHITELIST_DUPLICATE,
        _WARN,
        "Duplicate entry",
        "The same entry twice (after folding case, trailing dots and IDNA) wastes a slot.",
    ),
    CheckInfo(
        CheckId.WHITELIST_COVERED,
        _WARN,
        "Entry already covered by a registrable domain",
        "Alipay matches by registrable domain (一级域名): with easemob.com listed, a1.easemob.com "
        "adds nothing.",
    ),
    CheckInfo(
        CheckId.WHITELIST_COUNT,
        _FAIL,
        "Number of entries against the console's limit",
        "Alipay takes 30 entries per app (50 for ISV templates); WeChat 200 per list (older docs: "
        "20; DNS预解析域名 5); Douyin, Baidu and QQ 20 per list; Taobao 10 approved domains. Over "
        "the limit, the finding names the easecdn.com alternatives and what each region alone "
        "needs: fewer regions per build, or leaving out the alternatives (and their fallback).",
    ),
    CheckInfo(
        CheckId.WHITELIST_COMPACTABLE,
        _INFO,
        "Entries could share a registrable domain",
        "On Alipay one registrable-domain entry covers all its hosts; `domaincheck whitelist "
        "--compact` prints the shortest list.",
    ),
    CheckInfo(
        CheckId.WHITELIST_REGION_HOSTS,
        _FAIL,
        "Region without public hosts",
        "国内VIP区 and 客服专用 have no published hosts: ask the Easemob account manager and add "
        "them as extra domains.",
    ),
    CheckInfo(
        CheckId.WHITELIST_ICP_FILING,
        _INFO,
        "ICP filing (备案) not checked",
        "Every platform requires whitelisted domains to be ICP-filed; that cannot be checked "
        "offline.",
    ),
    # -- sdk.* --------------------------------------------------------------------------------
    CheckInfo(
        CheckId.SDK_CONFIG_FOUND,
        _INFO,
        "SDK options found",
        "domaincheck found the options object of the Easemob SDK (new WebIM.connection({...}), an "
        "exported config object, or a JSON/YAML file) and read its literal values.",
    ),
    CheckInfo(
        CheckId.SDK_CONFIG_NOT_STATIC,
        _WARN,
        "SDK options cannot be read statically",
        "The options object is built at run time (a call, a variable from another module), so its "
        "values cannot be checked without running the app. Write it as an object literal or point "
        "sdk_config at the file that holds the literal.",
    ),
    CheckInfo(
        CheckId.SDK_CONFIG_PARTIAL,
        _INFO,
        "Part of the SDK options not checked",
        "Spreads and Object.assign() arguments that are not same-file objects (...base from "
        "another module) and computed keys may set options domaincheck did not see.",
    ),
    CheckInfo(
        CheckId.SDK_VALUE_NOT_STATIC,
        _WARN,
        "Option value cannot be checked statically",
        "A variable, member expression, call or template string with ${...} is only known at run "
        "time; domaincheck never guesses it. Check it by hand or write it as a literal.",
    ),
    CheckInfo(
        CheckId.SDK_APPKEY_MISSING,
        _FAIL,
        "appKey missing",
        "Without appKey (or appId) the SDK throws `Invalid appKey` when the connection is created.",
    ),
    CheckInfo(
        CheckId.SDK_APPKEY_FORMAT,
        _FAIL,
        "appKey form",
        "The SDK splits appKey at '#' and throws unless there are exactly two parts: "
        "orgname#appname, copied from the console (应用详情). Empty parts pass the SDK but send "
        "every call to a wrong path.",
    ),
    CheckInfo(
        CheckId.SDK_APPKEY_APPNAME,
        _FAIL,
        "appKey app name",
        "The console allows only lowercase letters, digits and hyphens in an app name, at most 32 "
        "characters; an app name outside that rule is a typo.",
    ),
    CheckInfo(
        CheckId.SDK_APPKEY_ORGNAME,
        _WARN,
        "appKey org name",
        "No character rule is published for org names; letters, digits and hyphens are what real "
        "appKeys use, so anything else is only a warning.",
    ),
    CheckInfo(
        CheckId.SDK_APPKEY_MISMATCH,
        _FAIL,
        "appKey differs from the project file",
        "The SDK config and domaincheck.yaml name different apps; the HTTP-DNS answer and the "
        "checks then describe another app than the one shipped.",
    ),
    CheckInfo(
        CheckId.SDK_URL_MISSING,
        _FAIL,
        "url missing with HTTP-DNS off",
        "With isHttpDNS: false the SDK connects to `url`; without it there is no socket server.",
    ),
    CheckInfo(
        CheckId.SDK_URL_SCHEME,
        _FAIL,
        "url scheme",
        "Mini programs open sockets over wss:// only (Alipay error 20, WeChat's socket list).",
    ),
    CheckInfo(
        CheckId.SDK_URL_PATH,
        _FAIL,
        "url path",
        "The Easemob socket servers listen on /websocket; one uni-app doc version has the typo "
        "/websocket/websocket.",
    ),
    CheckInfo(
        CheckId.SDK_URL_HOST,
        _FAIL,
        "url host of the region and platform family",
        "url must be a socket host of the app's data centre and of the platform's family: "
        "im-api-alipay* on Alipay, im-api-wechat* on WeChat, QQ, Baidu and Douyin.",
    ),
    CheckInfo(
        CheckId.SDK_URL_WHITELIST,
        _FAIL,
        "url host in the whitelist",
        "The socket host must be let through by the console's socket list (Alipay: its one list), "
        "under the platform's matching rule.",
    ),
    CheckInfo(
        CheckId.SDK_APIURL_MISSING,
        _FAIL,
        "apiUrl missing with HTTP-DNS off",
        "With isHttpDNS: false the SDK sends REST calls (login, history, files) to `apiUrl`.",
    ),
    CheckInfo(
        CheckId.SDK_APIURL_SCHEME,
        _FAIL,
        "apiUrl scheme",
        "Mini programs call https:// only; http and IP addresses are refused.",
    ),
    CheckInfo(
        CheckId.SDK_APIURL_PATH,
        _FAIL,
        "apiUrl path",
        "The SDK appends /org/app/... to apiUrl, so it must be the bare origin: no path, no "
        "trailing slash.",
    ),
    CheckInfo(
        CheckId.SDK_APIURL_HOST,
        _FAIL,
        "apiUrl host of the region",
        "apiUrl must be the REST host of the app's data centre (国内1区 a1.easemob.com, ...).",
    ),
    CheckInfo(
        CheckId.SDK_APIURL_WHITELIST,
        _FAIL,
        "apiUrl host in the whitelist",
        "The REST host must be let through by the request list; uploads and attachment downloads "
        "also go to it, so WeChat-style consoles need it in uploadFile and downloadFile too.",
    ),
    CheckInfo(
        CheckId.SDK_REGION_MISMATCH,
        _FAIL,
        "url and apiUrl from different data centres",
        "Both must come from the same row of the data-centre table; a mix logs in on one cluster "
        "and connects to another.",
    ),
    CheckInfo(
        CheckId.SDK_HTTPS_DISABLED,
        _FAIL,
        "https flag",
        "With https: false the SDK picks http hosts and ws:// URLs, which no mini-program platform "
        "allows. Set https: true.",
    ),
    CheckInfo(
        CheckId.SDK_HTTPS_MISSING,
        _WARN,
        "https flag not set on an older SDK",
        "SDK 4.11 and older default https to false on mini programs; set https: true.",
    ),
    CheckInfo(
        CheckId.SDK_HTTPDNS_ENABLED,
        _WARN,
        "HTTP-DNS on a mini program",
        "SDK 4.12 and later default isHttpDNS to true and then ignore url and apiUrl, using the "
        "hosts of the HTTP-DNS answer (rs.easemob.com, rs.chat.agora.io) instead; the Easemob docs "
        "say to set isHttpDNS: false on mini programs.",
    ),
    CheckInfo(
        CheckId.SDK_HTTPDNS_WHITELIST,
        _FAIL,
        "HTTP-DNS servers in the whitelist",
        "With HTTP-DNS on, the SDK first calls https://rs.easemob.com and then "
        "https://rs.chat.agora.io; both must be in the request list.",
    ),
    CheckInfo(
        CheckId.SDK_HEARTBEAT_UNIT,
        _WARN,
        "heartBeatWait in seconds",
        "heartBeatWait is in milliseconds (default 30000); an older doc said seconds, so values "
        "under 1000 are probably seconds.",
    ),
    CheckInfo(
        CheckId.SDK_HEARTBEAT_RANGE,
        _WARN,
        "heartBeatWait range",
        "Values far from the default 30000 ms either wake the phone needlessly or let idle "
        "connections drop; thresholds.heartbeat_min_ms/max_ms set the range.",
    ),
    CheckInfo(
        CheckId.SDK_RECONNECT_ZERO,
        _WARN,
        "autoReconnectNumMax 0",
        "The SDK reads `autoReconnectNumMax || 5`, so 0 silently becomes 5; a negative number "
        "turns reconnects off.",
    ),
    CheckInfo(
        CheckId.SDK_OPTION_TYPE,
        _FAIL,
        "Option of the wrong type",
        'Booleans written as strings are truthy ("false" turns HTTP-DNS on); numbers and URLs '
        "must be numbers and strings.",
    ),
    CheckInfo(
        CheckId.SDK_OPTION_IGNORED,
        _INFO,
        "Option the SDK ignores",
        "Old demos set autoReconnectInterval, isMultiLoginSessions, isAutoLogin, isSandBox, "
        "isWindowSDK; SDK 4.x does not read them (enableReportLogs comes from HTTP-DNS since 4.12).",
    ),
    CheckInfo(
        CheckId.SDK_OPTION_UNKNOWN,
        _WARN,
        "Unknown option",
        "An option SDK 4.x does not read; when it is close to a real one (apiURL for apiUrl) the "
        "real one is probably missing.",
    ),
    CheckInfo(
        CheckId.SDK_OPTION_CUSTOM_OS_PLATFORM,
        _FAIL,
        "customOSPlatform range",
        "The SDK throws `Invalid customOSPlatform` unless it is a number from 1 to 100.",
    ),
    # -- console.* ----------------------------------------------------------------------------
    CheckInfo(
        CheckId.CONSOLE_MISSING,
        _FAIL,
        "Needed host missing from the console",
        "Every host of the whitelist domaincheck builds must be let through by the console's "
        "list under the platform's matching rule, easecdn.com twins, both sides of a documented "
        "dispute and Alipay download hosts included.",
    ),
    CheckInfo(
        CheckId.CONSOLE_EXTRA,
        _INFO,
        "Console entry not needed by the SDK",
        "The entry lets through no host the Easemob SDK needs for the chosen regions; fine for the "
        "app's own domains (list them in extra_domains).",
    ),
    # -- httpdns.* ----------------------------------------------------------------------------
    CheckInfo(
        CheckId.HTTPDNS_FETCH,
        _WARN,
        "HTTP-DNS answer fetched",
        "GET /easemob/server.json?app_key=... from rs.easemob.com, then rs.chat.agora.io, as the "
        "SDK does; a failing first server only warns when the second answers.",
    ),
    CheckInfo(
        CheckId.HTTPDNS_ANSWER,
        _FAIL,
        "HTTP-DNS answer usable",
        "The answer must be a JSON object with https hosts in rest.hosts and msync-wx.hosts "
        "(msync-ws for older builds).",
    ),
    CheckInfo(
        CheckId.HTTPDNS_HOST_IP,
        _FAIL,
        "HTTP-DNS host given as an IP",
        "Mini programs cannot whitelist or call IP addresses.",
    ),
    CheckInfo(
        CheckId.HTTPDNS_HOST_REFUSED,
        _FAIL,
        "HTTP-DNS host outside the vendor's domains",
        "The answer comes from the network, so it never decides alone what is probed: only DNS "
        "names under the vendor's own domains (as the registry knows them), on the ports its hosts "
        "use (443, 8443), and at most 16 per section are checked. Any other host (an IP literal, "
        "localhost, a foreign domain, another port) is reported and never connected to.",
    ),
    CheckInfo(
        CheckId.HTTPDNS_WHITELIST,
        _FAIL,
        "HTTP-DNS answer host in the whitelist",
        "With HTTP-DNS on the SDK connects to the answer's hosts, so each must be let through by "
        "the whitelist.",
    ),
    # -- live probes --------------------------------------------------------------------------
    CheckInfo(
        CheckId.DNS,
        _FAIL,
        "Host resolves",
        "Passes with A and/or AAAA records at every resolver, the CNAME chain followed (a failing "
        "A or AAAA query next to a working one is named). Fails on NXDOMAIN, NODATA, SERVFAIL, a "
        "CNAME loop or 0.0.0.0, and on an address in a private or reserved range (10/8, "
        "172.16/12, 192.168/16, 127/8, 169.254/16, 100.64/10, 198.18/15, 0/8 and the IPv6 "
        "equivalents): a hijacking resolver, a proxy's fake IP or split-horizon DNS, which a phone "
        "would not reach (--allow-private-dns accepts them for a lab; --resolve and --connect-to "
        "addresses are never judged). Errors on a timeout, REFUSED, an unreachable resolver, "
        "replies with a wrong id or that are not DNS, and a truncated answer whose TCP retry "
        "fails. Fix the DNS records of the domain, or correct the host name.",
    ),
    CheckInfo(
        CheckId.DNS_NETWORK,
        _FAIL,
        "This machine can resolve names",
        "When every lookup of every host fails the same way (no resolver reachable, no route, "
        "every query timing out), the run says so once, with what to do (--offline, --resolver, a "
        "proxy), instead of blaming each host's DNS records.",
    ),
    CheckInfo(
        CheckId.DNS_CONSISTENCY,
        _FAIL,
        "Resolvers agree",
        "With several --resolver options (alidns against google:doh), the answers are compared. "
        "Different public addresses are a CDN's geo DNS (info). Trouble names the resolver: one "
        "says NXDOMAIN while another answers, or answers a private, reserved or known-bogus "
        "address of DNS poisoning while another gives public ones (fail); one answers SERVFAIL, "
        "REFUSED or nothing while another answers (warn).",
    ),
    CheckInfo(
        CheckId.DNS_RESOLVER,
        _FAIL,
        "Resolver reachable",
        "Each --resolver (an address, a DoH URL, tls://HOST or a preset such as alidns:doh) is "
        "asked once before the hosts; one that cannot be reached at all (nothing listens, no "
        "route, its TLS certificate is not trusted, no system resolver) is this one error naming "
        "the resolver and why, and is left out, instead of an error on every host. Check the "
        "address, or the network's filter on DNS (UDP 53, TCP 853).",
    ),
    CheckInfo(
        CheckId.TLS,
        _FAIL,
        "TLS a phone accepts",
        "Passes with TLS 1.2+ and SNI on every address, a certificate trusted by certifi's "
        "Mozilla roots (or --ca-bundle), the right host name in the subjectAltName and the "
        "complete chain. Fails on an incomplete chain (the server does not send the intermediate: "
        "Android and mini programs fail even where a browser works), an untrusted CA or root, "
        "self-signed, expired or not yet valid certificates, a wrong host name (also: only in the "
        "CN, which phones ignore), a weak key or SHA-1 signature, a certificate that is not a "
        "server certificate, a client certificate required, SNI not served, only TLS < 1.2, or "
        "not TLS at all (what the port speaks instead); errors when refused, reset, closed or "
        "timed out. Deploy the full chain (fullchain.pem) and renew certificates before they "
        "expire.",
    ),
    CheckInfo(
        CheckId.TLS_PROTOCOL,
        _FAIL,
        "TLS versions offered",
        "Passes when TLS 1.2+ is negotiated and TLS 1.0/1.1 are refused (a second, hand-made "
        "ClientHello offers only the old versions). A server that still accepts TLS 1.0/1.1 is "
        "noted (info); one that speaks only TLS < 1.2 fails. Turn TLS 1.0 and 1.1 off.",
    ),
    CheckInfo(
        CheckId.TLS_EXPIRY,
        _FAIL,
        "Certificate expiry",
        "Passes when the leaf and the earliest-expiring certificate of the chain stay valid for "
        "30 days or more; warns under 30 days and fails under 7, when expired or not yet valid "
        "(--expiry-warn-days, --expiry-fail-days). Renew in time.",
    ),
    CheckInfo(
        CheckId.TLS_ATS,
        _WARN,
        "iOS App Transport Security",
        "Warns about what iOS ATS would reject: RSA keys under 2048 bits or ECC under 256, a SHA-1 "
        "signature, no ECDHE forward secrecy.",
    ),
    CheckInfo(
        CheckId.HTTPS,
        _FAIL,
        "HTTPS answers",
        "A request host must answer an HTTP/1.1 GET (status and time are reported); a 2xx, 3xx "
        "or 4xx status means it is reachable (REST hosts answer 404 on /), a 5xx warns that its "
        "upstream fails. A redirect is judged as the phone's request API, which follows it, "
        "would: on the same host and port it is followed (up to 5, within one more timeout); to "
        "another host or port it passes only when that https URL is covered by the whitelist "
        "under the platform's matching rule (named, not connected to). A redirect to plain "
        "http:// (usually a TLS-terminating proxy that builds http:// URLs), to a host the "
        "whitelist does not cover, a loop or more than 5 redirects fail. Otherwise it says why "
        "it is not reachable: refused, reset, timeout, TLS, closed without a response, a head "
        "that never ends or exceeds 64 KiB, not HTTP.",
    ),
    CheckInfo(
        CheckId.WEBSOCKET,
        _FAIL,
        "WebSocket upgrade completes",
        "A socket host must answer wss://host/websocket with 101 and the right "
        "Sec-WebSocket-Accept (RFC 6455), then close cleanly. Fails with the status line and "
        "body of a 200/403/426, a wrong Accept, no Upgrade or Connection header, or silence; after "
        "a good 101, a reset, a close without a close frame or with a code other than 1000 warns.",
    ),
    # -- scan.* -------------------------------------------------------------------------------
    CheckInfo(
        CheckId.SCAN_HOST,
        _INFO,
        "Host the app's source contacts",
        "A host a network call of the app's own source reaches (request, uploadFile, downloadFile, "
        "connectSocket, or a request library's base URL), with where its URL is written and where "
        "the call is; it passes when an entry of the right console list covers it, and a host only "
        "a development build uses is listed but never required.",
    ),
    CheckInfo(
        CheckId.SCAN_HOST_UNCOVERED,
        _FAIL,
        "Source host not in the whitelist",
        "The app's source contacts this host, but no entry of the console list its call is checked "
        "against covers it under the platform's matching rule, so the call fails on a phone with "
        "不在以下合法域名列表中. Add it to extra_domains (domaincheck init writes the scanned hosts) "
        "and to the console.",
    ),
    CheckInfo(
        CheckId.SCAN_LEFTOVER,
        _FAIL,
        "URL that breaks on a phone",
        "An http:// or ws:// URL, an IP address, localhost, or a port where the platform forbids "
        "one: the developer tools may pass it, a phone refuses it. A warning when only a "
        "development or test branch uses it. Serve it over https/wss on a whitelisted name.",
    ),
    CheckInfo(
        CheckId.SCAN_DYNAMIC,
        _WARN,
        "URL not known statically",
        "A network call whose URL comes from user input, a server answer or anything else that is "
        "only known at run time; domaincheck names the file and line instead of guessing. Make sure "
        "the hosts it can reach are in the whitelist.",
    ),
    CheckInfo(
        CheckId.SCAN_URLCHECK_OFF,
        _WARN,
        "Developer tools' domain check off",
        "setting.urlCheck is false in project.config.json, project.private.config.json or "
        "uni-app's manifest.json (mp-weixin), so the developer tools never tested the whitelist and "
        "a missing host shows up only on a phone. Switch it back on before testing a release.",
    ),
    CheckInfo(
        CheckId.SCAN_UNUSED_ENTRY,
        _INFO,
        "Whitelist entry nothing uses",
        "An extra domain that no call the scan found and no SDK host needs; a console full of stale "
        "entries can be cleaned, unless a URL the scan cannot see (a dynamic one) needs it.",
    ),
    CheckInfo(
        CheckId.SCAN_WEB_VIEW,
        _INFO,
        "Page opened in a web-view",
        "A <web-view src> page is governed by the business-domain list (业务域名), with its "
        "verification file, not by the server-domain lists; it is listed apart and never added to "
        "them.",
    ),
    CheckInfo(
        CheckId.SCAN_PARSE_ERROR,
        _WARN,
        "Source file that does not parse",
        "A script with a syntax error is read as far as the parser could; calls after the error may "
        "be missed. Fix the syntax error, or exclude the file.",
    ),
    CheckInfo(
        CheckId.SCAN_SKIPPED,
        _INFO,
        "Source file not read",
        "A binary file, a file over the size cap, a folder reached twice through a symlink loop, or "
        "a minified bundle (not analysable statically): skipped with this note. Scan a bundle's "
        "sources instead, or exclude it.",
    ),
)

CATALOG: Mapping[CheckId, CheckInfo] = {entry.id: entry for entry in _ENTRIES}


def check_info(check_id: str) -> CheckInfo | None:
    """The entry of an id given as text (a report's, the command line's); None for an unknown id."""
    try:
        return CATALOG[CheckId(check_id)]
    except ValueError:
        return None

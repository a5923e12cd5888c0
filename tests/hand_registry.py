"""A small registry built by hand from the Easemob docs, so core tests do not depend on regions.yaml."""

from __future__ import annotations

from domaincheck.registry.model import (
    HostRole,
    Region,
    Registry,
    RegistryHost,
    SocketFamily,
    Source,
)

LIVE = "alipay-live"  # the live integration page (seed-alipay-miniprogram-integration.txt)
WECHAT = "wechat-doc-v2"  # easemob-doc doc-v2 wechat.md
ALIPAY_NEW = "alipay-18970d6d"  # easemob-doc alipay.md @18970d6d

# The seed integration page's "request 合法域名" list, in the order the whitelist lists it: a1..a5
# and the HTTP-DNS servers. The hand registry's common hosts; tests of regions.yaml and of the CLI
# expect the same hosts.
SEED_REQUEST_HOSTS = (
    "a1.easemob.com",
    "a2.easemob.com",
    "a3.easemob.com",
    "a4.easemob.com",
    "a5.easemob.com",
    "rs.chat.agora.io",
    "rs.easemob.com",
)

ALIPAY = SocketFamily.ALIPAY
WX = SocketFamily.WECHAT


def _h(
    host: str,
    role: HostRole,
    *sources: str,
    family: SocketFamily | None = None,
    alternative_of: str | None = None,
    disputed: str | None = None,
    platforms: tuple[str, ...] = (),
) -> RegistryHost:
    return RegistryHost(
        host=host,
        role=role,
        sources=sources or (LIVE,),
        family=family,
        alternative_of=alternative_of,
        disputed=disputed,
        platforms=platforms,
    )


def make_registry() -> Registry:
    """cn1, cn2 (both sides of the a31 / ngi-a1 dispute), sgp1 and the non-public 国内VIP区."""
    s = HostRole.SOCKET
    cn1 = Region(
        id="cn1",
        name_zh="国内1区",
        name_en="China 1",
        hosts=(
            _h("a1.easemob.com", HostRole.REST),
            _h("im-api-alipay.easemob.com", s, family=ALIPAY),
            _h(
                "im-api-alipay.easecdn.com",
                s,
                family=ALIPAY,
                alternative_of="im-api-alipay.easemob.com",
            ),
            _h("im-api-wechat.easemob.com", s, WECHAT, family=WX),
            _h(
                "im-api-wechat.easecdn.com",
                s,
                WECHAT,
                family=WX,
                alternative_of="im-api-wechat.easemob.com",
            ),
        ),
    )
    dispute = "easemob-doc alipay.md @18970d6d gives ngi-a1 / ngi-im-api-wechat for 国内2区"
    cn2 = Region(
        id="cn2",
        name_zh="国内2区",
        name_en="China 2",
        hosts=(
            _h("a31.easemob.com", HostRole.REST, disputed=dispute),
            _h("ngi-a1.easemob.com", HostRole.REST, ALIPAY_NEW, disputed=dispute),
            _h("im-api-alipay-31.easemob.com", s, family=ALIPAY, disputed=dispute),
            _h("im-api-wechat-31.easemob.com", s, WECHAT, family=WX, disputed=dispute),
            _h("ngi-im-api-wechat.easemob.com", s, ALIPAY_NEW, disputed=dispute),
        ),
    )
    sgp1 = Region(
        id="sgp1",
        name_zh="新加坡1区",
        name_en="Singapore 1",
        hosts=(
            _h("a1-sgp.easemob.com", HostRole.REST),
            _h("a1-sgp.easecdn.com", HostRole.REST, alternative_of="a1-sgp.easemob.com"),
            _h("im-api-alipay-sgp.easemob.com", s, family=ALIPAY),
            _h("im-api-wechat-sgp.easemob.com", s, WECHAT, family=WX),
        ),
    )
    vip = Region(
        id="cn-vip",
        name_zh="国内VIP区",
        name_en="China VIP",
        public=False,
        note="请咨询商务经理 (no public hosts)",
    )
    common = (
        *(_h(f"a{i}.easemob.com", HostRole.REQUEST) for i in range(1, 6)),
        _h("rs.chat.agora.io", HostRole.HTTPDNS),
        _h("rs.easemob.com", HostRole.HTTPDNS),
        _h("a1-chatfile.easemob.com", HostRole.DOWNLOAD, WECHAT),
        _h("a1-v2.easemob.com", HostRole.DOWNLOAD, WECHAT, platforms=("wechat",)),
    )
    sources = {
        LIVE: Source(LIVE, "seed-alipay-miniprogram-integration.txt", "live page"),
        WECHAT: Source(WECHAT, "easemob-doc docs/document/applet/wechat.md", "doc-v2 12fa3b68"),
        ALIPAY_NEW: Source(ALIPAY_NEW, "easemob-doc docs/document/applet/alipay.md", "18970d6d"),
    }
    return Registry(
        path="<hand-built>",
        schema_version=1,
        sources=sources,
        regions=(cn1, cn2, sgp1, vip),
        common=common,
    )

"""The region registry: the built-in regions.yaml against the reference documents, and the loader's
problem reports on damaged registries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from domaincheck.cli import app
from domaincheck.core.errors import RegistryError, UsageError
from domaincheck.core.platforms import Platform
from domaincheck.registry.loader import builtin_registry_path, load_registry, resolve_regions
from domaincheck.registry.model import HostRole, Region, Registry, SocketFamily
from domaincheck.registry.render import REGIONS_RENDERERS, RegionsFormat
from domaincheck.whitelist.profiles import PROFILES, profile_for
from tests.golden_files import GOLDEN, assert_matches_golden
from tests.hand_registry import SEED_REQUEST_HOSTS


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def region(registry: Registry, rid: str) -> Region:
    found = registry.find_region(rid)
    assert found is not None, rid
    return found


def hosts_of(
    registry: Registry, rid: str, role: HostRole, family: SocketFamily | None = None
) -> set[str]:
    return {
        h.host
        for h in region(registry, rid).hosts
        if h.role is role and (family is None or h.family is family)
    }


def selected(registry: Registry, platform: Platform, rid: str) -> set[tuple[str, HostRole]]:
    """Every (host, role) the registry gives `platform` in region `rid` (regional and common)."""
    family = profile_for(platform).socket_family
    chosen = [*region(registry, rid).hosts, *registry.common]
    return {
        (h.host, h.role)
        for h in chosen
        if (h.family is None or h.family is family)
        and (not h.platforms or platform.value in h.platforms)
    }


# --- what the reference documents say (written from the documents, not from regions.yaml) ------

# seed-alipay-miniprogram-integration.txt, the data-centre table: REST and Alipay socket hosts.
SEED_TABLE = {
    "cn1": ({"a1.easemob.com"}, {"im-api-alipay.easemob.com", "im-api-alipay.easecdn.com"}),
    "cn2": ({"a31.easemob.com"}, {"im-api-alipay-31.easemob.com", "im-api-alipay-31.easecdn.com"}),
    "sgp1": (
        {"a1-sgp.easemob.com", "a1-sgp.easecdn.com"},
        {"im-api-alipay-sgp.easemob.com", "im-api-alipay-sgp.easecdn.com"},
    ),
    "sgp2": (
        {"a61.easemob.com", "a61.easecdn.com"},
        {"im-api-alipay-61.easemob.com", "im-api-alipay-61.easecdn.com"},
    ),
    "use1": (
        {"a41.easemob.com", "a41.easecdn.com"},
        {"im-api-alipay-41.easemob.com", "im-api-alipay-41.easecdn.com"},
    ),
    "de2": (
        {"a71.easemob.com", "a71.easecdn.com"},
        {"im-api-alipay-71.easemob.com", "im-api-alipay-71.easecdn.com"},
    ),
}
# The seed page's "request 合法域名" list.
SEED_REQUEST = set(SEED_REQUEST_HOSTS)
# easemob-sdk-and-domains.md §3.1 B: alipay.md @18970d6d, its whitelist and its data-centre table.
ALIPAY_18970D6D = {
    "a1.easemob.com",
    "a1-v2.easemob.com",
    "ngi-a1.easemob.com",
    "a1-sgp.easemob.com",
    "a61.easemob.com",
    "a41.easemob.com",
    "a71.easemob.com",
    "a1-chatfile.easemob.com",
    "im-api-alipay.easemob.com",
    "im-api-alipay.easecdn.com",
    "ngi-im-api-wechat.easemob.com",
    "a1-sgp.easecdn.com",
    "a61.easecdn.com",
    "a41.easecdn.com",
    "a71.easecdn.com",
    "im-api-alipay-sgp.easemob.com",
    "im-api-alipay-sgp.easecdn.com",
    "im-api-alipay-61.easemob.com",
    "im-api-alipay-61.easecdn.com",
    "im-api-alipay-41.easemob.com",
    "im-api-alipay-41.easecdn.com",
    "im-api-alipay-71.easemob.com",
    "im-api-alipay-71.easecdn.com",
}
# §3.2: WeChat (doc-v2 wechat.md) console lists.
WECHAT_REQUEST = {f"a{n}.easemob.com" for n in range(1, 6)} | {"a1-chatfile.easemob.com"}
WECHAT_UPLOAD = {"a1.easemob.com"}
WECHAT_DOWNLOAD = {
    "a1-v2.easemob.com",
    "a4.easemob.com",
    "a1.easemob.com",
    "a4-v2.easemob.com",
    "a3-v2.easemob.com",
    "a5-v2.easemob.com",
    "a2-v2.easemob.com",
    "a1-chatfile.easemob.com",
}
# §3.2: the WeChat-family socket hosts per data centre (WeChat, QQ, Baidu, Douyin, uni-app).
WECHAT_SOCKETS = {
    "cn1": {"im-api-wechat.easemob.com", "im-api-wechat.easecdn.com"},
    "cn2": {"im-api-wechat-31.easemob.com", "im-api-wechat-31.easecdn.com"},
    "sgp1": {"im-api-wechat-sgp.easemob.com", "im-api-wechat-sgp.easecdn.com"},
    "sgp2": {"im-api-wechat-61.easemob.com", "im-api-wechat-61.easecdn.com"},
    "use1": {"im-api-wechat-41.easemob.com", "im-api-wechat-41.easecdn.com"},
    "de2": {"im-api-wechat-71.easemob.com", "im-api-wechat-71.easecdn.com"},
}
# §3.3, data_center.md: the REST hosts of the two Chinese data centres, with easecdn twins.
DATA_CENTER_REST = {
    "cn1": {"a1.easemob.com", "a1.easecdn.com"},
    "cn2": {"a31.easemob.com", "a31.easecdn.com"},
}
A1_TO_A5 = {f"a{n}.easemob.com" for n in range(1, 6)}
HTTPDNS = {"rs.easemob.com", "rs.chat.agora.io"}


# --- the built-in registry ----------------------------------------------------------------------


def test_builtin_registry_loads_with_every_data_centre(registry: Registry) -> None:
    assert [r.id for r in registry.regions] == [
        "cn1",
        "cn2",
        "sgp1",
        "sgp2",
        "use1",
        "de2",
        "vip",
        "cs",
    ]
    assert registry.path == builtin_registry_path()
    assert os.path.basename(registry.path) == "regions.yaml"
    assert registry.schema_version == 1


@pytest.mark.parametrize(
    ("name", "rid"),
    [
        ("cn1", "cn1"),
        ("国内1区", "cn1"),
        ("国内 1 区", "cn1"),
        ("China 1", "cn1"),
        ("CHINA1", "cn1"),
        ("国内2区", "cn2"),
        ("China 2", "cn2"),
        ("新加坡1区", "sgp1"),
        ("Singapore 1", "sgp1"),
        ("新加坡 2 区", "sgp2"),
        ("Singapore 2", "sgp2"),
        ("美东1区", "use1"),
        ("US East 1", "use1"),
        ("德国2区", "de2"),
        ("Germany 2", "de2"),
        ("国内VIP区", "vip"),
        ("国内 VIP 区", "vip"),
        ("客服专用", "cs"),
    ],
)
def test_the_integration_pages_names_resolve(registry: Registry, name: str, rid: str) -> None:
    assert [r.id for r in resolve_regions(registry, [name])] == [rid]


def test_every_name_and_alias_of_the_registry_resolves_to_its_region(registry: Registry) -> None:
    for reg in registry.regions:
        assert len(reg.names) >= 3
        for name in reg.names:
            assert resolve_regions(registry, [name]) == (reg,), name


def test_resolve_keeps_order_and_drops_repeats(registry: Registry) -> None:
    chosen = resolve_regions(registry, ["sgp1", "国内1区", "cn1", "Singapore 1"])
    assert [r.id for r in chosen] == ["sgp1", "cn1"]


def test_unknown_region_names_every_accepted_name(registry: Registry) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_regions(registry, ["cn1", "mars1", "国内9区"])
    message = str(caught.value)
    assert "'mars1'" in message and "'国内9区'" in message
    for reg in registry.regions:
        assert reg.id in message and reg.name_zh in message and reg.name_en in message


@pytest.mark.parametrize("rid", ["vip", "cs"])
def test_vip_and_customer_service_have_no_public_hosts_and_say_what_to_do(
    registry: Registry, rid: str
) -> None:
    reg = region(registry, rid)
    assert reg.public is False
    assert reg.hosts == ()
    assert "请咨询商务经理" in reg.note
    assert "account manager" in reg.note
    assert "domain list" in reg.note


def test_public_regions_have_rest_and_both_socket_families(registry: Registry) -> None:
    for reg in registry.regions:
        if not reg.public:
            continue
        assert reg.socket_path == "/websocket"
        assert hosts_of(registry, reg.id, HostRole.REST)
        assert hosts_of(registry, reg.id, HostRole.SOCKET, SocketFamily.ALIPAY)
        assert hosts_of(registry, reg.id, HostRole.SOCKET, SocketFamily.WECHAT)


def test_cn2_dispute_keeps_both_sides_with_their_sources(registry: Registry) -> None:
    cn2 = region(registry, "cn2")
    by_host = {(h.host, h.family): h for h in cn2.hosts}
    seed_side = [
        by_host[("a31.easemob.com", None)],
        by_host[("im-api-alipay-31.easemob.com", SocketFamily.ALIPAY)],
        by_host[("im-api-alipay-31.easecdn.com", SocketFamily.ALIPAY)],
    ]
    newer_side = [
        by_host[("ngi-a1.easemob.com", None)],
        by_host[("ngi-im-api-wechat.easemob.com", SocketFamily.ALIPAY)],
    ]
    for host in seed_side:
        assert "seed" in host.sources
    for host in newer_side:
        assert "alipay-18970d6d" in host.sources
    for host in cn2.hosts:
        assert host.disputed, host.host
        assert "18970d6d" in host.disputed and "a31" in host.disputed and "ngi-a1" in host.disputed
    # The newer doc gives Alipay a wechat-named socket host for 国内2区: both families list it.
    assert "ngi-im-api-wechat.easemob.com" in hosts_of(
        registry, "cn2", HostRole.SOCKET, SocketFamily.WECHAT
    )
    # No other region is disputed.
    assert not [h for r in registry.regions if r.id != "cn2" for h in r.hosts if h.disputed]


@pytest.mark.parametrize("rid", sorted(SEED_TABLE))
def test_seed_data_centre_table_is_there_exactly(registry: Registry, rid: str) -> None:
    rest, alipay_sockets = SEED_TABLE[rid]
    assert {
        h for h in hosts_of(registry, rid, HostRole.REST) if "seed" in _sources(registry, rid, h)
    } == rest
    from_seed = {h.host for h in region(registry, rid).hosts if "seed" in h.sources}
    assert from_seed == rest | alipay_sockets
    assert alipay_sockets <= hosts_of(registry, rid, HostRole.SOCKET, SocketFamily.ALIPAY)


def _sources(registry: Registry, rid: str, host: str) -> set[str]:
    return {s for h in region(registry, rid).hosts if h.host == host for s in h.sources}


def test_seed_request_list_is_the_common_request_and_httpdns_hosts(registry: Registry) -> None:
    from_seed = {h.host for h in registry.common if "seed" in h.sources}
    assert from_seed == SEED_REQUEST
    assert {h.host for h in registry.common if h.role is HostRole.HTTPDNS} == HTTPDNS
    for platform in PROFILES:
        # The SDK asks the HTTP-DNS servers on every platform; a1..a5 are on every platform's page.
        chosen = selected(registry, platform, "cn1")
        assert {(h, HostRole.HTTPDNS) for h in HTTPDNS} <= chosen
        assert {(h, HostRole.REQUEST) for h in A1_TO_A5} <= chosen


def test_newer_alipay_doc_hosts_are_all_there_and_attributed(registry: Registry) -> None:
    attributed = {
        h.host
        for reg in registry.regions
        for h in (*reg.hosts, *registry.common)
        if "alipay-18970d6d" in h.sources
        and (h.family in (None, SocketFamily.ALIPAY))
        and (not h.platforms or "alipay" in h.platforms)
    }
    assert attributed == ALIPAY_18970D6D
    everything_for_alipay = {
        host for rid in SEED_TABLE for host, _ in selected(registry, Platform.ALIPAY, rid)
    }
    assert everything_for_alipay >= ALIPAY_18970D6D


def test_wechat_console_lists(registry: Registry) -> None:
    chosen = selected(registry, Platform.WECHAT, "cn1")
    common = {
        (h.host, h.role) for h in registry.common if not h.platforms or "wechat" in h.platforms
    }
    assert {h for h, role in common if role is HostRole.REQUEST} == WECHAT_REQUEST
    assert {h for h, role in common if role is HostRole.UPLOAD} == WECHAT_UPLOAD
    assert {h for h, role in common if role is HostRole.DOWNLOAD} == WECHAT_DOWNLOAD
    assert {h for h, role in chosen if role is HostRole.SOCKET} == WECHAT_SOCKETS["cn1"]


@pytest.mark.parametrize(
    "platform", [Platform.WECHAT, Platform.QQ, Platform.BAIDU, Platform.DOUYIN]
)
@pytest.mark.parametrize("rid", sorted(WECHAT_SOCKETS))
def test_wechat_family_sockets_per_region(registry: Registry, platform: Platform, rid: str) -> None:
    sockets = {h for h, role in selected(registry, platform, rid) if role is HostRole.SOCKET}
    assert WECHAT_SOCKETS[rid] <= sockets
    assert not {h for h in sockets if "alipay" in h}
    extra = sockets - WECHAT_SOCKETS[rid]
    assert extra <= {"ngi-im-api-wechat.easemob.com"}  # 国内2区's disputed side only
    assert (rid == "cn2") == bool(extra)


def test_alipay_sockets_are_alipay_hosts_except_the_disputed_cn2_one(registry: Registry) -> None:
    for rid in SEED_TABLE:
        sockets = {
            h for h, role in selected(registry, Platform.ALIPAY, rid) if role is HostRole.SOCKET
        }
        assert sockets - SEED_TABLE[rid][1] <= {"ngi-im-api-wechat.easemob.com"}
        assert SEED_TABLE[rid][1] <= sockets


def test_request_lists_of_qq_baidu_and_douyin(registry: Registry) -> None:
    def request(platform: Platform) -> set[str]:
        return {
            h.host
            for h in registry.common
            if h.role is HostRole.REQUEST and registry.listed_for(platform.value, h.sources)
        }

    assert request(Platform.QQ) == A1_TO_A5
    assert request(Platform.BAIDU) == A1_TO_A5
    assert request(Platform.DOUYIN) == A1_TO_A5 | {"a1-chatfile.easemob.com"}


def test_data_center_rest_hosts_and_easecdn_alternatives(registry: Registry) -> None:
    for rid, rest in DATA_CENTER_REST.items():
        assert rest <= hosts_of(registry, rid, HostRole.REST)
    for reg in registry.regions:
        for h in reg.hosts:
            if h.host.endswith(".easecdn.com"):
                assert h.alternative_of == h.host.replace(".easecdn.com", ".easemob.com"), h.host
                assert h.alternative_of in {x.host for x in reg.hosts if x.role is h.role}


def test_every_host_names_known_sources_and_has_a_line(registry: Registry) -> None:
    for h in (*registry.common, *(h for r in registry.regions for h in r.hosts)):
        assert h.sources and set(h.sources) <= set(registry.sources), h.host
        assert h.line > 0
    for source in registry.sources.values():
        assert source.document and source.version
    assert "doc.easemob.com/document/applet/alipay.html" in registry.sources["seed"].document
    assert "18970d6d" in registry.sources["alipay-18970d6d"].version
    assert "2c26a739" in registry.sources["taobao-2c26a739"].version


# --- damaged registries -------------------------------------------------------------------------

VALID = """\
schema_version: 1
sources:
  doc:
    document: a.md
    version: v1
regions:
  - id: r1
    name_zh: 一区
    name_en: One
    aliases: [first]
    hosts:
      - host: a1.example.com
        role: rest
        sources: [doc]
  - id: r2
    name_zh: 二区
    name_en: Two
    hosts:
      - host: a2.example.com
        role: socket
        family: wechat
        sources: [doc]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def damaged(old: str, new: str) -> str:
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    return caught.value.problems


def test_the_damage_template_itself_is_valid(tmp_path: Path) -> None:
    loaded = load_registry(write(tmp_path, VALID))
    assert [r.id for r in loaded.regions] == ["r1", "r2"]
    assert loaded.regions[1].hosts[0].line == 19


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param(
            damaged("    aliases: [first]\n", "    aliases: [first\n"),
            11,
            "YAML syntax error",
            id="syntax",
        ),
        pytest.param(damaged("  doc:\n", "  doc:\n\t\n"), 4, "YAML syntax error", id="tab"),
        pytest.param(
            damaged("    name_en: Two\n", "    name_en: Two\n    colour: red\n"),
            18,
            "unknown key 'colour'",
            id="unknown-key",
        ),
        pytest.param(
            damaged("  - id: r2\n", "  - id: r1\n"),
            15,
            "duplicate region id 'r1'",
            id="duplicate-id",
        ),
        pytest.param(
            damaged("    name_en: Two\n", "    name_en: Two\n    aliases: [First]\n"),
            18,
            "duplicate region name 'First'",
            id="duplicate-alias",
        ),
        pytest.param(
            damaged("    name_en: Two\n", "    name_en: One\n"),
            17,
            "duplicate region name 'One'",
            id="duplicate-name",
        ),
        pytest.param(
            damaged("a2.example.com", "a2.exa_mple.com"),
            19,
            "invalid hostname 'a2.exa_mple.com'",
            id="bad-hostname",
        ),
        pytest.param(
            damaged("a1.example.com", "https://a1.example.com"),
            12,
            "it has a scheme; write the bare host",
            id="hostname-with-scheme",
        ),
        pytest.param(
            damaged("a1.example.com", "10.0.0.1"), 12, "is an IP address", id="ip-address"
        ),
        pytest.param(
            damaged("a1.example.com", "A1.Example.com"),
            12,
            "write it as 'a1.example.com'",
            id="upper-case",
        ),
        pytest.param(
            damaged("a1.example.com", "'*.example.com'"), 12, "is a wildcard", id="wildcard"
        ),
        pytest.param(damaged("a1.example.com", "localhost"), 12, "localhost", id="localhost"),
        pytest.param(
            damaged("    name_zh: 二区\n", ""),
            15,
            "missing required field 'name_zh'",
            id="missing-field",
        ),
        pytest.param(
            damaged("        role: rest\n", ""),
            12,
            "missing required field 'role'",
            id="missing-role",
        ),
        pytest.param(
            damaged("    aliases: [first]\n", "    aliases: first\n"),
            10,
            "expected a list, got a string",
            id="wrong-type-list",
        ),
        pytest.param(
            damaged("schema_version: 1", "schema_version: one"),
            1,
            "expected a whole number, got a string",
            id="wrong-type-int",
        ),
        pytest.param(
            damaged("    name_en: Two\n", "    name_en: Two\n    public: maybe\n"),
            18,
            "expected true or false",
            id="wrong-type-bool",
        ),
        pytest.param(
            damaged(
                "        family: wechat\n", "        family: wechat\n        sources: [nodoc]\n"
            ),
            23,
            "duplicate key 'sources'",
            id="duplicate-key",
        ),
        pytest.param(
            damaged(
                "      - host: a2.example.com\n        role: socket\n        family: wechat\n        sources: [doc]\n",
                "      - host: a2.example.com\n        role: socket\n        family: wechat\n        sources: [doc, nodoc]\n",
            ),
            22,
            "unknown source 'nodoc' (known: doc)",
            id="unknown-source",
        ),
        pytest.param(
            damaged("        role: rest\n", "        role: rst\n"),
            13,
            "unknown role 'rst'",
            id="unknown-role",
        ),
        pytest.param(
            damaged("        family: wechat\n", "        family: weixin\n"),
            21,
            "unknown socket family 'weixin'",
            id="unknown-family",
        ),
        pytest.param(
            damaged(
                "        role: rest\n",
                "        role: rest\n        platforms: [alipay, kuaishou]\n",
            ),
            14,
            "unknown platform 'kuaishou'",
            id="unknown-platform",
        ),
        pytest.param(
            damaged("        family: wechat\n", ""),
            19,
            "a socket host needs a family",
            id="socket-without-family",
        ),
        pytest.param(
            damaged(
                "      - host: a1.example.com\n        role: rest\n        sources: [doc]\n", ""
            ),
            11,
            "expected a list, got nothing",
            id="hosts-null",
        ),
        pytest.param(
            damaged(
                "    hosts:\n      - host: a2.example.com\n        role: socket\n        family: wechat\n        sources: [doc]\n",
                "    hosts: []\n",
            ),
            15,
            "region 'r2' is public but lists no hosts",
            id="public-but-empty",
        ),
        pytest.param(
            damaged("    name_en: Two\n", "    name_en: Two\n    public: false\n"),
            15,
            "needs a note",
            id="private-without-note",
        ),
        pytest.param(
            damaged(
                "        family: wechat\n",
                "        family: wechat\n        alternative_of: a9.example.com\n",
            ),
            22,
            "'a9.example.com' is not a socket host listed next to it",
            id="dangling-alternative",
        ),
        pytest.param(
            damaged("schema_version: 1", "schema_version: 2"),
            1,
            "unsupported version 2",
            id="schema-version",
        ),
        pytest.param(
            damaged("regions:\n", "regions: []\nold_regions:\n"),
            6,
            "needs at least 1 item",
            id="no-regions",
        ),
        pytest.param("", 1, "the registry is empty", id="empty-file"),
        pytest.param("- just\n- a list\n", 1, "expected a mapping, got a list", id="not-a-mapping"),
        pytest.param(
            damaged("    version: v1\n", "    version: v1\n  doc2:\n    document: b.md\n"),
            7,
            "missing required field 'version' of a source",
            id="source-without-version",
        ),
        pytest.param(
            damaged(
                "    name_zh: 一区\n", "    name_zh: !!python/object/apply:os.system [echo hi]\n"
            ),
            8,
            "expected a string, got a value tagged",
            id="python-tag",
        ),
    ],
)
def test_damaged_registry_reports_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write(tmp_path, text)
    problems = problems_of(path)
    matching = [p for p in problems if words in p]
    assert matching, problems
    assert matching[0].startswith(f"{path}:{line}: "), problems


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = damaged("        role: rest\n", "        role: rst\n")
    text = text.replace("  - id: r2\n", "  - id: r1\n").replace("a2.example.com", "a2..example.com")
    text = text.replace("    name_en: One\n", "    name_en: One\n    colour: red\n")
    problems = problems_of(write(tmp_path, text))
    assert len(problems) == 4, problems
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines)
    assert all(p.startswith(str(tmp_path / "broken.yaml") + ":") for p in problems)


def test_missing_registry_file_is_a_registry_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    problems = problems_of(missing)
    assert problems == [f"{missing}: cannot read the registry: No such file or directory"]


def test_non_utf8_registry_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("一区", "zone").encode("utf-8").replace(b"One", b"\xe9t\xe9"))
    assert problems_of(path)[0].startswith(f"{path}:9: not UTF-8 text")


# --- the parsed-registry cache ------------------------------------------------------------------


def test_cache_is_written_then_used_and_a_changed_file_is_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DOMAINCHECK_CACHE_DIR", str(cache))
    path = write(tmp_path, VALID)
    first = load_registry(path)
    assert len(list(cache.iterdir())) == 1
    assert load_registry(path) == first
    path.write_text(damaged("        role: rest\n", "        role: rst\n"), encoding="utf-8")
    assert any("unknown role 'rst'" in p for p in problems_of(path))


def test_a_corrupt_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DOMAINCHECK_CACHE_DIR", str(cache))
    path = write(tmp_path, VALID)
    expected = load_registry(path)
    for entry in cache.iterdir():
        entry.write_bytes(b"\x00garbage")
    assert load_registry(path) == expected


def test_a_cached_registry_loads_without_importing_yaml(tmp_path: Path) -> None:
    env = {**os.environ, "DOMAINCHECK_CACHE_DIR": str(tmp_path)}
    code = (
        "import sys\n"
        "from domaincheck.registry.loader import load_registry\n"
        "r = load_registry()\n"
        "print(len(r.regions), 'yaml' in sys.modules)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    assert runs[0].stdout.split() == ["8", "True"]
    assert runs[1].stdout.split() == ["8", "False"]


# --- `domaincheck regions` ----------------------------------------------------------------------

SMALL = Path(__file__).parent / "fixtures" / "registry" / "small.yaml"


def run_cli(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    # Shown when an assertion fails: what the command printed.
    print(f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def test_every_regions_format_has_a_renderer() -> None:
    assert set(REGIONS_RENDERERS) == set(RegionsFormat)


@pytest.mark.parametrize(("fmt", "golden"), [("text", "regions.txt"), ("json", "regions.json")])
def test_regions_renders_the_small_registry_as_the_golden_file(fmt: str, golden: str) -> None:
    result = run_cli("regions", "--format", fmt, "--registry", str(SMALL))
    assert result.exit_code == 0
    output = result.stdout.replace(str(SMALL), "<registry>")
    assert_matches_golden(output, GOLDEN / golden)


def test_regions_table_of_the_builtin_registry() -> None:
    result = run_cli("regions")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "中文名",
        "English",
        "REST",
        "hosts",
        "alipay",
        "socket",
        "wechat",
        "socket",
        "notes",
    ]
    rows = {line.split()[0]: line for line in lines[2:] if line and not line.startswith(" ")}
    for rid in ("cn1", "cn2", "sgp1", "sgp2", "use1", "de2", "vip", "cs"):
        assert rid in rows
    assert rows["cn1"].split()[1:6] == [
        "国内1区",
        "China",
        "1",
        "a1.easemob.com",
        "im-api-alipay.easemob.com",
    ]
    assert "im-api-wechat.easemob.com" in rows["cn1"]
    assert "no public hosts" in rows["vip"] and "no public hosts" in rows["cs"]
    assert "disputed" in rows["cn2"]
    assert "请咨询商务经理" in result.stdout
    # Columns line up although 中文名 and 国内1区 are two terminal columns per character.
    assert display_width(lines[0][: lines[0].index("REST hosts")]) == display_width(
        rows["cn1"][: rows["cn1"].index("a1.easemob.com")]
    )
    assert display_width(lines[0][: lines[0].index("notes")]) == display_width(
        rows["vip"][: rows["vip"].index("no public hosts")]
    )


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_regions_json_of_the_builtin_registry() -> None:
    result = run_cli("regions", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["regions"]] == [
        "cn1",
        "cn2",
        "sgp1",
        "sgp2",
        "use1",
        "de2",
        "vip",
        "cs",
    ]
    cn1 = data["regions"][0]
    assert cn1["name_zh"] == "国内1区" and cn1["socket_path"] == "/websocket"
    assert {"host": "a1.easemob.com", "role": "rest"}.items() <= cn1["hosts"][0].items()
    assert data["regions"][6]["public"] is False
    assert set(data["sources"]) >= {"seed", "alipay-18970d6d", "taobao-2c26a739", "data-center"}
    assert {h["host"] for h in data["common"] if h["role"] == "httpdns"} == HTTPDNS


def test_regions_with_a_broken_registry_exits_2_with_every_problem_and_no_traceback(
    tmp_path: Path,
) -> None:
    text = damaged("        role: rest\n", "        role: rst\n").replace(
        "  - id: r2\n", "  - id: r1\n"
    )
    path = write(tmp_path, text)
    result = run_cli("regions", "--registry", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)
    problems = [line for line in result.stderr.splitlines() if line.startswith(f"{path}:")]
    assert [p.split(":")[1] for p in problems] == ["13", "15"]
    assert "unknown role 'rst'" in problems[0] and "duplicate region id 'r1'" in problems[1]


def test_regions_with_a_yaml_syntax_error_exits_2_with_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, damaged("    aliases: [first]\n", "    aliases: [first\n"))
    result = run_cli("regions", "--format", "json", "--registry", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"domaincheck: {path}:11: YAML syntax error")
    assert "Traceback" not in result.stderr


def test_regions_with_a_missing_registry_exits_2(tmp_path: Path) -> None:
    result = run_cli("regions", "--registry", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert "cannot read the registry" in result.stderr


# --- `domaincheck regions --check-sources`: provenance drift ------------------------------------


def test_the_builtin_registry_has_no_source_drift(tmp_path: Path) -> None:
    # The real program, as CI runs it: every source is used, every host has a document of its own.
    env = {**os.environ, "DOMAINCHECK_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "domaincheck", "regions", "--check-sources"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "every source is used" in done.stdout and done.stderr == ""


def test_check_sources_fails_on_a_source_no_host_uses(tmp_path: Path) -> None:
    text = damaged(
        "sources:\n",
        "sources:\n  orphan:\n    document: docs/old.md\n    version: '@0000000'\n",
    )
    path = write(tmp_path, text)
    result = run_cli("regions", "--check-sources", "--registry", str(path))
    assert result.exit_code == 1
    line = text.splitlines().index("    document: docs/old.md") + 1  # where its record starts
    assert f"{path}:{line}: source 'orphan' is used by no host" in result.stderr
    assert "1 source problem" in result.stderr and result.stdout == ""


def test_check_sources_fails_on_a_host_only_a_corroborating_page_lists() -> None:
    corroborated = {
        **load_registry(SMALL).sources,
        "page": load_registry(SMALL).sources["page"]._replace(corroborating=True),
    }
    from domaincheck.registry.drift import source_drift

    drift = source_drift(load_registry(SMALL)._replace(sources=corroborated))
    assert any("api1.example.com (request) is on no platform's list" in p for p in drift)
    assert all(":" in p.split(": ")[0] for p in drift)  # FILE:LINE: what


def test_check_sources_refuses_a_host_naming_an_undeclared_source(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        damaged(
            "        role: rest\n        sources: [doc]\n",
            "        role: rest\n        sources: [nowhere]\n",
        ),
    )
    result = run_cli("regions", "--check-sources", "--registry", str(path))
    assert result.exit_code == 2
    assert "unknown source 'nowhere'" in result.stderr and "Traceback" not in result.output

"""`domaincheck whitelist` and `domaincheck check` through the CLI: exit codes, output, formats."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from domaincheck.cli import app
from domaincheck.core.platforms import Platform
from domaincheck.core.psl import registrable_domain
from domaincheck.registry.loader import load_registry
from domaincheck.whitelist.profiles import PROFILES, profile_for
from tests.hand_registry import SEED_REQUEST_HOSTS

runner = CliRunner()
REGISTRY = load_registry()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOMAINCHECK_CACHE_DIR", str(tmp_path / "cache"))


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def expected_hosts(platform: Platform, region_id: str) -> set[str]:
    """Every host the registry lists for this platform and region, written out from its fields."""
    region = REGISTRY.find_region(region_id)
    assert region is not None
    family = profile_for(platform).socket_family
    hosts = set()
    for host in (*region.hosts, *REGISTRY.common):
        if host.family is not None and host.family is not family:
            continue
        if host.platforms and platform.value not in host.platforms:
            continue
        # A document for the platform (its own page or a neutral one) must list the host.
        own = [REGISTRY.sources[s] for s in host.sources]
        if not any(
            not s.corroborating and (not s.platforms or platform in s.platforms) for s in own
        ):
            continue
        hosts.add(host.host)
    return hosts


def test_default_is_alipay_cn1_as_on_the_integration_page() -> None:
    code, out, err = run("whitelist")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("# Alipay") and "cn1" in lines[0]
    entries = [line for line in lines if line and not line.startswith("#")]
    # The integration page: request a1..a5, rs.chat.agora.io, rs.easemob.com; socket im-api-alipay.
    for host in (*SEED_REQUEST_HOSTS, "im-api-alipay.easemob.com", "im-api-alipay.easecdn.com"):
        assert host in entries
    assert not any("wechat" in e or "://" in e for e in entries)
    assert len(entries) == len(set(entries))


PUBLIC_REGIONS = [r.id for r in REGISTRY.regions if r.public]


@pytest.mark.parametrize("platform", list(PROFILES))
@pytest.mark.parametrize("region", PUBLIC_REGIONS)
def test_json_holds_exactly_the_sources_hosts(platform: Platform, region: str) -> None:
    code, out, err = run(
        "whitelist", "--platform", platform.value, "--region", region, "--format", "json"
    )
    if platform.value in REGISTRY.find_region(region).absent_on:  # type: ignore[union-attr]
        assert code == 2 and not out and "no 国内2区 row" in err
        return
    assert code == 0, err
    data = json.loads(out)
    assert data["platform"] == platform.value and data["regions"] == [region]
    assert set(data["hosts"]) == expected_hosts(platform, region)
    covered = {h for lst in data["lists"] for e in lst["entries"] for h in e["covers"]}
    assert covered == set(data["hosts"])
    for lst in data["lists"]:
        for entry in lst["entries"]:
            assert entry["sources"], entry
            assert all(s in REGISTRY.sources for s in entry["sources"])


def test_wechat_lists_and_entry_form() -> None:
    code, out, _ = run("whitelist", "-p", "wechat", "-f", "json")
    assert code == 0
    lists = {
        lst["console_list"]: [e["entry"] for e in lst["entries"]]
        for lst in json.loads(out)["lists"]
    }
    assert list(lists) == ["request", "socket", "uploadFile", "downloadFile"]
    assert "https://a1.easemob.com" in lists["request"]
    assert lists["socket"][0] == "wss://im-api-wechat.easemob.com"
    assert all(e.startswith("wss://") for e in lists["socket"])
    assert all(
        e.startswith("https://")
        for k in ("request", "uploadFile", "downloadFile")
        for e in lists[k]
    )


def test_text_has_a_header_per_list() -> None:
    code, out, _ = run("whitelist", "-p", "qq", "-r", "sgp1")
    assert code == 0
    headers = [line for line in out.splitlines() if line.startswith("# QQ")]
    assert len(headers) == 4
    assert "socket" in headers[1] and "sgp1" in headers[1]


def test_several_regions_by_any_name() -> None:
    code, out, _ = run("whitelist", "-r", "国内1区", "-r", "Singapore 1", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["regions"] == ["cn1", "sgp1"]
    assert set(data["hosts"]) == expected_hosts(Platform.ALIPAY, "cn1") | expected_hosts(
        Platform.ALIPAY, "sgp1"
    )


def test_alipay_compact() -> None:
    code, out, _ = run("whitelist", "--compact", "-f", "json")
    assert code == 0
    data = json.loads(out)
    entries = [e for lst in data["lists"] for e in lst["entries"]]
    assert data["compact"] is True
    assert [e["entry"] for e in entries] == sorted(
        {registrable_domain(h) for h in data["hosts"]}, key=[e["entry"] for e in entries].index
    )
    assert {e["entry"] for e in entries} == {"easemob.com", "easecdn.com", "agora.io"}
    assert set(data["hosts"]) == expected_hosts(Platform.ALIPAY, "cn1")
    assert any(n.startswith("--compact:") for n in data["notes"])
    code, text, _ = run("whitelist", "--compact")
    assert "# - --compact:" in text


def test_extras() -> None:
    code, out, err = run(
        "whitelist",
        "-p",
        "wechat",
        "-e",
        "https://api.myapp.com",
        "-e",
        "downloadFile=https://cdn.myapp.com",
    )
    assert code == 0, err
    assert "https://api.myapp.com" in out.splitlines()
    data = json.loads(
        run("whitelist", "-p", "wechat", "-e", "downloadFile=https://cdn.myapp.com", "-f", "json")[
            1
        ]
    )
    download = next(lst for lst in data["lists"] if lst["console_list"] == "downloadFile")
    assert {
        "entry": "https://cdn.myapp.com",
        "covers": ["cdn.myapp.com"],
        "sources": ["extra"],
        "disputed": False,
        "note": None,
    } in download["entries"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("http://api.myapp.com", "http:// is not allowed"),
        ("https://10.1.2.3", "is an IP address"),
        ("https://localhost:8080", "localhost"),
        ("*.myapp.com", "wildcard"),
        ("https://api_v2.myapp.com", "'_'"),
        ("sockets=wss://a.myapp.com", "unknown console list 'sockets'"),
    ],
)
def test_an_extra_that_can_never_be_whitelisted_is_bad_input(extra: str, message: str) -> None:
    code, out, err = run("whitelist", "-e", extra)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_baidu_port_is_bad_input() -> None:
    code, _, err = run("whitelist", "-p", "baidu", "-e", "https://api.myapp.com:8443")
    assert code == 2 and "no port" in err


def test_unknown_region_and_platform() -> None:
    code, out, err = run("whitelist", "-r", "mars")
    assert code == 2 and out == ""
    assert "unknown region 'mars'" in err and "cn1" in err
    code, _, err = run("whitelist", "-p", "tiktok")
    assert code == 2 and "tiktok" in err


@pytest.mark.parametrize("region", [r.id for r in REGISTRY.regions if not r.public])
def test_non_public_region_is_not_an_empty_success(region: str) -> None:
    code, out, err = run("whitelist", "-r", region)
    assert code == 1
    assert "account manager" in err and "--extra" in err
    assert "商务经理" in out  # the note is in the output too
    code, out, err = run("whitelist", "-r", region, "-e", "https://im.vip.example.com")
    assert code == 0, err
    assert "im.vip.example.com" in out


def test_broken_registry_exits_2_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "regions.yaml"
    broken.write_text("schema_version: 1\nregions: [\n", encoding="utf-8")
    code, out, err = run("whitelist", "--registry", str(broken))
    assert code == 2 and out == ""
    assert f"{broken}:" in err
    assert "Traceback" not in err


def test_formats(tmp_path: Path) -> None:
    code, out, _ = run("whitelist", "-p", "douyin", "-f", "yaml")
    assert code == 0
    data = yaml.safe_load(out)
    assert data["platform"] == "douyin" and data["lists"][1]["console_list"] == "socket"
    code, out, _ = run("whitelist", "-f", "markdown")
    assert code == 0
    assert out.startswith("## Alipay") and "```text\na1.easemob.com\n" in out
    target = tmp_path / "out" / "wl.json"
    target.parent.mkdir()
    code, out, _ = run("whitelist", "-f", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["platform"] == "alipay"
    code, _, err = run("whitelist", "-o", str(tmp_path / "missing" / "wl.txt"))
    assert code == 2 and "missing" in err


def test_help_shows_the_choices() -> None:
    result = runner.invoke(app, ["whitelist", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    for choice in ("alipay", "wechat", "douyin", "baidu", "qq", "text", "json", "yaml", "markdown"):
        assert choice in result.stdout


def test_max_entries() -> None:
    code, out, _ = run("check", "--offline", "--max-entries", "5", "-f", "json")
    assert code == 1
    count = next(r for r in json.loads(out)["results"] if r["check"] == "whitelist.count")
    assert count["status"] == "fail"


class TestCheck:
    def test_default_passes(self) -> None:
        code, out, err = run("check", "--offline")
        assert code == 0, out + err
        assert "whitelist.count" in out and "a1.easemob.com" in out
        assert "passed" in err

    def test_json(self) -> None:
        code, out, _ = run("check", "--offline", "-p", "wechat", "-r", "cn2", "-f", "json")
        assert code == 0
        data = json.loads(out)
        assert data["summary"]["fail"] == 0
        assert {r["check"] for r in data["results"]} >= {"whitelist.count"}
        assert data["whitelist"]["platform"] == "wechat"

    def test_a_failing_extra_fails_the_gate(self) -> None:
        code, out, _ = run("check", "--offline", "-e", "http://api.myapp.com")
        assert code == 1
        assert "whitelist.scheme" in out

    def test_strict_makes_warnings_fail(self) -> None:
        args = ("check", "--offline", "-p", "wechat", "-e", "https://api.myapp.com:443")
        code, out, _ = run(*args)
        assert code == 0 and "whitelist.port" in out
        code, _, _ = run(*args, "--strict")
        assert code == 1

    def test_non_public_region_fails(self) -> None:
        code, out, _ = run("check", "--offline", "-r", "vip")
        assert code == 1
        assert "whitelist.region-hosts" in out

    def test_bad_input_exits_2(self) -> None:
        assert run("check", "--offline", "-r", "mars")[0] == 2
        assert run("check", "--offline", "-e", "bogus=https://a.com")[0] == 2


NETWORK_MODULES = (
    "dns",
    "httpx",
    "httpcore",
    "websockets",
    "ssl",
    "cryptography",
    "certifi",
    "tree_sitter",
    "pydantic",
)


@pytest.mark.parametrize(
    "argv",
    [
        ["whitelist"],
        [
            "whitelist",
            "-p",
            "wechat",
            "-r",
            "cn1",
            "-r",
            "sgp1",
            "-e",
            "https://api.myapp.com",
            "--compact",
            "-f",
            "json",
        ],
        ["check", "--offline"],
    ],
)
def test_offline_commands_do_not_import_network_libraries(argv: list[str], tmp_path: Path) -> None:
    """Start-up budget: the offline commands must not load dnspython, httpx, ssl and the like."""
    probe = (
        "import sys\n"
        "from domaincheck.cli import app\n"
        "try:\n"
        f"    app({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "DOMAINCHECK_CACHE_DIR": str(tmp_path)}
    for _ in range(
        2
    ):  # the second run reads the registry from the cache, as an installed tool does
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
        )
    modules = set(done.stderr.split())
    assert "domaincheck.cli" in modules, done.stderr[-2000:]
    loaded = sorted(m for m in modules if m.split(".")[0] in NETWORK_MODULES)
    assert loaded == []
    if argv == ["whitelist"]:
        assert "yaml" not in modules  # the cached registry is read without PyYAML
        assert "domaincheck.render.html_report" not in modules
        # Nor the check results and the report, nor the entry parser: nothing here needs them,
        # and each frozen dataclass they define costs start-up time.
        assert "domaincheck.core.model" not in modules
        assert "domaincheck.core.domains" not in modules
        assert "domaincheck.core.catalog" not in modules


def test_the_entry_point_builds_only_the_command_it_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from domaincheck import cli

    single = cli._app_for(["whitelist", "-p", "wechat"])
    assert [c.callback.__name__ for c in single.registered_commands if c.callback] == ["whitelist"]
    assert cli._app_for(["--help"]) is cli.app
    assert cli._app_for(["--version"]) is cli.app
    assert cli._app_for(["no-such-command"]) is cli.app
    monkeypatch.setattr(sys, "argv", ["domaincheck", "whitelist", "-p", "qq", "-f", "json"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    gc.unfreeze()  # main() freezes the objects it found, here the test session's; let them go
    assert stopped.value.code == 0
    assert json.loads(capsys.readouterr().out)["platform"] == "qq"

"""The scanned hosts in the one whitelist: the project file's `source:`, whitelist, check, diff,
init, and sync's prune protection."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from domaincheck.alipay.plan import PlanAction, compute_plan
from domaincheck.core.errors import InputFileError
from domaincheck.files.project import parse_project

FIXTURES = Path(__file__).parent / "fixtures" / "scan"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "domaincheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "DOMAINCHECK_CACHE_DIR": str(cwd / ".cache")},
    )


@pytest.fixture
def taro(tmp_path: Path) -> Path:
    folder = tmp_path / "app"
    shutil.copytree(FIXTURES / "taro", folder)
    return folder


def test_project_file_source_key(tmp_path: Path) -> None:
    path = tmp_path / "domaincheck.yaml"
    scalar = parse_project("source: miniprogram\n", path)
    assert scalar.source is not None and scalar.source.path == tmp_path / "miniprogram"
    mapping = parse_project("source:\n  path: .\n  include: ['src/*']\n  exclude: [mock/]\n", path)
    assert mapping.source is not None
    assert (mapping.source.path, mapping.source.include, mapping.source.exclude) == (
        tmp_path / ".",
        ("src/*",),
        ("mock/",),
    )
    with pytest.raises(InputFileError, match=r"domaincheck.yaml:2: source: unknown key 'paths'"):
        parse_project("source:\n  paths: .\n", path)


def test_whitelist_includes_the_scanned_hosts_marked_with_their_source(taro: Path) -> None:
    (taro / "domaincheck.yaml").write_text("platform: wechat\nsource: .\n", "utf-8")
    done = run_cli("whitelist", "--format", "json", cwd=taro)
    assert done.returncode == 0, done.stderr
    import json

    entries = {
        e["entry"]: {**e, "console_list": lst["console_list"]}
        for lst in json.loads(done.stdout)["lists"]
        for e in lst["entries"]
    }
    api = entries["https://api.taro-app.example.com"]
    assert api["console_list"] == "request"
    assert api["sources"] == ["source"]
    assert "config/index.js:6" in (api.get("note") or "")
    assert entries["https://cdn.taro-app.example.com"]["console_list"] == "downloadFile"
    assert entries["https://axios.taro-app.example.com"]["console_list"] == "request"
    assert entries["wss://ws.taro-app.example.com"]["console_list"] == "socket"
    # the development-only socket host (ws://127.0.0.1) is never put in the list
    assert not any("127.0.0.1" in e for e in entries)


def test_init_writes_the_scanned_hosts_and_check_offline_passes_then_diff_names_a_removed_one(
    taro: Path,
) -> None:
    done = run_cli("init", "--platform", "wechat", cwd=taro)
    assert done.returncode == 0, done.stderr
    text = (taro / "domaincheck.yaml").read_text("utf-8")
    assert (
        '  - "https://api.taro-app.example.com"  # config/index.js:6 → src/services/api.ts:9\n'
        in text
    )
    assert '  - "downloadFile=https://cdn.taro-app.example.com"' in text
    assert "\nsource: .\n" in text
    check = run_cli("check", "--offline", cwd=taro)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "scan.host" in check.stdout
    # the console holds everything but one scanned host: diff names it
    whitelist = run_cli("whitelist", cwd=taro).stdout
    console = "\n".join(
        line for line in whitelist.splitlines() if "status.taro-app.example.com" not in line
    )
    (taro / "console.txt").write_text(console, "utf-8")
    diff = run_cli("diff", "console.txt", cwd=taro)
    assert diff.returncode == 1
    assert "status.taro-app.example.com is missing from the request list" in diff.stdout


def test_check_reports_the_scan_findings(tmp_path: Path) -> None:
    folder = tmp_path / "app"
    shutil.copytree(FIXTURES / "native-wechat", folder)
    (folder / "domaincheck.yaml").write_text("platform: wechat\nsource: .\n", "utf-8")
    done = run_cli("check", "--offline", cwd=folder)
    assert done.returncode == 1
    assert "scan.leftover" in done.stdout and "192.168.1.20" in done.stdout
    assert "scan.urlcheck.off" in done.stdout
    assert "scan.dynamic" in done.stdout and "pages/index/index.js:20" in done.stdout


def test_prune_never_removes_an_entry_the_source_uses() -> None:
    plan = compute_plan(
        ["a1.easemob.com", "myapp.com", "stale.com"],
        [],
        covers=lambda entry, host: host == entry or host.endswith("." + entry),
        prune=True,
        protected=["api.myapp.com", "dev.myapp.com"],
    )
    actions = {item.domain: (item.action, item.reason) for item in plan.items}
    assert actions["myapp.com"] == (PlanAction.KEEP, "used by the app's source")
    assert actions["stale.com"][0] is PlanAction.REMOVE
    assert actions["a1.easemob.com"][0] is PlanAction.REMOVE

"""`domaincheck init` and `domaincheck diff` through the CLI: exit codes, output, files written."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from domaincheck.cli import app
from domaincheck.core.exitcodes import ExitCode
from domaincheck.registry.loader import load_registry, resolve_regions
from domaincheck.whitelist.build import build_whitelist

runner = CliRunner()


def invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    print(result.stdout)
    print(result.stderr)
    return result


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def full_console(platform: str = "alipay", region: str = "cn1") -> str:
    registry = load_registry()
    built = build_whitelist(registry, platform, resolve_regions(registry, [region]))
    lines: list[str] = []
    for console_list in built.console_lists:
        lines.append(f"[{console_list}]")
        lines.extend(e.entry for e in built.entries_for(console_list))
    return "\n".join(lines) + "\n"


def test_init_writes_a_project_file_once(in_tmp: Path) -> None:
    result = invoke("init", "--platform", "wechat", "--region", "新加坡1区")
    assert result.exit_code == ExitCode.PASSED
    text = (in_tmp / "domaincheck.yaml").read_text("utf-8")
    assert "platform: wechat" in text and '- "sgp1"' in text
    again = invoke("init", "--platform", "alipay")
    assert again.exit_code == ExitCode.BAD_INPUT
    assert "already exists; use --force" in again.stderr
    assert (in_tmp / "domaincheck.yaml").read_text("utf-8") == text
    forced = invoke("init", "--platform", "alipay", "--force")
    assert forced.exit_code == ExitCode.PASSED
    assert "platform: alipay" in (in_tmp / "domaincheck.yaml").read_text("utf-8")


def test_init_refuses_an_unknown_region_and_writes_nothing(in_tmp: Path) -> None:
    result = invoke("init", "--region", "mars")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "unknown region 'mars'" in result.stderr
    assert list(in_tmp.iterdir()) == []


def test_diff_fails_naming_the_one_missing_host(in_tmp: Path) -> None:
    text = full_console().replace("rs.chat.agora.io\n", "")
    (in_tmp / "console.txt").write_text(text, "utf-8")
    result = invoke("diff", "console.txt")
    assert result.exit_code == ExitCode.FAILED
    assert "rs.chat.agora.io is missing from the console's current list" in result.stdout
    assert result.stdout.count("FAIL     console.missing") == 1


def test_diff_passes_on_a_complete_list_and_reads_the_project(in_tmp: Path) -> None:
    (in_tmp / "copied.txt").write_text(full_console("wechat", "cn1"), "utf-8")
    (in_tmp / "domaincheck.yaml").write_text(
        "platform: wechat\nregions: [cn1]\nconsole:\n  file: copied.txt\n", "utf-8"
    )
    result = invoke("diff", "--format", "json")
    assert result.exit_code == ExitCode.PASSED
    report = json.loads(result.stdout)
    assert report["platform"] == "wechat"
    assert report["command"] == ["domaincheck", "diff", "--format", "json"]  # as given, not argv
    assert {r["check"] for r in report["results"]} >= {"console.missing", "whitelist.count"}


def test_diff_option_overrides_the_project_platform(in_tmp: Path) -> None:
    (in_tmp / "console.txt").write_text(full_console("alipay"), "utf-8")
    (in_tmp / "domaincheck.yaml").write_text("platform: wechat\n", "utf-8")
    assert invoke("diff", "console.txt").exit_code == ExitCode.FAILED
    assert invoke("diff", "console.txt", "--platform", "alipay").exit_code == ExitCode.PASSED


def test_ignored_missing_host_does_not_fail(in_tmp: Path) -> None:
    text = full_console().replace("rs.chat.agora.io\n", "")
    (in_tmp / "console.txt").write_text(text, "utf-8")
    (in_tmp / "domaincheck.yaml").write_text(
        "ignore:\n  - check: console.missing\n    reason: added in the next release\n", "utf-8"
    )
    result = invoke("diff", "console.txt")
    assert result.exit_code == ExitCode.PASSED
    assert "added in the next release" in result.stdout


@pytest.mark.parametrize(
    ("files", "args", "words"),
    [
        ({}, ["diff"], "no console list to compare"),
        ({}, ["diff", "missing.txt"], "missing.txt: console list not found"),
        (
            {"console.txt": b"\x00\x01binary"},
            ["diff", "console.txt"],
            "console.txt: console list is a binary file",
        ),
        (
            {"domaincheck.yaml": b"platform: alipay\nregoins: [cn1]\n"},
            ["diff", "x.txt"],
            "domaincheck.yaml:2: project file: unknown key 'regoins'",
        ),
        (
            {"console.txt": b"a1.easemob.com\n"},
            ["diff", "console.txt", "--region", "mars"],
            "unknown region 'mars'",
        ),
    ],
)
def test_diff_bad_input_exits_2_with_one_clear_line(
    in_tmp: Path, files: dict[str, bytes], args: list[str], words: str
) -> None:
    for name, content in files.items():
        (in_tmp / name).write_bytes(content)
    result = invoke(*args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_diff_output_file_is_written_only_on_success(in_tmp: Path) -> None:
    (in_tmp / "console.txt").write_text(full_console(), "utf-8")
    result = invoke("diff", "console.txt", "--format", "junit", "--output", "out.xml")
    assert result.exit_code == ExitCode.PASSED
    assert (in_tmp / "out.xml").read_text("utf-8").startswith("<?xml")
    bad = invoke("diff", "nope.txt", "--output", "bad.xml")
    assert bad.exit_code == ExitCode.BAD_INPUT
    assert not (in_tmp / "bad.xml").exists()


FIXTURES = Path(__file__).parent / "fixtures" / "sdk"


def test_init_then_check_offline_passes_on_its_own_output(in_tmp: Path) -> None:
    for platform in ("alipay", "wechat", "douyin", "baidu", "qq"):
        assert invoke("init", "--platform", platform, "--region", "cn1", "--force").exit_code == 0
        result = invoke("check", "--offline")
        assert result.exit_code == ExitCode.PASSED, platform
        assert f"· {platform} · cn1 ·" in result.stdout


ALL_SIX = ("cn1", "cn2", "sgp1", "sgp2", "use1", "de2")


def test_init_compacts_alipay_over_its_limit_so_check_passes(in_tmp: Path) -> None:
    region_args = [arg for region in ALL_SIX for arg in ("--region", region)]
    written = invoke("init", "--platform", "alipay", *region_args)
    assert written.exit_code == ExitCode.PASSED
    assert "compact)" in written.stderr
    text = (in_tmp / "domaincheck.yaml").read_text("utf-8")
    assert "\ncompact: true\n" in text and "over Alipay's limit of 30" in text
    result = invoke("check", "--offline", "--format", "json")
    assert result.exit_code == ExitCode.PASSED
    report = json.loads(result.stdout)
    assert report["whitelist"]["compact"] is True
    count = next(r for r in report["results"] if r["check"] == "whitelist.count")
    assert count["status"] == "pass"
    # The option overrides the file: every host listed is over the limit again.
    listed = invoke("check", "--offline", "--no-compact", "--format", "json")
    assert listed.exit_code == ExitCode.FAILED
    count = next(r for r in json.loads(listed.stdout)["results"] if r["check"] == "whitelist.count")
    assert count["status"] == "fail" and count["details"]["entries"] == 34


@pytest.mark.parametrize("platform", ["alipay", "wechat"])
def test_init_leaves_compact_off_within_the_limit(in_tmp: Path, platform: str) -> None:
    region_args = [arg for region in ALL_SIX for arg in ("--region", region)]
    if platform == "alipay":
        region_args = ["--region", "cn1"]
    assert invoke("init", "--platform", platform, *region_args).exit_code == ExitCode.PASSED
    text = (in_tmp / "domaincheck.yaml").read_text("utf-8")
    assert "\ncompact: false\n" in text and "compact: true" not in text
    assert invoke("check", "--offline").exit_code == ExitCode.PASSED


def whitelist_entries(*args: str) -> list[str]:
    result = invoke("whitelist", "--format", "json", *args)
    assert result.exit_code == ExitCode.PASSED
    return [e["entry"] for e in json.loads(result.stdout)["lists"][0]["entries"]]


def test_the_project_files_compact_is_honoured_and_the_option_overrides_it(in_tmp: Path) -> None:
    project = in_tmp / "domaincheck.yaml"
    project.write_text("platform: alipay\nregions: [cn1]\ncompact: true\n", "utf-8")
    assert whitelist_entries() == ["easemob.com", "easecdn.com", "agora.io"]
    assert "a1.easemob.com" in whitelist_entries("--no-compact")
    checked = json.loads(invoke("check", "--offline", "--format", "json").stdout)
    assert checked["whitelist"]["compact"] is True
    assert {r["check"] for r in checked["results"]}.isdisjoint({"whitelist.compactable"})

    # diff: the entry to add is the compacted one, as `whitelist` printed it.
    (in_tmp / "console.txt").write_text("easemob.com\neasecdn.com\n", "utf-8")
    compacted = invoke("diff", "console.txt", "--format", "json")
    assert compacted.exit_code == ExitCode.FAILED
    missing = [r for r in json.loads(compacted.stdout)["results"] if r["status"] == "fail"]
    assert {r["details"]["host"] for r in missing} == {"rs.chat.agora.io"}
    assert [r["fix"].split(" to ")[0] for r in missing] == ["Add agora.io"]

    project.write_text("platform: alipay\nregions: [cn1]\ncompact: false\n", "utf-8")
    assert "a1.easemob.com" in whitelist_entries()
    assert whitelist_entries("--compact") == ["easemob.com", "easecdn.com", "agora.io"]
    listed = json.loads(invoke("diff", "console.txt", "--format", "json").stdout)
    missing = [r for r in listed["results"] if r["status"] == "fail"]
    assert [r["fix"].split(" to ")[0] for r in missing] == ["Add rs.chat.agora.io"]
    assert listed["whitelist"]["compact"] is False


def test_a_wrong_compact_type_names_file_and_line(in_tmp: Path) -> None:
    (in_tmp / "domaincheck.yaml").write_text("platform: alipay\ncompact: yes please\n", "utf-8")
    for command in ("whitelist", "check", "diff"):
        result = invoke(command, "--offline") if command == "check" else invoke(command)
        assert result.exit_code == ExitCode.BAD_INPUT, command
        assert "domaincheck.yaml:2: compact must be true or false, not 'yes please'" in (
            result.stderr
        )
        assert result.stdout == ""


def test_check_includes_the_sdk_config_and_the_console_diff(in_tmp: Path) -> None:
    (in_tmp / "WebIM.js").write_text((FIXTURES / "alipay-cn1-good.js").read_text("utf-8"), "utf-8")
    (in_tmp / "console.txt").write_text(full_console(), "utf-8")
    (in_tmp / "domaincheck.yaml").write_text(
        "platform: alipay\nregions: [cn1]\napp_key: '1177161227178308#xcx'\n"
        "sdk_config: WebIM.js\nconsole:\n  file: console.txt\n",
        "utf-8",
    )
    result = invoke("check", "--offline", "--format", "json")
    assert result.exit_code == ExitCode.PASSED
    checks = {r["check"] for r in json.loads(result.stdout)["results"]}
    assert {"sdk.config.found", "sdk.url.host", "sdk.apiurl.whitelist", "console.missing"} <= checks


def test_check_fails_on_a_bad_sdk_config_and_names_the_line(in_tmp: Path) -> None:
    (in_tmp / "init.js").write_text((FIXTURES / "integration-page.js").read_text("utf-8"), "utf-8")
    result = invoke("check", "--offline", "--sdk-config", "init.js", "--app-key", "org#app")
    assert result.exit_code == ExitCode.FAILED
    assert "init.js:7" in result.stdout and "sdk.appkey.format" in result.stdout


def test_check_sdk_config_values_the_project_ignores(in_tmp: Path) -> None:
    (in_tmp / "init.js").write_text((FIXTURES / "integration-page.js").read_text("utf-8"), "utf-8")
    (in_tmp / "domaincheck.yaml").write_text(
        "sdk_config: init.js\nignore:\n  - check: sdk.appkey.*\n    reason: the build injects it\n",
        "utf-8",
    )
    result = invoke("check", "--offline")
    assert result.exit_code == ExitCode.PASSED
    assert "the build injects it" in result.stdout


@pytest.mark.parametrize(
    ("source", "name", "words"),
    [
        (FIXTURES / "broken-syntax.js", "init.js", "init.js:3: JavaScript syntax error"),
        (FIXTURES / "broken-syntax.ts", "init.ts", "init.ts:5: TypeScript syntax error"),
        (FIXTURES / "broken.yaml", "sdk.yaml", "sdk.yaml:3: YAML syntax error"),
        (FIXTURES / "no-config.js", "util.js", "util.js:1: no SDK options found"),
        (None, "missing.js", "missing.js: SDK config not found"),
    ],
)
def test_check_bad_sdk_config_exits_2_and_writes_nothing(
    in_tmp: Path, source: Path | None, name: str, words: str
) -> None:
    if source is not None:
        (in_tmp / name).write_bytes(source.read_bytes())
    result = invoke("check", "--offline", "--sdk-config", name, "--output", "report.txt")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert words in result.stderr and "Traceback" not in result.stderr
    assert not (in_tmp / "report.txt").exists()


def test_check_refuses_huge_and_binary_sdk_configs(in_tmp: Path) -> None:
    with (in_tmp / "bundle.js").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = invoke("check", "--offline", "--sdk-config", "bundle.js")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "bundle.js: SDK config is 50.0 MB, over the 5.0 MB limit" in result.stderr
    (in_tmp / "image.js").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = invoke("check", "--offline", "--sdk-config", "image.js")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "image.js: SDK config is a binary file" in result.stderr


BROKEN_SDK_CONFIGS: list[tuple[str, bytes, str]] = [
    ("empty.js", b"", "empty.js:1: no SDK options found: the file is empty"),
    ("blank.ts", b"\n  \n", "blank.ts:1: no SDK options found: the file is empty"),
    (
        "comments.js",
        b"// new WebIM.connection({})\n/* x */\n",
        "comments.js:1: no SDK options found",
    ),
    (
        "bom.js",
        b"\xef\xbb\xbfnew WebIM.connection({\n  appKey: 'a#b'\n  url: 'wss://x/websocket',\n});\n",
        "bom.js:2: JavaScript syntax error",
    ),
    (
        "crlf.js",
        b"// c\r\nnew WebIM.connection({\r\n  appKey: 'a#b',\r\n  url: 'wss://x\r\n});\r\n",
        "crlf.js:4: JavaScript syntax error",
    ),
    (
        "cr.js",
        b"// c\rnew WebIM.connection({\r  appKey: 'a#b',\r  url = 'wss://x',\r});\r",
        "cr.js:4: JavaScript syntax error",
    ),
    (
        # the uni-app page's example as published: no comma after appKey's comment
        "uniapp-doc.js",
        b"WebIM.conn = new WebIM.connection({\n    appKey: 'your appKey'// K\n"
        b"    isMultiLoginSessions: false,\n});\n",
        "uniapp-doc.js:2: JavaScript syntax error: missing ',' after \"appKey: 'your appKey'\", "
        "before 'isMultiLoginSessions: false'",
    ),
    (
        "unclosed.js",
        b"new WebIM.connection({\n  appKey: 'a#b',\n",
        "unclosed.js:2: JavaScript syntax error: unexpected end of file (something opened at line 1",
    ),
    (
        "elsewhere.js",
        b"function f( {\n}\nnew WebIM.connection({ appKey: 'a#b' });\n",
        "elsewhere.js:1: JavaScript syntax error",
    ),
    (
        "typed.js",
        b"const o: Options = { appKey: 'a#b' };\nnew WebIM.connection(o);\n",
        "typed.js:1: JavaScript syntax error",
    ),
    (
        "comments.json",
        b'{\n  // from the console\n  "appKey": "a#b"\n}\n',
        "comments.json:2: JSON syntax error: Expecting property name enclosed in double quotes "
        "(JSON has no comments",
    ),
    (
        "fullwidth.js",
        "new WebIM.connection({\n  appKey: 'a#b'，\n});\n".encode(),
        "fullwidth.js:2: JavaScript syntax error near '，' (full-width ， typed with a Chinese input",
    ),
    (
        "unclosed-string.js",
        b"new WebIM.connection({\n  appKey: 'a#b',\n  url: 'wss://x/websocket,\n  apiUrl: 'https://y',\n});\n",
        'unclosed-string.js:3: JavaScript syntax error near ": \'wss://x/websocket, apiUrl" '
        "(a string on line 3 is not closed?)",
    ),
    ("trailing.json", b'{"appKey": "a#b",\n}\n', "JSON allows no comma after the last item"),
    (
        "tabs.yaml",
        b"appKey: a#b\nisHttpDNS: false\n\turl: wss://x/websocket\n",
        "tabs.yaml:3: YAML syntax error: found character '\\t' that cannot start any token "
        "(YAML allows no tabs there: use spaces)",
    ),
    ("list.yaml", b"- a\n- b\n", "list.yaml:1: no SDK options found: the YAML must be a mapping"),
    ("binary.js", bytes(range(256)) * 4, "binary.js: SDK config is a binary file, expected text"),
    ("latin1.js", b"// caf\xe9\n", "latin1.js:1: SDK config is not UTF-8 text"),
    ("utf16.js", "new WebIM.connection({})".encode("utf-16"), "utf16.js: SDK config is UTF-16"),
]


@pytest.mark.parametrize(
    ("name", "content", "words"), BROKEN_SDK_CONFIGS, ids=[c[0] for c in BROKEN_SDK_CONFIGS]
)
def test_broken_sdk_configs_exit_2_with_one_line_and_write_nothing(
    in_tmp: Path, name: str, content: bytes, words: str
) -> None:
    (in_tmp / name).write_bytes(content)
    result = invoke(
        "check", "--offline", "--sdk-config", name, "--output", "out.txt", "--report", "json:r.json"
    )
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert result.stderr.startswith(f"domaincheck: {name}")
    assert sorted(p.name for p in in_tmp.iterdir()) == [name]


def test_a_directory_or_unreadable_input_file_is_one_line_too(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_tmp / "WebIM.js").mkdir()
    for args in (
        ["check", "--offline", "--sdk-config", "WebIM.js"],
        ["check", "--offline", "--console", "WebIM.js"],
        ["check", "--offline", "--project", "WebIM.js"],
        ["diff", "WebIM.js"],
    ):
        result = invoke(*args)
        assert result.exit_code == ExitCode.BAD_INPUT
        assert result.stderr.count("\n") == 1 and "WebIM.js: " in result.stderr
        assert "is a directory, expected a file" in result.stderr
    # Tests may run as root, which reads any file: play the refusal the OS gives everyone else.
    (in_tmp / "init.js").write_text("new WebIM.connection({ appKey: 'a#b' });\n", "utf-8")
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path).endswith("init.js"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = invoke("check", "--offline", "--sdk-config", "init.js")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr == "domaincheck: init.js: SDK config is not readable (permission denied)\n"


SDK_CASES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text("utf-8"))


@pytest.mark.parametrize(
    "case",
    SDK_CASES,
    ids=[f"{c['file']}-{c['platform']}-{c.get('sdk_version', '')}" for c in SDK_CASES],
)
def test_the_fixture_corpus_through_the_cli(in_tmp: Path, case: dict[str, Any]) -> None:
    """The same findings as the core gives, from a project file, with the exit code they imply."""
    project = {
        "platform": case["platform"],
        "regions": case["regions"],
        "sdk_config": str(FIXTURES / case["file"]),
    }
    if "sdk_version" in case:
        project["sdk_version"] = case["sdk_version"]
    (in_tmp / "domaincheck.yaml").write_text(json.dumps(project), "utf-8")
    result = invoke("check", "--offline", "--format", "json", "--output", "report.json")
    if "error" in case:
        assert result.exit_code == ExitCode.BAD_INPUT
        assert result.stderr.startswith(f"domaincheck: {FIXTURES}/{case['error']}")
        assert result.stderr.count("\n") == 1
        assert not (in_tmp / "report.json").exists()
        return
    report = json.loads((in_tmp / "report.json").read_text("utf-8"))
    found = Counter(
        f"{r['status']} {r['check']} {r['details']['line']}"
        for r in report["results"]
        if r["check"].startswith("sdk.") and r["status"] != "pass"
    )
    assert found == Counter(case["findings"])
    failed = any(f.startswith(("fail ", "error ")) for f in case["findings"])
    assert result.exit_code == (ExitCode.FAILED if failed else ExitCode.PASSED)


def test_diff_refuses_an_unknown_console_list_in_extra_with_one_line(in_tmp: Path) -> None:
    (in_tmp / "console.txt").write_text(full_console(), "utf-8")
    result = invoke("diff", "console.txt", "--extra", "bogus=https://api.myapp.com")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr.startswith("domaincheck: --extra: unknown console list 'bogus'")
    assert isinstance(result.exception, SystemExit)  # not a ValueError from inside the core

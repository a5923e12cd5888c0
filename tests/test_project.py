"""The project file: loading, validation with file and line, overrides, ignores, `init`'s template."""

from __future__ import annotations

from pathlib import Path

import pytest

from domaincheck.core.errors import InputFileError, UsageError
from domaincheck.core.model import CheckResult, ConsoleList, Status
from domaincheck.core.platforms import Platform
from domaincheck.files.project import (
    EMPTY_PROJECT,
    AlipaySyncSettings,
    IgnoredCheck,
    Project,
    apply_ignores,
    find_project,
    load_project,
    parse_version,
)
from domaincheck.files.project_template import render_project_template, write_project_file
from domaincheck.run.selection import effective_platform, effective_regions


def write(tmp_path: Path, text: str, name: str = "domaincheck.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


FULL = """\
version: 1
platform: wechat
regions: [cn1, 新加坡1区]
appKey: "easemob-demo#chatdemoui"
sdk_config: src/utils/WebIM.js
sdk_version: "4.17.0"
extra_domains:
  - https://api.myapp.com
compact: true
console:
  file: console.txt
  request:
    - https://a1.easemob.com
  socket:
    - wss://im-api-wechat.easemob.com
thresholds:
  timeout: 2.5
  max_entries: 50
ignore:
  - check: sdk.option.*
    reason: legacy demo options are harmless
alipay:
  app_id: "2021000000000000"
  private_key_file: keys/app.pem
"""


def test_full_project_reads_every_section(tmp_path: Path) -> None:
    project = load_project(write(tmp_path, FULL))
    assert project.platform is Platform.WECHAT
    assert project.regions == ("cn1", "新加坡1区")
    assert project.app_key == "easemob-demo#chatdemoui"
    assert project.sdk_config == tmp_path / "src/utils/WebIM.js"
    assert project.sdk_version == "4.17.0"
    assert project.extra_domains == ("https://api.myapp.com",)
    assert project.compact is True
    assert project.console is not None
    assert project.console.file == tmp_path / "console.txt"
    assert [(i.text, i.console_list) for i in project.console.items] == [
        ("https://a1.easemob.com", ConsoleList.REQUEST),
        ("wss://im-api-wechat.easemob.com", ConsoleList.SOCKET),
    ]
    assert project.console.items[0].origin.endswith("domaincheck.yaml:13")
    assert project.thresholds.timeout == 2.5
    assert project.thresholds.max_entries == 50
    assert project.ignore == (IgnoredCheck("sdk.option.*", "legacy demo options are harmless", 20),)
    assert project.alipay == AlipaySyncSettings(
        app_id="2021000000000000", private_key_file=tmp_path / "keys/app.pem"
    )
    assert project.folder == tmp_path
    assert project.where("sdk_config") == f"{tmp_path / 'domaincheck.yaml'}:5"


def test_single_region_key_and_empty_file(tmp_path: Path) -> None:
    assert load_project(write(tmp_path, "region: cn2\n")).regions == ("cn2",)
    empty = load_project(write(tmp_path, "# nothing yet\n"))
    assert empty.platform is None and empty.regions == ()
    assert empty.compact is None  # not said: --compact / --no-compact decide, else off
    assert load_project(write(tmp_path, "compact: false\n")).compact is False


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("platform: alipay\nregoins: [cn1]\n", 2, "unknown key 'regoins'"),
        ("platform: alipay\nplatform: wechat\n", 2, "duplicate key 'platform'"),
        ("platform: tiktok\n", 1, "platform 'tiktok' is not one of"),
        ("regions: cn1\nthresholds:\n  timeout: fast\n", 3, "thresholds.timeout must be a number"),
        ("thresholds:\n  max_entries: 2.5\n", 2, "must be a whole number"),
        ("thresholds:\n  cert_expiry_warn_days: -3\n", 2, "greater than 0"),
        ("extra_domains: https://api.myapp.com\n", 1, "extra_domains must be a list"),
        ("extra_domains:\n  - 42\n", 2, "extra_domains item must be a string"),
        ("ignore:\n  - check: sdk.appkey.format\n", 2, "needs 'reason'"),
        ("ignore:\n  - check: x\n    reason: y\n    until: 2025\n", 4, "unknown key 'until'"),
        ("console:\n  whitelist: [a1.easemob.com]\n  sockets: []\n", 3, "unknown key 'sockets'"),
        ("alipay:\n  private_key_file: [k.pem]\n", 2, "alipay.private_key_file must be a string"),
        ("alipay:\n  app_secret: x\n", 2, "alipay: unknown key 'app_secret'"),
        ("version: 7\n", 1, "version 7 is not supported"),
        ("sdk_version: latest\n", 1, "sdk_version 'latest' is not a version"),
        ("app_key: a#b\nappKey: a#b\n", 2, "either 'app_key' or 'appKey'"),
        ("platform: [alipay]\n", 1, "platform must be a string, not a list"),
        ("platform: alipay\ncompact: 'true'\n", 2, "compact must be true or false, not 'true'"),
        ("compact: 1\n", 1, "compact must be true or false, not a number (1)"),
        ("regions: [cn1]\ncompact:\n", 2, "compact must be true or false, not empty"),
        ("compact: [alipay]\n", 1, "compact must be true or false, not a list"),
        ("- platform\n", 1, "project file must be a mapping"),
        ("platform: alipay\n  regions: [cn1\n", 2, "YAML syntax error"),
    ],
)
def test_bad_project_files_name_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputFileError) as caught:
        load_project(path)
    assert f"{path}:{line}: " in str(caught.value)
    assert words in str(caught.value)


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, "platform: tiktok\nregoins: [cn1]\nthresholds: 5\n")
    with pytest.raises(InputFileError) as caught:
        load_project(path)
    lines = str(caught.value).splitlines()
    assert [ln.split(": ")[0] for ln in lines] == [f"{path}:1", f"{path}:2", f"{path}:3"]


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "platform: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(InputFileError) as caught:
        load_project(path)
    assert f"{path}:1" in str(caught.value)


def test_binary_and_missing_project_files(tmp_path: Path) -> None:
    binary = tmp_path / "domaincheck.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputFileError, match="binary file"):
        load_project(binary)
    with pytest.raises(InputFileError, match="project file not found"):
        find_project(tmp_path / "nope.yaml")


def test_find_project_uses_the_current_folder_only_when_present(tmp_path: Path) -> None:
    assert find_project(None, tmp_path) is None
    path = write(tmp_path, "platform: qq\n")
    assert find_project(None, tmp_path) == path


def test_options_override_the_project_which_overrides_the_defaults() -> None:
    project = Project(platform=Platform.QQ, regions=("sgp1",))
    assert effective_platform(None, project) is Platform.QQ
    assert effective_platform(Platform.BAIDU, project) is Platform.BAIDU
    assert effective_platform(None, EMPTY_PROJECT) is Platform.ALIPAY
    assert effective_regions(None, project) == ("sgp1",)
    assert effective_regions(["cn2"], project) == ("cn2",)
    assert effective_regions([], EMPTY_PROJECT) == ("cn1",)


def test_ignores_mark_results_without_dropping_them() -> None:
    results = (
        CheckResult("a", "sdk.option.ignored", Status.INFO, "x"),
        CheckResult("b", "sdk.url.host", Status.FAIL, "y"),
        CheckResult("c", "sdk.appkey.format", Status.FAIL, "z"),
    )
    marked = apply_ignores(results, (IgnoredCheck("sdk.url.*", "staging host"),))
    assert [r.ignored_reason for r in marked] == [None, "staging host", None]
    assert not marked[1].fails_gate and marked[2].fails_gate


def test_template_loads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "domaincheck.yaml"
    write_project_file(path, render_project_template(Platform.WECHAT, ["cn1", "国内2区"]), False)
    project = load_project(path)
    assert project.platform is Platform.WECHAT
    assert project.regions == ("cn1", "国内2区")
    assert project.ignore == () and project.console is None
    assert project.compact is False


def test_template_turns_compact_on_and_says_why(tmp_path: Path) -> None:
    because = "Without it these regions need 34 entries, over Alipay's limit of 30"
    text = render_project_template(Platform.ALIPAY, ["cn1"], compact_because=because)
    path = write(tmp_path, text)
    assert load_project(path).compact is True
    comment = text.split("\ncompact: true\n")[0].rsplit("\n\n", 1)[1]
    assert "34 entries, over Alipay's limit of 30" in " ".join(
        line.removeprefix("# ") for line in comment.splitlines()
    )
    assert all(len(line) <= 100 for line in text.splitlines())


def test_write_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = write(tmp_path, "keep me\n")
    with pytest.raises(UsageError, match="already exists"):
        write_project_file(path, "new\n", force=False)
    assert path.read_text() == "keep me\n"
    write_project_file(path, "new\n", force=True)
    assert path.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["domaincheck.yaml"]  # no temp file left


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4.17.0", (4, 17, 0)), ("v4.8.1-2", (4, 8, 1)), ("4.12", (4, 12)), ("four", None)],
)
def test_parse_version(text: str, expected: tuple[int, ...] | None) -> None:
    assert parse_version(text) == expected

"""selection: options over the project file over the defaults, and the findings that stop a whitelist."""

from __future__ import annotations

from pathlib import Path

import pytest

from domaincheck.core.errors import InputFileError, UsageError
from domaincheck.core.platforms import Platform
from domaincheck.core.whitelist_model import ConsoleList
from domaincheck.files.project import parse_project
from domaincheck.run.selection import (
    bad_extras,
    compact_reason,
    load_project_if_any,
    regions_without_hosts,
    select,
)
from domaincheck.whitelist.build import ExtraDomain


def project(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    return parse_project(text, tmp_path / "domaincheck.yaml")


def test_without_options_or_project_the_defaults_apply() -> None:
    selection = select(None)
    assert selection.platform is Platform.ALIPAY
    assert [r.id for r in selection.regions] == ["cn1"]
    assert selection.extras == ()
    assert selection.max_entries is None
    assert selection.project is None
    assert selection.rules.count_limit.limit == 30


def test_the_project_file_fills_in_and_options_override_it(tmp_path: Path) -> None:
    loaded = project(
        tmp_path,
        "platform: wechat\nregions: [sgp1]\nextra_domains: [https://api.myapp.com]\n"
        "thresholds:\n  max_entries: 50\n",
    )
    from_project = select(loaded)
    assert from_project.platform is Platform.WECHAT
    assert [r.id for r in from_project.regions] == ["sgp1"]
    assert from_project.extras == (ExtraDomain("https://api.myapp.com"),)
    assert from_project.max_entries == 50
    assert from_project.rules.count_limit.limit == 50

    chosen = select(
        loaded,
        platform=Platform.QQ,
        regions=["国内1区", "cn2"],
        extras=["uploadFile=https://files.myapp.com"],
        max_entries=7,
    )
    assert chosen.platform is Platform.QQ
    assert [r.id for r in chosen.regions] == ["cn1", "cn2"]
    # The project's extras stay, the option's come after them.
    assert chosen.extras == (
        ExtraDomain("https://api.myapp.com"),
        ExtraDomain("https://files.myapp.com", (ConsoleList.UPLOAD_FILE,)),
    )
    assert chosen.max_entries == 7


def test_bad_input_is_a_usage_error_naming_the_option() -> None:
    with pytest.raises(UsageError, match=r"--extra: unknown console list 'bogus'"):
        select(None, extras=["bogus=https://api.myapp.com"])
    with pytest.raises(UsageError, match="mars"):
        select(None, regions=["mars"])


def test_a_project_file_is_read_only_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_project_if_any(None) is None
    with pytest.raises(InputFileError, match="project file not found"):
        load_project_if_any(tmp_path / "other.yaml")
    (tmp_path / "domaincheck.yaml").write_text("platform: baidu\n", encoding="utf-8")
    found = load_project_if_any(None)
    assert found is not None and found.platform is Platform.BAIDU


def test_extras_that_cannot_be_entries_and_regions_without_hosts_are_found() -> None:
    assert bad_extras(select(None, extras=["https://api.myapp.com"])) == ()
    bad = bad_extras(select(None, extras=["https://10.0.0.1"]))
    assert [r.target for r in bad] == ["https://10.0.0.1"]
    assert all(r.status.value == "fail" for r in bad)

    assert regions_without_hosts(select(None, regions=["cn1"])) == ()
    missing = regions_without_hosts(select(None, regions=["cn1", "vip"]))
    assert len(missing) == 1 and missing[0].status.value == "fail"


def test_compact_comes_from_the_option_else_the_project_else_off(tmp_path: Path) -> None:
    assert select(None).compact is False
    assert select(None, compact=True).compact is True
    on = project(tmp_path, "compact: true\n")
    assert select(on).compact is True
    assert select(on, compact=False).compact is False
    assert select(project(tmp_path, "platform: alipay\n")).compact is False


ALL_SIX = ["cn1", "cn2", "sgp1", "sgp2", "use1", "de2"]


def test_compact_is_needed_only_where_it_helps_and_the_hosts_are_over_the_limit() -> None:
    reason = compact_reason(select(None, regions=ALL_SIX))
    assert reason is not None and "34 entries, over Alipay's limit of 30" in reason
    assert compact_reason(select(None, regions=["cn1"])) is None
    assert compact_reason(select(None, regions=ALL_SIX, max_entries=50)) is None
    # WeChat matches exact hosts: compacting cannot help, whatever the count.
    assert compact_reason(select(None, platform=Platform.WECHAT, regions=ALL_SIX)) is None

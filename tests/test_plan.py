"""The run plan: `check`'s options resolved against the project file once, validated up front."""

from __future__ import annotations

from pathlib import Path

import pytest

from domaincheck.core.errors import RegistryError, UsageError
from domaincheck.core.platforms import Platform
from domaincheck.render import ReportFormat
from domaincheck.run.plan import CheckOptions, LiveOptions, SetupOptions, plan_check


def project(tmp_path: Path) -> Path:
    path = tmp_path / "domaincheck.yaml"
    path.write_text(
        "platform: wechat\nregions: [cn1]\nthresholds:\n  timeout: 2.5\n"
        "  cert_expiry_warn_days: 45\n",
        "utf-8",
    )
    return path


def test_options_win_over_the_project_file_which_wins_over_defaults(tmp_path: Path) -> None:
    plan = plan_check(
        CheckOptions(
            project=project(tmp_path),
            live=LiveOptions(resolvers=("127.0.0.1:5353",), expiry_fail_days=3),
            setup=SetupOptions(app_key="org#app"),
            reports=(f"json:{tmp_path / 'r.json'}",),
            command=("domaincheck", "check"),
        )
    )
    assert plan.selection.platform is Platform.WECHAT  # the project file's
    assert plan.live is not None
    assert plan.live.timeout == 2.5 and plan.live.expiry_warn_days == 45  # the project file's
    assert plan.live.expiry_fail_days == 3  # the option
    assert [r.label for r in plan.live.resolvers] == ["127.0.0.1:5353"]
    assert plan.setup.app_key == "org#app"
    assert [(r.format, r.path.name) for r in plan.reports] == [
        (ReportFormat.TEXT, "-"),
        (ReportFormat.JSON, "r.json"),
    ]
    assert plan.command == ("domaincheck", "check")

    options = CheckOptions(project=project(tmp_path), live=LiveOptions(timeout=9.0))
    assert plan_check(options).live.timeout == 9.0  # type: ignore[union-attr]


def test_offline_plans_no_live_settings(tmp_path: Path) -> None:
    plan = plan_check(CheckOptions(project=project(tmp_path), offline=True))
    assert plan.live is None


def test_bad_values_stop_the_plan_report_targets_first(tmp_path: Path) -> None:
    bad_registry = tmp_path / "missing.yaml"
    with pytest.raises(UsageError, match="--report"):
        plan_check(CheckOptions(registry=bad_registry, reports=("nosuchformat:x",)))
    with pytest.raises(RegistryError):
        plan_check(CheckOptions(registry=bad_registry))
    with pytest.raises(UsageError, match="--resolve"):
        plan_check(CheckOptions(project=project(tmp_path), live=LiveOptions(resolve=("x",))))
    same = str(tmp_path / "same.json")
    with pytest.raises(UsageError, match="given twice"):
        plan_check(CheckOptions(output=Path(same), reports=(f"json:{same}",)))

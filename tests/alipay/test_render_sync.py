"""The sync renderers: golden files for a dry run and a partly failed apply; the format map is complete.

Regenerate the golden files after an intended change:
    DOMAINCHECK_UPDATE_GOLDEN=1 python -m pytest tests/alipay/test_render_sync.py
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from domaincheck.alipay.formats import SyncFormat
from domaincheck.alipay.plan import PlanAction, compute_plan
from domaincheck.alipay.protocol import PRODUCTION_GATEWAY
from domaincheck.alipay.render import SYNC_RENDERERS, render_sync_json, render_sync_text
from domaincheck.alipay.sync import TAKES_EFFECT_REMINDER, AppliedChange, ChangeStatus, SyncOutcome
from domaincheck.core.model import ConsoleList, WhitelistEntry
from tests.golden_files import GOLDEN, assert_matches_golden


def covers(entry: str, host: str) -> bool:
    return host == entry or host.endswith("." + entry)


def plan():  # type: ignore[no-untyped-def]
    required = [
        WhitelistEntry(h, ConsoleList.WHITELIST, (h,))
        for h in ("a1.easemob.com", "im-api-alipay.easemob.com", "rs.chat.agora.io")
    ]
    required.append(
        WhitelistEntry("myapp.com", ConsoleList.WHITELIST, ("api.myapp.com", "files.myapp.com"))
    )
    return compute_plan(
        ["easemob.com", "old.example.com", "legacy.example.org"],
        required,
        covers=covers,
        limit=30,
        prune=True,
    )


DRY = SyncOutcome(plan=plan(), applied=False, requests=1, gateway=PRODUCTION_GATEWAY)
APPLIED = SyncOutcome(
    plan=plan(),
    applied=True,
    changes=(
        AppliedChange("rs.chat.agora.io", PlanAction.ADD, ChangeStatus.DONE),
        AppliedChange(
            "myapp.com", PlanAction.ADD, ChangeStatus.ALREADY, "40004/SAFE_DOMAIN_ALREADY_EXIST"
        ),
        AppliedChange(
            "old.example.com",
            PlanAction.REMOVE,
            ChangeStatus.FAILED,
            "alipay.open.mini.safedomain.delete failed (20000/isp.unknow-error): Alipay's service is unavailable; try again later",
        ),
        AppliedChange("legacy.example.org", PlanAction.REMOVE, ChangeStatus.NOT_RUN),
    ),
    stopped="alipay.open.mini.safedomain.delete failed (20000/isp.unknow-error): Alipay's service is unavailable; try again later",
    requests=7,
    gateway=PRODUCTION_GATEWAY,
    notes=("skipped extra 'http://x.cn': http:// is not allowed; use https or wss",),
)


@pytest.mark.parametrize(
    ("name", "outcome", "fmt"),
    [
        ("sync_dry_run.txt", DRY, SyncFormat.TEXT),
        ("sync_applied.txt", APPLIED, SyncFormat.TEXT),
        ("sync_applied.json", APPLIED, SyncFormat.JSON),
    ],
)
def test_golden(name: str, outcome: SyncOutcome, fmt: SyncFormat) -> None:
    assert_matches_golden(SYNC_RENDERERS[fmt](outcome), GOLDEN / name)


def test_every_format_has_a_renderer() -> None:
    assert set(SYNC_RENDERERS) == set(SyncFormat)


def test_the_reminder_comes_only_after_a_change() -> None:
    assert TAKES_EFFECT_REMINDER not in render_sync_text(DRY)
    assert TAKES_EFFECT_REMINDER in render_sync_text(APPLIED)
    assert TAKES_EFFECT_REMINDER in json.loads(render_sync_json(APPLIED))["notes"]


def test_offline_imports_load_neither_cryptography_nor_httpx() -> None:
    code = (
        "import sys, domaincheck.cli, domaincheck.alipay.render, domaincheck.alipay.credentials;"
        "bad = [m for m in ('cryptography', 'httpx', 'domaincheck.alipay.keys', 'domaincheck.alipay.gateway') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr

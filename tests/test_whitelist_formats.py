"""The whitelist renderers against golden files, on whitelists built from the hand-made registry.

To regenerate the golden files after an intended change of output, run

    DOMAINCHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_whitelist_formats.py

and review the diff of tests/golden/whitelist/ before committing it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import yaml

from domaincheck.core.model import Whitelist
from domaincheck.render.whitelist_formats import (
    WHITELIST_RENDERERS,
    WhitelistFormat,
    render_whitelist,
    whitelist_data,
)
from domaincheck.whitelist.build import build_whitelist
from tests.golden_files import GOLDEN, assert_matches_golden
from tests.hand_registry import make_registry

WHITELIST_GOLDEN = GOLDEN / "whitelist"
EXTENSION = {
    WhitelistFormat.TEXT: "txt",
    WhitelistFormat.JSON: "json",
    WhitelistFormat.YAML: "yaml",
    WhitelistFormat.MARKDOWN: "md",
}
REGISTRY = make_registry()
CN1, CN2, SGP1, VIP = REGISTRY.regions
EXTRAS = (
    "https://api.myapp.com:8443/v1",
    "wss://chat.myapp.com",
    "uploadFile=https://files.myapp.com",
)

FIXTURES: dict[str, Callable[[], Whitelist]] = {
    "alipay-cn1": lambda: build_whitelist(REGISTRY, "alipay", [CN1]),
    "alipay-cn1-cn2-compact": lambda: build_whitelist(
        REGISTRY, "alipay", [CN1, CN2], EXTRAS, compact=True
    ),
    "wechat-cn1-sgp1": lambda: build_whitelist(REGISTRY, "wechat", [CN1, SGP1], EXTRAS),
    "baidu-vip": lambda: build_whitelist(REGISTRY, "baidu", [VIP], EXTRAS),
}


def test_every_format_has_a_renderer() -> None:
    assert set(WHITELIST_RENDERERS) == set(WhitelistFormat)
    assert set(EXTENSION) == set(WhitelistFormat)


@pytest.mark.parametrize("fmt", list(WhitelistFormat), ids=str)
@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_render_matches_golden(fixture: str, fmt: WhitelistFormat) -> None:
    output = render_whitelist(FIXTURES[fixture](), fmt)
    assert_matches_golden(output, WHITELIST_GOLDEN / f"{fixture}.{EXTENSION[fmt]}")


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_json_and_yaml_carry_the_same_data(fixture: str) -> None:
    whitelist = FIXTURES[fixture]()
    data = whitelist_data(whitelist)
    assert json.loads(render_whitelist(whitelist, WhitelistFormat.JSON)) == data
    assert yaml.safe_load(render_whitelist(whitelist, WhitelistFormat.YAML)) == data


def test_text_is_pasteable() -> None:
    """Every line that is not a header or note is an entry, in the console's form, in order."""
    whitelist = FIXTURES["wechat-cn1-sgp1"]()
    lines = render_whitelist(whitelist, WhitelistFormat.TEXT).splitlines()
    entries = [line for line in lines if line and not line.startswith("#")]
    assert entries == [e.entry for c in whitelist.console_lists for e in whitelist.entries_for(c)]


def test_an_empty_whitelist_still_says_so() -> None:
    empty = Whitelist(platform="qq", regions=(), entries=())
    assert "no entries" in render_whitelist(empty, WhitelistFormat.TEXT)
    assert "No entries." in render_whitelist(empty, WhitelistFormat.MARKDOWN)
    assert whitelist_data(empty)["lists"] == []

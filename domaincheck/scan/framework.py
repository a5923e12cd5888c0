"""Which framework builds the mini program, for which platforms, and whether the developer tools'
domain check is off, as the project's own files say.

Native projects are told by their IDE project files (`project.config.json` WeChat/QQ,
`mini.project.json` Alipay, `project.tt.json` Douyin, `project.swan.json` Baidu) and template
suffixes; uni-app by `manifest.json`/`pages.json`; Taro by `config/index.*` or a `@tarojs`
dependency. uni-app's `manifest.json` may hold comments, which are dropped before it is read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domaincheck.core.platforms import Platform
from domaincheck.scan.model import Framework, Place, UrlCheckSetting

_IDE_FILES: tuple[tuple[str, Platform], ...] = (
    ("project.config.json", Platform.WECHAT),
    ("mini.project.json", Platform.ALIPAY),
    ("project.tt.json", Platform.DOUYIN),
    ("project.swan.json", Platform.BAIDU),
    ("project.qq.json", Platform.QQ),
)
_TEMPLATE_PLATFORM = {
    ".wxml": Platform.WECHAT,
    ".axml": Platform.ALIPAY,
    ".ttml": Platform.DOUYIN,
    ".swan": Platform.BAIDU,
    ".qml": Platform.QQ,
}
_UNI_TARGETS = {
    "mp-weixin": Platform.WECHAT,
    "mp-alipay": Platform.ALIPAY,
    "mp-toutiao": Platform.DOUYIN,
    "mp-baidu": Platform.BAIDU,
    "mp-qq": Platform.QQ,
}
_MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Detected:
    """The framework, the platforms the project targets (may be empty) and the files that say so."""

    framework: Framework
    platforms: tuple[Platform, ...]
    evidence: tuple[str, ...]
    url_check_off: tuple[UrlCheckSetting, ...]


def read_json_with_comments(path: Path) -> tuple[Any, str] | None:
    """The JSON value of `path` (comments dropped) and its text; None when absent or unreadable."""
    try:
        if not path.is_file() or path.stat().st_size > _MAX_CONFIG_BYTES:
            return None
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        return json.loads(strip_json_comments(text)), text
    except (json.JSONDecodeError, RecursionError):
        return None


_COMMENT_OR_STRING = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)


def strip_json_comments(text: str) -> str:
    """`text` with `//` and `/* */` comments blanked (newlines kept); strings untouched."""

    def blank(match: re.Match[str]) -> str:
        found = match.group(0)
        if found.startswith('"'):
            return found
        return re.sub(r"[^\n]", " ", found)

    return _COMMENT_OR_STRING.sub(blank, text)


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def detect(root: Path, files: list[Path]) -> Detected:
    """What `root` is (see the module docstring)."""
    evidence: list[str] = []
    platforms: list[Platform] = []
    off: list[UrlCheckSetting] = []
    framework = Framework.UNKNOWN

    manifest = read_json_with_comments(root / "manifest.json")
    src_manifest = read_json_with_comments(root / "src" / "manifest.json")
    uni_manifest, manifest_name = (
        (manifest, "manifest.json") if manifest else (src_manifest, "src/manifest.json")
    )
    if uni_manifest is not None or (root / "pages.json").is_file():
        framework = Framework.UNI_APP
        evidence.append(manifest_name if uni_manifest is not None else "pages.json")
        if uni_manifest is not None and isinstance(uni_manifest[0], dict):
            data, text = uni_manifest
            for target, platform in _UNI_TARGETS.items():
                section = data.get(target)
                if isinstance(section, dict) and section:
                    platforms.append(platform)
                    setting = section.get("setting")
                    if isinstance(setting, dict) and setting.get("urlCheck") is False:
                        off.append(
                            UrlCheckSetting(
                                Place(manifest_name, _line_of(text, '"urlCheck"')),
                                f"{target}.setting.urlCheck: false",
                            )
                        )
    package = read_json_with_comments(root / "package.json")
    taro_config = [p for p in root.glob("config/index.*") if p.suffix in (".js", ".ts")]
    if framework is Framework.UNKNOWN:
        dependencies: dict[str, Any] = {}
        if package is not None and isinstance(package[0], dict):
            for key in ("dependencies", "devDependencies"):
                value = package[0].get(key)
                if isinstance(value, dict):
                    dependencies.update(value)
        if any(name.startswith("@tarojs/") for name in dependencies) or taro_config:
            framework = Framework.TARO
            evidence.append(
                "package.json (@tarojs)"
                if dependencies
                else taro_config[0].relative_to(root).as_posix()
            )
        elif "@dcloudio/uni-app" in dependencies:
            framework = Framework.UNI_APP
            evidence.append("package.json (@dcloudio/uni-app)")

    for name, platform in _IDE_FILES:
        for candidate in (name, f"miniprogram/{name}"):
            found = read_json_with_comments(root / candidate)
            if found is None:
                continue
            data, text = found
            evidence.append(candidate)
            actual = platform
            if platform is Platform.WECHAT and isinstance(data, dict) and "qqappid" in data:
                actual = Platform.QQ
            if actual not in platforms:
                platforms.append(actual)
            if framework is Framework.UNKNOWN:
                framework = Framework.NATIVE
            if isinstance(data, dict):
                setting = data.get("setting")
                if isinstance(setting, dict) and setting.get("urlCheck") is False:
                    off.append(
                        UrlCheckSetting(
                            Place(candidate, _line_of(text, '"urlCheck"')),
                            "setting.urlCheck: false",
                        )
                    )
            private = read_json_with_comments(
                root / candidate.replace(".config.", ".private.config.")
            )
            if name == "project.config.json" and private is not None:
                pdata, ptext = private
                setting = pdata.get("setting") if isinstance(pdata, dict) else None
                if isinstance(setting, dict) and setting.get("urlCheck") is False:
                    off.append(
                        UrlCheckSetting(
                            Place(
                                candidate.replace(".config.", ".private.config."),
                                _line_of(ptext, '"urlCheck"'),
                            ),
                            "setting.urlCheck: false",
                        )
                    )
    if framework in (Framework.UNKNOWN, Framework.NATIVE):
        suffixes = {p.suffix.lower() for p in files}
        for suffix, platform in _TEMPLATE_PLATFORM.items():
            if suffix in suffixes:
                if platform not in platforms:
                    platforms.append(platform)
                evidence.append(f"{suffix} templates")
                if (root / "app.json").is_file() or (root / "miniprogram" / "app.json").is_file():
                    framework = Framework.NATIVE
        if framework is Framework.UNKNOWN and any(p.suffix == ".vue" for p in files):
            framework = Framework.UNI_APP if (root / "pages.json").exists() else Framework.UNKNOWN
    return Detected(framework, tuple(platforms), tuple(dict.fromkeys(evidence)), tuple(off))

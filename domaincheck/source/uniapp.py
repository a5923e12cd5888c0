"""uni-app conditional compilation: `// #ifdef MP-WEIXIN` ... `// #endif` keeps code for some
platforms only (https://uniapp.dcloud.net.cn/tutorial/platform.html).

The platform's build never sees the other branches, so neither does anything that reads the source:
`keep_platform_branches` blanks them out, keeping the line numbers. The build is named by its
define (`MP-WEIXIN`, the platform profile's `uni_app_define`), so this module needs no platform.
"""

from __future__ import annotations

import re

_UNI_DIRECTIVE_RE = re.compile(
    r"^\s*(?://|/\*|<!--)\s*#(ifdef|ifndef|endif)\b([^\n]*?)\s*(?:\*/|-->)?\s*$"
)
# Targets that are certainly not a mini program; other names (VUE3, uniVersion) are unknown.
_UNI_OTHER_TARGETS = ("H5", "WEB", "APP", "QUICKAPP")


def _uni_token(token: str, define: str) -> bool | None:
    token = token.strip().upper()
    if token in ("MP", define):
        return True
    if not define and token.startswith("MP-"):
        return None  # some mini program, not known which: both branches may be built
    if token.startswith("MP-") or token.startswith(_UNI_OTHER_TARGETS):
        return False
    return None


def uni_condition(condition: str, define: str) -> bool | None:
    """The value of `A || B && C` for the build `define`; None when a name's value is not known."""
    alternatives: list[bool | None] = []
    for alternative in condition.split("||"):
        values = [_uni_token(t, define) for t in alternative.split("&&") if t.strip()]
        if False in values:
            alternatives.append(False)
        elif values and all(v is True for v in values):
            alternatives.append(True)
        else:
            alternatives.append(None)
    if True in alternatives:
        return True
    if alternatives and all(a is False for a in alternatives):
        return False
    return None


def has_directives(text: str) -> bool:
    """True when `text` holds a `#ifdef`/`#ifndef` line (a cheap test before the line walk)."""
    return "#ifdef" in text or "#ifndef" in text


def keep_platform_branches(text: str, define: str) -> tuple[str, tuple[str, ...]]:
    """`text` with the branches the build `define` (`MP-WEIXIN`) drops blanked out (lines kept),
    and notes. An empty `define` stands for "a mini program, platform unknown": only branches for
    H5, apps and quick apps are dropped."""
    lines = text.split("\n")
    stack: list[tuple[bool, str, int]] = []
    notes: list[str] = []
    for index, line in enumerate(lines):
        directive = _UNI_DIRECTIVE_RE.match(line)
        if directive is None:
            if any(not active for active, _, _ in stack):
                lines[index] = ""
            continue
        kind, condition = directive.group(1), directive.group(2).strip()
        if kind == "endif":
            if stack:
                active, what, start = stack.pop()
                if not active:
                    notes.append(
                        f"lines {start}-{index + 1} ({what}) are not in the "
                        f"{define or 'mini-program'} build, so they are not read"
                    )
            continue
        value = uni_condition(condition, define)
        active = value is not False if kind == "ifdef" else value is not True
        stack.append((active, f"#{kind} {condition}", index + 1))
    return "\n".join(lines), tuple(notes)

"""JSON and YAML data files read for what they say and where: syntax errors with file:line and the
hints people need, top-level key lines, and values made JSON-compatible.

Nesting is bounded before parsing (`MAX_JSON_DEPTH`): Python's json module recurses once per level,
so a hostile file 100 000 brackets deep would end in a RecursionError instead of a message.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from domaincheck.core.errors import InputFileError

MAX_JSON_DEPTH = 200


def load_json(text: str, path: Path, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The value of the JSON `text`; `InputFileError` with `path:line` when it is not valid JSON
    (or nests deeper than `max_depth`)."""
    too_deep = _too_deep_at(text, max_depth)
    if too_deep is not None:
        raise InputFileError(f"{path}:{too_deep}: JSON nests more than {max_depth} levels deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if text.startswith(("//", "/*"), exc.pos):
            hint = " (JSON has no comments: remove them, or use a .js or .yaml file)"
        elif text.startswith(("}", "]"), exc.pos) and text[: exc.pos].rstrip().endswith(","):
            hint = " (JSON allows no comma after the last item)"
        raise InputFileError(f"{path}:{exc.lineno}: JSON syntax error: {exc.msg}{hint}") from None


def _too_deep_at(text: str, max_depth: int) -> int | None:
    """The line where brackets outside strings first nest deeper than `max_depth`, or None."""
    if text.count("[") + text.count("{") <= max_depth:
        return None
    depth = 0
    in_string = False
    escaped = False
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return line
        elif char in "]}":
            depth -= 1
    return None


def json_key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key of a JSON object (scanned, since `json` keeps no positions)."""
    lines: dict[str, int] = {}
    depth = 0
    line = 1
    index = 0
    expect_key = False
    while index < len(text):
        char = text[index]
        if char == "\n":
            line += 1
        elif char in "{[":
            depth += 1
            expect_key = depth == 1 and char == "{"
        elif char in "}]":
            depth -= 1
        elif char == "," and depth == 1:
            expect_key = True
        elif char == '"':
            end = index + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if depth == 1 and expect_key:
                with contextlib.suppress(json.JSONDecodeError):
                    lines[json.loads(text[index : end + 1])] = line
                expect_key = False
            line += text.count("\n", index, end)
            index = end
        index += 1
    return lines


def plain(value: Any, depth: int = 0) -> Any:
    """YAML dates and the like become strings, so every value is JSON-compatible."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if depth > MAX_JSON_DEPTH:
        return "..."
    if isinstance(value, list):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    return str(value)

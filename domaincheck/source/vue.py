"""Vue single-file components (`.vue`, uni-app's `.nvue`): their `<script>` and `<template>` blocks.

Each block keeps the line it starts on, so whatever reads it can name the component's own lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_TEMPLATE_RE = re.compile(r"<template\b[^>]*>(.*)</template\s*>", re.DOTALL | re.IGNORECASE)
_LANG_RE = re.compile(r"""\blang\s*=\s*["']?([A-Za-z]+)""")


@dataclass(frozen=True)
class SfcBlock:
    """One block of a component: its text, the number of lines before it, and its `lang`."""

    text: str
    line_offset: int
    lang: str

    @property
    def dialect(self) -> str:
        """The script's tree-sitter dialect: "javascript", "typescript" or "tsx"."""
        if self.lang == "tsx":
            return "tsx"
        return "typescript" if self.lang in ("ts", "typescript") else "javascript"


def script_blocks(text: str) -> list[SfcBlock]:
    """Every `<script>` block (a component may have a plain one and a `setup` one)."""
    blocks: list[SfcBlock] = []
    for block in _SCRIPT_RE.finditer(text):
        lang_match = _LANG_RE.search(block.group(1))
        lang = lang_match.group(1).lower() if lang_match else "js"
        blocks.append(SfcBlock(block.group(2), text.count("\n", 0, block.start(2)), lang))
    return blocks


def template_block(text: str) -> SfcBlock | None:
    """The outermost `<template>` block, or None."""
    match = _TEMPLATE_RE.search(text)
    if match is None:
        return None
    return SfcBlock(match.group(1), text.count("\n", 0, match.start(1)), "html")


def scripts_in_place(text: str) -> tuple[str, str]:
    """`text` with everything outside its `<script>` blocks blanked (newlines kept), so one parse
    of it gives the component's own lines and columns; and the dialect of its scripts."""
    kept: list[str] = []
    position = 0
    dialect = "javascript"
    for match in _SCRIPT_RE.finditer(text):
        kept.append(_blank(text[position : match.start(2)]))
        kept.append(match.group(2))
        position = match.end(2)
        lang_match = _LANG_RE.search(match.group(1))
        block = SfcBlock("", 0, lang_match.group(1).lower() if lang_match else "js")
        if block.dialect != "javascript":
            dialect = block.dialect
    kept.append(_blank(text[position:]))
    return "".join(kept), dialect


def _blank(text: str) -> str:
    return "\n" * text.count("\n") + " " * (len(text) - text.rfind("\n") - 1)

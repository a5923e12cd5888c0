"""Untrusted text made safe to show: one escaping function for every report, message and log line.

Text from outside (DNS answers, HTTP headers, server.json, gateway answers, console pastes, SDK
files, certificates, the command line) may hold characters that act on whoever reads it: ESC
sequences that rewrite a terminal, C1 controls (U+009B is a one-byte CSI), bidi overrides that
make a line read differently than it is, NUL and backspace that hide text, newlines that forge a
log line, and a line starting with `::` that GitHub Actions runs as a workflow command. `escape`
writes each such character as a visible `\\xNN` or `\\uNNNN` escape and breaks a leading `::`;
`bounded` also caps the length. Renderers and messages use these, never their own.

`json_safe` does the same for the data of a report: every string escaped, and numbers JSON cannot
hold (NaN, Infinity, from a config's `1e999`) written as strings, so a JSON or SARIF report is
always valid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

# Every control (Cc), format (Cf: bidi marks, embeddings, overrides and isolates, zero-width
# characters, the byte order mark), surrogate (Cs: bytes that were not UTF-8) and line or paragraph
# separator (Zl, Zp) character, as of Unicode 14, except tab: none of them belongs in a line of a
# report. Written out rather than computed, as reading the Unicode database costs start-up time.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff"
    "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
# A workflow command is a line that starts with `::`, or `##[` in the older form (leading blanks
# allowed); the first character is escaped.
_WORKFLOW_COMMAND = re.compile(r"^(\s*)(?::(?=:)|#(?=#\[))", re.MULTILINE)

# How long one untrusted string may be in a message or a report.
MAX_TEXT = 2000


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control, bidi and separator character written as a visible escape, and
    no line that starts a GitHub Actions workflow command.

    `keep_newlines` keeps `\\n` for text that is several lines by design (a report's body); every
    line is still kept from starting with `::`.
    """
    if keep_newlines:
        text = "\n".join(_UNSAFE.sub(_escaped, line) for line in text.split("\n"))
    elif _UNSAFE.search(text) is not None:
        text = _UNSAFE.sub(_escaped, text)
    if "::" in text or "##[" in text:
        text = _WORKFLOW_COMMAND.sub(_neutralised, text)
    return text


def _neutralised(match: re.Match[str]) -> str:
    return f"{match.group(1)}\\x{ord(match.group()[-1]):02x}"


def bounded(text: str, limit: int = MAX_TEXT) -> str:
    """`escape(text)` cut to `limit` characters, saying how much was left out."""
    shown = escape(text)
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}… ({len(shown) - limit} more characters)"


def json_safe(value: Any, *, limit: int | None = MAX_TEXT, keep_newlines: bool = False) -> Any:
    """`value` (JSON-like data) with every string escaped (and bounded to `limit`) and every
    non-finite number written as a string (`"inf"`, `"nan"`); keys are escaped too. Lists stay
    lists and tuples tuples; anything else is left as it is.

    `keep_newlines` is for a whole JSON document, where a newline inside a string is written
    `\\n` anyway (a SARIF rule's Markdown help has paragraphs). A container in which nothing
    changes is returned as it is, not copied: a large report is not held twice in memory."""
    if isinstance(value, str):
        if limit is None:
            return escape(value, keep_newlines=keep_newlines)
        return bounded(value, limit)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        items = [
            (
                escape(k) if isinstance(k, str) else k,
                v,
                json_safe(v, limit=limit, keep_newlines=keep_newlines),
            )
            for k, v in value.items()
        ]
        if isinstance(value, dict) and all(new is old and key in value for key, old, new in items):
            return value
        return {key: new for key, _, new in items}
    if isinstance(value, list | tuple):
        safe = [json_safe(v, limit=limit, keep_newlines=keep_newlines) for v in value]
        if all(new is old for new, old in zip(safe, value, strict=True)):
            return value
        return safe if isinstance(value, list) else tuple(safe)
    return value


# What no host name, URL or path given as input may hold: whitespace and every character escaped
# above.
_NOT_IN_A_URL = re.compile(_UNSAFE.pattern[:-1] + " \t]")


def control_character(text: str) -> str | None:
    """The first control character, bidi mark or space in `text`, escaped, or None."""
    found = _NOT_IN_A_URL.search(text)
    if found is None:
        return None
    return "a space" if found.group() == " " else escape(found.group())

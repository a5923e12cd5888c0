"""What was read from an SDK config source: each option with its line, literal or not."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


class ConfigShape(StrEnum):
    """How the options were found in the source; decides which key names are expected."""

    CONNECTION_CALL = "connection-call"  # new WebIM.connection({...}) (any receiver name)
    EXPORTED_OBJECT = "exported-object"  # export default {...} / module.exports = {...}
    DATA_FILE = "data-file"  # a JSON or YAML file


@dataclass(frozen=True)
class SdkOption:
    """One option of the object as written: its key, line and value.

    A literal (string, number, boolean, null, or a list/object of those) has `static=True` and its
    `value`. Anything else (a variable, a member expression, a template string with substitutions,
    a call) has `static=False`, `value=None`, the source text in `source` and what it is in
    `reason`: it is reported as "cannot check statically", never guessed. `origin` says where
    such a value comes from when the file tells (`imported from './config'`).
    """

    name: str
    line: int
    value: Any = None
    static: bool = True
    source: str = ""
    reason: str = ""
    origin: str = ""


@dataclass(frozen=True)
class SdkConfig:
    """The options object read from `path`: where it starts, how it was found, and its options in order.

    `opaque` is set when the object itself cannot be read statically (the options are built by a
    call, for instance); `notes` lists what was skipped (spread elements, computed keys, further
    connection calls), so a reader knows what the checks did not see.
    """

    path: Path
    shape: ConfigShape
    line: int
    description: str
    options: tuple[SdkOption, ...] = ()
    opaque: str | None = None
    notes: tuple[str, ...] = ()

    def option(self, name: str) -> SdkOption | None:
        """The last option with this key (as in JavaScript, a later key wins)."""
        found = None
        for option in self.options:
            if option.name == name:
                found = option
        return found

    def where(self, line: int | None = None) -> str:
        """`file:line`, for messages and result targets."""
        return f"{self.path}:{self.line if line is None else line}"
